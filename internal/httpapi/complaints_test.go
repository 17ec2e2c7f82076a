package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
)

// complaintTables are counted to show that a refused complaint write left
// nothing behind, beside the fixture's own snapshot.
var complaintTables = []string{"complaints", "complaint_transitions", "complaint_handlers", "complaint_evidence",
	"complaint_requests", "complaint_redress", "complaint_capa", "complaint_root_causes", "complaint_signals", "case_clocks",
	"case_events"}

func complaintSnapshot(t *testing.T, f *fixture) string {
	t.Helper()
	var b strings.Builder
	for _, table := range complaintTables {
		var n int
		must(t, f.raw.QueryRow("SELECT count(*) FROM "+table).Scan(&n))
		fmt.Fprintf(&b, "%s=%d ", table, n)
	}
	var stages string
	rows, err := f.raw.Query("SELECT stage, outcome, referred_to FROM complaints ORDER BY case_id")
	must(t, err)
	defer rows.Close()
	for rows.Next() {
		var s, o, r string
		must(t, rows.Scan(&s, &o, &r))
		stages += s + "/" + o + "/" + r + " "
	}
	return b.String() + stages
}

// runComplaintScenarios runs scenarios and also checks that each refused
// write left the complaint tables as they were.
func runComplaintScenarios(t *testing.T, f *fixture, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			failing := sc.method != "" && sc.method != http.MethodGet && sc.status >= 400
			before := ""
			if failing {
				before = complaintSnapshot(t, f)
			}
			sc.run(t, f)
			if failing {
				if after := complaintSnapshot(t, f); after != before {
					t.Errorf("a refused %s changed the complaint tables:\n%s\n%s", sc.method, before, after)
				}
			}
		})
	}
}

// addComplaintsHandler creates a complaints handler with a token.
func addComplaintsHandler(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	admin, err := f.svc.AuthenticateToken(ctx, f.tokens["admin"], "127.0.0.1")
	must(t, err)
	u := &care.User{Email: "handler@example.com", Name: "Hannah Handler", Role: "complaints_handler"}
	_, err = f.svc.CreateUser(care.NewContextWithActor(ctx, admin), u, "a long enough password")
	must(t, err)
	f.vars["{handler_id}"] = strconv.FormatInt(u.ID, 10)
	f.token(t, admin, u.ID, "handler")
}

// keep remembers a value of the answer under a placeholder.
func keep(name, path string) func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
	return func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
		t.Helper()
		v, ok := lookup(decodeJSON(t, rec), path)
		if !ok {
			t.Fatalf("answer has no %s:\n%s", path, rec.Body)
		}
		f.vars[name] = strings.TrimSuffix(fmt.Sprint(v), ".0")
		if n, ok := v.(float64); ok {
			f.vars[name] = strconv.FormatInt(int64(n), 10)
		}
	}
}

// TestComplaintThroughEveryTier takes a complaint from intake through
// frontline, tier 2 and executive review to closure and referral to the
// ombudsman, through the API, with its evidence, outcome, redress and CAPA,
// each reviewer independent of the tiers before, and its audit entries.
func TestComplaintThroughEveryTier(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		addComplaintsHandler(t, f)
		tr := func(name, as, body string, status int, more ...func(*scenario)) scenario {
			sc := scenario{name: name, as: as, method: http.MethodPost, url: "/api/v1/complaints/{ref}/transitions", body: body, status: status}
			for _, m := range more {
				m(&sc)
			}
			return sc
		}
		fields := func(fs ...string) func(*scenario) { return func(sc *scenario) { sc.fields = fs } }
		want := func(m map[string]any) func(*scenario) { return func(sc *scenario) { sc.json = m } }
		runComplaintScenarios(t, f, []scenario{
			{name: "intake refuses a bad assessment", as: "agent", method: http.MethodPost, url: "/api/v1/complaints",
				body: `{"channel":"phone","subject":"Claim delay","severity":"huge","impact":"vast"}`, status: 422,
				fields: []string{"severity", "impact"}},
			{name: "intake refuses an unknown field", as: "agent", method: http.MethodPost, url: "/api/v1/complaints",
				body: `{"channel":"phone","subject":"Claim delay","colour":"red"}`, status: 400, fields: []string{"colour"}},
			{name: "intake", as: "agent", method: http.MethodPost, url: "/api/v1/complaints", status: 201,
				body: `{"channel":"phone","subject":"Claim delay","customer_id":{customer},"policy_id":{policy},
					"description":"Nobody has called me back about my claim. Card 4111 1111 1111 1111.",
					"regimes":["uk-fca","iso10002"],"claim_number":"CLM-1","remedy_sought":"Settle the claim and compensate me",
					"severity":"high","complexity":"moderate","impact":"high","immediate_action":true,"vulnerable":true,
					"vulnerability_note":"recently bereaved"}`,
				json:   map[string]any{"stage": "received", "tier": "frontline", "case.type": "complaint", "severity": "high", "vulnerable": true},
				absent: []string{"4111 1111"}, check: keep("{ref}", "case.reference")},
			{name: "the auditor may not move it", as: "auditor", method: http.MethodPost, url: "/api/v1/complaints/{ref}/transitions",
				body: `{"to":"acknowledged"}`, status: 403},
			{name: "an agent may not move it", as: "agent", method: http.MethodPost, url: "/api/v1/complaints/{ref}/transitions",
				body: `{"to":"acknowledged"}`, status: 403},
			tr("an unknown target names the field", "handler", `{"to":"sideways"}`, 422, fields("to")),
			tr("no skipping to investigating", "handler", `{"to":"investigating"}`, 409),
			{name: "the handler takes it", as: "handler", method: http.MethodPatch, url: "/api/v1/cases/{ref}",
				body: `{"assignee_id":{handler_id}}`, status: 200},
			tr("acknowledge", "handler", `{"to":"acknowledged","note":"called the customer"}`, 200, want(map[string]any{"stage": "acknowledged"})),
			tr("investigate", "handler", `{"to":"investigating"}`, 200),
			{name: "evidence: a note", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/evidence",
				body: `{"kind":"note","note":"Claim file shows no call since 3 Nov."}`, status: 201},
			{name: "evidence: a foreign interaction", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/evidence",
				body: `{"kind":"interaction","interaction_id":999999}`, status: 422, fields: []string{"interaction_id"}},
			{name: "ask the claims team", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/requests",
				body: `{"team":"claims","question":"Why was there no callback?","due_on":"2026-11-25"}`, status: 201,
				json: map[string]any{"status": "open"}, check: keep("{request}", "id")},
			{name: "a request needs a date", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/requests",
				body: `{"team":"claims","question":"?","due_on":"soon"}`, status: 400, fields: []string{"due_on"}},
			{name: "claims answers", as: "handler", method: http.MethodPatch, url: "/api/v1/complaints/{ref}/requests/{request}",
				body: `{"status":"answered","answer":"Handler on leave; file not reassigned."}`, status: 200,
				json: map[string]any{"status": "answered"}},
			tr("the handler cannot review themself", "handler", `{"to":"tier2","reviewer_id":{handler_id}}`, 422, fields("reviewer_id")),
			tr("escalate by hand to tier 2", "handler", `{"to":"tier2","reviewer_id":{supervisor_id},"note":"customer asks for a manager"}`, 200,
				want(map[string]any{"tier": "tier2"}),
				func(sc *scenario) { sc.contains = []string{`"name":"tier2_review"`, `"assignee_id":{supervisor_id}`} }),
			tr("the frontline handler cannot answer at tier 2", "handler", `{"to":"response_issued"}`, 409),
			tr("tier 2 responds", "supervisor", `{"to":"response_issued"}`, 200, want(map[string]any{"stage": "response_issued"})),
			tr("no moving down", "supervisor", `{"to":"tier2"}`, 409),
			tr("tier 2 cannot review at executive", "supervisor", `{"to":"executive","reviewer_id":{supervisor_id}}`, 422, fields("reviewer_id")),
			tr("escalate to executive", "supervisor", `{"to":"executive","reviewer_id":{admin_id}}`, 200,
				want(map[string]any{"tier": "executive", "stage": "investigating"})),
			tr("executive responds", "admin", `{"to":"response_issued"}`, 200),
			tr("closing needs an outcome", "admin", `{"to":"closed","customer_response":"accepted"}`, 422, fields("outcome")),
			{name: "outcome with an unknown cause", as: "admin", method: http.MethodPut, url: "/api/v1/complaints/{ref}/outcome",
				body: `{"outcome":"partly_upheld","reasoning":"Callback missed.","root_cause":"gremlins"}`, status: 422, fields: []string{"root_cause"}},
			{name: "outcome", as: "admin", method: http.MethodPut, url: "/api/v1/complaints/{ref}/outcome",
				body: `{"outcome":"partly_upheld","reasoning":"Callback missed; claim decision stands.","root_cause":"claims_delay"}`, status: 200},
			{name: "redress with too many decimals", as: "admin", method: http.MethodPost, url: "/api/v1/complaints/{ref}/redress",
				body: `{"kind":"compensation","amount":"150.001","currency":"GBP"}`, status: 422, fields: []string{"amount"}},
			{name: "redress offered", as: "admin", method: http.MethodPost, url: "/api/v1/complaints/{ref}/redress",
				body: `{"kind":"compensation","amount":"150.00","currency":"GBP","note":"distress and inconvenience"}`, status: 201,
				json: map[string]any{"amount": "150.00", "status": "offered"}, check: keep("{redress}", "id")},
			{name: "paid without its payment record", as: "admin", method: http.MethodPatch, url: "/api/v1/complaints/{ref}/redress/{redress}",
				body: `{"status":"paid"}`, status: 422, fields: []string{"payment_ref"}},
			{name: "redress paid", as: "admin", method: http.MethodPatch, url: "/api/v1/complaints/{ref}/redress/{redress}",
				body: `{"status":"paid","payment_ref":"PAY-2026-0042"}`, status: 200, json: map[string]any{"payment_ref": "PAY-2026-0042"}},
			tr("closing needs the customer's response", "admin", `{"to":"closed"}`, 422, fields("customer_response")),
			tr("close", "admin", `{"to":"closed","customer_response":"disagreed"}`, 200,
				want(map[string]any{"stage": "closed", "case.status": "closed", "customer_response": "disagreed"}),
				func(sc *scenario) { sc.absent = []string{`"state":"running"`, `"state":"warning"`} }),
			{name: "CAPA with its default due date", as: "admin", method: http.MethodPost, url: "/api/v1/complaints/{ref}/capa",
				body:   `{"kind":"corrective","description":"Reassign files of absent handlers daily","owner_id":{supervisor_id}}`,
				status: 201, json: map[string]any{"due_on": "2026-12-04", "status": "open"}},
			tr("not to a foreign ombudsman", "admin", `{"to":"referred","referred_to":"AFCA"}`, 422, fields("referred_to")),
			tr("referred to the ombudsman", "admin", `{"to":"referred","referred_to":"FOS"}`, 200,
				want(map[string]any{"tier": "referred", "referred_to": "FOS"})),
			{name: "the auditor reads the whole record", as: "auditor", url: "/api/v1/complaints/{ref}", status: 200,
				json: map[string]any{"transitions.0.to": "acknowledged", "transitions.0.actor_name": "handler@example.com",
					"transitions.2.to": "tier2", "transitions.8.to": "referred", "evidence.0.kind": "note", "requests.0.status": "answered", "redress.0.status": "paid", "capa.0.kind": "corrective",
					"outcome": "partly_upheld", "root_cause": "claims_delay"},
				contains: []string{`"reviewer_id":{supervisor_id}`, `{"tier":"frontline","user_id":{handler_id}`,
					`{"tier":"tier2","user_id":{supervisor_id}`, `{"tier":"executive","user_id":{admin_id}`},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					m := decodeJSON(t, rec)
					if n := len(m["transitions"].([]any)); n != 9 {
						t.Errorf("%d transitions, want 9", n)
					}
					if n := len(m["handlers"].([]any)); n != 3 {
						t.Errorf("%d tier handlers, want 3: %v", n, m["handlers"])
					}
					f.vars["{complaint_id}"] = strconv.FormatInt(int64(m["case"].(map[string]any)["id"].(float64)), 10)
				}},
			{name: "its audit trail", as: "auditor", url: "/api/v1/audit?entity=complaint&entity_id={complaint_id}&limit=100", status: 200,
				contains: []string{`"to":"referred"`, `"reviewer_id":{admin_id}`, `"customer_response":"disagreed"`},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if n := len(decodeJSON(t, rec)["items"].([]any)); n < 12 {
						t.Errorf("%d complaint audit entries, want at least 12 (intake, 9 moves, outcome, reads)", n)
					}
				}},
			{name: "agents do not run regulatory reports", as: "agent", url: "/api/v1/reports/fca-complaints-return?from=2026-11-01&to=2026-11-30", status: 403},
			{name: "a report needs its period", as: "compliance", url: "/api/v1/reports/fca-complaints-return?from=2026-11-01&to=30.11.2026",
				status: 422, fields: []string{"to"}},
			{name: "an unknown report", as: "compliance", url: "/api/v1/reports/fos-return?from=2026-11-01&to=2026-11-30", status: 422, fields: []string{"name"}},
			{name: "its line in the FCA return", as: "compliance", url: "/api/v1/reports/fca-complaints-return?from=2026-11-01&to=2026-11-30", status: 200,
				json: map[string]any{"report": "fca-complaints-return", "rows.0.product_group": "Motor & transport", "rows.0.cause": "Delays/timescales",
					"rows.0.opened": "1", "rows.0.closed": "1", "rows.0.closed_within_3_business_days_pct": "100.0", "rows.0.upheld_pct": "100.0",
					"rows.0.redress_paid": "GBP 150.00", "columns.0.name": "product_group"}},
			{name: "the FCA return as CSV", as: "auditor", url: "/api/v1/reports/fca-complaints-return?from=2026-11-01&to=2026-11-30&format=csv", status: 200,
				contains: []string{"product_group,cause,opened,closed,", "Motor & transport,Delays/timescales,1,1,100.0,0.0,0.0,100.0,GBP 150.00"},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
						t.Errorf("Content-Type %q", ct)
					}
				}},
		})
	})
}

// TestComplaintSignalAndTaxonomy: confirming a signal makes a complaint of
// an enquiry through the API; the root-cause taxonomy is read by staff and
// extended by administrators only.
func TestComplaintSignalAndTaxonomy(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		runComplaintScenarios(t, f, []scenario{
			{name: "an enquiry", as: "agent", method: http.MethodPost, url: "/api/v1/cases", status: 201,
				body: `{"type":"enquiry","channel":"email","subject":"Again","received_at":"2026-11-18T09:00:00Z",
					"description":"Fourth email. Nobody answers. I am taking this to the Financial Ombudsman."}`,
				check: keep("{enq}", "reference")},
			{name: "its interactions", as: "agent", url: "/api/v1/cases/{enq}/interactions", status: 200, check: keep("{msg}", "items.0.id")},
			{name: "a bad verdict", as: "agent", method: http.MethodPost, url: "/api/v1/interactions/{msg}/complaint-signal",
				body: `{"decision":"perhaps"}`, status: 422, fields: []string{"decision"}},
			{name: "not a complaint yet", as: "agent", url: "/api/v1/complaints/{enq}", status: 409},
			{name: "the auditor cannot decide", as: "auditor", method: http.MethodPost, url: "/api/v1/interactions/{msg}/complaint-signal",
				body: `{"decision":"confirm"}`, status: 403},
			{name: "confirm", as: "agent", method: http.MethodPost, url: "/api/v1/interactions/{msg}/complaint-signal",
				body: `{"decision":"confirm","note":"threatens the ombudsman"}`, status: 200,
				json: map[string]any{"case_type": "complaint", "decision": "confirm"}, contains: []string{"ombudsman"}},
			{name: "one verdict per interaction", as: "agent", method: http.MethodPost, url: "/api/v1/interactions/{msg}/complaint-signal",
				body: `{"decision":"dismiss"}`, status: 409},
			{name: "its clocks count from first receipt", as: "auditor", url: "/api/v1/complaints/{enq}", status: 200,
				json: map[string]any{"stage": "received"}, contains: []string{`"started_at":"2026-11-18T09:00:00Z"`}},
			{name: "the complaints queue", as: "agent", url: "/api/v1/complaints?stage=received&tier=frontline&open=true", status: 200,
				json: map[string]any{"items.0.case.reference": "{enq}", "items.0.stage": "received", "next_cursor": nil},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if m := decodeJSON(t, rec); len(m["items"].([]any)) != 1 || m["items"].([]any)[0].(map[string]any)["next_due"] == nil {
						t.Errorf("queue: %s", rec.Body)
					}
				}},
			{name: "no complaint at another stage", as: "agent", url: "/api/v1/complaints?stage=closed", status: 200, json: map[string]any{"items": []any{}}},
			{name: "a bad stage filter", as: "agent", url: "/api/v1/complaints?stage=pending", status: 422, fields: []string{"stage"}},
			{name: "the taxonomy", as: "auditor", url: "/api/v1/complaint-root-causes", status: 200, contains: []string{"claims_delay", "policy_terms"}},
			{name: "staff cannot extend it", as: "supervisor", method: http.MethodPost, url: "/api/v1/complaint-root-causes",
				body: `{"code":"weather","category":"claims","label":"Storm surge"}`, status: 403},
			{name: "a bad code", as: "admin", method: http.MethodPost, url: "/api/v1/complaint-root-causes",
				body: `{"code":"Storm Surge","category":"claims","label":"Storm surge"}`, status: 422, fields: []string{"code"}},
			{name: "administrators extend it", as: "admin", method: http.MethodPost, url: "/api/v1/complaint-root-causes",
				body: `{"code":"storm_surge","category":"claims","label":"Storm surge claims backlog"}`, status: 201},
			{name: "no duplicates", as: "admin", method: http.MethodPost, url: "/api/v1/complaint-root-causes",
				body: `{"code":"storm_surge","category":"claims","label":"Again"}`, status: 422, fields: []string{"code"}},
		})
	})
}
