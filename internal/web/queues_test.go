package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

func TestQueues(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		team := &care.Team{Name: "Motor claims"}
		if err := e.svc.CreateTeam(e.sys, team); err != nil {
			t.Fatal(err)
		}
		agent, sup := e.users["agent"], e.users["supervisor"]
		for _, u := range []*care.User{agent, sup} {
			if _, err := e.svc.UpdateUser(e.sys, u.ID, care.UserUpdate{TeamID: &team.ID}); err != nil {
				t.Fatal(err)
			}
		}
		mine, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "claim", Channel: "phone",
			Subject: "Bumper scraped in car park", TeamID: team.ID, AssigneeID: agent.ID}})
		if err != nil {
			t.Fatal(err)
		}
		free, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
			Subject: "Courtesy car question", TeamID: team.ID}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		r := c.signIn("agent")
		mustContain(t, r, "<h1>My queue</h1>", mine.Reference, "data-countdown", "First response · SLA")
		mustNotContain(t, r, free.Reference, `id="bulk-form"`)

		r = c.get("/queue/team")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Motor claims queue", mine.Reference, free.Reference)
		r = c.get("/queue/team?unassigned=1")
		mustContain(t, r, free.Reference)
		mustNotContain(t, r, mine.Reference)
		mustContain(t, r, `action="/cases/`+free.Reference+`/update" class="take"`)
		wantStatus(t, c.get("/queue?after=nonsense"), http.StatusBadRequest)

		// An agent may not move cases in bulk.
		r = c.post("/cases/assign", url.Values{"case": {strconv.FormatInt(free.ID, 10)}, "assignee": {strconv.FormatInt(agent.ID, 10)}})
		wantStatus(t, r, http.StatusForbidden)

		s := e.client()
		s.signIn("supervisor")
		r = s.get("/queue/team?unassigned=1")
		mustContain(t, r, `id="bulk-form"`, `name="case" value="`+strconv.FormatInt(free.ID, 10)+`"`)
		r = s.post("/cases/assign", url.Values{"case": {strconv.FormatInt(free.ID, 10)},
			"assignee": {strconv.FormatInt(agent.ID, 10)}, "team": {""}, "back": {"/queue/team?unassigned=1"}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/queue/team?unassigned=1" {
			t.Fatalf("back to %q", r.location)
		}
		r = s.follow(r)
		mustContain(t, r, "The case was moved.")
		mustNotContain(t, r, free.Reference)
		r = c.get("/queue")
		mustContain(t, r, free.Reference, mine.Reference)

		// The agent takes a case from the team's unassigned ones: it opens
		// and is theirs.
		other, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "web",
			Subject: "No claims discount proof", TeamID: team.ID}})
		if err != nil {
			t.Fatal(err)
		}
		c.get("/queue/team?unassigned=1")
		r = c.post("/cases/"+other.Reference+"/update", url.Values{"version": {"1"}, "orig_assignee": {"0"},
			"assignee": {strconv.FormatInt(agent.ID, 10)}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/cases/"+other.Reference {
			t.Fatalf("take went to %q", r.location)
		}
		mustContain(t, c.get("/queue"), other.Reference)
		if r = c.get("/queue"); strings.Count(r.body, "data-countdown") != 3 {
			t.Errorf("want three countdowns in the queue")
		}
		r = s.post("/cases/assign", url.Values{"assignee": {"0"}, "back": {"https://evil.example/"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "choose at least one case")
	})
}

func TestSearchPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cust := &care.Customer{Name: "Dora Pemberton", Email: "dora@example.org", Phone: "+44 20 7946 0018"}
		if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
			t.Fatal(err)
		}
		cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "complaint", Channel: "email",
			CustomerID: cust.ID, Subject: "Windscreen claim unpaid"}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("agent")
		r := c.get("/search?q=" + strings.ToLower(cs.Reference))
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/cases/"+cs.Reference {
			t.Fatalf("a reference should open the case, went to %q", r.location)
		}
		r = c.get("/search?q=" + url.QueryEscape("pemberton"))
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Dora Pemberton", "dora@example.org", cs.Reference, "Windscreen claim unpaid")
		r = c.get("/search?q=" + url.QueryEscape("<b>nothing</b>"))
		mustContain(t, r, "No cases match", "&lt;b&gt;nothing&lt;/b&gt;")
		r = c.get("/search?q=x")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "type at least two characters")
	})
}
