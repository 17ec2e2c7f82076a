package httpapi_test

import (
	"net/http"
	"testing"
)

// TestComplaintEveryTierInEachReport takes one complaint under the UK,
// Australian and Californian regimes through every tier through the API
// (frontline, specialist review, executive review, referred to the
// California Department of Insurance), refusing on the way to close it
// through the generic case update without an outcome, and then finds its
// line in each of the three regulatory reports.
func TestComplaintEveryTierInEachReport(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		addComplaintsHandler(t, f)
		tr := func(name, as, body string, status int, fields ...string) scenario {
			return scenario{name: name, as: as, method: http.MethodPost, url: "/api/v1/complaints/{ref}/transitions", body: body,
				status: status, fields: fields}
		}
		report := func(name string, want map[string]any) scenario {
			return scenario{name: "its line in " + name, as: "compliance", url: "/api/v1/reports/" + name + "?from=2026-11-01&to=2026-11-30",
				status: 200, json: want}
		}
		runComplaintScenarios(t, f, []scenario{
			{name: "intake", as: "agent", method: http.MethodPost, url: "/api/v1/complaints", status: 201,
				body: `{"channel":"email","subject":"Hail claim: repair refused","customer_id":{customer},"policy_id":{policy},
					"description":"The repairer refused the roof.","regimes":["uk-fca","au-asic","us-ca-claims"],"vulnerable":true}`,
				check: keep("{ref}", "case.reference")},
			{name: "the handler takes it", as: "handler", method: http.MethodPatch, url: "/api/v1/cases/{ref}",
				body: `{"assignee_id":{handler_id}}`, status: 200},
			tr("acknowledge", "handler", `{"to":"acknowledged"}`, 200),
			tr("investigate", "handler", `{"to":"investigating"}`, 200),
			{name: "closing through the case needs the outcome", as: "handler", method: http.MethodPatch, url: "/api/v1/cases/{ref}",
				body: `{"status":"closed"}`, status: 422, fields: []string{"outcome"}},
			tr("tier 2", "handler", `{"to":"tier2","reviewer_id":{supervisor_id}}`, 200),
			tr("tier 2 responds", "supervisor", `{"to":"response_issued"}`, 200),
			tr("executive review", "supervisor", `{"to":"executive","reviewer_id":{admin_id}}`, 200),
			{name: "outcome", as: "admin", method: http.MethodPut, url: "/api/v1/complaints/{ref}/outcome",
				body: `{"outcome":"not_upheld","reasoning":"The repair was outside the policy's cover.","root_cause":"claims_decision"}`, status: 200},
			tr("executive responds", "admin", `{"to":"response_issued"}`, 200),
			{name: "goodwill paid", as: "admin", method: http.MethodPost, url: "/api/v1/complaints/{ref}/redress",
				body: `{"kind":"goodwill","amount":"50.00","currency":"AUD","status":"paid","payment_ref":"PAY-9"}`, status: 201},
			tr("close", "admin", `{"to":"closed","customer_response":"disagreed"}`, 200),
			tr("referred to the state department", "admin", `{"to":"referred","referred_to":"US-CA-CDI"}`, 200),
			report("fca-complaints-return", map[string]any{"rows.0.product_group": "Motor & transport",
				"rows.0.cause": "Terms and disputed sums/charges", "rows.0.opened": "1", "rows.0.closed": "1", "rows.0.upheld_pct": "0.0",
				"rows.0.redress_paid": "AUD 50.00"}),
			report("asic-idr", map[string]any{"rows.0.complaint_id": "{ref}", "rows.0.channel": "email", "rows.0.product": "motor",
				"rows.0.status": "closed", "rows.0.outcome": "in_favour_of_firm", "rows.0.remedy": "goodwill",
				"rows.0.compensation_paid": "AUD 50.00", "rows.0.referred_to_afca": "no", "rows.0.vulnerable": "yes",
				"rows.0.within_idr_timeframe": "yes"}),
			report("us-complaint-register", map[string]any{"rows.0.complaint_id": "{ref}", "rows.0.function": "Claims handling",
				"rows.0.line_of_insurance": "Private passenger auto", "rows.0.disposition": "Company position upheld",
				"rows.0.insurance_department_complaint": "yes", "rows.0.state": "CA"}),
		})
	})
}
