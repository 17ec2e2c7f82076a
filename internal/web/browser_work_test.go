package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowserWorkday is an agent's day in a real Chromium: sign in with a
// password and a TOTP code, find the case at the top of the queue with the
// keyboard, reply by email, wait on the customer, close it with an outcome;
// then the team queue, search, the supervisor view, administration and the
// second-factor enrolment, each saved as a screenshot (1x-*.png).
func TestBrowserWorkday(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	ref := browserData(t, e)
	secret := workdayData(t, e)
	// The case closed below is a complaint: it closes only with its outcome.
	if _, err := e.svc.SetComplaintOutcome(e.sys, ref, care.OutcomeDecision{Outcome: "upheld",
		Reasoning: "No call back for six weeks.", RootCause: "claims_delay"}); err != nil {
		t.Fatal(err)
	}
	do, text, shot := br.do, br.text, br.shot

	do("sign in with a password",
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "alice@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("code")),
		br.shot("10-signin-code.png"))
	code, err := service.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	do("then the code from the app",
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.Submit(chromedp.ID("code")),
		chromedp.WaitVisible(chromedp.CSS("table.queue")),
		chromedp.Sleep(1200*time.Millisecond), // let the countdowns tick once
		shot("11-my-queue.png"))
	if q := text("read the queue", "table.queue"); !strings.Contains(q, ref) || !strings.Contains(q, "left") {
		t.Fatalf("my queue lacks %s or its countdown:\n%s", ref, q)
	}
	do("the shortcuts, on ?",
		chromedp.KeyEvent("?"),
		chromedp.WaitVisible(chromedp.ID("shortcuts")),
		shot("12-shortcuts.png"),
		chromedp.KeyEvent("\u001b"), // Escape
		chromedp.WaitNotVisible(chromedp.ID("shortcuts")))
	do("open the first case with j then o",
		chromedp.KeyEvent("j"),
		chromedp.KeyEvent("o"),
		chromedp.WaitVisible(chromedp.ID("reply-form")),
		shot("13-case.png"))
	if h := text("read the case", ".case-ref"); h != ref {
		t.Fatalf("j o opened %q, want %s", h, ref)
	}
	do("reply by email, r to start",
		chromedp.KeyEvent("r"),
		chromedp.SendKeys(chromedp.ID("reply-body"), "Dear Mrs Pemberton,\n\nThe garage has confirmed the windscreen; payment follows today.\n\nAlice"),
		chromedp.Click(chromedp.CSS(`#reply-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		shot("14-case-replied.png"))
	if tl := text("read the timeline", "#timeline"); !strings.Contains(tl, "payment follows today") {
		t.Fatalf("reply missing from the timeline:\n%s", tl)
	}
	do("wait on the customer",
		chromedp.Click(chromedp.ID("action-waiting")),
		chromedp.WaitVisible(chromedp.CSS(".case-head .status-waiting_customer")))
	if b := text("read the status", ".case-head .badges"); !strings.Contains(b, "Waiting customer") {
		t.Fatalf("status after waiting: %q", b)
	}
	do("close with an outcome",
		chromedp.SendKeys(chromedp.ID("close-outcome"), "Windscreen claim paid in full; apology given for the delay."),
		chromedp.SetValue(chromedp.ID("close-disposition"), "callback_promised"),
		chromedp.Click(chromedp.CSS(`#close-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".case-head .status-resolved")),
		shot("15-case-closed.png"))
	if b := text("read the status", ".case-head .badges"); !strings.Contains(b, "Resolved") {
		t.Fatalf("status after closing: %q", b)
	}
	do("the team queue",
		chromedp.Navigate(e.srv.URL+"/queue/team"),
		chromedp.WaitVisible(chromedp.CSS("table.queue")),
		shot("16-team-queue.png"))
	do("search by name",
		chromedp.KeyEvent("/"),
		chromedp.SendKeys(chromedp.ID("site-search"), "pemberton"),
		chromedp.Submit(chromedp.ID("site-search")),
		chromedp.WaitVisible(chromedp.ID("found-customers-h")),
		shot("17-search.png"))
	do("sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.ID("email")))

	do("the supervisor view",
		chromedp.SendKeys(chromedp.ID("email"), "sam@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS(".user-menu")),
		chromedp.Navigate(e.srv.URL+"/supervisor"),
		chromedp.WaitVisible(chromedp.ID("backlog-h")),
		chromedp.Sleep(1200*time.Millisecond),
		shot("18-supervisor.png"))
	do("set up a second factor",
		chromedp.Navigate(e.srv.URL+"/account/security"),
		chromedp.Click(chromedp.ID("totp-begin")),
		chromedp.WaitVisible(chromedp.CSS(".qr svg")),
		shot("19-totp-enrol.png"))
	do("sign out", chromedp.Navigate(e.srv.URL+"/queue"), chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.ID("email")))
	do("administration",
		chromedp.SendKeys(chromedp.ID("email"), "ada@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS(".user-menu")),
		chromedp.Navigate(e.srv.URL+"/admin"),
		chromedp.WaitVisible(chromedp.ID("users-h")),
		shot("20-admin.png"))
	do("phone-sized queue",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/queue/team?team=0&unassigned=1"),
		chromedp.WaitVisible(chromedp.CSS("h1")),
		shot("21-team-queue-phone.png"))
	br.checkConsole()
}

// workdayData puts the agent in a team with its cases, adds an
// administrator, gives the supervisor something to supervise, and turns on
// the agent's second factor, returning its secret. The enrolment is
// confirmed with the previous time step's code, so signing in now has a
// fresh one.
func workdayData(t *testing.T, e *env) string {
	t.Helper()
	team := &care.Team{Name: "Motor claims"}
	if err := e.svc.CreateTeam(e.sys, team); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"agent", "supervisor"} {
		if _, err := e.svc.UpdateUser(e.sys, e.users[role].ID, care.UserUpdate{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
	}
	admin := &care.User{Email: "ada@example.com", Name: "Ada Administrator", Role: "admin"}
	if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
		t.Fatal(err)
	}
	cases, _, err := e.svc.FindCases(e.sys, care.CaseFilter{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	if _, err := e.svc.BulkAssign(e.sys, care.BulkAssignment{CaseIDs: ids, TeamID: &team.ID}); err != nil {
		t.Fatal(err)
	}
	now := e.svc.Now()
	for _, c := range []care.Case{
		{Type: "complaint", Channel: "post", Subject: "Letter: premium doubled without notice", Priority: "high", TeamID: team.ID, ReceivedAt: now.Add(-9 * 24 * time.Hour)},
		{Type: "claim", Channel: "phone", Subject: "Hail damage to car roof", TeamID: team.ID, AssigneeID: e.users["agent"].ID, ReceivedAt: now.Add(-30 * time.Hour)},
	} {
		if _, err := e.svc.CreateCase(e.sys, service.NewCase{Case: c}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.SweepClocks(context.Background(), "test", time.Minute, 100); err != nil {
		t.Fatal(err)
	}
	// The hail claim was called back, late: its missed first response is no
	// longer owed, so it does not jump to the top of the queue.
	claims, _, err := e.svc.FindCases(e.sys, care.CaseFilter{Type: "claim", Open: true, Limit: 1})
	if err != nil || len(claims) != 1 || claims[0].Subject != "Hail damage to car roof" {
		t.Fatalf("find the hail claim: %v %v", claims, err)
	}
	if _, err := e.svc.CreateInteraction(e.sys, claims[0].Reference, &care.Interaction{Channel: "phone", Direction: "outbound",
		Body: "Called back about the hail damage."}); err != nil {
		t.Fatal(err)
	}
	u := e.users["agent"]
	actx := care.NewContextWithActor(context.Background(), care.Actor{UserID: u.ID, Name: u.Email, Role: u.Role, Source: "test"})
	en, err := e.svc.BeginTOTP(actx)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := service.TOTPCode(en.Secret, time.Now().Add(-30*time.Second))
	if _, err := e.svc.ConfirmTOTP(actx, code); err != nil {
		t.Fatal(err)
	}
	return en.Secret
}
