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

// An agent works a case from the page: replies by email (queued in the
// outbox, meeting the first-response clock), waits on the customer,
// converts it to a complaint and closes it with an outcome.
func TestCaseActions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cust := &care.Customer{Name: "Ada Lovelace", Email: "ada@example.com"}
		if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
			t.Fatal(err)
		}
		pol := &care.Policy{CustomerID: cust.ID, Number: "HOM-1001", Line: "home", Start: e.svc.Now().AddDate(0, -1, 0), End: e.svc.Now().AddDate(1, 0, 0)}
		if err := e.svc.CreatePolicy(e.sys, pol); err != nil {
			t.Fatal(err)
		}
		earlier, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", CustomerID: cust.ID, Subject: "Cover for a shed"}})
		if err != nil {
			t.Fatal(err)
		}
		cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", CustomerID: cust.ID,
			Subject: "Leaking roof", Description: "Water is coming through the ceiling."}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("agent")
		page := "/cases/" + cs.Reference
		r := c.get(page)
		mustContain(t, r, "HOM-1001", earlier.Reference, "Cover for a shed", `id="reply-form"`, "Waiting on customer", "Convert to a complaint", `id="close-form"`)

		r = c.post(page+"/reply", url.Values{"subject": {""}, "body": {"  "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "Write the reply before sending it.")
		r = c.post(page+"/reply", url.Values{"subject": {"Re: Leaking roof"}, "body": {"A roofer will call you today."}})
		wantStatus(t, r, http.StatusSeeOther)
		r = c.follow(r)
		mustContain(t, r, "Reply queued for sending", "A roofer will call you today.", "Email · Outbound")
		mail, err := e.svc.FindOutbox(e.sys, 10)
		if err != nil || len(mail) != 1 || mail[0].To != "ada@example.com" || !strings.Contains(mail[0].Subject, cs.Reference) {
			t.Fatalf("outbox: %v %+v", err, mail)
		}
		clocks, err := e.svc.FindCaseClocks(e.sys, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range clocks {
			if k.Name == "first_response" && k.State != care.ClockMet {
				t.Errorf("first response %s after the reply", k.State)
			}
		}

		version := func() string {
			got, err := e.svc.FindCase(e.sys, cs.Reference)
			if err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(got.Version, 10)
		}
		r = c.post(page+"/update", url.Values{"version": {version()}, "orig_status": {"new"}, "status": {"waiting_customer"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = c.post(page+"/update", url.Values{"version": {version()}, "orig_type": {"enquiry"}, "type": {"complaint"}})
		wantStatus(t, r, http.StatusSeeOther)
		got, _ := e.svc.FindCase(e.sys, cs.Reference)
		if got.Status != "waiting_customer" || got.Type != "complaint" || len(got.Regimes) == 0 {
			t.Fatalf("after waiting and converting: %+v", got)
		}

		r = c.post(page+"/close", url.Values{"version": {version()}, "status": {"resolved"}, "outcome": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="close-outcome-err"`)
		// A complaint closes only with its complaint outcome recorded.
		r = c.post(page+"/close", url.Values{"version": {version()}, "status": {"resolved"}, "outcome": {"Roof repaired."}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="close-outcome-err"`, "has no outcome recorded", `href="/complaints/`+cs.Reference+`"`)
		if _, err := e.svc.SetComplaintOutcome(e.sys, cs.Reference, care.OutcomeDecision{Outcome: "upheld",
			Reasoning: "The leak was reported and not acted on.", RootCause: "claims_delay"}); err != nil {
			t.Fatal(err)
		}
		r = c.post(page+"/close", url.Values{"version": {version()}, "status": {"resolved"}, "disposition": {"callback_promised"},
			"outcome": {"Roof repaired; customer content."}})
		wantStatus(t, r, http.StatusSeeOther)
		r = c.follow(r)
		mustContain(t, r, "Case closed with its outcome.", "Roof repaired; customer content.", "Callback promised")
		mustNotContain(t, r, `id="close-form"`, `id="action-waiting"`)
		got, _ = e.svc.FindCase(e.sys, cs.Reference)
		if got.Status != "resolved" || got.ClosedAt.IsZero() {
			t.Fatalf("after closing: %+v", got)
		}
	})
}
