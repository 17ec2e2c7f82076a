package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
)

// adminClient signs in a new administrator.
func adminClient(t *testing.T, e *env) *client {
	t.Helper()
	admin := &care.User{Email: "ada@example.com", Name: "Ada Admin", Role: "admin"}
	if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
		t.Fatal(err)
	}
	e.users["admin"] = admin
	a := e.client()
	a.signIn("admin")
	return a
}

// slaValues is the SLA form filled in with p.
func slaValues(p *clock.SLAPolicy, base int64) url.Values {
	v := url.Values{"name": {p.Name}, "source": {p.Source}, "base_version": {strconv.FormatInt(base, 10)},
		"vulnerable_shift": {strconv.Itoa(p.VulnerableShift)}}
	put := func(prefix string, m map[string]clock.Target) {
		for k, t := range m {
			v.Set(prefix+"."+k+".amount", strconv.Itoa(t.Amount))
			v.Set(prefix+"."+k+".unit", string(t.Unit))
		}
	}
	put("first_response", p.FirstResponse)
	put("next_response", p.NextResponse)
	put("resolution", p.Resolution)
	for i, t := range p.Ladder {
		v.Set("ladder["+strconv.Itoa(i)+"].amount", strconv.Itoa(t.Amount))
		v.Set("ladder["+strconv.Itoa(i)+"].unit", string(t.Unit))
	}
	// A blank row, as the page offers for a new step.
	v.Set("ladder["+strconv.Itoa(len(p.Ladder))+"].amount", "")
	v.Set("ladder["+strconv.Itoa(len(p.Ladder))+"].unit", "business_hours")
	for k, n := range p.PriorityShift {
		v.Set("priority_shift."+k, strconv.Itoa(n))
	}
	return v
}

func TestAdminSLAPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := e.client()
		s.signIn("supervisor")
		wantStatus(t, s.get("/admin/sla"), http.StatusForbidden)

		a := adminClient(t, e)
		mustContain(t, a.get("/admin"), `href="/admin/sla"`, `href="/admin/calendars"`)
		r := a.get("/admin/sla")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Saving applies to new clocks from now on", "Clocks already running keep the deadlines",
			`name="first_response.email.amount"`, `id="first_response-email-amount"`, "Version history", "Built-in default",
			`<label class="visually-hidden" for="first_response-email-unit">First response by Email: unit</label>`)

		// Bad input: every problem is shown beside its field and the values are kept.
		bad := slaValues(clock.DefaultSLAPolicy(), 0)
		bad.Set("first_response.email.amount", "soon")
		bad.Set("resolution.claim.unit", "fortnights")
		bad.Set("ladder[4].amount", "1") // 1 business day after 1 business day: out of order
		bad.Set("priority_shift.urgent", "faster")
		bad.Set("vulnerable_shift", "2")
		r = a.post("/admin/sla", bad)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "must be a whole number of steps", `value="faster"`)
		bad.Set("priority_shift.urgent", "-2")
		r = a.post("/admin/sla", bad)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "must be a whole number from 1 to 260 business days", `unknown unit &#34;fortnights&#34;`,
			"must be longer than the step before it", "never longer", `aria-invalid="true" aria-describedby="first_response-email-err"`)
		if v, _ := e.svc.FindSLAPolicy(e.sys); v.Version != 0 {
			t.Fatalf("a refused form saved version %d", v.Version)
		}

		good := slaValues(clock.DefaultSLAPolicy(), 0)
		good.Set("first_response.email.amount", "3")
		good.Set("note", "Email backlog until January")
		r = a.post("/admin/sla", good)
		wantStatus(t, r, http.StatusSeeOther)
		r = a.follow(r)
		mustContain(t, r, "SLA policy saved as a new version", "Email backlog until January",
			"first_response.email: 1 business day → 3 business days", `id="version-1"`, "Save as version 2")
		v, err := e.svc.FindSLAPolicy(e.sys)
		if err != nil || v.Version != 1 || v.Policy.FirstResponse["email"].Amount != 3 || len(v.Policy.Ladder) != 12 {
			t.Fatalf("saved: %v %+v", err, v)
		}
		r = a.post("/admin/sla", good) // still based on version 0
		wantStatus(t, r, http.StatusConflict)
		mustContain(t, r, "was changed (now version 1")

		r = a.post("/admin/sla/restore", url.Values{"version": {"0"}, "base_version": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, a.follow(r), "saved again as the newest", `id="version-2"`)
		if v, _ := e.svc.FindSLAPolicy(e.sys); v.Version != 2 || v.Policy.FirstResponse["email"].Amount != 1 {
			t.Fatalf("restored: %+v", v)
		}
	})
}
