package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowserClaim takes a property claim from first notice of loss to
// payment in a real Chromium, each stage by the role that owns it: an
// agent logs the FNOL, claims reviews, the adjuster books the inspection
// and assesses, underwriting confirms cover, a claims handler is refused a
// settlement above their authority and the supervisor approves it, the
// agent records the acceptance and accounts pays. Each step is saved as a
// screenshot (claim-*.png).
func TestBrowserClaim(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	claimUsers(t, e)
	do, text, shot := br.do, br.text, br.shot
	signIn := func(email string) {
		t.Helper()
		do("sign in as "+email,
			chromedp.Navigate(e.srv.URL+"/signin"),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitVisible(chromedp.CSS(".user-menu")))
	}
	signOut := func() {
		t.Helper()
		do("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.ID("email")))
	}
	page := ""
	move := func(email, to, file string) {
		t.Helper()
		signIn(email)
		do("move the claim to "+to,
			chromedp.Navigate(page),
			chromedp.WaitVisible(chromedp.ID("move-form")),
			chromedp.SetValue(chromedp.ID("move-to"), to),
			chromedp.Click(chromedp.ID("move-claim")),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
			shot(file))
		signOut()
	}

	signIn("alice@example.com")
	do("the FNOL form from the claims list",
		chromedp.Navigate(e.srv.URL+"/claims"),
		chromedp.WaitVisible(chromedp.ID("new-claim")),
		chromedp.Click(chromedp.ID("new-claim")),
		chromedp.WaitVisible(chromedp.ID("fnol-form")),
		chromedp.SendKeys(chromedp.ID("fnol-policy"), "HOME-4242"),
		chromedp.SetValue(chromedp.ID("fnol-loss_type"), "property"),
		chromedp.SetValue(chromedp.ID("fnol-date"), e.svc.Now().Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.ID("fnol-place"), "4 Elm Road, Bath"),
		chromedp.SendKeys(chromedp.ID("fnol-description"), "A burst pipe flooded the kitchen overnight; the floor and units are soaked."),
		chromedp.SetValue(chromedp.ID("fnol-party_role"), "witness"),
		chromedp.SendKeys(chromedp.ID("fnol-party-name"), "Nora Neighbour"),
		shot("claim-01-fnol.png"),
		chromedp.Click(chromedp.ID("register-claim")),
		chromedp.WaitVisible(chromedp.ID("claim-number")),
		chromedp.Sleep(1200*time.Millisecond), // let the countdowns tick once
		shot("claim-02-registered.png"))
	page, err := chromedp.Run(br.step(), chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	number := text("read the claim number", "#claim-number")
	if !strings.HasPrefix(number, "CL-") || !strings.HasSuffix(page, "/claims/"+number) {
		t.Fatalf("registered %q at %s", number, page)
	}
	if m := text("read the milestones", "#claim-clocks"); !strings.Contains(m, "Inspection") || !strings.Contains(m, "due") ||
		!strings.Contains(m, "Fnol capture") {
		t.Fatalf("milestones:\n%s", m)
	}
	do("move to review",
		chromedp.SetValue(chromedp.ID("move-to"), "review"),
		chromedp.Click(chromedp.ID("move-claim")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	signOut()

	move("cora@example.com", "assessment", "claim-03-assessment.png")
	signIn("adam@example.com")
	do("book the inspection and set the reserve",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("inspection-form")),
		chromedp.SetValue(chromedp.ID("inspection-at"), e.svc.Now().Add(24*time.Hour).UTC().Format("2006-01-02T15:04")),
		chromedp.SendKeys(chromedp.ID("inspection-inspector"), "Pat Surveyor"),
		chromedp.Click(chromedp.CSS(`#inspection-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.SendKeys(chromedp.ID("reserve-amount"), "7000.00"),
		chromedp.SendKeys(chromedp.ID("reserve-note"), "Kitchen refit"),
		chromedp.Click(chromedp.CSS(`#reserve-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		shot("claim-04-inspection-reserve.png"))
	if s := text("read the inspection", "#claim-inspection"); !strings.Contains(s, "Pat Surveyor") {
		t.Fatalf("inspection: %q", s)
	}
	signOut()
	move("adam@example.com", "coverage", "claim-05-coverage.png")
	move("uma@example.com", "settlement", "claim-06-settlement.png")

	signIn("cora@example.com")
	do("a settlement above the handler's authority",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("settle-form")),
		chromedp.SendKeys(chromedp.ID("settle-amount"), "6500.00"),
		chromedp.Click(chromedp.ID("approve-settlement")),
		chromedp.WaitVisible(chromedp.CSS(".alert-error")),
		shot("claim-07-authority-refused.png"))
	if a := text("read the refusal", ".alert-error"); !strings.Contains(a, "GBP 5000.00") {
		t.Fatalf("refusal: %q", a)
	}
	signOut()
	signIn("sam@example.com")
	do("the supervisor approves it",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("settle-form")),
		chromedp.SendKeys(chromedp.ID("settle-amount"), "6500.00"),
		chromedp.SendKeys(chromedp.ID("settle-note"), "Contractor's quote"),
		chromedp.Click(chromedp.ID("approve-settlement")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	signOut()
	move("alice@example.com", "decision", "claim-08-offer-notified.png")
	signIn("alice@example.com")
	do("record the acceptance",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("decide-form")),
		chromedp.SetValue(chromedp.ID("decide-decision"), "accept"),
		chromedp.Click(chromedp.ID("record-decision")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	signOut()
	signIn("abe@example.com")
	do("pay in full",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("pay-form")),
		chromedp.SendKeys(chromedp.ID("pay-amount"), "6500.00"),
		chromedp.SendKeys(chromedp.ID("pay-payee"), "Harriet Home"),
		chromedp.SetValue(chromedp.ID("pay-method"), "bank_transfer"),
		chromedp.SendKeys(chromedp.ID("pay-reference"), "BACS-20261121"),
		chromedp.Click(chromedp.ID("record-payment")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		shot("claim-09-paid.png"))
	if s := text("read the stage", "#claim-stage"); s != "Stage: Closed" && !strings.Contains(s, "Closed") {
		t.Fatalf("stage after payment: %q", s)
	}
	do("the claims list",
		chromedp.Navigate(e.srv.URL+"/claims?stage=closed"),
		chromedp.WaitVisible(chromedp.CSS("table.claims-queue")),
		shot("claim-10-list.png"))
	if l := text("read the list", "table.claims-queue"); !strings.Contains(l, number) {
		t.Fatalf("closed claims lack %s:\n%s", number, l)
	}
	br.checkConsole()
}
