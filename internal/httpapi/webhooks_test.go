package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestWebhooksAPI(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "create shows the generated secret once", as: "admin", method: http.MethodPost, url: "/api/v1/webhooks",
				body:   `{"url":"https://hooks.example.com/caredesk","events":["case.created","clock.breached"],"description":"CRM"}`,
				status: http.StatusCreated, contains: []string{`"secret":"whsec_`},
				json: map[string]any{"url": "https://hooks.example.com/caredesk", "events": []string{"case.created", "clock.breached"}},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					f.vars["{hook}"] = strconv.FormatInt(int64(decodeJSON(t, rec)["id"].(float64)), 10)
				}},
			{name: "invalid", as: "admin", method: http.MethodPost, url: "/api/v1/webhooks",
				body: `{"url":"hooks.example.com","events":["case.made"],"secret":"short"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"url", "events[0]", "secret"}},
			{name: "agents cannot", as: "agent", method: http.MethodPost, url: "/api/v1/webhooks",
				body: `{"url":"https://x.example.com","events":["*"]}`, status: http.StatusForbidden},
			{name: "list hides secrets", as: "admin", url: "/api/v1/webhooks", status: http.StatusOK,
				json: map[string]any{"items.0.description": "CRM", "next_cursor": nil}, absent: []string{"whsec_", `"secret"`}},
			{name: "a new case is queued for delivery", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body: `{"type":"enquiry","channel":"web","subject":"Hi"}`, status: http.StatusCreated},
			{name: "delivery log", as: "admin", url: "/api/v1/webhooks/{hook}/deliveries", status: http.StatusOK,
				json: map[string]any{"items.0.event_type": "case.created", "items.0.state": "pending", "items.0.attempts": 0,
					"items.0.last_status": nil, "items.0.payload.type": "case.created", "items.0.payload.data.case.subject": "Hi"}},
			{name: "delivery log of no webhook", as: "admin", url: "/api/v1/webhooks/999/deliveries", status: http.StatusNotFound},
			{name: "agents cannot read the log", as: "agent", url: "/api/v1/webhooks/{hook}/deliveries", status: http.StatusForbidden},
			{name: "delete", as: "admin", method: http.MethodDelete, url: "/api/v1/webhooks/{hook}", status: http.StatusNoContent},
			{name: "delete again", as: "admin", method: http.MethodDelete, url: "/api/v1/webhooks/{hook}", status: http.StatusNotFound},
			{name: "the log stays, cancelled", as: "admin", url: "/api/v1/webhooks/{hook}/deliveries", status: http.StatusOK,
				json: map[string]any{"items.0.state": "cancelled", "items.0.next_attempt_at": nil}},
			{name: "gone from the list", as: "admin", url: "/api/v1/webhooks", status: http.StatusOK,
				json: map[string]any{"items": []any{}}},
		})
	})
}
