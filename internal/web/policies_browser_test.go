package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// TestPolicyBrowser: a supervisor goes from a case's customer panel to the
// policy, sees the reminder sent and the missed instalments, and records
// the renewal with the form, in a real Chromium, at desktop and phone sizes.
func TestPolicyBrowser(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	cust := &care.Customer{Name: "Priya Patel", Email: "priya@example.com", Phone: "+44 20 7946 0101"}
	if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
		t.Fatal(err)
	}
	end := care.DateOf(e.svc.Now()).AddDate(0, 0, 13)
	start := end.AddDate(-1, 0, 1)
	pol := &care.Policy{CustomerID: cust.ID, Number: "MTR-7001", Line: "motor", Start: start, End: end, PremiumMinor: 54000}
	if err := e.svc.CreatePolicy(e.sys, pol); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetInstalments(e.sys, pol.Number, service.InstalmentRequest{Count: 12, FirstDue: start}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.OfferRenewal(e.sys, pol.Number, service.RenewalOffer{PremiumMinor: 56700}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RequestPolicyChange(e.sys, pol.Number, service.NewPolicyChange{Kind: "change_address",
		Details: "Moving to 4 Mill Lane, Bath BA1 2AB", EffectiveDate: end.AddDate(0, 0, -5)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RemindPolicies(e.sys, 0); err != nil {
		t.Fatal(err)
	}
	cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", CustomerID: cust.ID,
		Subject: "Is my renewal price right?"}})
	if err != nil {
		t.Fatal(err)
	}
	do, text, shot := br.do, br.text, br.shot
	do("sign in",
		chromedp.Navigate(e.srv.URL+"/cases/"+cs.Reference), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "sam@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("history")))
	do("open the policy from the customer panel",
		chromedp.Click(chromedp.CSS(`#history a[href="/policies/MTR-7001"]`)),
		chromedp.WaitVisible(chromedp.ID("renewal")),
		shot("policy-01.png"))
	page := text("read the page", "main")
	for _, want := range []string{"Ends in 13 days", "Renewal reminder (14 days)", "Missed", "GBP 567.00", "Change address"} {
		if !strings.Contains(page, want) {
			t.Errorf("policy page lacks %q", want)
		}
	}
	do("record the renewal",
		chromedp.SetValue(chromedp.ID("outcome-outcome"), "renewed"),
		chromedp.SendKeys(chromedp.ID("outcome-reason"), "accepted on the phone"),
		chromedp.Click(chromedp.ID("record-outcome")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		shot("policy-02-renewed.png"))
	if got := text("read the status", "#policy-status"); !strings.Contains(got, "Renewed") {
		t.Errorf("status after renewal: %q", got)
	}
	do("phone size",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/policies/MTR-7001"),
		chromedp.WaitVisible(chromedp.ID("renewal")),
		shot("policy-03-phone.png"))
	br.checkConsole()
}
