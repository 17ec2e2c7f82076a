package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

func TestKPIs(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		history := "id,case_ref,channel,offered_at,answered_at,ended_at,abandoned,case_type\n" +
			"K1,OLD-1,phone,2026-11-16T09:00:00Z,2026-11-16T09:00:40Z,2026-11-16T09:04:40Z,,enquiry\n" +
			"K2,OLD-2,phone,2026-11-16T09:10:00Z,,2026-11-16T09:10:02Z,true,claim\n" +
			"K3,OLD-3,chat,2026-11-17T09:00:00Z,2026-11-17T09:00:30Z,2026-11-17T09:10:30Z,,claim\n"
		sys := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
		rep, err := f.svc.ImportInteractions(sys, strings.NewReader(history), service.ImportOptions{})
		if err != nil || rep.Imported != 3 {
			t.Fatalf("import: %v %+v", err, rep)
		}
		runScenarios(t, f, []scenario{
			{name: "daily, with undefined figures as null", as: "supervisor", url: "/api/v1/kpis?from=2026-11-16&to=2026-11-18",
				status: http.StatusOK, json: map[string]any{
					"periods.0.start": "2026-11-16T00:00:00Z", "periods.0.end": "2026-11-17T00:00:00Z",
					"periods.0.offered": 2, "periods.0.answered": 1, "periods.0.abandoned": 1, "periods.0.short_abandoned": 1,
					"periods.0.asa_seconds": 40, "periods.0.abandonment_rate": 0, "periods.0.service_level": 0,
					"periods.0.aht_seconds": 240, "periods.0.csat": nil, "periods.0.nps": nil, "periods.0.ces": nil,
					"periods.1.offered": 1, "periods.1.service_level": 1,
					"periods.2.offered": 0, "periods.2.asa_seconds": nil, "periods.2.abandonment_rate": nil}},
			{name: "weekly, sliced by case type", as: "compliance", url: "/api/v1/kpis?from=2026-11-16&to=2026-11-22&by=week&case_type=claim",
				status: http.StatusOK, json: map[string]any{"periods.0.offered": 2, "periods.0.answered": 1, "periods.0.abandoned": 1,
					"periods.0.abandonment_rate": 0, "periods.0.received": 2}},
			{name: "by channel", as: "auditor", url: "/api/v1/kpis?from=2026-11-01&to=2026-11-30&by=month&channel=chat",
				status: http.StatusOK, json: map[string]any{"periods.0.start": "2026-11-01T00:00:00Z", "periods.0.offered": 1}},
			{name: "bad parameters are named", as: "supervisor", url: "/api/v1/kpis?from=16/11/2026&by=year&agent=ghost@example.com",
				status: http.StatusUnprocessableEntity, fields: []string{"from", "to", "by", "agent"}},
			{name: "agents cannot", as: "agent", url: "/api/v1/kpis?from=2026-11-16&to=2026-11-18", status: http.StatusForbidden},
			{name: "as CSV", as: "supervisor", url: "/api/v1/kpis?from=2026-11-16&to=2026-11-16&format=csv", status: http.StatusOK,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
					if len(lines) != 2 || !strings.HasPrefix(lines[0], "start,end,offered,answered,abandoned") ||
						!strings.HasPrefix(lines[1], "2026-11-16T00:00:00Z,2026-11-17T00:00:00Z,2,1,1,1,40,0,0,") {
						t.Fatalf("csv:\n%s", rec.Body)
					}
				}},
		})
	})
}

func TestSurveyLink(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		sys := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
		resolved := "resolved"
		if _, err := f.svc.UpdateCase(sys, f.vars["{case_ref}"], care.CaseUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		mails, err := f.svc.FindOutbox(sys, 50)
		must(t, err)
		for _, m := range mails {
			if i := strings.Index(m.Body, "/survey/"); i >= 0 {
				f.vars["{token}"] = m.Body[i+len("/survey/") : i+len("/survey/")+43]
			}
		}
		if f.vars["{token}"] == "" {
			t.Fatalf("no survey mail: %+v", mails)
		}
		runScenarios(t, f, []scenario{
			{name: "the link shows its questions without signing in", url: "/api/v1/surveys/{token}", status: http.StatusOK,
				json: map[string]any{"case_reference": "{case_ref}", "answered": false, "expired": false, "questions.1.kind": "nps"}},
			{name: "an out-of-scale score is named", method: http.MethodPost, url: "/api/v1/surveys/{token}",
				body: `{"nps":11}`, status: http.StatusUnprocessableEntity, fields: []string{"nps"}},
			{name: "answered once", method: http.MethodPost, url: "/api/v1/surveys/{token}", body: `{"csat":4,"nps":9,"ces":6}`,
				status: http.StatusNoContent},
			{name: "not twice", method: http.MethodPost, url: "/api/v1/surveys/{token}", body: `{"csat":1}`, status: http.StatusConflict},
			{name: "now shown as answered", url: "/api/v1/surveys/{token}", status: http.StatusOK, json: map[string]any{"answered": true}},
			{name: "a made-up link", url: "/api/v1/surveys/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: http.StatusNotFound},
			{name: "the answers count in the KPIs", as: "supervisor", url: "/api/v1/kpis?from=2026-11-21&to=2026-11-21", status: http.StatusOK,
				json: map[string]any{"periods.0.csat": 1, "periods.0.nps": 100, "periods.0.ces": 6}},
		})
	})
}
