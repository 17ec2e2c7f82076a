package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestCustomers(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "create", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body:   `{"kind":"policyholder","name":"Grace Hopper","email":"Grace@Example.com","phone":"+1 (555) 010-9999","vulnerable":true,"vulnerability_note":"bereaved","external_ref":"PAS-9"}`,
				status: http.StatusCreated,
				json: map[string]any{"name": "Grace Hopper", "email": "grace@example.com", "phone": "+15550109999",
					"vulnerable": true, "external_ref": "PAS-9", "created_at": "2026-11-21T10:00:00Z"},
				contains: []string{`"id":`}},
			{name: "create invalid", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"","email":"not-an-email","kind":"alien"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"name", "email", "kind"}},
			{name: "create as auditor is forbidden", as: "auditor", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"X"}`, status: http.StatusForbidden},
			{name: "get", as: "agent", url: "/api/v1/customers/{customer}", status: http.StatusOK,
				json: map[string]any{"id": f.num("{customer}"), "name": "Ada Lovelace", "kind": "policyholder"}},
			{name: "get missing", as: "agent", url: "/api/v1/customers/99999", status: http.StatusNotFound},
			{name: "get non-numeric id", as: "agent", url: "/api/v1/customers/abc", status: http.StatusNotFound},
			{name: "patch", as: "agent", method: http.MethodPatch, url: "/api/v1/customers/{customer}",
				body: `{"phone":"+44 20 7946 0001","vulnerable":true}`, status: http.StatusOK,
				json: map[string]any{"phone": "+442079460001", "vulnerable": true, "name": "Ada Lovelace"}},
			{name: "patch null clears a text field", as: "agent", method: http.MethodPatch, url: "/api/v1/customers/{customer}",
				body: `{"address":null}`, status: http.StatusOK, json: map[string]any{"address": ""}},
			{name: "patch invalid", as: "agent", method: http.MethodPatch, url: "/api/v1/customers/{customer}",
				body: `{"email":"nope"}`, status: http.StatusUnprocessableEntity, fields: []string{"email"}},
			{name: "patch wrong type", as: "agent", method: http.MethodPatch, url: "/api/v1/customers/{customer}",
				body: `{"vulnerable":"yes"}`, status: http.StatusBadRequest, fields: []string{"vulnerable"}},
			{name: "search by email", as: "agent", url: "/api/v1/customers?email=ada@example.com", status: http.StatusOK,
				json: map[string]any{"items.0.name": "Ada Lovelace", "next_cursor": nil}},
			{name: "search by q", as: "agent", url: "/api/v1/customers?q=Grace", status: http.StatusOK,
				json: map[string]any{"items.0.name": "Grace Hopper"}, absent: []string{"Ada Lovelace"}},
			{name: "bad limit", as: "agent", url: "/api/v1/customers?limit=0", status: http.StatusBadRequest, fields: []string{"limit"}},
			{name: "bad cursor", as: "agent", url: "/api/v1/customers?cursor=%21%21", status: http.StatusBadRequest, fields: []string{"cursor"}},
		})
	})
}

func TestCustomerPagination(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		for _, name := range []string{"B One", "B Two", "B Three"} {
			statusOK(t, f.do(t, "agent", http.MethodPost, "/api/v1/customers", `{"name":"`+name+`"}`, nil), http.StatusCreated)
		}
		var seen []string
		url := "/api/v1/customers?limit=2"
		for range 5 {
			rec := f.do(t, "agent", http.MethodGet, url, "", nil)
			statusOK(t, rec, http.StatusOK)
			m := decodeJSON(t, rec)
			for _, it := range m["items"].([]any) {
				seen = append(seen, it.(map[string]any)["name"].(string))
			}
			next, _ := m["next_cursor"].(string)
			if next == "" {
				break
			}
			url = "/api/v1/customers?limit=2&cursor=" + next
		}
		if got := strings.Join(seen, ","); got != "Ada Lovelace,B One,B Two,B Three" {
			t.Errorf("pages gave %s", got)
		}
	})
}

func TestPolicies(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "create with decimal string", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"hom-0002","line":"home","start":"2026-01-01","end":"2026-12-31","premium":"123.45","currency":"eur"}`,
				status: http.StatusCreated,
				json: map[string]any{"number": "HOM-0002", "premium": "123.45", "currency": "EUR", "start": "2026-01-01",
					"end": "2026-12-31", "status": "in_force"}},
			{name: "create with JSON number", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"TRV-1","line":"travel","start":"2026-01-01","end":"2026-01-31","premium":19.9}`,
				status: http.StatusCreated, json: map[string]any{"premium": "19.90", "currency": "GBP"}},
			{name: "duplicate number", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"mot-0001","line":"motor","start":"2026-01-01","end":"2026-12-31","premium":"1"}`,
				status: http.StatusConflict, fields: []string{"number"}},
			{name: "three decimals", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"X-1","line":"motor","start":"2026-01-01","end":"2026-12-31","premium":"1.234"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"premium"}},
			{name: "three decimals as number", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"X-1","line":"motor","start":"2026-01-01","end":"2026-12-31","premium":1.234}`,
				status: http.StatusUnprocessableEntity, fields: []string{"premium"}},
			{name: "premium of the wrong type", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"X-1","line":"motor","start":"2026-01-01","end":"2026-12-31","premium":true}`,
				status: http.StatusBadRequest, fields: []string{"premium"}},
			{name: "bad date", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"X-1","line":"motor","start":"01/02/2026","end":"2026-12-31"}`,
				status: http.StatusBadRequest, fields: []string{"start"}},
			{name: "invalid fields", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"","line":"space","start":"2026-02-01","end":"2026-01-01"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"number", "line", "end"}},
			{name: "unknown customer", as: "claims_handler", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":99999,"number":"X-2","line":"motor","start":"2026-01-01","end":"2026-12-31"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"customer_id"}},
			{name: "agent may not write policies", as: "agent", method: http.MethodPost, url: "/api/v1/policies",
				body:   `{"customer_id":{customer},"number":"X-3","line":"motor","start":"2026-01-01","end":"2026-12-31"}`,
				status: http.StatusForbidden},
			{name: "get by id", as: "agent", url: "/api/v1/policies/{policy}", status: http.StatusOK,
				json: map[string]any{"number": "MOT-0001", "premium": "450.00", "customer_id": f.num("{customer}")}},
			{name: "get by number", as: "agent", url: "/api/v1/policies/mot-0001", status: http.StatusOK,
				json: map[string]any{"id": f.num("{policy}")}},
			{name: "get missing", as: "agent", url: "/api/v1/policies/NOPE-1", status: http.StatusNotFound},
			{name: "customer's policies", as: "agent", url: "/api/v1/customers/{customer}/policies", status: http.StatusOK,
				json: map[string]any{"items.0.number": "MOT-0001", "items.2.number": "TRV-1", "next_cursor": nil}},
		})
	})
}
