package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// The letters page previews the next letter with what it lacks, refuses
// to send a final response missing its parts, sends the acknowledgement
// by email and a holding letter by post, and offers the PDFs; an auditor
// only reads.
func TestLettersPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cust := &care.Customer{Name: "Maria Garcia", Email: "maria@example.com", Address: "12 Mill Lane\nLeeds"}
		if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
			t.Fatal(err)
		}
		v, err := e.svc.CreateComplaint(e.sys, service.NewComplaint{Case: care.Case{Channel: "phone", Subject: "Storm claim delay",
			Description: "Nobody calls back.", CustomerID: cust.ID, Regimes: []string{"uk-fca"}}})
		if err != nil {
			t.Fatal(err)
		}
		ref := v.Case.Reference
		base := "/complaints/" + ref + "/letters"

		c := e.client()
		c.signIn("supervisor")
		r := c.get(base)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "No letter has been sent", `id="presend-ok"`, "within eight weeks", `value="acknowledgement" selected`)

		r = c.post(base, url.Values{"kind": {"final_response"}, "channel": {"email"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="presend-problems"`, "blocks.outcome", "blocks.terms_relied_on", "cannot be sent")

		r = c.post(base, url.Values{"kind": {"acknowledgement"}, "channel": {"email"}, "contact_name": {"Sam"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = c.follow(r)
		mustContain(t, r, `id="sent"`, "queued for email to maria@example.com", "Acknowledgement")
		ls, err := e.svc.FindLetters(e.sys, ref)
		if err != nil || len(ls) != 1 {
			t.Fatalf("letters %d %v", len(ls), err)
		}
		r = c.post(base+"/preview", url.Values{"kind": {"holding"}, "channel": {"post"}, "reasons": {"Awaiting the adjuster."},
			"expected_date": {"2026-13-01"}})
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "must be a date", "Why the response is delayed")
		r = c.post(base, url.Values{"kind": {"holding"}, "channel": {"post"}, "reasons": {"Awaiting the adjuster."},
			"expected_date": {"2026-12-18"}})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, c.follow(r), "marked for post", "Print the PDF")

		pdf := c.get(base + "/" + strconv.FormatInt(ls[0].ID, 10) + "/pdf")
		wantStatus(t, pdf, http.StatusOK)
		if !strings.HasPrefix(pdf.body, "%PDF-") {
			t.Fatalf("pdf: %q", excerpt(pdf.body))
		}

		a := e.client()
		a.signIn("auditor")
		r = a.get(base)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Read-only", "Holding letter")
		mustNotContain(t, r, `id="letter-form"`)
		wantStatus(t, a.post(base, url.Values{"kind": {"acknowledgement"}, "channel": {"email"}}), http.StatusForbidden)
	})
}

// Administrators edit a template: an edit that drops a required block is
// refused with the block named; a good edit becomes the next version and
// the history shows what changed.
func TestLetterTemplateAdmin(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := &care.User{Email: "ada@example.com", Name: "Ada Admin", Role: "admin"}
		if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
			t.Fatal(err)
		}
		e.users["admin"] = admin
		s := e.client()
		s.signIn("supervisor")
		wantStatus(t, s.get("/admin/templates"), http.StatusForbidden)
		wantStatus(t, s.get("/admin/templates/final_response/uk-fca/en"), http.StatusForbidden)

		a := e.client()
		a.signIn("admin")
		r := a.get("/admin/templates")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Summary resolution communication", `href="/admin/templates/final_response/au-asic/en"`, "built-in")
		page := "/admin/templates/final_response/uk-fca/en"
		r = a.get(page)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Save as version 2", "referral_rights", "shipped with caredesk")

		cur, err := e.svc.FindLetterTemplate(e.sys, "final_response", "uk-fca", "en", 0)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(cur.Body, `{{block "referral_rights" .}}`)
		r = a.post(page, url.Values{"subject": {cur.Subject}, "body": {cur.Body[:i]}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="body-error"`, "has no &#34;referral_rights&#34; block")

		edited := strings.Replace(cur.Body, "This is our final response", "This letter is our final response", 1)
		r = a.post(page, url.Values{"subject": {cur.Subject}, "body": {edited}, "note": {"plainer opening"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = a.follow(r)
		mustContain(t, r, `id="saved"`, "Saved as version 2", "plainer opening", `class="diff-add">&#43; This letter is our final response`,
			`class="diff-del">- This is our final response`)
		r = a.get(page + "?version=1")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Version 1 is the first")
	})
}
