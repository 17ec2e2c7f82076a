package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// claimFixture adds the claims roles' users and a home policy.
func claimFixture(t *testing.T, f *fixture) {
	t.Helper()
	admin := care.Actor{UserID: f.num("{admin_id}"), Name: "admin", Role: "admin", Source: "test"}
	actx := care.NewContextWithActor(context.Background(), admin)
	for _, role := range []string{"adjuster", "underwriter", "accounts"} {
		u := &care.User{Email: role + "@example.com", Name: role, Role: role}
		if _, err := f.svc.CreateUser(actx, u, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		f.token(t, admin, u.ID, role)
	}
	pol := &care.Policy{CustomerID: f.num("{customer}"), Number: "HOM-0001", Line: "home",
		Start: now.AddDate(0, -6, 0), End: now.AddDate(0, 6, 0), PremiumMinor: 30000}
	must(t, f.svc.CreatePolicy(actx, pol))
}

// remember stores a field of the answer under a placeholder.
func remember(name, field string) func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
	return func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
		m := decodeJSON(t, rec)
		switch v := m[field].(type) {
		case string:
			f.vars[name] = v
		case float64:
			f.vars[name] = strconv.FormatInt(int64(v), 10)
		}
	}
}

func move(as, key, to string) scenario {
	return scenario{name: as + " moves " + key + " to " + to, as: as, method: http.MethodPost,
		url: "/api/v1/claims/" + key + "/transitions", body: `{"to":"` + to + `"}`, status: http.StatusOK,
		json: map[string]any{"stage": to}}
}

// A motor claim and a property claim go from FNOL to payment through the
// API, each stage moved by its own role; a user without authority cannot
// settle above their limit; a dispute opens a linked complaint.
func TestClaimsFromFNOLToPayment(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		claimFixture(t, f)
		loss := now.Add(-30 * time.Minute).Format(time.RFC3339) // MOT-0001 starts today
		reported := now.Add(-10 * time.Minute).Format(time.RFC3339)
		runScenarios(t, f, []scenario{
			{name: "FNOL needs its fields", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body: `{"policy_number":"","loss_type":"meteor","description":""}`, status: http.StatusUnprocessableEntity,
				fields: []string{"policy_number", "loss_type", "description", "loss_at"}},
			{name: "unknown policy", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"NOPE-1","loss_at":"` + loss + `","loss_type":"motor","description":"x"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"policy_number"}},
			{name: "auditors take no FNOL", as: "auditor", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"MOT-0001","loss_at":"` + loss + `","loss_type":"motor","description":"x"}`,
				status: http.StatusForbidden},
			{name: "motor FNOL by phone", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body: `{"policy_number":"mot-0001","loss_at":"` + loss + `","reported_at":"` + reported + `","loss_type":"motor",
					"place":"M4 junction 12","description":"Hit from behind in traffic","channel":"phone",
					"parties":[{"role":"third_party","name":"Tom Other","contact":"07700 900111"}]}`,
				status: http.StatusCreated, contains: []string{`"number":"CL-2026-`, `"name":"fnol_capture"`, `"name":"settlement"`},
				json:  map[string]any{"stage": "intake", "stage_info.permission": "claim:intake", "cover_problems": []any{}},
				check: remember("{motor}", "number")},
			{name: "property FNOL on a motor policy shows the problem", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"MOT-0001","loss_at":"` + loss + `","loss_type":"property","description":"Garage flooded"}`,
				status: http.StatusCreated, json: map[string]any{"cover_problems.0.code": "loss_type_mismatch"}},
			{name: "property FNOL by email", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"HOM-0001","loss_at":"` + loss + `","loss_type":"property","description":"Storm took the roof","channel":"email"}`,
				status: http.StatusCreated, contains: []string{`"name":"inspection"`}, check: remember("{home}", "number")},
			{name: "a bad estimate is named", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"MOT-0001","loss_at":"` + loss + `","loss_type":"motor","description":"x","estimate":"12.345"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"estimate"}},
			{name: "a negative estimate is named", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"MOT-0001","loss_at":"` + loss + `","loss_type":"motor","description":"x","estimate":"-5"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"estimate"}},
			{name: "complex motor FNOL owes no 10-day settlement", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body: `{"policy_number":"MOT-0001","loss_at":"` + loss + `","loss_type":"motor","description":"Head-on, driver hurt",
					"injuries":true,"liability_disputed":true,"estimate":"7500.00"}`,
				status: http.StatusCreated, absent: []string{`"name":"settlement"`},
				json: map[string]any{"complexity": "complex", "estimate": "7500.00",
					"complexity_note": "injuries reported; liability disputed; estimate 7500.00 not below 5000.00"}},
			{name: "claim by number", as: "auditor", url: "/api/v1/claims/{motor}", status: http.StatusOK,
				json: map[string]any{"number": "{motor}", "policy_number": "MOT-0001", "parties.0.name": "Tom Other",
					"complexity": "simple", "estimate": nil}},
			{name: "wrong role for the stage", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{motor}/transitions",
				body: `{"to":"assessment"}`, status: http.StatusUnprocessableEntity, fields: []string{"to"}},
			{name: "adjuster cannot move intake", as: "adjuster", method: http.MethodPost, url: "/api/v1/claims/{motor}/transitions",
				body: `{"to":"review"}`, status: http.StatusForbidden, contains: []string{"Customer service"}},
			move("agent", "{motor}", "review"),
			move("claims_handler", "{motor}", "assessment"),
			{name: "reserve", as: "adjuster", method: http.MethodPost, url: "/api/v1/claims/{motor}/reserves",
				body: `{"amount":"6500.00","note":"Both cars"}`, status: http.StatusCreated, json: map[string]any{"reserve": "6500.00"}},
			move("adjuster", "{motor}", "coverage"),
			move("underwriter", "{motor}", "settlement"),
			{name: "above the handler's authority", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{motor}/settlement",
				body: `{"amount":"6200.00"}`, status: http.StatusForbidden, fields: []string{"amount"}, contains: []string{"GBP 5000.00"}},
			{name: "no offer without a settlement", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{motor}/transitions",
				body: `{"to":"offer"}`, status: http.StatusConflict},
			{name: "the supervisor approves", as: "supervisor", method: http.MethodPost, url: "/api/v1/claims/{motor}/settlement",
				body: `{"amount":"6200.00","note":"Repair quote"}`, status: http.StatusOK, json: map[string]any{"stage": "offer", "settled": "6200.00"}},
			move("agent", "{motor}", "decision"),
			{name: "accept", as: "agent", method: http.MethodPost, url: "/api/v1/claims/{motor}/decision",
				body: `{"decision":"accept"}`, status: http.StatusOK, json: map[string]any{"stage": "payment", "decision": "accepted"}},
			{name: "claims cannot pay", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{motor}/payments",
				body: `{"amount":"6200.00","payee":"Ada","method":"bank_transfer"}`, status: http.StatusForbidden},
			{name: "overpayment", as: "accounts", method: http.MethodPost, url: "/api/v1/claims/{motor}/payments",
				body: `{"amount":"6200.01","payee":"Ada","method":"bank_transfer"}`, status: http.StatusUnprocessableEntity, fields: []string{"amount"}},
			{name: "paid in full", as: "accounts", method: http.MethodPost, url: "/api/v1/claims/{motor}/payments",
				body: `{"amount":"6200.00","payee":"Ada Lovelace","method":"bank_transfer","reference":"BACS-1"}`, status: http.StatusCreated,
				json: map[string]any{"stage": "closed", "paid": "6200.00", "outstanding": "0.00", "reserve": "0.00", "case.status": "closed"}},

			{name: "inspection", as: "adjuster", method: http.MethodPost, url: "/api/v1/claims/{home}/inspection",
				body: `{"at":"` + now.Add(24*time.Hour).Format(time.RFC3339) + `","inspector":"R. Surveyor"}`, status: http.StatusOK,
				json: map[string]any{"inspector": "R. Surveyor"}},
			move("agent", "{home}", "review"),
			{name: "documents needed", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{home}/document-requests",
				body: `{"documents":[]}`, status: http.StatusUnprocessableEntity, fields: []string{"documents"}},
			{name: "ask for documents", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{home}/document-requests",
				body: `{"documents":["Roofer's quote","Photos of the roof"]}`, status: http.StatusOK, json: map[string]any{"stage": "review"}},
			move("claims_handler", "{home}", "assessment"),
			move("adjuster", "{home}", "coverage"),
			move("underwriter", "{home}", "settlement"),
			{name: "handler settles within authority", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{home}/settlement",
				body: `{"amount":2400}`, status: http.StatusOK, json: map[string]any{"stage": "offer"}},
			move("agent", "{home}", "decision"),
			{name: "dispute needs a note", as: "agent", method: http.MethodPost, url: "/api/v1/claims/{home}/decision",
				body: `{"decision":"dispute"}`, status: http.StatusUnprocessableEntity, fields: []string{"note"}},
			{name: "dispute opens a complaint", as: "agent", method: http.MethodPost, url: "/api/v1/claims/{home}/decision",
				body: `{"decision":"dispute","note":"The roofer quotes 4,000","channel":"email"}`, status: http.StatusOK,
				json: map[string]any{"stage": "settlement", "decision": "disputed"}, check: remember("{complaint}", "complaint_reference")},
			{name: "the complaint names the claim", as: "auditor", url: "/api/v1/complaints/{complaint}", status: http.StatusOK,
				json: map[string]any{"claim_number": "{home}", "stage": "received"}},
			{name: "revised settlement", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{home}/settlement",
				body: `{"amount":"4000.00"}`, status: http.StatusOK},
			move("agent", "{home}", "decision"),
			{name: "accept the revised offer", as: "agent", method: http.MethodPost, url: "/api/v1/claims/{home}/decision",
				body: `{"decision":"accept"}`, status: http.StatusOK},
			{name: "part payment", as: "accounts", method: http.MethodPost, url: "/api/v1/claims/{home}/payments",
				body: `{"amount":"1000.00","payee":"Roofer Ltd","method":"repairer"}`, status: http.StatusCreated,
				json: map[string]any{"stage": "payment", "outstanding": "3000.00"}},
			{name: "balance", as: "accounts", method: http.MethodPost, url: "/api/v1/claims/{home}/payments",
				body: `{"amount":"3000.00","payee":"Ada Lovelace","method":"bank_transfer"}`, status: http.StatusCreated,
				json: map[string]any{"stage": "closed", "complaint_reference": "{complaint}"}},
			{name: "reopen needs a reason", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{home}/reopen",
				body: `{"note":""}`, status: http.StatusUnprocessableEntity, fields: []string{"note"}},
			{name: "reopen", as: "claims_handler", method: http.MethodPost, url: "/api/v1/claims/{home}/reopen",
				body: `{"note":"Ceiling damage found"}`, status: http.StatusOK, json: map[string]any{"stage": "review", "reopened": 1}},
			{name: "list by stage", as: "claims_handler", url: "/api/v1/claims?stage=closed", status: http.StatusOK,
				json: map[string]any{"items.0.number": "{motor}"}},
			{name: "bad stage filter", as: "claims_handler", url: "/api/v1/claims?stage=limbo", status: http.StatusUnprocessableEntity,
				fields: []string{"stage"}},
			{name: "first page of one", as: "auditor", url: "/api/v1/claims?limit=1", status: http.StatusOK,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					m := decodeJSON(t, rec)
					c, ok := m["next_cursor"].(string)
					if !ok || c == "" || len(m["items"].([]any)) != 1 {
						t.Fatalf("first page: %v", m)
					}
					f.vars["{cursor}"] = c
					f.vars["{first}"] = m["items"].([]any)[0].(map[string]any)["number"].(string)
				}},
			{name: "next page", as: "auditor", url: "/api/v1/claims?limit=1&cursor={cursor}", status: http.StatusOK,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					m := decodeJSON(t, rec)
					items := m["items"].([]any)
					if len(items) != 1 || items[0].(map[string]any)["number"] == f.vars["{first}"] {
						t.Fatalf("second page repeats or is empty: %v", m)
					}
				}},
			{name: "all on one page", as: "auditor", url: "/api/v1/claims?limit=100", status: http.StatusOK,
				json: map[string]any{"next_cursor": nil}},
			{name: "bad cursor", as: "auditor", url: "/api/v1/claims?cursor=bm9wZQ", status: http.StatusBadRequest,
				fields: []string{"cursor"}},
		})
	})
}

// Catastrophe events pause the inspection milestone of linked claims;
// settlement authority is set per role and per user.
func TestClaimsCatastropheAndAuthority(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		claimFixture(t, f)
		loss := now.Add(-3 * time.Hour).Format(time.RFC3339)
		runScenarios(t, f, []scenario{
			{name: "claims handlers declare none", as: "claims_handler", method: http.MethodPost, url: "/api/v1/catastrophes",
				body: `{"name":"Storm"}`, status: http.StatusForbidden},
			{name: "declare", as: "supervisor", method: http.MethodPost, url: "/api/v1/catastrophes",
				body: `{"name":"Storm Ciara","region":"South West"}`, status: http.StatusCreated, json: map[string]any{"active": true},
				check: remember("{cat}", "id")},
			{name: "FNOL linked to the event", as: "agent", method: http.MethodPost, url: "/api/v1/claims",
				body:   `{"policy_number":"HOM-0001","loss_at":"` + loss + `","loss_type":"property","description":"Fence down","catastrophe_id":{cat}}`,
				status: http.StatusCreated, contains: []string{`"state":"paused"`}, check: remember("{home}", "number")},
			{name: "end", as: "supervisor", method: http.MethodPost, url: "/api/v1/catastrophes/{cat}/end", status: http.StatusOK,
				json: map[string]any{"active": false}},
			{name: "inspection runs again", as: "agent", url: "/api/v1/claims/{home}", status: http.StatusOK, absent: []string{`"state":"paused"`}},
			{name: "end twice", as: "supervisor", method: http.MethodPost, url: "/api/v1/catastrophes/{cat}/end", status: http.StatusConflict},
			{name: "user override", as: "admin", method: http.MethodPut, url: "/api/v1/settlement-authority",
				body: `{"user_id":{claims_handler_id},"limit":"20000.00"}`, status: http.StatusOK, json: map[string]any{"limit": "20000.00"}},
			{name: "role and user at once", as: "admin", method: http.MethodPut, url: "/api/v1/settlement-authority",
				body: `{"role":"agent","user_id":{claims_handler_id},"limit":"1"}`, status: http.StatusUnprocessableEntity, fields: []string{"role"}},
			{name: "list", as: "auditor", url: "/api/v1/settlement-authority", status: http.StatusOK, contains: []string{`"role":"claims_handler"`, `"limit":"20000.00"`}},
		})
	})
}
