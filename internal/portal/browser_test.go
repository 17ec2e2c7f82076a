package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/browsertest"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/portal"
	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowser drives headless Chromium through the portal at desktop and
// phone sizes: the start page, a form refused with its error summary, a
// complaint and a claim sent with a document, and a status check, saving
// a screenshot of each page. It checks the keyboard path (the skip link
// comes first; the error summary takes focus) and that the page raises no
// console or CSP errors.
func TestBrowser(t *testing.T) {
	bin := browsertest.Chromium()
	if bin == "" {
		t.Skip("no chromium binary found; install it with: apt-get install -y chromium")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	t.Parallel()
	e := newEnv(t, store.SQLite, portal.Options{Name: "Harbour Mutual", StatusLimit: portal.Limit{Burst: 20, Every: time.Minute},
		SubmitLimit: portal.Limit{Burst: 20, Every: time.Minute}}, time.Now)
	dir := browsertest.ArtifactsDir(t, "portal")
	doc := filepath.Join(t.TempDir(), "repair-estimate.txt")
	if err := os.WriteFile(doc, []byte("Estimate: new ceiling, 1,450 GBP.\nPaid deposit by card 4111 1111 1111 1111.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancelA()
	browser, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	problems := browsertest.WatchConsole(t, browser)
	step := func() context.Context {
		ctx, cancel := context.WithTimeout(browser, 60*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, name), png, 0o644)
		})
	}
	do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(step(), actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	focused := func() string {
		t.Helper()
		id, err := chromedp.Run(step(), chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.className`))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(step(), chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	base := e.srv.URL + "/portal/"

	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		sfx := "-" + size.name + ".png"
		do("viewport", chromedp.EmulateViewport(size.w, size.h))
		do("start page", chromedp.Navigate(base), chromedp.WaitVisible(chromedp.CSS(".choices")), shot("01-start"+sfx))
		do("tab to the skip link", chromedp.KeyEvent("\t"))
		if f := focused(); f != "skip-link" {
			t.Errorf("%s: first Tab focuses %q, want the skip link", size.name, f)
		}
		kind := map[string]string{"desktop": "complaint", "phone": "claim"}[size.name]
		do("open the form", chromedp.Click(chromedp.CSS(`a[href="/portal/`+kind+`"]`)),
			chromedp.WaitVisible(chromedp.ID("description")), shot("02-"+kind+"-form"+sfx))
		do("send it empty", chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")), shot("03-"+kind+"-errors"+sfx))
		if f := focused(); f != "error-summary" {
			t.Errorf("%s: after a refused form focus is on %q, want the error summary", size.name, f)
		}
		do("follow the first error link", chromedp.Click(chromedp.CSS(`.error-summary a`)))
		if f := focused(); f != "name" {
			t.Errorf("%s: the first error link focuses %q, want the name field", size.name, f)
		}
		fill := []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("name"), "Dora Pemberton"),
			chromedp.SendKeys(chromedp.ID("email"), "dora."+size.name+"@example.org"),
			chromedp.SendKeys(chromedp.ID("phone"), "+44 20 7946 0018"),
			chromedp.SendKeys(chromedp.ID("description"), "Water came through the kitchen ceiling from the flat above.\nThe ceiling has partly collapsed."),
			chromedp.SetUploadFiles(chromedp.ID("documents"), []string{doc}),
			chromedp.Click(chromedp.ID("vulnerable")),
			chromedp.SendKeys(chromedp.ID("vulnerability_note"), "Please email rather than call: I am hard of hearing."),
			chromedp.Click(chromedp.ID("consent")),
		}
		if kind == "claim" {
			fill = append(fill, chromedp.SendKeys(chromedp.ID("policy_number"), "HOM-2044817"),
				chromedp.SetValue(chromedp.ID("loss_date"), time.Now().AddDate(0, 0, -2).Format(time.DateOnly)),
				chromedp.SetValue(chromedp.ID("loss_time"), "07:30"),
				chromedp.SendKeys(chromedp.ID("loss_place"), "Flat 3, 18 Quay Street, Bristol"))
		}
		fill = append(fill, shot("04-"+kind+"-filled"+sfx), chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".confirmation")), shot("05-"+kind+"-received"+sfx))
		do("fill in and send", fill...)
		ref := referenceRe.FindString(text(".ref"))
		if ref == "" {
			t.Fatalf("%s: no reference on the confirmation", size.name)
		}
		do("check progress", chromedp.Click(chromedp.CSS(`a[href^="/portal/status?reference="]`)),
			chromedp.WaitVisible(chromedp.ID("factor")), shot("06-status-form"+sfx),
			chromedp.SendKeys(chromedp.ID("factor"), "wrong@example.org"),
			chromedp.Submit(chromedp.ID("factor")), chromedp.WaitVisible(chromedp.ID("no-match")), shot("07-status-no-match"+sfx),
			chromedp.SendKeys(chromedp.ID("factor"), "dora."+size.name+"@example.org"),
			chromedp.Submit(chromedp.ID("factor")), chromedp.WaitVisible(chromedp.CSS(".facts")), shot("08-status"+sfx),
			chromedp.SetUploadFiles(chromedp.ID("documents"), []string{doc}),
			chromedp.Click(chromedp.CSS(`form[action="/portal/status/documents"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".alert-success")), shot("09-status-documents"+sfx))
		if s := text(".facts"); !strings.Contains(s, "We received it on") {
			t.Errorf("%s: status facts: %q", size.name, s)
		}
		c, err := e.svc.FindCase(e.staff, ref)
		if err != nil || c.Type != kind || c.Channel != "web" {
			t.Errorf("%s: staff see %v %+v", size.name, err, c)
		}
		atts, _ := e.svc.FindAttachments(e.staff, ref)
		for _, a := range atts {
			if strings.Contains(a.Text, "4111 1111 1111 1111") {
				t.Errorf("%s: %s stored unredacted", size.name, a.Filename)
			}
		}
		if len(atts) != 2 {
			t.Errorf("%s: %d documents, want 2", size.name, len(atts))
		}
		link := resolveForSurvey(t, e, ref)
		do("the survey from the resolution email", chromedp.Navigate(e.srv.URL+link),
			chromedp.WaitVisible(chromedp.CSS("fieldset.scale")), shot("10-survey"+sfx),
			chromedp.Click(chromedp.CSS(`label:has(> input[name="csat"][value="4"])`)),
			chromedp.Click(chromedp.CSS(`label:has(> input[name="nps"][value="9"])`)),
			chromedp.Submit(chromedp.CSS(`form[action^="/portal/survey/"]`)),
			chromedp.WaitNotPresent(chromedp.CSS("fieldset.scale")), shot("11-survey-thanks"+sfx))
		if h := text("h1"); h != "Thank you" {
			t.Errorf("%s: after the survey the page says %q", size.name, h)
		}
	}
	custs, _, _ := e.svc.FindCustomers(e.staff, care.CustomerFilter{Query: "dora"})
	for _, c := range custs {
		if !c.Vulnerable {
			t.Errorf("customer %s: the disclosed vulnerability was not recorded", c.Email)
		}
	}
	for _, m := range problems() {
		t.Errorf("browser console: %s", m)
	}
}

// resolveForSurvey has staff call the customer back and resolve the case,
// and returns the survey link the resolution email carries.
func resolveForSurvey(t *testing.T, e *env, ref string) string {
	t.Helper()
	if _, err := e.svc.CreateInteraction(e.staff, ref, &care.Interaction{Channel: "phone", Direction: "outbound",
		AgentID: care.ActorFromContext(e.staff).UserID, Body: "Called back."}); err != nil {
		t.Fatal(err)
	}
	// A complaint closes only with its outcome recorded (ISO 10002 / DISP).
	if c, err := e.svc.FindCase(e.staff, ref); err != nil {
		t.Fatal(err)
	} else if c.Type == "complaint" {
		if _, err := e.svc.SetComplaintOutcome(e.staff, ref, care.OutcomeDecision{Outcome: "upheld",
			Reasoning: "The renewal letter went to the old address.", RootCause: "pricing_renewal"}); err != nil {
			t.Fatal(err)
		}
	}
	resolved := "resolved"
	if _, err := e.svc.UpdateCase(e.staff, ref, care.CaseUpdate{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	mails, err := e.svc.FindOutbox(e.admin, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.CaseID != 0 && strings.Contains(m.Subject, ref) {
			if l := regexp.MustCompile(`/portal/survey/[A-Za-z0-9_-]+`).FindString(m.Body); l != "" {
				return l
			}
		}
	}
	t.Fatalf("no survey link for %s in the outbox", ref)
	return ""
}
