package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// row returns the report's rows as maps by column name.
func reportRows(r *service.Report) []map[string]string {
	out := make([]map[string]string, len(r.Rows))
	for i, row := range r.Rows {
		out[i] = map[string]string{}
		for j, v := range row {
			out[i][r.Columns[j].Name] = v
		}
	}
	return out
}

func wantRow(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (row %v)", k, got[k], v, got)
		}
	}
}

// Each report holds the right line for complaints under its regime: an
// ASIC complaint closed late, a US one referred to a state department, an
// FCA one closed within three business days with redress paid.
func TestComplaintReports(t *testing.T) {
	start := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC) // a Thursday
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		h := f.as["complaints_handler"]
		file := func(regime string, received time.Time) string {
			v, err := f.svc.CreateComplaint(f.as["agent"], service.NewComplaint{Case: care.Case{Channel: "email",
				Subject: regime, Description: "Unhappy.", Regimes: []string{regime}, ReceivedAt: received}})
			must(t, err)
			return v.Case.Reference
		}
		finish := func(ref, outcome, cause string) {
			_, err := f.svc.SetComplaintOutcome(h, ref, care.OutcomeDecision{Outcome: outcome, Reasoning: "r", RootCause: cause})
			must(t, err)
			for _, to := range []string{"acknowledged", "response_issued"} {
				move(t, f, "complaints_handler", ref, care.TransitionRequest{To: to})
			}
			move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "closed", CustomerResponse: "accepted"})
		}
		au := file("au-asic", time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC))
		must(t, f.svc.AddRedress(h, au, &care.Redress{Kind: "goodwill", AmountMinor: 5000, Currency: "AUD", Status: "paid", PaymentRef: "P1"}))
		finish(au, "partly_upheld", "claims_delay")
		us := file("us-ca-claims", time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC))
		finish(us, "not_upheld", "pricing_renewal")
		move(t, f, "complaints_handler", us, care.TransitionRequest{To: "referred", ReferredTo: "US-NY-DFS"})
		uk := file("uk-fca", time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
		must(t, f.svc.AddRedress(h, uk, &care.Redress{Kind: "refund", AmountMinor: 2550, Currency: "GBP", Status: "paid", PaymentRef: "P2"}))
		finish(uk, "upheld", "admin_error")
		file("uk-fca", time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC)) // still open

		from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		_, err := f.svc.ComplaintReport(f.as["agent"], "asic-idr", from, to)
		wantCode(t, err, care.EFORBIDDEN, "")
		_, err = f.svc.ComplaintReport(f.as["compliance"], "fos-return", from, to)
		wantCode(t, err, care.EINVALID, "name")

		rep, err := f.svc.ComplaintReport(f.as["compliance"], "asic-idr", from, to)
		must(t, err)
		rows := reportRows(rep)
		if len(rows) != 1 {
			t.Fatalf("asic-idr rows %v", rows)
		}
		wantRow(t, rows[0], map[string]string{"complaint_id": au, "date_received": "2026-10-01", "status": "closed",
			"date_closed": "2026-11-05", "days_to_close": "35", "within_idr_timeframe": "no",
			"outcome": "partly_in_favour_of_complainant", "remedy": "goodwill", "compensation_paid": "AUD 50.00",
			"issue": "Delay in handling a claim", "referred_to_afca": "no"})

		rep, err = f.svc.ComplaintReport(f.as["auditor"], "us-complaint-register", from, to)
		must(t, err)
		rows = reportRows(rep)
		if len(rows) != 1 {
			t.Fatalf("us register rows %v", rows)
		}
		wantRow(t, rows[0], map[string]string{"complaint_id": us, "function": "Underwriting", "disposition": "Company position upheld",
			"date_received": "2026-11-02", "date_closed": "2026-11-05", "insurance_department_complaint": "yes", "state": "NY"})

		rep, err = f.svc.ComplaintReport(f.as["compliance"], "fca-complaints-return", from, to)
		must(t, err)
		rows = reportRows(rep)
		if len(rows) != 2 {
			t.Fatalf("fca rows %v", rows)
		}
		wantRow(t, rows[0], map[string]string{"product_group": "Not linked to a policy", "cause": "General admin/customer service",
			"opened": "1", "closed": "1", "closed_within_3_business_days_pct": "100.0", "closed_within_8_weeks_pct": "0.0",
			"upheld_pct": "100.0", "redress_paid": "GBP 25.50"})
		wantRow(t, rows[1], map[string]string{"cause": "Other", "opened": "1", "closed": "0", "upheld_pct": ""})
		var csv strings.Builder
		must(t, rep.WriteCSV(&csv))
		if !strings.HasPrefix(csv.String(), "product_group,cause,opened,closed,") || strings.Count(csv.String(), "\n") != 3 {
			t.Errorf("csv:\n%s", csv.String())
		}
		// A period that ends before the closures shows the complaints open.
		rep, err = f.svc.ComplaintReport(f.as["compliance"], "asic-idr", from, time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC))
		must(t, err)
		if rows := reportRows(rep); len(rows) != 1 || rows[0]["status"] != "open" || rows[0]["date_closed"] != "" {
			t.Errorf("asic-idr to 31 Oct: %v", rows)
		}
	})
}
