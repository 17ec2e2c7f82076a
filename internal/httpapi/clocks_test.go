package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClocksAndEvents(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		rec := f.do(t, "agent", http.MethodPost, "/api/v1/cases",
			`{"type":"complaint","channel":"email","subject":"Claim delay","regimes":["uk-fca"]}`, nil)
		statusOK(t, rec, http.StatusCreated)
		f.vars["{complaint}"] = decodeJSON(t, rec)["reference"].(string)
		runScenarios(t, f, []scenario{
			{name: "clocks of a new complaint", as: "auditor", url: "/api/v1/cases/{complaint}/clocks", status: http.StatusOK,
				contains: []string{`"regime":"uk-fca"`, `"state":"running"`, `"start_event":"received"`}, json: map[string]any{"next_cursor": nil}},
			{name: "acknowledge", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{complaint}/events",
				body: `{"name":"acknowledged","at":"2026-11-21T10:00:00Z"}`, status: http.StatusOK,
				json: map[string]any{"reference": "{complaint}", "tier": "frontline"}},
			{name: "unknown event", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{complaint}/events",
				body: `{"name":"celebrated"}`, status: http.StatusUnprocessableEntity, fields: []string{"name"}},
			{name: "event in the future", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{complaint}/events",
				body: `{"name":"proof_of_loss","at":"2027-01-01T00:00:00Z"}`, status: http.StatusUnprocessableEntity, fields: []string{"at"}},
			{name: "event on a missing case", as: "agent", method: http.MethodPost, url: "/api/v1/cases/CD-2026-424242/events",
				body: `{"name":"acknowledged"}`, status: http.StatusNotFound},
			{name: "auditor may not record events", as: "auditor", method: http.MethodPost, url: "/api/v1/cases/{complaint}/events",
				body: `{"name":"acknowledged"}`, status: http.StatusForbidden},
			{name: "clocks of a missing case", as: "agent", url: "/api/v1/cases/424242/clocks", status: http.StatusNotFound},
		})
	})
}

func TestNotificationsAndSignals(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "no notifications yet", as: "agent", url: "/api/v1/notifications?unread=true", status: http.StatusOK,
				json: map[string]any{"items": []any{}, "next_cursor": nil}},
			{name: "bad unread flag", as: "agent", url: "/api/v1/notifications?unread=perhaps", status: http.StatusBadRequest,
				fields: []string{"unread"}},
			{name: "mark all read", as: "agent", method: http.MethodPost, url: "/api/v1/notifications/read", body: `{}`,
				status: http.StatusNoContent},
			{name: "mark read with bad ids", as: "agent", method: http.MethodPost, url: "/api/v1/notifications/read",
				body: `{"ids":"all"}`, status: http.StatusBadRequest, fields: []string{"ids"}},
			{name: "notifications need a token", url: "/api/v1/notifications", status: http.StatusUnauthorized},

			{name: "score a complaint", as: "auditor", method: http.MethodPost, url: "/api/v1/signals/score",
				body:   `{"text":"This is completely unacceptable. I am taking this to the Financial Ombudsman.","prior_contacts":3}`,
				status: http.StatusOK, json: map[string]any{"complaint": true, "threshold": 0.5},
				contains: []string{`"signal":`, `"evidence":`, `"weight":`},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if s, _ := decodeJSON(t, rec)["score"].(float64); s < 0.5 || s > 1 {
						t.Errorf("score %v", s)
					}
				}},
			{name: "score a compliment", as: "agent", method: http.MethodPost, url: "/api/v1/signals/score",
				body: `{"text":"Thank you, the new address is all sorted."}`, status: http.StatusOK,
				json: map[string]any{"complaint": false}},
			{name: "score nothing", as: "agent", method: http.MethodPost, url: "/api/v1/signals/score",
				body: `{"text":"  ","prior_contacts":-1}`, status: http.StatusUnprocessableEntity, fields: []string{"text", "prior_contacts"}},
		})
	})
}
