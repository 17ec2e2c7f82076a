package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// slaDue creates an email enquiry through the API and returns the due time
// of its first_response clock.
func slaDue(t *testing.T, f *fixture) string {
	t.Helper()
	rec := f.do(t, "agent", http.MethodPost, "/api/v1/cases", `{"type":"enquiry","channel":"email","subject":"Renewal"}`, nil)
	statusOK(t, rec, http.StatusCreated)
	id := strconv.FormatInt(int64(decodeJSON(t, rec)["id"].(float64)), 10)
	rec = f.do(t, "agent", http.MethodGet, "/api/v1/cases/"+id+"/clocks", "", nil)
	statusOK(t, rec, http.StatusOK)
	for _, k := range decodeJSON(t, rec)["items"].([]any) {
		if m := k.(map[string]any); m["regime"] == "sla" && m["name"] == "first_response" {
			return m["due"].(string)
		}
	}
	t.Fatalf("no first_response clock: %s", rec.Body)
	return ""
}

func TestSLAPolicyAPI(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		// Received on Saturday 21 November: counted from Monday 23rd.
		if due := slaDue(t, f); due != "2026-11-24T23:59:59Z" {
			t.Fatalf("default first response due %s", due)
		}
		var policy map[string]any
		runScenarios(t, f, []scenario{
			{name: "agents read the active policy", as: "agent", url: "/api/v1/sla-policy", status: http.StatusOK,
				json: map[string]any{"version": 0, "active": true, "first_response.email.amount": 1,
					"first_response.email.unit": "business_days", "priority_shift.urgent": -2, "activated_at": nil},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					policy = decodeJSON(t, rec)
					for _, k := range []string{"version", "active", "activated_at", "activated_by"} {
						delete(policy, k)
					}
				}},
			{name: "agents cannot change it", as: "agent", method: http.MethodPut, url: "/api/v1/sla-policy",
				body: `{"name":"x"}`, status: http.StatusForbidden},
			{name: "unknown field", as: "admin", method: http.MethodPut, url: "/api/v1/sla-policy",
				body: `{"name":"x","colour":"red"}`, status: http.StatusBadRequest, fields: []string{"colour"}},
			{name: "every bad field is named", as: "admin", method: http.MethodPut, url: "/api/v1/sla-policy",
				body: `{"name":"Ours","first_response":{"fax":{"amount":1,"unit":"business_days"},"email":{"amount":0,"unit":"business_days"}},
					"resolution":{"claim":{"amount":5,"unit":"fortnights"}},"priority_shift":{"urgent":-2},"vulnerable_shift":2}`,
				status: http.StatusUnprocessableEntity,
				fields: []string{"first_response.fax", "first_response.email.amount", "first_response.chat", "next_response.email",
					"resolution.claim.unit", "resolution.enquiry", "priority_shift.normal", "vulnerable_shift"}},
			{name: "versions are for administrators", as: "agent", url: "/api/v1/sla-policy/versions", status: http.StatusForbidden},
		})
		policy["first_response"].(map[string]any)["email"] = map[string]any{"amount": 3, "unit": "business_days"}
		policy["base_version"] = 0
		policy["note"] = "Email backlog"
		body, _ := json.Marshal(policy)
		runScenarios(t, f, []scenario{
			{name: "save a version", as: "admin", method: http.MethodPut, url: "/api/v1/sla-policy", body: string(body),
				status: http.StatusOK, json: map[string]any{"version": 1, "active": true, "note": "Email backlog",
					"first_response.email.amount": 3}},
			{name: "a stale edit conflicts", as: "admin", method: http.MethodPut, url: "/api/v1/sla-policy", body: string(body),
				status: http.StatusConflict, contains: []string{"version 1"}},
			{name: "history", as: "admin", url: "/api/v1/sla-policy/versions", status: http.StatusOK,
				json: map[string]any{"items.0.version": 1, "items.0.active": true, "items.1.version": 0, "items.1.active": false,
					"items.1.first_response.email.amount": 1, "next_cursor": nil}},
		})
		if due := slaDue(t, f); due != "2026-11-26T23:59:59Z" {
			t.Errorf("first response under version 1 due %s, want the end of Thursday 26 November", due)
		}
	})
}
