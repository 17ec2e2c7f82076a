package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// closedComplaint runs a complaint under the UK, Australian and Californian
// regimes through to closure with paid redress, through the service.
func closedComplaint(t *testing.T, e *env) *care.Case {
	t.Helper()
	k := e.newComplaint("Claim delay", []string{"uk-fca", "au-asic", "us-ca-claims"}, false, 0)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, to := range []string{"acknowledged", "response_issued"} {
		_, err := e.svc.TransitionComplaint(e.sys, k.Reference, care.TransitionRequest{To: to})
		must(err)
	}
	_, err := e.svc.SetComplaintOutcome(e.sys, k.Reference, care.OutcomeDecision{Outcome: "upheld", Reasoning: "No call back.", RootCause: "claims_delay"})
	must(err)
	must(e.svc.AddRedress(e.sys, k.Reference, &care.Redress{Kind: "compensation", AmountMinor: 7500, Currency: "GBP", Status: "paid", PaymentRef: "PAY-1"}))
	_, err = e.svc.TransitionComplaint(e.sys, k.Reference, care.TransitionRequest{To: "closed", CustomerResponse: "accepted"})
	must(err)
	return k
}

// The reports page shows each regulatory report over a period as a table,
// downloads it as CSV and as the API's JSON, names a bad field, and is
// only for those who read the audit trail.
func TestComplianceReportsPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		complaintStaff(t, e)
		k := closedComplaint(t, e)
		today := e.svc.Now().UTC()
		from, to := today.AddDate(0, 0, -2).Format(time.DateOnly), today.AddDate(0, 0, 2).Format(time.DateOnly)
		period := "&from=" + from + "&to=" + to

		agent := e.client()
		agent.signIn("agent")
		wantStatus(t, agent.get("/compliance/reports"), http.StatusForbidden)

		c := e.client()
		c.signIn("compliance")
		r := c.get("/compliance/reports")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "FCA complaints return", `id="rep-from"`, "Download CSV")
		r = c.get("/compliance/reports?report=fca-complaints-return" + period)
		mustContain(t, r, `id="report-table"`, "<td data-label=\"Product group\">Motor &amp; transport</td>", "Delays/timescales", "GBP 75.00")
		r = c.get("/compliance/reports?report=asic-idr" + period)
		mustContain(t, r, k.Reference, "in_favour_of_complainant", "compensation")
		r = c.get("/compliance/reports?report=us-complaint-register" + period)
		mustContain(t, r, k.Reference, "Claims handling", "Company position overturned", "Private passenger auto")

		r = c.get("/compliance/reports?report=fca-complaints-return&from=2026-11-01&to=30.11.2026")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="rep-to-err"`, "must be a date such as 2026-01-31")
		mustNotContain(t, r, `id="report-table"`)
		r = c.get("/compliance/reports?report=fos-return" + period)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="rep-report-err"`)
		r = c.get("/compliance/reports?report=asic-idr&format=xml" + period)
		wantStatus(t, r, http.StatusUnprocessableEntity)

		r = c.get("/compliance/reports?report=fca-complaints-return&format=csv" + period)
		wantStatus(t, r, http.StatusOK)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV Content-Type %q", ct)
		}
		if !strings.Contains(r.header.Get("Content-Disposition"), "fca-complaints-return_"+from+"_"+to+".csv") {
			t.Errorf("CSV Content-Disposition %q", r.header.Get("Content-Disposition"))
		}
		if !strings.HasPrefix(r.body, "product_group,cause,opened,closed,") ||
			!strings.Contains(r.body, "Motor & transport,Delays/timescales,1,1,100.0,0.0,0.0,100.0,GBP 75.00") {
			t.Errorf("CSV:\n%s", r.body)
		}

		// The JSON download is the API's JSON, figure for figure.
		r = c.get("/compliance/reports?report=asic-idr&format=json" + period)
		wantStatus(t, r, http.StatusOK)
		var got, want any
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatalf("JSON: %v\n%s", err, r.body)
		}
		from0, to0, _ := care.ParsePeriod(from, to)
		rep, err := e.svc.ComplaintReport(e.sys, "asic-idr", from0, to0)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rep)
		_ = json.Unmarshal(b, &want)
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) || !strings.Contains(string(gb), k.Reference) {
			t.Errorf("JSON download differs from the API's:\n%s\n%s", gb, wb)
		}

		// Every view and download is an export in the audit trail.
		entries, _, err := e.svc.FindAudit(e.sys, care.AuditFilter{Entity: "report", Action: "export", Limit: 100})
		if err != nil || len(entries) < 5 {
			t.Errorf("report exports audited: %d (%v)", len(entries), err)
		}
	})
}
