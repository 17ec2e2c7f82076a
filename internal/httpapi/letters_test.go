package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLettersAPI takes a complaint through its letters over the API: the
// templates are listed and edited with their history, a preview names what
// a letter lacks, a final response without its referral-rights block is
// refused (and leaves nothing behind), and the sent letters and their PDFs
// can be read back.
func TestLettersAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		addComplaintsHandler(t, f)
		pdf := func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
			t.Helper()
			if rec.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(rec.Body.String(), "%PDF-") ||
				!strings.Contains(rec.Header().Get("Content-Disposition"), "-final-response-") {
				t.Fatalf("pdf: %v %q", rec.Header(), rec.Body.String()[:min(20, rec.Body.Len())])
			}
		}
		emptyRights := `{"subject":"Final response [{{.Reference}}]","body":"Dear {{.Customer.Name}},\n{{block \"outcome\" .}}{{.OutcomeText}}{{end}}\n{{block \"reasoning\" .}}{{.Reasoning}}{{end}}\n{{block \"terms_relied_on\" .}}{{.TermsReliedOn}}{{end}}\n{{block \"redress\" .}}None.{{end}}\n{{block \"next_steps\" .}}Nothing.{{end}}\n{{block \"referral_rights\" .}}{{end}}\n","note":"short"}`
		runComplaintScenarios(t, f, []scenario{
			{name: "intake", as: "agent", method: http.MethodPost, url: "/api/v1/complaints", status: 201,
				body: `{"channel":"phone","subject":"Claim delay","customer_id":{customer},"description":"Nobody calls back.",
					"regimes":["uk-fca"]}`, check: keep("{ref}", "case.reference")},
			{name: "the handler takes it", as: "admin", method: http.MethodPatch, url: "/api/v1/cases/{ref}",
				body: `{"assignee_id":{handler_id}}`, status: 200},
			{name: "templates in use", as: "auditor", method: http.MethodGet, url: "/api/v1/letter-templates", status: 200,
				contains: []string{`"kind":"summary_resolution","regime":"uk-fca"`, `"builtin":true`}},
			{name: "one template", as: "handler", method: http.MethodGet, url: "/api/v1/letter-templates/final_response/uk-fca/en",
				status: 200, json: map[string]any{"version": float64(1), "builtin": true, "mandatory_blocks.5": "referral_rights"}},
			{name: "no summary resolution outside the FCA", as: "handler", method: http.MethodGet,
				url: "/api/v1/letter-templates/summary_resolution/au-asic/en", status: 422, fields: []string{"kind"}},
			{name: "only administrators edit", as: "handler", method: http.MethodPut,
				url: "/api/v1/letter-templates/final_response/uk-fca/en", body: emptyRights, status: 403},
			{name: "an edit dropping a block is refused", as: "admin", method: http.MethodPut,
				url:  "/api/v1/letter-templates/final_response/uk-fca/en",
				body: `{"subject":"x","body":"Dear {{.Customer.Name}}"}`, status: 422, fields: []string{"body"},
				contains: []string{"referral_rights"}},
			{name: "a broken template names the body", as: "admin", method: http.MethodPut,
				url: "/api/v1/letter-templates/final_response/uk-fca/en", body: `{"subject":"x","body":"{{if}}"}`, status: 422,
				fields: []string{"body"}},
			{name: "an edit leaving the rights empty is saved", as: "admin", method: http.MethodPut,
				url: "/api/v1/letter-templates/final_response/uk-fca/en", body: emptyRights, status: 200,
				json: map[string]any{"version": float64(2), "builtin": false, "note": "short"}},
			{name: "history", as: "auditor", method: http.MethodGet, url: "/api/v1/letter-templates/final_response/uk-fca/en/versions",
				status: 200, json: map[string]any{"items.0.version": float64(2), "items.1.version": float64(1), "items.1.author_name": "caredesk (built-in)"}},
			{name: "acknowledge by letter", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/letters",
				body: `{"kind":"acknowledgement","channel":"email"}`, status: 201,
				json: map[string]any{"status": "sent", "to": "ada@example.com", "template_version": float64(1)}},
			{name: "it acknowledged the complaint", as: "auditor", method: http.MethodGet, url: "/api/v1/complaints/{ref}",
				status: 200, json: map[string]any{"stage": "acknowledged"}},
			{name: "outcome", as: "handler", method: http.MethodPut, url: "/api/v1/complaints/{ref}/outcome",
				body: `{"outcome":"not_upheld","reasoning":"Wear and tear.","root_cause":"claims_decision"}`, status: 200},
			{name: "preview names the empty rights", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/letters/preview",
				body: `{"kind":"final_response","channel":"email","fields":{"terms_relied_on":"Exclusion 3."}}`, status: 200,
				json: map[string]any{"can_send": false, "problems.0.field": "blocks.referral_rights", "template_version": float64(2)}},
			{name: "an unknown letter field", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/letters",
				body: `{"kind":"final_response","channel":"email","fields":{"mood":"sorry"}}`, status: 422, fields: []string{"fields.mood"}},
			{name: "a final response without referral rights cannot be sent", as: "handler", method: http.MethodPost,
				url:  "/api/v1/complaints/{ref}/letters",
				body: `{"kind":"final_response","channel":"email","fields":{"terms_relied_on":"Exclusion 3."}}`, status: 422,
				fields: []string{"blocks.referral_rights"}, contains: []string{"cannot be sent"}},
			{name: "restore the wording", as: "admin", method: http.MethodPut, url: "/api/v1/letter-templates/final_response/uk-fca/en",
				body:   `{"subject":"Final response [{{.Reference}}]","body":"Dear {{.Customer.Name}},\n{{block \"outcome\" .}}{{.OutcomeText}}{{end}}\n{{block \"reasoning\" .}}{{.Reasoning}}{{end}}\n{{block \"terms_relied_on\" .}}{{.TermsReliedOn}}{{end}}\n{{block \"redress\" .}}None.{{end}}\n{{block \"next_steps\" .}}Nothing.{{end}}\n{{block \"referral_rights\" .}}{{with .Referral}}Refer to the {{.Name}} {{.TimeLimit}}.{{end}}{{end}}\n"}`,
				status: 200},
			{name: "post the final response", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/letters",
				body: `{"kind":"final_response","channel":"post","fields":{"terms_relied_on":"Exclusion 3."}}`, status: 422,
				fields: []string{"channel"}, contains: []string{"no postal address"}},
			{name: "email the final response", as: "handler", method: http.MethodPost, url: "/api/v1/complaints/{ref}/letters",
				body: `{"kind":"final_response","channel":"email","fields":{"terms_relied_on":"Exclusion 3."}}`, status: 201,
				contains: []string{"Financial Ombudsman Service within six months"}, check: keep("{letter}", "id")},
			{name: "the response is issued", as: "auditor", method: http.MethodGet, url: "/api/v1/complaints/{ref}",
				status: 200, json: map[string]any{"stage": "response_issued"}},
			{name: "letters", as: "auditor", method: http.MethodGet, url: "/api/v1/complaints/{ref}/letters", status: 200,
				json: map[string]any{"items.0.kind": "acknowledgement", "items.1.kind": "final_response", "items.1.template_version": float64(3)}},
			{name: "one letter", as: "auditor", method: http.MethodGet, url: "/api/v1/complaints/{ref}/letters/{letter}", status: 200,
				json: map[string]any{"kind": "final_response", "channel": "email"}},
			{name: "its PDF", as: "auditor", method: http.MethodGet, url: "/api/v1/complaints/{ref}/letters/{letter}/pdf", status: 200,
				check: pdf},
		})
	})
}
