package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

const historyCSV = `id,case_ref,channel,offered_at,answered_at,ended_at,wrap_up_ended_at,abandoned,case_type,case_resolved_at
H1,OLD-1,phone,2026-01-05T09:00:00Z,2026-01-05T09:00:10Z,2026-01-05T09:05:10Z,2026-01-05T09:06:10Z,false,enquiry,2026-01-05T10:00:00Z
H2,OLD-2,phone,2026-01-05T10:00:00Z,2026-01-05T10:00:30Z,2026-01-05T10:10:30Z,,false,claim,
H3,OLD-3,phone,2026-01-05T11:00:00Z,,2026-01-05T11:00:03Z,,true,enquiry,
H4,OLD-4,phone,2026-01-05T12:00:00Z,,2026-01-05T12:01:00Z,,true,enquiry,
H5,OLD-2,phone,2026-01-06T09:00:00Z,2026-01-06T09:00:05Z,2026-01-06T09:02:05Z,,false,claim,2026-01-06T12:00:00Z
H6,OLD-5,phone,not a time,,,,false,enquiry,
`

const surveysCSV = `interaction_id,kind,score,answered_at
H1,csat,5,2026-01-05T12:00:00Z
H2,nps,6,2026-01-05T12:00:00Z
H1,nps,10,2026-01-05T12:00:00Z
H2,ces,9,2026-01-05T12:00:00Z
`

// TestKPICommandMatchesAPI imports a history through the CLI, then asks
// "caredesk kpi" and GET /api/v1/kpis the same question on the same
// database: the answers must be identical, as JSON and as CSV.
func TestKPICommandMatchesAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			dir := t.TempDir()
			hist, surv := filepath.Join(dir, "history.csv"), filepath.Join(dir, "surveys.csv")
			mustKPI(t, os.WriteFile(hist, []byte(historyCSV), 0o600))
			mustKPI(t, os.WriteFile(surv, []byte(surveysCSV), 0o600))
			code, out, errs := runCLI(t, "", "import", "interactions", "--db", dsn, hist)
			if code != exitFail || !strings.Contains(out, "6 rows: 5 imported, 0 already imported, 1 bad") ||
				!strings.Contains(errs, hist+":7: offered_at: must be an RFC 3339 time") {
				t.Fatalf("import: %d %q %q", code, out, errs)
			}
			if code, out, errs = runCLI(t, "", "import", "interactions", "--db", dsn, "--all-or-nothing", hist); code != exitFail ||
				!strings.Contains(out, "refused") {
				t.Fatalf("all or nothing: %d %q %q", code, out, errs)
			}
			code, out, errs = runCLI(t, "", "import", "surveys", "--db", dsn, surv)
			if code != exitFail || !strings.Contains(out, "4 rows: 3 imported") || !strings.Contains(errs, surv+":5: score: a ces score must be from 1 to 7") {
				t.Fatalf("surveys: %d %q %q", code, out, errs)
			}
			if code, out, errs = runCLI(t, "", "kpi", "rebuild", "--db", dsn); code != exitOK || !strings.Contains(out, "5 interactions, 4 cases, 3 surveys") {
				t.Fatalf("rebuild: %d %q %q", code, out, errs)
			}
			args := []string{"--db", dsn, "--from", "2026-01-05", "--to", "2026-01-07"}
			code, cliJSON, errs := runCLI(t, "", append([]string{"kpi"}, args...)...)
			if code != exitOK {
				t.Fatalf("kpi: %d %q", code, errs)
			}
			code, cliCSV, errs := runCLI(t, "", append([]string{"kpi", "--format", "csv"}, args...)...)
			if code != exitOK {
				t.Fatalf("kpi csv: %d %q", code, errs)
			}
			apiJSON := getKPIs(t, dsn, "/api/v1/kpis?from=2026-01-05&to=2026-01-07")
			apiCSV := getKPIs(t, dsn, "/api/v1/kpis?from=2026-01-05&to=2026-01-07&format=csv")
			var a, b any
			mustKPI(t, json.Unmarshal([]byte(cliJSON), &a))
			mustKPI(t, json.Unmarshal([]byte(apiJSON), &b))
			if !reflect.DeepEqual(a, b) || cliCSV != apiCSV {
				t.Fatalf("CLI and API differ:\n%s\n%s\n%s\n%s", cliJSON, apiJSON, cliCSV, apiCSV)
			}
			var rep httpapi.KPIReport
			mustKPI(t, json.Unmarshal([]byte(cliJSON), &rep))
			d := rep.Periods[0]
			if len(rep.Periods) != 3 || d.Offered != 4 || d.Answered != 2 || d.Abandoned != 2 || *d.ASASeconds != 20 ||
				*d.AbandonmentRate != 1.0/3 || *d.CSAT != 1 || *d.NPS != 0 || d.CES != nil || rep.Periods[2].ASASeconds != nil {
				t.Fatalf("figures: %s", cliJSON)
			}
			// OLD-1, received and resolved on Monday 5 January 09:00–10:00:
			// one hour, all of it business hours on the GB-ENG calendar.
			if rb := d.ResolutionBusiness; rb.Count != 1 || *rb.MeanSeconds != 3600 || d.Resolution.Count != 1 ||
				*d.Resolution.MeanSeconds != 3600 || len(d.Ageing) != 7 || d.SLA == nil || d.ComplaintDeadlines == nil {
				t.Fatalf("business hours, ageing, attainment: %s", cliJSON)
			}
			if code, _, errs := runCLI(t, "", "kpi", "--db", dsn, "--from", "2026-01-05", "--to", "2026-01-07", "--case-type", "boat"); code != exitUsage ||
				!strings.Contains(errs, "--case-type: must be one of") {
				t.Fatalf("bad slice: %d %q", code, errs)
			}
		})
	}
}

// getKPIs asks the API over the database at dsn, as a supervisor.
func getKPIs(t *testing.T, dsn, url string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Options{})
	mustKPI(t, err)
	defer st.Close()
	svc := service.New(st, nil, service.Config{})
	sys := care.NewContextWithActor(ctx, care.SystemActor("test"))
	u := &care.User{Email: "sup" + strings.ReplaceAll(url[len(url)-3:], "=", "") + "@example.com", Name: "Sup", Role: "supervisor"}
	_, err = svc.CreateUser(sys, u, "a long enough password")
	mustKPI(t, err)
	secret, _, err := svc.CreateToken(sys, u.ID, "test")
	mustKPI(t, err)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	httpapi.New(svc, httpapi.Options{}).ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d %s", url, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func mustKPI(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
