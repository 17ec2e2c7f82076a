package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/browsertest"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// browser is a headless Chromium driving one test server, with helpers
// that bound each step and save screenshots into the artefacts directory.
type browser struct {
	t        *testing.T
	ctx      context.Context
	dir      string
	problems func() []string
}

// newBrowser starts Chromium for a test, or skips the test with a clear
// message when none is installed.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	bin := browsertest.Chromium()
	if bin == "" {
		t.Skip("no chromium binary found (looked for /usr/bin/chromium and chromium, chromium-browser, google-chrome on PATH); install it with: apt-get install -y chromium")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(cancelC)
	// Start the browser without a deadline (a deadline on the first call
	// would stop the browser with it), then bound each step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	return &browser{t: t, ctx: ctx, dir: browsertest.ArtifactsDir(t, ""), problems: browsertest.WatchConsole(t, ctx)}
}

func (b *browser) step() context.Context {
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second) // generous: CI runs this under -race on two cores
	b.t.Cleanup(cancel)
	return ctx
}

// shot saves a full-page screenshot under name.
func (b *browser) shot(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(b.dir, name), png, 0o644)
	})
}

// do runs the actions of one named step, failing the test on an error.
func (b *browser) do(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.step(), actions...); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
}

// text returns the visible text of the element sel.
func (b *browser) text(name string, sel chromedp.CSS) string {
	b.t.Helper()
	s, err := chromedp.Run(b.step(), chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	return s
}

// checkConsole fails the test on any script error or CSP report seen.
func (b *browser) checkConsole() {
	for _, m := range b.problems() {
		b.t.Errorf("browser console: %s", m)
	}
}

// TestBrowser drives a real headless Chromium through sign-in, the case
// list, a case and adding a note, saving a screenshot of each page.
func TestBrowser(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	ref := browserData(t, e)
	do, text, shot := br.do, br.text, br.shot

	do("open sign-in", chromedp.Navigate(e.srv.URL+"/cases"), chromedp.WaitVisible(chromedp.ID("email")), shot("01-signin.png"))
	do("wrong password",
		chromedp.SendKeys(chromedp.ID("email"), "alice@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "not the password"),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("signin-error")), shot("02-signin-error.png"))
	do("sign in",
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("table.cases")),
		shot("03-cases.png"))
	if list := text("read the list", "table.cases"); !strings.Contains(list, ref) {
		t.Fatalf("case list lacks %s:\n%s", ref, list)
	}
	do("open the case",
		chromedp.Click(chromedp.CSS(`a[href="/cases/`+ref+`"]`)),
		chromedp.WaitVisible(chromedp.ID("timeline")),
		shot("04-case.png"))
	if received := text("read the received time", ".case-received time[data-local]"); strings.Contains(received, "UTC") {
		t.Errorf("received time was not rewritten to local time: %q", received)
	}
	do("add a note",
		chromedp.SendKeys(chromedp.ID("note-body"), "Spoke to the garage.\nThey will call the customer by Friday."),
		chromedp.Click(chromedp.CSS(`#note-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		shot("05-case-note-added.png"))
	if timeline := text("read the timeline", "#timeline"); !strings.Contains(timeline, "They will call the customer by Friday.") {
		t.Fatalf("note missing from the timeline:\n%s", timeline)
	}
	do("an empty note is refused next to the field",
		chromedp.Click(chromedp.CSS(`#note-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("note-body-err")),
		shot("06-case-note-error.png"))
	do("a missing case",
		chromedp.Navigate(e.srv.URL+"/cases/CD-1999-000001"),
		chromedp.WaitVisible(chromedp.ID("error-h")),
		shot("07-not-found.png"))
	do("phone-sized pages",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/cases"),
		chromedp.WaitVisible(chromedp.CSS("table.cases")),
		shot("08-cases-phone.png"),
		chromedp.Navigate(e.srv.URL+"/cases/"+ref),
		chromedp.WaitVisible(chromedp.ID("timeline")),
		shot("09-case-phone.png"))
	br.checkConsole()
}

// browserData fills the database with a few realistic cases and returns the
// reference of the one the test opens.
func browserData(t *testing.T, e *env) string {
	t.Helper()
	cust := &care.Customer{Name: "Dora Pemberton", Email: "dora.pemberton@example.org", Phone: "+44 20 7946 0018",
		Vulnerable: true, VulnerabilityNote: "Recently bereaved; prefers phone calls in the morning.", ExternalRef: "PH-204981"}
	if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, c := range []care.Case{
		{Type: "enquiry", Channel: "phone", Subject: "Does my home policy cover accidental damage?", Priority: "low", ReceivedAt: now.Add(-75 * time.Hour)},
		{Type: "service_request", Channel: "web", Subject: "Change of address after moving house", ReceivedAt: now.Add(-26 * time.Hour)},
		{Type: "claim", Channel: "email", Subject: "Water leak from upstairs flat", Priority: "high", ReceivedAt: now.Add(-5 * time.Hour)},
	} {
		if _, err := e.svc.CreateCase(e.sys, service.NewCase{Case: c}); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "complaint", Channel: "email", Priority: "urgent",
		CustomerID: cust.ID, Subject: "Windscreen claim still not paid after six weeks", ReceivedAt: now.Add(-40 * time.Minute),
		Description: "Dear caredesk,\n\nI reported a cracked windscreen on 3 October and nobody has called me back.\n" +
			"<script>alert('not run')</script>\n\nDora Pemberton"}})
	if err != nil {
		t.Fatal(err)
	}
	agent := e.users["agent"].ID
	st := "open"
	if _, err := e.svc.UpdateCase(e.sys, cs.Reference, care.CaseUpdate{Status: &st, AssigneeID: &agent}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateInteraction(e.sys, cs.Reference, &care.Interaction{Channel: "phone", Direction: "outbound",
		AgentID: agent, Disposition: "callback_promised", Body: "Called Mrs Pemberton; promised a call back once the garage confirms."}); err != nil {
		t.Fatal(err)
	}
	return cs.Reference
}
