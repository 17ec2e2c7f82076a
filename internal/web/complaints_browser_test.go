package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowserComplaintThroughEveryTier takes a complaint through every
// tier in a real Chromium: the handler finds it in the complaints queue,
// sends the acknowledgement letter, investigates, gathers evidence, is
// refused as their own reviewer and escalates to a supervisor (tier 2), who
// responds and escalates to an administrator (executive review), who
// records the outcome and redress, sends the final response letter, closes
// it with the customer's response and records the referral to the
// ombudsman. Then the audit trail holds every move by whom, and each of
// the three regulatory reports has the complaint's line. Screenshots of
// the queue, the complaint page and the reports go to the artefacts
// directory (c*.png).
func TestBrowserComplaintThroughEveryTier(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	complaintStaff(t, e)
	k := e.newComplaint("Windscreen claim: no call back for three weeks", []string{"uk-fca", "au-asic", "us-ca-claims"}, true, e.users["handler"].ID)
	ref := k.Reference
	page := e.srv.URL + "/complaints/" + ref
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
	// The flash of the page before is removed first, so that waiting for the
	// flash waits for the page the form leads to.
	clearFlash := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[int](`document.querySelectorAll(".flash").forEach(e => e.remove()), 0`)(ctx, tg)
		return err
	})
	submit := func(name, form string, more ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		actions := append(more, clearFlash, chromedp.Click(chromedp.CSS("#"+form+` button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
		do(name, actions...)
	}
	stage := func() string { return text("read the stage", "#complaint-stage") }
	id := func(role string) string { return strconv.FormatInt(e.users[role].ID, 10) }

	// Frontline: the complaints handler.
	signIn("hannah@example.com")
	do("the complaints queue",
		chromedp.Click(chromedp.CSS(`.site-nav a[href="/complaints"]`)),
		chromedp.WaitVisible(chromedp.CSS("table.complaints-queue")),
		chromedp.Sleep(1200*time.Millisecond), // let the countdowns tick once
		shot("c01-complaints-queue.png"))
	if q := text("read the queue", "table.complaints-queue"); !strings.Contains(q, ref) || !strings.Contains(q, "left") ||
		!strings.Contains(q, "Vulnerable") || !strings.Contains(q, "UK FCA") {
		t.Fatalf("queue lacks %s, its countdown, vulnerable flag or regimes:\n%s", ref, q)
	}
	do("open the complaint",
		chromedp.Click(chromedp.CSS(`a[href="/complaints/`+ref+`"]`)),
		chromedp.WaitVisible(chromedp.ID("lifecycle")),
		shot("c02-complaint-received.png"))
	do("send the acknowledgement letter",
		chromedp.Click(chromedp.ID("open-letters")),
		chromedp.WaitVisible(chromedp.ID("letter-form")),
		chromedp.SetValue(chromedp.ID("letter-kind"), "acknowledgement"),
		chromedp.Click(chromedp.ID("letter-send")),
		chromedp.WaitVisible(chromedp.ID("sent")),
		shot("c03-letters.png"),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("lifecycle")))
	if s := stage(); !strings.Contains(s, "Acknowledged") {
		t.Fatalf("stage after the acknowledgement letter: %q", s)
	}
	submit("investigate", "move-investigating")
	submit("add evidence", "evidence-form",
		chromedp.SetValue(chromedp.ID("evidence-kind"), "note"),
		chromedp.SendKeys(chromedp.ID("evidence-note"), "Claim file shows no call since 3 November."))
	do("escalate with myself as reviewer is refused",
		chromedp.SetValue(chromedp.ID("escalate-reviewer"), id("handler")),
		chromedp.Click(chromedp.CSS(`#move-escalate button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("escalate-reviewer-err")),
		shot("c04-independence-refused.png"))
	if msg := text("read the refusal", "#escalate-reviewer-err"); !strings.Contains(msg, "independent") {
		t.Fatalf("independence message: %q", msg)
	}
	submit("escalate to tier 2 with the supervisor", "move-escalate",
		chromedp.SetValue(chromedp.ID("escalate-reviewer"), id("supervisor")),
		chromedp.SendKeys(chromedp.ID("escalate-note"), "The customer asks for a manager."))
	if tier := text("read the tier", "#complaint-tier"); !strings.Contains(tier, "Specialist review (tier 2)") {
		t.Fatalf("tier after escalation: %q", tier)
	}
	signOut()

	// Tier 2: the supervisor responds, the customer is still unhappy.
	signIn("sam@example.com")
	do("open the complaint", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("lifecycle")))
	submit("tier 2 issues its response", "move-response_issued")
	submit("escalate to executive review", "move-escalate",
		chromedp.SetValue(chromedp.ID("escalate-reviewer"), id("admin")))
	signOut()

	// Executive review: outcome, redress, final response, closure, referral.
	signIn("ada@example.com")
	do("open the complaint", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("lifecycle")))
	if s := stage(); !strings.Contains(s, "Investigating") {
		t.Fatalf("stage at executive review: %q", s)
	}
	submit("record the outcome", "outcome-form",
		chromedp.SetValue(chromedp.ID("outcome-outcome"), "partly_upheld"),
		chromedp.SetValue(chromedp.ID("outcome-root_cause"), "claims_delay"),
		chromedp.SendKeys(chromedp.ID("outcome-reasoning"), "The call back was missed; the claim decision stands."))
	submit("pay redress", "redress-form",
		chromedp.SetValue(chromedp.ID("redress-kind"), "compensation"),
		chromedp.SendKeys(chromedp.ID("redress-amount"), "150.00"),
		chromedp.SetValue(chromedp.ID("redress-currency"), "GBP"),
		chromedp.SetValue(chromedp.ID("redress-status"), "paid"),
		chromedp.SendKeys(chromedp.ID("redress-payment_ref"), "PAY-2026-0042"))
	do("send the final response letter",
		chromedp.Navigate(page+"/letters"),
		chromedp.WaitVisible(chromedp.ID("letter-form")),
		chromedp.SetValue(chromedp.ID("letter-kind"), "final_response"),
		chromedp.Click(chromedp.ID("letter-preview")),
		chromedp.WaitVisible(chromedp.ID("preview")))
	fill := []chromedp.Action[chromedp.Void]{}
	for _, f := range []struct{ id, text string }{
		{"letter-terms_relied_on", "Section 4 of your motor policy (claims handling)."},
		{"letter-resolution", "We apologise for the missed call back and have paid £150 for the distress caused."},
		{"letter-reasons", "Awaiting the engineer's report."},
	} {
		if n, err := chromedp.Run(br.step(), chromedp.Evaluate[int](`document.querySelectorAll("#`+f.id+`").length`)); err == nil && n > 0 {
			fill = append(fill, chromedp.SendKeys(chromedp.ID(f.id), f.text))
		}
	}
	do("send it", append(fill, chromedp.Click(chromedp.ID("letter-send")), chromedp.WaitVisible(chromedp.ID("sent")))...)
	do("back to the complaint", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("lifecycle")))
	if s := stage(); !strings.Contains(s, "Response issued") {
		t.Fatalf("stage after the final response letter: %q", s)
	}
	submit("close with the customer's response", "move-closed",
		chromedp.SetValue(chromedp.ID("close-customer_response"), "disagreed"))
	submit("referred to the ombudsman", "move-referred",
		chromedp.SetValue(chromedp.ID("refer-body"), "FOS"),
		chromedp.SendKeys(chromedp.ID("refer-note"), "The customer referred the complaint to the FOS."))
	submit("a corrective action", "capa-form",
		chromedp.SetValue(chromedp.ID("capa-kind"), "corrective"),
		chromedp.SetValue(chromedp.ID("capa-owner"), id("supervisor")),
		chromedp.SendKeys(chromedp.ID("capa-description"), "Reassign the files of absent handlers every morning."))
	do("the closed complaint", chromedp.ScrollIntoView(chromedp.ID("history")), shot("c05-complaint-closed.png"))
	if s := stage(); !strings.Contains(s, "Closed") {
		t.Fatalf("stage at the end: %q", s)
	}
	if tier := text("read the tier", "#complaint-tier"); !strings.Contains(tier, "Referred") || !strings.Contains(tier, "FOS") {
		t.Fatalf("tier at the end: %q", tier)
	}
	if l := text("read the letters", "#letters"); !strings.Contains(l, "Acknowledgement") || !strings.Contains(l, "Final response") {
		t.Fatalf("letters section:\n%s", l)
	}
	history := text("read the timeline", "#history")
	for _, want := range []string{"Received → Acknowledged", "Acknowledged → Investigating", "Frontline → Specialist review (tier 2)",
		"Specialist review (tier 2) → Executive review", "Response issued → Closed", "Executive review → Referred", "Hannah Handler", "Sam Supervisor", "Ada Administrator"} {
		if !strings.Contains(history, want) {
			t.Errorf("timeline of moves lacks %q:\n%s", want, history)
		}
	}

	// The audit trail: every move, by whom.
	entries, _, err := e.svc.FindAudit(e.sys, care.AuditFilter{Entity: "complaint", EntityID: strconv.FormatInt(k.ID, 10), Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, a := range entries {
		trail = append(trail, a.ActorName+" "+a.Action+" "+a.Detail)
	}
	joined := strings.Join(trail, "\n")
	for _, want := range []string{`hannah@example.com update {"from":"received","kind":"stage"`, `"to":"acknowledged"`,
		`"to":"investigating"`, `"to":"tier2"`, `sam@example.com update {"from":"investigating","kind":"stage"`,
		`"to":"executive"`, `ada@example.com update {"customer_response":"disagreed"`, `"to":"referred"`, `"referred_to":"FOS"`,
		`"outcome":["","partly_upheld"]`} {
		if !strings.Contains(joined, want) {
			t.Errorf("complaint audit trail lacks %s:\n%s", want, joined)
		}
	}

	// Each report has the complaint's line.
	today := time.Now().UTC()
	period := "&from=" + today.AddDate(0, 0, -2).Format("2006-01-02") + "&to=" + today.AddDate(0, 0, 2).Format("2006-01-02")
	for i, rep := range []struct {
		name  string
		wants []string
	}{
		{"fca-complaints-return", []string{"Motor & transport", "Delays/timescales", "100.0", "GBP 150.00"}},
		{"asic-idr", []string{ref, "individual", "motor", "closed", "partly_in_favour_of_complainant", "compensation", "GBP 150.00"}},
		{"us-complaint-register", []string{ref, "Claims handling", "Private passenger auto", "Compromised settlement/resolution", "CA"}},
	} {
		do("the "+rep.name+" report",
			chromedp.Navigate(e.srv.URL+"/compliance/reports?report="+rep.name+period),
			chromedp.WaitVisible(chromedp.ID("report-table")),
			shot("c0"+strconv.Itoa(6+i)+"-report-"+rep.name+".png"))
		row := text("read the report", "#report-table tbody")
		for _, want := range rep.wants {
			if !strings.Contains(row, want) {
				t.Errorf("%s lacks %q:\n%s", rep.name, want, row)
			}
		}
	}
	do("phone-sized queue and complaint",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/complaints?scope=all&closed=1"),
		chromedp.WaitVisible(chromedp.CSS("table.complaints-queue")),
		shot("c09-complaints-queue-phone.png"),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("lifecycle")),
		shot("c10-complaint-phone.png"))
	br.checkConsole()
}
