package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowserLetterTemplates drives Chromium through an administrator's
// edit of a letter template (a refused edit that drops the referral
// rights, then a saved one with its comparison), and a supervisor's letter
// on a complaint whose pre-send check names what is missing, on a desktop
// and a phone-sized screen, saving screenshots.
func TestBrowserLetterTemplates(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	admin := &care.User{Email: "ada@example.com", Name: "Ada Admin", Role: "admin"}
	if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
		t.Fatal(err)
	}
	cust := &care.Customer{Name: "Dora Pemberton", Email: "dora@example.org", Address: "4 Orchard Row\nBath BA1 2AB"}
	if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.CreateComplaint(e.sys, service.NewComplaint{Case: care.Case{Channel: "post", CustomerID: cust.ID,
		Subject: "Storm damage claim refused", Description: "My claim for the fence was refused.", Regimes: []string{"au-asic"}}})
	if err != nil {
		t.Fatal(err)
	}
	do, text, shot := br.do, br.text, br.shot
	page := e.srv.URL + "/admin/templates/final_response/au-asic/en"

	do("sign in as the administrator",
		chromedp.Navigate(e.srv.URL+"/admin/templates"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "ada@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("table.letter-templates")),
		shot("l01-templates.png"))
	do("open the AFCA final response",
		chromedp.Click(chromedp.CSS(`a[href="/admin/templates/final_response/au-asic/en"]`)),
		chromedp.WaitVisible(chromedp.ID("template-form")))
	cur, err := e.svc.FindLetterTemplate(e.sys, "final_response", "au-asic", "en", 0)
	if err != nil {
		t.Fatal(err)
	}
	body := cur.Body
	i := strings.Index(body, `{{block "referral_rights" .}}`)
	if i < 0 {
		t.Fatalf("no referral block in:\n%s", body)
	}
	do("drop the referral rights",
		chromedp.SetValue(chromedp.ID("tpl-body"), body[:i]),
		chromedp.Click(chromedp.ID("tpl-save")),
		chromedp.WaitVisible(chromedp.ID("body-error")),
		shot("l02-template-refused.png"))
	if msg := text("read the error", "#body-error"); !strings.Contains(msg, "referral_rights") {
		t.Fatalf("error: %q", msg)
	}
	do("a plainer opening",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("template-form")),
		chromedp.SetValue(chromedp.ID("tpl-body"), strings.Replace(body, "This is our final response", "Here is our final response", 1)),
		chromedp.SendKeys(chromedp.ID("tpl-note"), "plainer opening"),
		chromedp.Click(chromedp.ID("tpl-save")),
		chromedp.WaitVisible(chromedp.ID("saved")),
		shot("l03-template-saved.png"))
	if d := text("read the comparison", "#template-diff"); !strings.Contains(d, "+ Here is our final response") ||
		!strings.Contains(d, "- This is our final response") {
		t.Fatalf("comparison:\n%s", d)
	}
	do("the complaint's letters page",
		chromedp.Navigate(e.srv.URL+"/complaints/"+v.Case.Reference+"/letters?kind=final_response"),
		chromedp.WaitVisible(chromedp.ID("presend-problems")),
		shot("l04-letters-problems.png"))
	if p := text("read the problems", "#presend-problems"); !strings.Contains(p, "blocks.outcome") {
		t.Fatalf("problems: %q", p)
	}
	if l := text("read the preview", "#letter-text"); !strings.Contains(l, "Here is our final response") ||
		!strings.Contains(l, "Australian Financial Complaints Authority") {
		t.Fatalf("preview:\n%s", l)
	}
	do("send the acknowledgement by post",
		chromedp.SetValue(chromedp.ID("letter-kind"), "acknowledgement"),
		chromedp.Click(chromedp.CSS(`input[name="channel"][value="post"]`)),
		chromedp.Click(chromedp.ID("letter-send")),
		chromedp.WaitVisible(chromedp.ID("sent")),
		shot("l05-letters-sent.png"))
	do("phone-sized letters page",
		chromedp.EmulateViewport(390, 844),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("letter-form")),
		shot("l06-letters-phone.png"))
	if s := text("read the letters", "table.letters-table"); !strings.Contains(s, "Marked for post") {
		t.Fatalf("letters:\n%s", s)
	}
	br.checkConsole()
}
