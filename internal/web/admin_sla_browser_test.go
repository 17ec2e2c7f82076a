package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowserAdminSLAAndCalendars drives Chromium through the SLA policy
// and calendar pages: a target changed and saved, a closure day added from
// the keyboard, the month preview, at desktop and phone sizes.
func TestBrowserAdminSLAAndCalendars(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	admin := &care.User{Email: "ada@example.com", Name: "Ada Admin", Role: "admin"}
	if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
		t.Fatal(err)
	}
	do, text, shot := br.do, br.text, br.shot
	do("sign in",
		chromedp.Navigate(e.srv.URL+"/signin"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), admin.Email), chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")), chromedp.WaitVisible(chromedp.CSS("main")))
	do("open the SLA policy",
		chromedp.Navigate(e.srv.URL+"/admin/sla"), chromedp.WaitVisible(chromedp.ID("sla-applies")), shot("sla-01-policy.png"))
	do("lengthen the email first response",
		chromedp.SetValue(chromedp.ID("first_response-email-amount"), "3"),
		chromedp.SendKeys(chromedp.ID("sla-note"), "Email backlog until January"),
		chromedp.Click(chromedp.CSS(`form.sla-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")), shot("sla-02-saved.png"))
	if h := text("read the history", "#versions"); !strings.Contains(h, "first_response.email: 1 business day → 3 business days") {
		t.Fatalf("history lacks the change:\n%s", h)
	}
	do("a bad amount is shown beside its field",
		chromedp.SetValue(chromedp.ID("resolution-claim-amount"), "300"),
		chromedp.Click(chromedp.CSS(`form.sla-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("resolution-claim-err")), shot("sla-03-error.png"))

	do("open the calendar",
		chromedp.Navigate(e.srv.URL+"/admin/calendars/GB-ENG?month=2026-12"),
		chromedp.WaitVisible(chromedp.ID("preview")), shot("cal-01-calendar.png"))
	do("add a closure with the keyboard",
		chromedp.SetValue(chromedp.ID("day-day"), "2026-12-24"),
		chromedp.Focus(chromedp.ID("day-name")),
		chromedp.SendKeys(chromedp.ID("day-name"), "Christmas Eve\r"),
		chromedp.WaitVisible(chromedp.CSS(".flash")), chromedp.WaitVisible(chromedp.ID("d-2026-12-24")), shot("cal-02-closure.png"))
	if cell := text("read the day", "#d-2026-12-24"); !strings.Contains(cell, "Firm closed: Christmas Eve") {
		t.Fatalf("the preview does not show the closure: %q", cell)
	}
	do("phone-sized calendar",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/admin/calendars/GB-ENG?month=2026-12"),
		chromedp.WaitVisible(chromedp.ID("preview")), shot("cal-03-phone.png"),
		chromedp.Navigate(e.srv.URL+"/admin/sla"), chromedp.WaitVisible(chromedp.ID("sla-applies")), shot("sla-04-phone.png"))
	br.checkConsole()
}
