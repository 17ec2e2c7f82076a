package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

func TestSupervisorView(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		team := &care.Team{Name: "Home claims"}
		if err := e.svc.CreateTeam(e.sys, team); err != nil {
			t.Fatal(err)
		}
		now := e.svc.Now()
		// Received long ago: its first-response deadline is already missed.
		late, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "claim", Channel: "email", TeamID: team.ID,
			Subject: "Storm damage to fence", ReceivedAt: now.Add(-20 * 24 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", TeamID: team.ID,
			Subject: "Excess question", AssigneeID: e.users["agent"].ID}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("agent")
		wantStatus(t, c.get("/supervisor"), http.StatusForbidden)

		s := e.client()
		r := s.signIn("supervisor")
		mustContain(t, r, `href="/supervisor"`)
		r = s.get("/supervisor")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Backlog by team and age", "Home claims", "1–4 weeks", "Breached", late.Reference,
			"Storm damage to fence", "Escalations waiting for review", `id="bulk-form"`)
		mustNotContain(t, r, fresh.Reference)
		other := &care.Team{Name: "Travel"}
		if err := e.svc.CreateTeam(e.sys, other); err != nil {
			t.Fatal(err)
		}
		r = s.get("/supervisor?team=" + strconv.FormatInt(other.ID, 10))
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "No open case has missed a deadline.")
		mustNotContain(t, r, late.Reference+"</a>")

		// Once the sweep records the breach, the queue says a deadline was
		// missed, even when the case has later deadlines still running.
		if _, err := e.svc.SweepClocks(context.Background(), "test", time.Minute, 100); err != nil {
			t.Fatal(err)
		}
		r = s.get("/queue/team?team=" + strconv.FormatInt(team.ID, 10) + "&unassigned=1")
		mustContain(t, r, late.Reference, "missed</span>")
	})
}
