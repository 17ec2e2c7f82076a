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

// complaintStaff adds a complaints handler, a compliance officer and an
// administrator to the environment's users ("handler", "compliance",
// "admin").
func complaintStaff(t *testing.T, e *env) {
	t.Helper()
	for key, u := range map[string]*care.User{
		"handler":    {Email: "hannah@example.com", Name: "Hannah Handler", Role: "complaints_handler"},
		"compliance": {Email: "cora@example.com", Name: "Cora Compliance", Role: "compliance"},
		"admin":      {Email: "ada@example.com", Name: "Ada Administrator", Role: "admin"},
	} {
		if _, err := e.svc.CreateUser(e.sys, u, password); err != nil {
			t.Fatalf("create %s: %v", key, err)
		}
		e.users[key] = u
	}
}

// motorCustomer creates a policyholder with a motor policy.
func motorCustomer(t *testing.T, e *env) (*care.Customer, *care.Policy) {
	t.Helper()
	cust := &care.Customer{Name: "Priya Raman", Email: "priya.raman@example.org"}
	if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
		t.Fatal(err)
	}
	pol := &care.Policy{CustomerID: cust.ID, Number: "MTR-" + strconv.FormatInt(cust.ID, 10), Line: "motor", Start: e.svc.Now().AddDate(0, -3, 0), End: e.svc.Now().AddDate(0, 9, 0)}
	if err := e.svc.CreatePolicy(e.sys, pol); err != nil {
		t.Fatal(err)
	}
	return cust, pol
}

// newComplaint takes a complaint in as the agent would on the phone.
func (e *env) newComplaint(subject string, regimes []string, vulnerable bool, assignee int64) *care.Case {
	e.t.Helper()
	cust, pol := motorCustomer(e.t, e)
	v, err := e.svc.CreateComplaint(e.sys, service.NewComplaint{
		Case: care.Case{Channel: "phone", Subject: subject, CustomerID: cust.ID, PolicyID: pol.ID, AssigneeID: assignee, Regimes: regimes,
			Description: "Nobody has called me back about my claim for three weeks."},
		Intake: care.ComplaintIntake{RemedySought: ptr("Settle the claim and compensate me"), Severity: ptr("high"),
			Vulnerable: &vulnerable, VulnerabilityNote: ptr("recently bereaved")}})
	if err != nil {
		e.t.Fatalf("create complaint: %v", err)
	}
	return v.Case
}

func ptr[T any](v T) *T { return &v }

// The complaints queue: mine, my team's and all, by nearest deadline with
// countdowns, filtered by stage, tier and the vulnerable flag; "all" only
// for those who act on or audit complaints.
func TestComplaintQueuePage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		complaintStaff(t, e)
		mine := e.newComplaint("Claim delay", []string{"uk-fca"}, true, e.users["handler"].ID)
		other := e.newComplaint("Premium doubled", []string{"au-asic"}, false, 0)
		c := e.client()
		c.signIn("handler")
		r := c.get("/complaints")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, mine.Reference, "data-countdown", "data-warn-minutes=", "Vulnerable", "UK FCA", "Frontline", "Received",
			"Priya Raman", `href="/complaints/`+mine.Reference+`"`)
		mustNotContain(t, r, other.Reference)
		// The queue shows customers' names, so the list's audit entry names them.
		lists, _, err := e.svc.FindAudit(e.sys, care.AuditFilter{Entity: "complaint", Action: "list", Limit: 10})
		if err != nil || len(lists) == 0 || !strings.Contains(lists[0].Detail, `"customer_ids":[`+strconv.FormatInt(mine.CustomerID, 10)+`]`) {
			t.Errorf("complaint list audit: %v %+v", err, lists)
		}
		r = c.get("/complaints?scope=all")
		mustContain(t, r, mine.Reference, other.Reference, "ASIC RG 271")
		r = c.get("/complaints?scope=all&vulnerable=1")
		mustContain(t, r, mine.Reference)
		mustNotContain(t, r, other.Reference)
		r = c.get("/complaints?scope=all&tier=tier2")
		mustContain(t, r, "No complaints match.")
		r = c.get("/complaints?scope=all&stage=sideways")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "stage")
		wantStatus(t, c.get("/complaints?offset=-3"), http.StatusBadRequest)
		wantStatus(t, c.get("/complaints?scope=everyone"), http.StatusBadRequest)
		r = c.get("/complaints?scope=team")
		mustContain(t, r, "You are not in a team")
		team := &care.Team{Name: "Complaints"}
		if err := e.svc.CreateTeam(e.sys, team); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UpdateUser(e.sys, e.users["handler"].ID, care.UserUpdate{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UpdateCase(e.sys, other.Reference, care.CaseUpdate{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
		r = c.get("/complaints?scope=team")
		mustContain(t, r, other.Reference, "Unassigned")
		mustNotContain(t, r, mine.Reference)

		agent := e.client()
		agent.signIn("agent")
		wantStatus(t, agent.get("/complaints?scope=all"), http.StatusForbidden)
		r = agent.get("/complaints")
		mustNotContain(t, r, `href="/complaints?scope=all"`)

		auditor := e.client()
		auditor.signIn("auditor")
		r = auditor.get("/complaints")
		mustContain(t, r, mine.Reference, other.Reference, `href="/compliance/reports"`)
	})
}

// The complaint page and each of its forms, with the errors a handler
// meets: a move from the wrong stage, a reviewer who is not independent,
// closing without an outcome, bad evidence, dates and amounts; and a
// read-only page for the auditor.
func TestComplaintPageForms(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		complaintStaff(t, e)
		k := e.newComplaint("Claim delay", []string{"uk-fca", "iso10002"}, true, e.users["handler"].ID)
		page := "/complaints/" + k.Reference
		h := e.client()
		h.signIn("handler")
		post := func(c *client, path string, status int, kv ...string) response {
			t.Helper()
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			r := c.post(page+path, v)
			if r.status != status {
				t.Fatalf("POST %s %v: status %d, want %d:\n%s", path, kv, r.status, status, excerpt(r.body))
			}
			return r
		}
		r := h.get(page)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Nobody has called me back", "Settle the claim and compensate me", "recently bereaved", "UK FCA",
			"Final response", "data-countdown", `href="/cases/`+k.Reference+`"`, `href="/complaints/`+k.Reference+`/letters"`,
			`id="move-acknowledged"`, `id="move-escalate"`, `id="evidence-form"`, `id="outcome-form"`, `id="capa-form"`)
		mustNotContain(t, r, `id="move-closed"`, `id="move-investigating"`)

		r = post(h, "/transitions", http.StatusUnprocessableEntity, "to", "investigating")
		mustContain(t, r, "it can move to investigating only from acknowledged")
		r = h.follow(post(h, "/transitions", http.StatusSeeOther, "to", "acknowledged", "note", "Called the customer"))
		mustContain(t, r, "Complaint acknowledged.", "Called the customer", `id="move-investigating"`)
		post(h, "/transitions", http.StatusSeeOther, "to", "investigating")

		r = post(h, "/evidence", http.StatusUnprocessableEntity, "kind", "link", "url", "ftp://files.example.com/call.wav")
		mustContain(t, r, "must be an http(s) URL", "ftp://files.example.com/call.wav")
		r = post(h, "/evidence", http.StatusUnprocessableEntity, "kind", "interaction")
		mustContain(t, r, "is required for interaction evidence")
		r = h.follow(post(h, "/evidence", http.StatusSeeOther, "kind", "note", "note", "Claim file shows no call since 3 Nov."))
		mustContain(t, r, "Evidence added.", "Claim file shows no call since 3 Nov.")

		r = post(h, "/requests", http.StatusUnprocessableEntity, "team", "claims", "question", "Why no callback?", "due_on", "soon")
		mustContain(t, r, "Enter a date such as 2026-12-01.", "Why no callback?")
		due := e.svc.Now().AddDate(0, 0, 7).Format("2006-01-02")
		post(h, "/requests", http.StatusSeeOther, "team", "claims", "question", "Why no callback?", "due_on", due)
		v, err := e.svc.FindComplaint(e.sys, k.Reference)
		if err != nil || len(v.Requests) != 1 {
			t.Fatalf("requests: %v %d", err, len(v.Requests))
		}
		reqPath := "/requests/" + strconv.FormatInt(v.Requests[0].ID, 10)
		r = post(h, reqPath, http.StatusUnprocessableEntity, "status", "answered")
		mustContain(t, r, "is required to mark a request answered")
		r = h.follow(post(h, reqPath, http.StatusSeeOther, "status", "answered", "answer", "Handler on leave; file not reassigned."))
		mustContain(t, r, "Request updated.", "Handler on leave")

		r = post(h, "/outcome", http.StatusUnprocessableEntity, "outcome", "upheld")
		mustContain(t, r, `id="outcome-reasoning-err"`, `id="outcome-root_cause-err"`)

		r = post(h, "/transitions", http.StatusUnprocessableEntity, "to", "tier2", "reviewer", strconv.FormatInt(e.users["handler"].ID, 10))
		mustContain(t, r, `id="escalate-reviewer-err"`, "Hannah Handler handled complaint", "the review must be independent (ISO 10002)")
		post(h, "/transitions", http.StatusSeeOther, "to", "tier2", "reviewer", strconv.FormatInt(e.users["supervisor"].ID, 10), "note", "asks for a manager")
		r = post(h, "/transitions", http.StatusUnprocessableEntity, "to", "response_issued")
		mustContain(t, r, "so you cannot act at the specialist (tier 2) tier")

		s := e.client()
		s.signIn("supervisor")
		r = s.follow(post(s, "/transitions", http.StatusSeeOther, "to", "response_issued"))
		mustContain(t, r, "Response issued.", "Specialist review (tier 2)", `id="move-closed"`)
		r = post(s, "/transitions", http.StatusUnprocessableEntity, "to", "closed", "customer_response", "accepted")
		mustContain(t, r, "record the outcome before closing", `id="close-outcome-err"`)
		post(s, "/outcome", http.StatusSeeOther, "outcome", "partly_upheld", "reasoning", "Callback missed; decision stands.", "root_cause", "claims_delay")

		r = post(s, "/redress", http.StatusUnprocessableEntity, "kind", "compensation", "amount", "150.001", "currency", "GBP")
		mustContain(t, r, "at most two decimal places")
		post(s, "/redress", http.StatusSeeOther, "kind", "compensation", "amount", "150.00", "currency", "GBP", "status", "offered")
		v, _ = e.svc.FindComplaint(e.sys, k.Reference)
		rdPath := "/redress/" + strconv.FormatInt(v.Redress[0].ID, 10)
		r = post(s, rdPath, http.StatusUnprocessableEntity, "status", "paid")
		mustContain(t, r, "is required once redress is paid")
		r = s.follow(post(s, rdPath, http.StatusSeeOther, "status", "paid", "payment_ref", "PAY-2026-0042"))
		mustContain(t, r, "GBP 150.00", "PAY-2026-0042")

		r = post(s, "/transitions", http.StatusUnprocessableEntity, "to", "closed")
		mustContain(t, r, "is required at closure: accepted or disagreed")
		r = s.follow(post(s, "/transitions", http.StatusSeeOther, "to", "closed", "customer_response", "disagreed"))
		mustContain(t, r, "Complaint closed with its outcome.", "Partly upheld", "Disagreed", `id="move-referred"`)
		mustNotContain(t, r, `id="move-closed"`, `id="outcome-form"`, `id="evidence-form"`)

		r = post(s, "/capa", http.StatusUnprocessableEntity, "kind", "corrective", "description", "Reassign absent handlers' files")
		mustContain(t, r, `id="capa-owner-err"`)
		post(s, "/capa", http.StatusSeeOther, "kind", "corrective", "description", "Reassign absent handlers' files daily",
			"owner", strconv.FormatInt(e.users["supervisor"].ID, 10))
		v, _ = e.svc.FindComplaint(e.sys, k.Reference)
		capa := v.CAPA[0]
		capaPath := "/capa/" + strconv.FormatInt(capa.ID, 10)
		orig := []string{"orig_owner", strconv.FormatInt(capa.OwnerID, 10), "orig_due_on", capa.DueOn.Format("2006-01-02"), "orig_status", "open",
			"owner", strconv.FormatInt(capa.OwnerID, 10), "due_on", capa.DueOn.Format("2006-01-02")}
		r = post(s, capaPath, http.StatusUnprocessableEntity, append(orig, "status", "done", "effective", "effective")...)
		mustContain(t, r, "is required with the verdict")
		post(s, capaPath, http.StatusSeeOther, append(orig, "status", "done")...)
		r = s.follow(post(s, capaPath, http.StatusSeeOther, append(orig, "orig_status", "done", "status", "done", "effective", "effective",
			"effectiveness_review", "No unassigned files of absent staff in four weeks.")...))
		mustContain(t, r, "Action updated.", "No unassigned files of absent staff")

		r = post(s, "/transitions", http.StatusUnprocessableEntity, "to", "referred", "referred_to", "AFCA")
		mustContain(t, r, "must be one of: FOS")
		r = s.follow(post(s, "/transitions", http.StatusSeeOther, "to", "referred", "referred_to", "FOS"))
		mustContain(t, r, "Referral recorded.", "referred to FOS")

		a := e.client()
		a.signIn("auditor")
		r = a.get(page)
		mustContain(t, r, "Read-only", "Timeline of moves", "Acknowledged", "Executive review")
		mustNotContain(t, r, `id="capa-form"`, `id="redress-form"`, `id="move-referred"`)
		r = post(a, "/evidence", http.StatusForbidden, "kind", "note", "note", "auditor note")
		mustContain(t, r, `class="alert alert-error"`)
		wantStatus(t, a.get("/complaints/CD-1999-000001"), http.StatusNotFound)

		// Anyone who takes cases may correct the intake assessment.
		ag := e.client()
		ag.signIn("agent")
		r = ag.get(page)
		mustContain(t, r, `id="intake-form"`)
		mustNotContain(t, r, `id="capa-form"`)
		r = post(ag, "/intake", http.StatusUnprocessableEntity, "severity", "huge", "remedy_sought", "An apology")
		mustContain(t, r, `id="intake-severity-err"`, "An apology")
		r = ag.follow(post(ag, "/intake", http.StatusSeeOther, "severity", "critical", "complexity", "complex", "impact", "high",
			"remedy_sought", "An apology", "immediate_action", "1", "vulnerable", "0"))
		mustContain(t, r, "Assessment updated.", "Critical", "An apology", "Immediate action")
		mustNotContain(t, r, "Signs of vulnerability</p>")

		enquiry := e.newCase("Where is my policy document?", "enquiry", "?")
		r = h.get("/complaints/" + enquiry.Reference)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "not a complaint")
	})
}

// The case page of a complaint links to its complaint page, and the
// generic "close with an outcome" refuses a complaint without its outcome.
func TestCaseCloseNeedsComplaintOutcome(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		complaintStaff(t, e)
		k := e.newComplaint("Claim delay", []string{"uk-fca"}, false, e.users["handler"].ID)
		h := e.client()
		h.signIn("handler")
		r := h.get("/cases/" + k.Reference)
		mustContain(t, r, `id="open-complaint"`, `href="/complaints/`+k.Reference+`"`)
		got, _ := e.svc.FindCase(e.sys, k.Reference)
		close := url.Values{"version": {strconv.FormatInt(got.Version, 10)}, "status": {"closed"}, "outcome": {"Paid."}}
		r = h.post("/cases/"+k.Reference+"/close", close)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="close-outcome-err"`, "has no outcome recorded")
		if _, err := e.svc.SetComplaintOutcome(e.sys, k.Reference, care.OutcomeDecision{Outcome: "withdrawn"}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, h.post("/cases/"+k.Reference+"/close", close), http.StatusSeeOther)
		r = h.get("/complaints/" + k.Reference)
		mustContain(t, r, "closed through the case (closed)", "Withdrawn")
		if !strings.Contains(r.body, `id="complaint-stage"`) || !strings.Contains(r.body, "stage-closed") {
			t.Errorf("complaint page does not show the complaint closed:\n%s", excerpt(r.body))
		}
	})
}
