package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestUsersTeamsTokens(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "me", as: "agent", url: "/api/v1/me", status: http.StatusOK,
				json:     map[string]any{"email": "agent@example.com", "role": "agent", "active": true},
				contains: []string{`"case:write"`}, absent: []string{"password", "hash"}},
			{name: "list users", as: "auditor", url: "/api/v1/users", status: http.StatusOK,
				json: map[string]any{"items.0.email": "admin@example.com", "next_cursor": nil}, absent: []string{"password"}},
			{name: "get user", as: "agent", url: "/api/v1/users/{auditor_id}", status: http.StatusOK,
				json: map[string]any{"role": "auditor", "team_id": nil}},
			{name: "get missing user", as: "agent", url: "/api/v1/users/999", status: http.StatusNotFound},
			{name: "create user with generated password", as: "admin", method: http.MethodPost, url: "/api/v1/users",
				body: `{"email":"new@example.com","name":"New Starter","role":"agent","team_id":{team}}`, status: http.StatusCreated,
				json: map[string]any{"team_id": f.num("{team}"), "active": true},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if pw, _ := decodeJSON(t, rec)["generated_password"].(string); len(pw) < 12 {
						t.Errorf("generated_password %q", pw)
					}
				}},
			{name: "create user with a password shows none", as: "admin", method: http.MethodPost, url: "/api/v1/users",
				body:   `{"email":"newer@example.com","name":"Newer","role":"qa_analyst","password":"a long enough password"}`,
				status: http.StatusCreated, absent: []string{"generated_password", "a long enough password"}},
			{name: "duplicate email", as: "admin", method: http.MethodPost, url: "/api/v1/users",
				body: `{"email":"new@example.com","name":"Again","role":"agent"}`, status: http.StatusConflict},
			{name: "weak password and bad role", as: "admin", method: http.MethodPost, url: "/api/v1/users",
				body: `{"email":"x@example.com","name":"X","role":"overlord","password":"short"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"role"}},
			{name: "agent may not create users", as: "agent", method: http.MethodPost, url: "/api/v1/users",
				body: `{"email":"y@example.com","name":"Y","role":"admin"}`, status: http.StatusForbidden},
			{name: "deactivate and rename", as: "admin", method: http.MethodPatch, url: "/api/v1/users/{compliance_id}",
				body: `{"active":false,"name":"Former compliance"}`, status: http.StatusOK,
				json: map[string]any{"active": false, "name": "Former compliance"}},
			{name: "a deactivated user's token stops working", as: "compliance", url: "/api/v1/me", status: http.StatusUnauthorized},
			{name: "admin may not demote themselves", as: "admin", method: http.MethodPatch, url: "/api/v1/users/{admin_id}",
				body: `{"role":"agent"}`, status: http.StatusConflict},
			{name: "patch unknown team", as: "admin", method: http.MethodPatch, url: "/api/v1/users/{agent_id}",
				body: `{"team_id":424242}`, status: http.StatusUnprocessableEntity, fields: []string{"team_id"}},

			{name: "create team", as: "admin", method: http.MethodPost, url: "/api/v1/teams", body: `{"name":"Home"}`,
				status: http.StatusCreated, json: map[string]any{"name": "Home"}},
			{name: "duplicate team", as: "admin", method: http.MethodPost, url: "/api/v1/teams", body: `{"name":"Home"}`,
				status: http.StatusConflict},
			{name: "blank team", as: "admin", method: http.MethodPost, url: "/api/v1/teams", body: `{"name":" "}`,
				status: http.StatusUnprocessableEntity, fields: []string{"name"}},
			{name: "supervisor may not create teams", as: "supervisor", method: http.MethodPost, url: "/api/v1/teams",
				body: `{"name":"Rogue"}`, status: http.StatusForbidden},
			{name: "list teams", as: "agent", url: "/api/v1/teams", status: http.StatusOK,
				json: map[string]any{"items.0.name": "Home", "items.1.name": "Motor"}},

			{name: "create disposition code", as: "admin", method: http.MethodPost, url: "/api/v1/disposition-codes",
				body: `{"code":"callback_promised","label":"Callback promised"}`, status: http.StatusCreated,
				json: map[string]any{"code": "callback_promised", "active": true}},
			{name: "bad disposition code", as: "admin", method: http.MethodPost, url: "/api/v1/disposition-codes",
				body: `{"code":"Bad Code","label":""}`, status: http.StatusUnprocessableEntity, fields: []string{"code", "label"}},
			{name: "list disposition codes", as: "agent", url: "/api/v1/disposition-codes", status: http.StatusOK,
				json: map[string]any{"items.0.code": "callback_promised", "items.1.code": "resolved"}},

			{name: "token for myself", as: "agent", method: http.MethodPost, url: "/api/v1/tokens", body: `{"name":"laptop"}`,
				status: http.StatusCreated, json: map[string]any{"name": "laptop", "user_id": f.num("{agent_id}")},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					secret, _ := decodeJSON(t, rec)["token"].(string)
					if !strings.HasPrefix(secret, "cdk_") {
						t.Fatalf("token %q", secret)
					}
					if _, err := f.svc.AuthenticateToken(context.Background(), secret, ""); err != nil {
						t.Errorf("the new token does not authenticate: %v", err)
					}
				}},
			{name: "token for someone else needs user:admin", as: "agent", method: http.MethodPost, url: "/api/v1/tokens",
				body: `{"name":"x","user_id":{supervisor_id}}`, status: http.StatusForbidden},
			{name: "admin mints a token for a user", as: "admin", method: http.MethodPost, url: "/api/v1/tokens",
				body: `{"name":"integration","user_id":{supervisor_id}}`, status: http.StatusCreated,
				json: map[string]any{"user_id": f.num("{supervisor_id}")}},
			{name: "auditor has no token:create_own", as: "auditor", method: http.MethodPost, url: "/api/v1/tokens",
				body: `{"name":"x"}`, status: http.StatusForbidden},
		})
	})
}

func TestAudit(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "compliance reads the trail", as: "compliance", url: "/api/v1/audit?entity=customer&action=create",
				status: http.StatusOK, json: map[string]any{"items.0.entity_id": "{customer}", "items.0.actor_name": "admin@example.com",
					"items.0.detail.kind": "policyholder"},
				contains: []string{`"hash":"`, `"prev_hash":"`}},
			{name: "auditor pages through", as: "auditor", url: "/api/v1/audit?limit=1", status: http.StatusOK,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					m := decodeJSON(t, rec)
					next, _ := m["next_cursor"].(string)
					first, _ := lookup(m, "items.0.seq")
					rec = f.do(t, "auditor", http.MethodGet, "/api/v1/audit?limit=1&cursor="+next, "", nil)
					statusOK(t, rec, http.StatusOK)
					second, _ := lookup(decodeJSON(t, rec), "items.0.seq")
					if first == nil || second == nil || second.(float64) >= first.(float64) {
						t.Errorf("second page starts at %v after %v", second, first)
					}
				}},
			{name: "time window", as: "auditor", url: "/api/v1/audit?since=2026-11-21T09:00:00Z&until=2026-11-21T11:00:00Z&actor_id={admin_id}",
				status: http.StatusOK, contains: []string{`"entity":"case"`}},
			{name: "bad time and actor", as: "auditor", url: "/api/v1/audit?since=yesterday&actor_id=-3", status: http.StatusBadRequest,
				fields: []string{"since", "actor_id"}},
			{name: "agent may not read the trail", as: "agent", url: "/api/v1/audit", status: http.StatusForbidden,
				contains: []string{"audit:read"}},
		})
	})
}
