package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// The case page lists the deadlines: running ones with a live countdown,
// breached and lapsed ones said in words.
func TestCasePageShowsClocks(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "complaint", Channel: "email",
			Subject: "Refund delay", Regimes: []string{"uk-fca", "iso10002"},
			ReceivedAt: time.Now().Add(-30 * 24 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SweepClocks(e.sys, "test", time.Minute, 100); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("agent")
		r := c.get("/cases/" + cs.Reference)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Final response", "UK FCA", "ISO 10002", "SLA", "Tier2 review",
			`data-countdown data-warn-minutes="`, `class="clock clock-breached"`, "Breached", "Lapsed",
			"How it is counted", "8 weeks after")
		mustNotContain(t, r, "No deadline clocks run")
	})
}
