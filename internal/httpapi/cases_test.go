package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCases(t *testing.T) {
	t.Parallel()
	const complaint = `{"type":"complaint","channel":"email","customer_id":{customer},"subject":"Late payment","description":"My claim has not been paid."}`
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "create", as: "agent", method: http.MethodPost, url: "/api/v1/cases", body: complaint,
				status: http.StatusCreated,
				json: map[string]any{"status": "new", "priority": "normal", "type": "complaint", "received_at": "2026-11-21T10:00:00Z",
					"customer_id": f.num("{customer}"), "assignee_id": nil, "closed_at": nil, "version": 1},
				contains: []string{`"id":`, `"reference":"CD-2026-`},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					ref := decodeJSON(t, rec)["reference"].(string)
					if loc := rec.Header().Get("Location"); loc != "/api/v1/cases/"+ref {
						t.Errorf("Location %q", loc)
					}
				}},
			{name: "create received elsewhere first, with regimes and an interaction", as: "agent", method: http.MethodPost,
				url: "/api/v1/cases", status: http.StatusCreated,
				body: `{"type":"complaint","channel":"phone","subject":"Rude call","received_at":"2026-11-20T16:30:00+01:00",
					"regimes":["uk-fca"],"interaction":{"channel":"phone","offered_at":"2026-11-20T15:30:00Z","answered_at":"2026-11-20T15:30:20Z","agent_id":{agent_id},"disposition":"resolved"}}`,
				json: map[string]any{"received_at": "2026-11-20T15:30:00Z", "regimes": []string{"uk-fca"}}},
			{name: "interaction errors name the nested field", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body:   `{"type":"enquiry","channel":"chat","subject":"Hi","interaction":{"channel":"chat","offered_at":"2027-01-01T00:00:00Z"}}`,
				status: http.StatusUnprocessableEntity, fields: []string{"interaction.offered_at"}},
			{name: "nested wrong type names the path", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body:   `{"type":"enquiry","channel":"chat","subject":"Hi","interaction":{"channel":"chat","offered_at":"yesterday"}}`,
				status: http.StatusBadRequest, fields: []string{"interaction.offered_at"}, contains: []string{"RFC 3339"}},
			{name: "invalid fields all named", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body:   `{"type":"moan","channel":"pigeon","subject":"","received_at":"2030-01-01T00:00:00Z"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"type", "channel", "subject", "received_at"}},
			{name: "unknown customer", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body: `{"type":"enquiry","channel":"web","subject":"Hi","customer_id":424242}`, status: http.StatusUnprocessableEntity,
				fields: []string{"customer_id"}},
			{name: "agent may not assign a team", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body: `{"type":"enquiry","channel":"web","subject":"Hi","team_id":{team}}`, status: http.StatusForbidden},
			{name: "supervisor may assign a team", as: "supervisor", method: http.MethodPost, url: "/api/v1/cases",
				body:   `{"type":"enquiry","channel":"web","subject":"Hi","team_id":{team},"assignee_id":{agent_id},"priority":"high"}`,
				status: http.StatusCreated, json: map[string]any{"team_id": f.num("{team}"), "assignee_id": f.num("{agent_id}")}},
			{name: "auditor may not create", as: "auditor", method: http.MethodPost, url: "/api/v1/cases", body: complaint,
				status: http.StatusForbidden, contains: []string{"case:write"}},
			{name: "no token", method: http.MethodPost, url: "/api/v1/cases", body: complaint, status: http.StatusUnauthorized},

			{name: "get by id", as: "agent", url: "/api/v1/cases/{case}", status: http.StatusOK,
				json: map[string]any{"reference": "{case_ref}", "subject": "Renewal question", "version": 1}},
			{name: "get by reference", as: "auditor", url: "/api/v1/cases/{case_ref}", status: http.StatusOK,
				json: map[string]any{"id": f.num("{case}")}, contains: []string{`"clocks":[{`, `"regime":"sla"`}},
			{name: "get missing", as: "agent", url: "/api/v1/cases/CD-2026-999999", status: http.StatusNotFound},
			{name: "get nonsense key", as: "agent", url: "/api/v1/cases/nonsense", status: http.StatusNotFound},

			{name: "list open", as: "agent", url: "/api/v1/cases?open=true&limit=500", status: http.StatusOK,
				json: map[string]any{"next_cursor": nil}, contains: []string{"{case_ref}", "Late payment"}},
			{name: "list by status, comma-separated and repeated", as: "agent",
				url: "/api/v1/cases?status=new,open&status=closed&type=enquiry&customer_id={customer}", status: http.StatusOK,
				json: map[string]any{"items.0.reference": "{case_ref}"}},
			{name: "list mine", as: "agent", url: "/api/v1/cases?assignee=me", status: http.StatusOK,
				json: map[string]any{"items.0.assignee_id": f.num("{agent_id}"), "items.0.subject": "Hi"}},
			{name: "list bad status", as: "agent", url: "/api/v1/cases?status=lost", status: http.StatusUnprocessableEntity,
				fields: []string{"status"}},
			{name: "list bad query parameters", as: "agent", url: "/api/v1/cases?open=maybe&team=x&limit=501",
				status: http.StatusBadRequest, fields: []string{"open", "team", "limit"}},
			{name: "list bad cursor", as: "agent", url: "/api/v1/cases?cursor=bm9wZQ", status: http.StatusBadRequest,
				fields: []string{"cursor"}},
		})
	})
}

func TestCaseUpdates(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "open it", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case_ref}",
				body: `{"status":"open","version":1}`, status: http.StatusOK,
				json: map[string]any{"status": "open", "version": 2, "priority": "normal"},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if et := rec.Header().Get("ETag"); et != `"2"` {
						t.Errorf("ETag %q", et)
					}
				}},
			{name: "stale version", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"priority":"high","version":1}`, status: http.StatusConflict, contains: []string{"version 2"}},
			{name: "stale If-Match", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				header: map[string]string{"If-Match": `"1"`}, body: `{"priority":"high"}`, status: http.StatusConflict},
			{name: "bad If-Match", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				header: map[string]string{"If-Match": `abc`}, body: `{"priority":"high"}`, status: http.StatusBadRequest,
				fields: []string{"If-Match"}},
			{name: "If-Match and version disagree", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				header: map[string]string{"If-Match": `"2"`}, body: `{"priority":"high","version":3}`,
				status: http.StatusUnprocessableEntity, fields: []string{"version"}},
			{name: "current If-Match", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				header: map[string]string{"If-Match": `"2"`}, body: `{"priority":"high"}`, status: http.StatusOK,
				json: map[string]any{"priority": "high", "status": "open", "version": 3}},
			{name: "take it", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"assignee_id":{agent_id}}`, status: http.StatusOK, json: map[string]any{"assignee_id": f.num("{agent_id}")}},
			{name: "give it away without case:assign", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"assignee_id":{supervisor_id}}`, status: http.StatusForbidden},
			{name: "clear the assignee with 0", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"assignee_id":0}`, status: http.StatusOK, json: map[string]any{"assignee_id": nil}},
			{name: "supervisor assigns team and agent", as: "supervisor", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"team_id":{team},"assignee_id":{agent_id}}`, status: http.StatusOK,
				json: map[string]any{"team_id": f.num("{team}"), "assignee_id": f.num("{agent_id}")}},
			{name: "clear the team with null", as: "supervisor", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"team_id":null}`, status: http.StatusOK, json: map[string]any{"team_id": nil, "assignee_id": f.num("{agent_id}")}},
			{name: "reclassify keeps received_at", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"type":"complaint"}`, status: http.StatusOK,
				json: map[string]any{"type": "complaint", "received_at": "2026-11-21T10:00:00Z"}},
			{name: "a complaint resolves only with its outcome", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"status":"resolved"}`, status: http.StatusUnprocessableEntity, fields: []string{"outcome"}},
			{name: "the complaint's outcome", as: "supervisor", method: http.MethodPut, url: "/api/v1/complaints/{case}/outcome",
				body: `{"outcome":"withdrawn"}`, status: http.StatusOK},
			{name: "resolve sets closed_at", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"status":"resolved"}`, status: http.StatusOK, json: map[string]any{"closed_at": "2026-11-21T10:00:00Z"}},
			{name: "nothing to change", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{}`, status: http.StatusUnprocessableEntity, fields: []string{"body"}},
			{name: "null status", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"status":null}`, status: http.StatusUnprocessableEntity, fields: []string{"status"}},
			{name: "bad status", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"status":"done","priority":"meh"}`, status: http.StatusUnprocessableEntity, fields: []string{"status", "priority"}},
			{name: "wrong type", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"assignee_id":"bob"}`, status: http.StatusBadRequest, fields: []string{"assignee_id"}},
			{name: "missing case", as: "agent", method: http.MethodPatch, url: "/api/v1/cases/999999",
				body: `{"status":"open"}`, status: http.StatusNotFound},
			{name: "auditor may not update", as: "auditor", method: http.MethodPatch, url: "/api/v1/cases/{case}",
				body: `{"status":"open"}`, status: http.StatusForbidden},
		})
	})
}

func TestInteractions(t *testing.T) {
	t.Parallel()
	const call = `{"channel":"phone","direction":"outbound","body":"Called back","agent_id":{agent_id},"queue":"motor",
		"disposition":"resolved","offered_at":"2026-11-21T09:00:00Z","answered_at":"2026-11-21T09:00:10Z",
		"ended_at":"2026-11-21T09:05:00Z","wrap_up_ended_at":"2026-11-21T09:06:00Z","external_id":"pbx-1"}`
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "log a call", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{case_ref}/interactions", body: call,
				status: http.StatusCreated,
				json: map[string]any{"case_id": f.num("{case}"), "direction": "outbound", "disposition": "resolved",
					"answered_at": "2026-11-21T09:00:10Z", "agent_id": f.num("{agent_id}"), "abandoned": false}},
			{name: "same external id twice", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{case}/interactions",
				body: call, status: http.StatusConflict, contains: []string{"already"}},
			{name: "a note", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{case}/interactions",
				body: `{"channel":"note","body":"Customer sounded upset"}`, status: http.StatusCreated,
				json: map[string]any{"direction": "internal", "answered_at": nil}},
			{name: "unknown disposition and agent", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{case}/interactions",
				body: `{"channel":"phone","disposition":"nope","agent_id":424242}`, status: http.StatusUnprocessableEntity,
				fields: []string{"disposition", "agent_id"}},
			{name: "answered before offered", as: "agent", method: http.MethodPost, url: "/api/v1/cases/{case}/interactions",
				body:   `{"channel":"phone","offered_at":"2026-11-21T09:00:00Z","answered_at":"2026-11-21T08:00:00Z"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"answered_at"}},
			{name: "missing case", as: "agent", method: http.MethodPost, url: "/api/v1/cases/424242/interactions",
				body: `{"channel":"phone"}`, status: http.StatusNotFound},
			{name: "auditor may not log", as: "auditor", method: http.MethodPost, url: "/api/v1/cases/{case}/interactions",
				body: `{"channel":"phone"}`, status: http.StatusForbidden},
			{name: "list", as: "auditor", url: "/api/v1/cases/{case}/interactions", status: http.StatusOK,
				json: map[string]any{"items.0.body": "When does my cover renew?", "items.1.external_id": "pbx-1",
					"items.2.channel": "note", "next_cursor": nil}},
			{name: "first page", as: "agent", url: "/api/v1/cases/{case}/interactions?limit=2", status: http.StatusOK,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					next, _ := decodeJSON(t, rec)["next_cursor"].(string)
					rec = f.do(t, "agent", http.MethodGet, "/api/v1/cases/{case}/interactions?limit=2&cursor="+next, "", nil)
					statusOK(t, rec, http.StatusOK)
					if got, _ := lookup(decodeJSON(t, rec), "items.0.channel"); got != "note" || next == "" {
						t.Errorf("second page starts with %v (cursor %q)", got, next)
					}
				}},
			{name: "list missing case", as: "agent", url: "/api/v1/cases/CD-2026-424242/interactions", status: http.StatusNotFound},
			{name: "list bad cursor", as: "agent", url: "/api/v1/cases/{case}/interactions?cursor=-1", status: http.StatusBadRequest,
				fields: []string{"cursor"}},
		})
	})
}

// TestCaseLifecycle is the foundation issue's "done when": a case created
// through the API reads back with its interactions and its audit entries.
func TestCaseLifecycle(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		rec := f.do(t, "agent", http.MethodPost, "/api/v1/cases", `{"type":"claim","channel":"web","customer_id":{customer},
			"policy_id":{policy},"subject":"Windscreen","interaction":{"channel":"web","body":"Stone chip on the M4"}}`, nil)
		statusOK(t, rec, http.StatusCreated)
		created := decodeJSON(t, rec)
		id := int64(created["id"].(float64))

		rec = f.do(t, "agent", http.MethodGet, rec.Header().Get("Location"), "", nil)
		statusOK(t, rec, http.StatusOK)
		got := decodeJSON(t, rec)
		if _, ok := got["clocks"].([]any); !ok {
			t.Errorf("a case read alone carries its clocks: %v", got)
		}
		delete(got, "clocks")
		if !sameJSON(got, created) {
			t.Errorf("read back %v, created %v", got, created)
		}

		rec = f.do(t, "agent", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/interactions", id), "", nil)
		statusOK(t, rec, http.StatusOK)
		if body, _ := lookup(decodeJSON(t, rec), "items.0.body"); body != "Stone chip on the M4" {
			t.Errorf("first interaction body %v", body)
		}

		rec = f.do(t, "compliance", http.MethodGet, fmt.Sprintf("/api/v1/audit?entity=case&entity_id=%d", id), "", nil)
		statusOK(t, rec, http.StatusOK)
		var actions []string
		for _, it := range decodeJSON(t, rec)["items"].([]any) {
			e := it.(map[string]any)
			actions = append(actions, e["action"].(string))
			if e["actor_name"] != "agent@example.com" || e["source"] != "api" || e["ip"] != "192.0.2.1" {
				t.Errorf("audit entry %v", e)
			}
		}
		// The read, the clocks the creation started, the creation.
		if strings.Join(actions, ",") != "read,update,create" {
			t.Errorf("audit actions for the case, newest first: %v", actions)
		}
	})
}

// A call that began before the caller was identified is linked afterwards;
// a policy of another customer is refused and changes nothing.
func TestLinkCustomerAndPolicyLater(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		rec := f.do(t, "agent", http.MethodPost, "/api/v1/cases", `{"type":"enquiry","channel":"phone","subject":"Unknown caller"}`, nil)
		statusOK(t, rec, http.StatusCreated)
		ref := decodeJSON(t, rec)["reference"].(string)
		rec = f.do(t, "agent", http.MethodPost, "/api/v1/customers", `{"name":"Bob Other","email":"bob@example.net"}`, nil)
		statusOK(t, rec, http.StatusCreated)
		other := int64(decodeJSON(t, rec)["id"].(float64))
		before := f.snapshot(t)
		rec = f.do(t, "agent", http.MethodPatch, "/api/v1/cases/"+ref, fmt.Sprintf(`{"customer_id":%d,"policy_id":{policy}}`, other), nil)
		statusOK(t, rec, http.StatusUnprocessableEntity)
		if got := problemFields(decodeJSON(t, rec)); len(got) != 1 || got[0] != "policy_id" {
			t.Fatalf("fields %v", got)
		}
		if f.snapshot(t) != before {
			t.Fatal("a refused link changed the database")
		}
		// The policy alone brings its customer.
		rec = f.do(t, "agent", http.MethodPatch, "/api/v1/cases/"+ref, `{"policy_id":{policy}}`, nil)
		statusOK(t, rec, http.StatusOK)
		c := decodeJSON(t, rec)
		if fmt.Sprint(c["customer_id"]) != f.vars["{customer}"] || fmt.Sprint(c["policy_id"]) != f.vars["{policy}"] {
			t.Fatalf("after linking the policy: customer %v policy %v", c["customer_id"], c["policy_id"])
		}
	})
}
