package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// claimUsers adds the claims roles' users and a home policy to e.
func claimUsers(t *testing.T, e *env) *care.Policy {
	t.Helper()
	for _, u := range []struct{ name, role string }{
		{"Cora Claims", "claims_handler"}, {"Adam Adjuster", "adjuster"}, {"Uma Underwriter", "underwriter"}, {"Abe Accounts", "accounts"},
	} {
		user := &care.User{Email: strings.ToLower(strings.Fields(u.name)[0]) + "@example.com", Name: u.name, Role: u.role}
		if _, err := e.svc.CreateUser(e.sys, user, password); err != nil {
			t.Fatalf("create user %s: %v", u.name, err)
		}
		e.users[u.role] = user
	}
	cust := &care.Customer{Name: "Harriet Home", Email: "harriet@example.com"}
	if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
		t.Fatal(err)
	}
	today := care.DateOf(e.svc.Now())
	pol := &care.Policy{CustomerID: cust.ID, Number: "HOME-4242", Line: "home", Start: today.AddDate(0, -3, 0),
		End: today.AddDate(0, 9, 0), PremiumMinor: 32000}
	if err := e.svc.CreatePolicy(e.sys, pol); err != nil {
		t.Fatal(err)
	}
	return pol
}

// A property claim goes through the staff UI from FNOL to payment, each
// stage by its own role; the claim page shows the milestones with their
// due dates; the case page and its customer panel link to the claim.
func TestClaimPages(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		claimUsers(t, e)
		as := map[string]*client{}
		for _, role := range []string{"agent", "claims_handler", "adjuster", "underwriter", "supervisor", "accounts", "auditor"} {
			as[role] = e.client()
			as[role].signIn(role)
		}
		r := as["agent"].get("/claims/new?policy=HOME-4242")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `value="HOME-4242"`, `id="fnol-form"`)
		r = as["agent"].post("/claims", url.Values{"policy_number": {"HOME-4242"}, "loss_type": {""},
			"loss_date": {e.svc.Now().Format(time.DateOnly)}, "description": {""}, "channel": {"phone"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "Please correct the fields marked below.", `id="fnol-description-err"`)
		r = as["agent"].post("/claims", url.Values{"policy_number": {"home-4242"}, "loss_type": {"property"},
			"loss_date": {e.svc.Now().Format(time.DateOnly)}, "place": {"4 Elm Road"}, "description": {"Burst pipe flooded the kitchen"},
			"channel": {"phone"}, "party_role": {"witness"}, "party_name": {"Nora Neighbour"}})
		wantStatus(t, r, http.StatusSeeOther)
		page := r.location
		if !strings.HasPrefix(page, "/claims/CL-") {
			t.Fatalf("FNOL went to %s", page)
		}
		r = as["agent"].follow(r)
		mustContain(t, r, "Claim registered", "First notice of loss", `aria-current="step"`, "Fnol capture", "Inspection",
			"Acknowledge", "due <time", "Nora Neighbour", `id="cover-ok"`, `id="move-form"`)
		number := strings.TrimPrefix(page, "/claims/")

		// The auditor reads but cannot move it.
		r = as["auditor"].get(page)
		mustNotContain(t, r, `id="move-form"`)
		r = as["adjuster"].post(page+"/transitions", url.Values{"to": {"review"}})
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, r, "only Customer service")

		step := func(role, to string) {
			t.Helper()
			r := as[role].post(page+"/transitions", url.Values{"to": {to}})
			wantStatus(t, r, http.StatusSeeOther)
		}
		step("agent", "review")
		r = as["claims_handler"].post(page+"/documents", url.Values{"documents": {" \r\n "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="documents-list-err"`)
		r = as["claims_handler"].post(page+"/documents", url.Values{"documents": {"Plumber's invoice\r\nPhotos of the kitchen"}})
		wantStatus(t, r, http.StatusSeeOther)
		mails, err := e.svc.FindOutbox(e.sys, 50)
		if err != nil {
			t.Fatal(err)
		}
		if m := mails[0]; m.To != "harriet@example.com" || !strings.Contains(m.Body, "  - Photos of the kitchen") {
			t.Errorf("document request: %+v", m)
		}
		step("claims_handler", "assessment")
		r = as["adjuster"].post(page+"/inspection", url.Values{"at": {e.svc.Now().Add(24 * time.Hour).UTC().Format("2006-01-02T15:04")}, "inspector": {"Pat Surveyor"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = as["adjuster"].post(page+"/reserves", url.Values{"amount": {"7000.00"}, "note": {"Kitchen refit"}})
		wantStatus(t, r, http.StatusSeeOther)
		step("adjuster", "coverage")
		step("underwriter", "settlement")
		r = as["claims_handler"].get(page)
		mustContain(t, r, "your authority: GBP 5000.00")
		r = as["claims_handler"].post(page+"/settlement", url.Values{"amount": {"6500.00"}})
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, r, "above your settlement authority (GBP 5000.00)")
		r = as["supervisor"].post(page+"/settlement", url.Values{"amount": {"6500.00"}, "note": {"Contractor quote"}})
		wantStatus(t, r, http.StatusSeeOther)
		step("agent", "decision")
		r = as["agent"].post(page+"/decision", url.Values{"decision": {"accept"}, "channel": {"phone"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = as["accounts"].post(page+"/payments", url.Values{"amount": {"6500.00"}, "payee": {"Harriet Home"}, "method": {"bank_transfer"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = as["accounts"].follow(r)
		mustContain(t, r, "Payment recorded", `id="claim-stage"`, ">Closed<", "GBP 6500.00", "Pat Surveyor")

		// The list, the case page's link and the customer panel.
		r = as["claims_handler"].get("/claims?stage=closed")
		mustContain(t, r, number, "Harriet Home")
		v, err := e.svc.FindClaim(e.sys, number)
		if err != nil {
			t.Fatal(err)
		}
		r = as["agent"].get("/cases/" + v.Case.Reference)
		mustContain(t, r, `id="open-claim"`, `id="customer-claims"`, number)
		r = as["agent"].get("/search?q=" + number)
		mustContain(t, r, v.Case.Reference)
	})
}

// A dispute's complaint links back to the claim, and the claim to it.
func TestDisputeLinksBothWays(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		claimUsers(t, e)
		v, err := e.svc.CreateClaim(e.sys, care.NewClaim{PolicyNumber: "HOME-4242", LossAt: e.svc.Now().Add(-time.Hour),
			LossType: "property", Description: "Hail broke the conservatory roof"})
		if err != nil {
			t.Fatal(err)
		}
		n := v.Claim.Number
		for _, to := range []string{"review", "assessment", "coverage", "settlement"} {
			if _, err := e.svc.TransitionClaim(e.sys, n, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.ApproveSettlement(e.sys, n, 90000, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.TransitionClaim(e.sys, n, "decision", ""); err != nil {
			t.Fatal(err)
		}
		v, err = e.svc.DecideClaim(e.sys, n, service.ClaimDecisionInput{Decision: "dispute", Note: "Too little for the glass"})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("supervisor")
		r := c.get("/claims/" + n)
		mustContain(t, r, `id="open-complaint"`, v.Complaint.Reference, "Offer disputed")
		r = c.get("/complaints/" + v.Complaint.Reference)
		mustContain(t, r, `id="complaint-claim"`, `href="/claims/`+n+`"`)
	})
}

// A supervisor declares a storm on the claims list; a claims handler links
// a claim to it (its inspection milestone pauses); the supervisor ends it.
func TestCatastropheForms(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		claimUsers(t, e)
		v, err := e.svc.CreateClaim(e.sys, care.NewClaim{PolicyNumber: "HOME-4242", LossAt: e.svc.Now().Add(-time.Hour),
			LossType: "property", Description: "Fence blown down"})
		if err != nil {
			t.Fatal(err)
		}
		page := "/claims/" + v.Claim.Number
		sup, handler := e.client(), e.client()
		sup.signIn("supervisor")
		handler.signIn("claims_handler")
		r := handler.get("/claims")
		mustNotContain(t, r, `id="declare-form"`)
		r = sup.post("/claims/catastrophes", url.Values{"name": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="declare-name-err"`)
		r = sup.post("/claims/catastrophes", url.Values{"name": {"Storm Darragh"}, "region": {"Wales"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = sup.follow(r)
		mustContain(t, r, "Storm Darragh", "Active", `action="/claims/catastrophes/`)
		cats, err := e.svc.FindCatastrophes(e.sys)
		if err != nil || len(cats) != 1 {
			t.Fatal(err, cats)
		}
		id := strconv.FormatInt(cats[0].ID, 10)
		r = handler.post(page+"/catastrophe", url.Values{"catastrophe_id": {id}})
		wantStatus(t, r, http.StatusSeeOther)
		r = handler.follow(r)
		mustContain(t, r, "Catastrophe: Storm Darragh", "clock-paused")
		r = handler.post("/claims/catastrophes/"+id+"/end", url.Values{})
		wantStatus(t, r, http.StatusForbidden)
		r = sup.post("/claims/catastrophes/"+id+"/end", url.Values{})
		wantStatus(t, r, http.StatusSeeOther)
		r = handler.get(page)
		mustNotContain(t, r, "clock-paused")
	})
}

// The FNOL form asks what makes a motor claim complex; the claim page says
// whether it is simple (owing the 10-day settlement) and why.
func TestClaimComplexityOnTheFNOLForm(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		pol := claimUsers(t, e)
		today := care.DateOf(e.svc.Now())
		car := &care.Policy{CustomerID: pol.CustomerID, Number: "CAR-4242", Line: "motor", Start: today.AddDate(0, -3, 0),
			End: today.AddDate(0, 9, 0), PremiumMinor: 52000}
		if err := e.svc.CreatePolicy(e.sys, car); err != nil {
			t.Fatal(err)
		}
		agent := e.client()
		agent.signIn("agent")
		r := agent.get("/claims/new")
		mustContain(t, r, `id="fnol-injuries"`, `id="fnol-estimate"`)
		fnol := url.Values{"policy_number": {"CAR-4242"}, "loss_type": {"motor"}, "loss_date": {e.svc.Now().Format(time.DateOnly)},
			"description": {"Reversed into a bollard"}, "channel": {"phone"}, "estimate": {"12.345"}}
		r = agent.post("/claims", fnol)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="fnol-estimate-err"`)
		fnol.Set("estimate", "800.00")
		r = agent.post("/claims", fnol)
		wantStatus(t, r, http.StatusSeeOther)
		r = agent.follow(r)
		mustContain(t, r, "Simple motor claim", `id="claim-complexity-note"`, "GBP 800.00", "Settlement")
		fnol.Set("injuries", "1")
		r = agent.follow(agent.post("/claims", fnol))
		mustContain(t, r, "Complex motor claim", "injuries reported")
	})
}

// The claims list shows 50 claims a page with Next, Previous and First
// links (keyset cursors), instead of stopping at a cap.
func TestClaimListPaging(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		claimUsers(t, e)
		var first string
		for i := range 52 {
			v, err := e.svc.CreateClaim(e.sys, care.NewClaim{PolicyNumber: "HOME-4242", LossAt: e.svc.Now().Add(-time.Hour),
				LossType: "liability", Description: "Claim " + strconv.Itoa(i)})
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = v.Claim.Number
			}
		}
		c := e.client()
		c.signIn("auditor")
		r := c.get("/claims")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `id="claims-next"`)
		mustNotContain(t, r, `id="claims-prev"`)
		if n := strings.Count(r.body, `data-row>`); n != 50 {
			t.Errorf("first page: %d rows", n)
		}
		next := hrefOf(t, r.body, "claims-next")
		r = c.get(next)
		wantStatus(t, r, http.StatusOK)
		if n := strings.Count(r.body, `data-row>`); n != 2 {
			t.Errorf("second page: %d rows", n)
		}
		mustContain(t, r, `id="claims-prev"`, `id="claims-first"`, first) // the oldest is last (same due times: newest first)
		mustNotContain(t, r, `id="claims-next"`)
		r = c.get(hrefOf(t, r.body, "claims-prev"))
		if n := strings.Count(r.body, `data-row>`); n != 50 {
			t.Errorf("back to the first page: %d rows", n)
		}
		r = c.get("/claims?cursor=bogus")
		wantStatus(t, r, http.StatusBadRequest)
	})
}

// hrefOf returns the unescaped href of the element with id in body.
func hrefOf(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no #%s", id)
	}
	tag := body[strings.LastIndex(body[:i], "<"):i]
	_, h, ok := strings.Cut(tag, `href="`)
	if !ok {
		t.Fatalf("#%s has no href: %s", id, tag)
	}
	h, _, _ = strings.Cut(h, `"`)
	return strings.ReplaceAll(h, "&amp;", "&")
}
