package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// A policy serviced through the API: a renewal offer, a mid-term change
// raised by an agent as a service request and applied by a supervisor,
// instalments and a payment, then the renewal, with every bad input
// refused naming its field.
func TestPolicyServicing(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		const pol = "/api/v1/policies/MOT-0001"
		runScenarios(t, f, []scenario{
			{name: "a transition the lifecycle forbids names the allowed ones", as: "supervisor", method: http.MethodPost,
				url: pol + "/transitions", body: `{"to":"application"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"to"}, contains: []string{"renewed or lapsed or cancelled"}},
			{name: "cancelling needs a reason", as: "supervisor", method: http.MethodPost, url: pol + "/transitions",
				body: `{"to":"cancelled"}`, status: http.StatusUnprocessableEntity, fields: []string{"reason"}},
			{name: "agents cannot move a policy", as: "agent", method: http.MethodPost, url: pol + "/transitions",
				body: `{"to":"cancelled","reason":"x"}`, status: http.StatusForbidden},
			{name: "unknown field", as: "supervisor", method: http.MethodPost, url: pol + "/transitions",
				body: `{"to":"renewed","when":"now"}`, status: http.StatusBadRequest, fields: []string{"when"}},
			{name: "a renewal needs a premium or an outcome", as: "supervisor", method: http.MethodPost, url: pol + "/renewal",
				body: `{}`, status: http.StatusUnprocessableEntity, fields: []string{"premium"}},
			{name: "an unknown outcome", as: "supervisor", method: http.MethodPost, url: pol + "/renewal",
				body: `{"outcome":"expired"}`, status: http.StatusUnprocessableEntity, fields: []string{"outcome"}},
			{name: "offer a renewal", as: "supervisor", method: http.MethodPost, url: pol + "/renewal",
				body: `{"premium":"480.00"}`, status: http.StatusOK,
				json: map[string]any{"renewal.premium": "480.00", "renewal.term_end": "2027-11-20", "renewal.outcome": nil,
					"policy.status": "in_force"}},
			{name: "a change outside the term", as: "agent", method: http.MethodPost, url: pol + "/changes",
				body: `{"kind":"add_vehicle","effective_date":"2028-01-01"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"effective_date"}},
			{name: "a change of an unknown kind", as: "agent", method: http.MethodPost, url: pol + "/changes",
				body: `{"kind":"add_spaceship","effective_date":"2026-12-01"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"kind"}},
			{name: "an agent raises a change as a service request", as: "agent", method: http.MethodPost, url: pol + "/changes",
				body:   `{"kind":"add_vehicle","details":"Add a 2019 VW Golf, reg AB19 CDE","effective_date":"2026-12-01","premium_adjustment":"35.50"}`,
				status: http.StatusCreated, json: map[string]any{"status": "requested", "kind": "add_vehicle",
					"effective_date": "2026-12-01", "premium_adjustment": "35.50", "requested_by": "agent@example.com"},
				contains: []string{`"case":"CD-2026-`},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					m := decodeJSON(t, rec)
					f.vars["{change}"] = strconv.FormatInt(int64(m["id"].(float64)), 10)
					f.vars["{change_case}"] = m["case"].(string)
				}},
			{name: "the service request is a case in the queues", as: "agent", url: "/api/v1/cases/{change_case}",
				status: http.StatusOK, json: map[string]any{"type": "service_request"}, contains: []string{"Policy change: add vehicle on MOT-0001"}},
			{name: "agents cannot decide a change", as: "agent", method: http.MethodPatch, url: pol + "/changes/{change}",
				body: `{"status":"approved"}`, status: http.StatusForbidden},
			{name: "a change cannot be applied before it is approved", as: "supervisor", method: http.MethodPatch,
				url: pol + "/changes/{change}", body: `{"status":"applied"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"status"}, contains: []string{"approved or rejected"}},
			{name: "approve", as: "supervisor", method: http.MethodPatch, url: pol + "/changes/{change}",
				body: `{"status":"approved"}`, status: http.StatusOK, json: map[string]any{"status": "approved", "decided_by": "supervisor@example.com"}},
			{name: "apply", as: "supervisor", method: http.MethodPatch, url: pol + "/changes/{change}",
				body: `{"status":"applied"}`, status: http.StatusOK, json: map[string]any{"status": "applied"}},
			{name: "the premium moved by the adjustment", as: "agent", url: pol, status: http.StatusOK,
				json: map[string]any{"premium": "485.50"}},
			{name: "applying resolved the service request", as: "agent", url: "/api/v1/cases/{change_case}",
				status: http.StatusOK, json: map[string]any{"status": "resolved"}},
			{name: "an applied change is final", as: "supervisor", method: http.MethodPatch, url: pol + "/changes/{change}",
				body: `{"status":"rejected","reason":"oops"}`, status: http.StatusUnprocessableEntity, fields: []string{"status"}},
			{name: "list changes", as: "auditor", url: pol + "/changes", status: http.StatusOK,
				json: map[string]any{"items.0.status": "applied", "items.0.case": "{change_case}"}},
			{name: "instalments need a count", as: "supervisor", method: http.MethodPost, url: pol + "/instalments",
				body: `{"count":0,"first_due":"2026-12-01"}`, status: http.StatusUnprocessableEntity, fields: []string{"count"}},
			{name: "split the premium into 12", as: "supervisor", method: http.MethodPost, url: pol + "/instalments",
				body: `{"count":12,"first_due":"2026-12-01"}`, status: http.StatusCreated,
				json: map[string]any{"items.0.amount": "40.55", "items.11.amount": "40.45", "items.11.due_date": "2027-11-01",
					"items.0.status": "due"}},
			{name: "a payment needs an amount and a method", as: "supervisor", method: http.MethodPost, url: pol + "/payments",
				body: `{"amount":"0","received_on":"2026-11-21"}`, status: http.StatusUnprocessableEntity, fields: []string{"amount", "method"}},
			{name: "a payment short of the instalment named", as: "supervisor", method: http.MethodPost, url: pol + "/payments",
				body:   `{"amount":"10.00","method":"card","received_on":"2026-11-21","instalment":1}`,
				status: http.StatusUnprocessableEntity, fields: []string{"amount"}},
			{name: "a payment settles the first instalment", as: "supervisor", method: http.MethodPost, url: pol + "/payments",
				body:   `{"amount":"40.55","method":"card","reference":"AUTH 7781","received_on":"2026-11-21"}`,
				status: http.StatusCreated, json: map[string]any{"instalment": 1, "amount": "40.55"}},
			{name: "the schedule shows it paid", as: "agent", url: pol + "/instalments", status: http.StatusOK,
				json: map[string]any{"items.0.status": "paid", "items.1.status": "due"}},
			{name: "a schedule with a payment is not replaced", as: "supervisor", method: http.MethodPost, url: pol + "/instalments",
				body: `{"count":2,"first_due":"2026-12-01"}`, status: http.StatusConflict},
			{name: "list payments", as: "agent", url: pol + "/payments", status: http.StatusOK,
				json: map[string]any{"items.0.reference": "AUTH 7781", "items.0.method": "card"}},
			{name: "renew at the offered premium", as: "supervisor", method: http.MethodPost, url: pol + "/renewal",
				body: `{"outcome":"renewed","reason":"accepted by phone"}`, status: http.StatusOK,
				json: map[string]any{"policy.status": "renewed", "policy.start": "2027-11-21", "policy.end": "2028-11-20",
					"policy.premium": "480.00", "renewal.outcome": "renewed", "renewal.next_reminder_at": nil}},
			{name: "the lifecycle", as: "auditor", url: pol + "/transitions", status: http.StatusOK,
				json: map[string]any{"items.0.from": "in_force", "items.0.to": "renewed", "items.0.actor": "supervisor@example.com",
					"items.0.term_end": "2028-11-20"}},
			{name: "renewals", as: "agent", url: pol + "/renewals", status: http.StatusOK,
				json: map[string]any{"items.0.outcome": "renewed", "items.0.premium": "480.00"}},
			{name: "no reminders yet", as: "agent", url: pol + "/reminders", status: http.StatusOK,
				json: map[string]any{"items": []any{}}},
			{name: "a missing policy", as: "agent", url: "/api/v1/policies/NOPE-1/reminders", status: http.StatusNotFound},
			{name: "cancel the renewed policy", as: "supervisor", method: http.MethodPost, url: pol + "/transitions",
				body: `{"to":"cancelled","reason":"sold the car"}`, status: http.StatusOK, json: map[string]any{"status": "cancelled"}},
			{name: "churn: the renewal counts as due and kept in the month its term ended", as: "supervisor",
				url: "/api/v1/kpis?from=2027-11-01&to=2027-11-30&by=month", status: http.StatusOK,
				json: map[string]any{"periods.0.renewals_due": 1, "periods.0.renewals_lost": 0, "periods.0.churn_rate": 0}},
			{name: "churn: the cancelled term counts as lost", as: "supervisor",
				url: "/api/v1/kpis?from=2028-11-01&to=2028-11-30&by=month&product=motor", status: http.StatusOK,
				json: map[string]any{"periods.0.renewals_due": 1, "periods.0.renewals_lost": 1, "periods.0.churn_rate": 1}},
			{name: "churn: none in another line", as: "supervisor",
				url: "/api/v1/kpis?from=2028-11-01&to=2028-11-30&by=month&product=home", status: http.StatusOK,
				json: map[string]any{"periods.0.renewals_due": 0, "periods.0.churn_rate": nil}},
			{name: "a cancelled policy is final", as: "supervisor", method: http.MethodPost, url: pol + "/transitions",
				body: `{"to":"in_force"}`, status: http.StatusUnprocessableEntity, fields: []string{"to"},
				contains: []string{"cancelled is final"}},
		})
	})
}
