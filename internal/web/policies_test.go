package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// The policy page: a policy ending in 10 days shows its reminder and its
// missed instalments; an agent raises a change (a service request in the
// queue), a supervisor records the renewal, and the case page's customer
// panel links to the policy with its status.
func TestPolicyPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cust := &care.Customer{Name: "Priya Patel", Email: "priya@example.com"}
		if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
			t.Fatal(err)
		}
		end := care.DateOf(e.svc.Now()).AddDate(0, 0, 10)
		start := end.AddDate(-1, 0, 1)
		pol := &care.Policy{CustomerID: cust.ID, Number: "MTR-7001", Line: "motor", Start: start, End: end, PremiumMinor: 54000}
		if err := e.svc.CreatePolicy(e.sys, pol); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetInstalments(e.sys, pol.Number, service.InstalmentRequest{Count: 12, FirstDue: start}); err != nil {
			t.Fatal(err)
		}
		rep, err := e.svc.RemindPolicies(e.sys, 0)
		if err != nil || rep.Sent != 1 || rep.Missed < 10 {
			t.Fatalf("policy job: %v %+v", err, rep)
		}
		cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", CustomerID: cust.ID,
			Subject: "When does my cover end?"}})
		if err != nil {
			t.Fatal(err)
		}

		c := e.client()
		c.signIn("agent")
		r := c.get("/cases/" + cs.Reference)
		mustContain(t, r, `href="/policies/MTR-7001"`, "In force", "renewal due")
		page := "/policies/MTR-7001"
		r = c.get(page)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Priya Patel", "Ends in 10 days", "Renewal reminder (14 days)", "priya@example.com",
			`class="instalment-missed"`, "Missed", `id="change-form"`, "GBP 540.00")
		mustNotContain(t, r, `id="payment-form"`, `id="outcome-form"`)

		r = c.get("/renewals")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `href="/policies/MTR-7001"`, "Priya Patel", "in 10 days", "Renewal reminder (14 days)", "none yet")
		r = c.get("/renewals?within=nine")
		wantStatus(t, r, http.StatusBadRequest)
		r = c.post(page+"/changes", url.Values{"kind": {"add_vehicle"}, "effective_date": {end.AddDate(0, 1, 0).Format(time.DateOnly)},
			"channel": {"phone"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "must fall within the policy&#39;s current term")
		r = c.post(page+"/changes", url.Values{"kind": {"add_vehicle"}, "details": {"Second car: 2021 Toyota Yaris"},
			"effective_date": {end.AddDate(0, 0, -3).Format(time.DateOnly)}, "premium_adjustment": {"42.00"}, "channel": {"phone"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = c.follow(r)
		mustContain(t, r, "Change request recorded", "Second car: 2021 Toyota Yaris", "CD-")
		r = c.post(page+"/renewal", url.Values{"form": {"outcome"}, "outcome": {"renewed"}})
		wantStatus(t, r, http.StatusForbidden)

		s := e.client()
		s.signIn("supervisor")
		r = s.get(page)
		mustContain(t, r, `id="payment-form"`, `id="outcome-form"`, "Approve")
		r = s.post(page+"/payments", url.Values{"amount": {"forty"}, "method": {"card"}, "received_on": {"2026-01-01"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "at most two decimal places")
		r = s.post(page+"/transitions", url.Values{"to": {"application"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "can move to renewed or lapsed or cancelled")
		r = s.post(page+"/renewal", url.Values{"premium": {"575.00"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = s.post(page+"/renewal", url.Values{"form": {"outcome"}, "outcome": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "Choose the outcome")
		r = s.post(page+"/renewal", url.Values{"form": {"outcome"}, "outcome": {"renewed"}, "reason": {"renewed by phone"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = s.follow(r)
		mustContain(t, r, "the reminders have stopped", "GBP 575.00", "renewed by phone", `id="renewal-last"`)
		got, err := e.svc.FindPolicy(e.sys, "MTR-7001")
		if err != nil || got.Status != "renewed" || !got.End.Equal(end.AddDate(1, 0, 0)) || got.PremiumMinor != 57500 {
			t.Fatalf("after renewal: %v %+v", err, got)
		}
		if !strings.Contains(r.body, "Renewed") {
			t.Fatalf("the page does not show the new status:\n%s", excerpt(r.body))
		}
		r = s.get("/renewals")
		mustContain(t, r, `id="no-renewals"`)
	})
}
