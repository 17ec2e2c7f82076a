package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
)

func TestCaseList(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		enquiry := e.newCase("Premium went up at renewal", "enquiry", "")
		complaint := e.newCase("Claim handler never called back", "complaint", "")
		closed := e.newCase("Old closed matter", "enquiry", "")
		st := "closed"
		if _, err := e.svc.UpdateCase(e.sys, closed.Reference, care.CaseUpdate{Status: &st}); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("agent")

		r := c.get("/cases")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, enquiry.Reference, "Premium went up at renewal", complaint.Reference, "Complaint", "Email", "Unassigned")
		mustNotContain(t, r, closed.Reference)
		if strings.Index(r.body, complaint.Reference) > strings.Index(r.body, enquiry.Reference) {
			t.Error("the newest case should come first")
		}

		r = c.get("/cases?type=complaint")
		mustContain(t, r, complaint.Reference)
		mustNotContain(t, r, enquiry.Reference)

		r = c.get("/cases?open=0&open=1")
		mustNotContain(t, r, closed.Reference)
		r = c.get("/cases?open=0")
		mustContain(t, r, closed.Reference)

		r = c.get("/cases?status=bogus")
		wantStatus(t, r, http.StatusBadRequest)

		t.Run("a reference in the search box opens the case", func(t *testing.T) {
			r := c.get("/cases?q=" + url.QueryEscape(strings.ToLower(complaint.Reference)))
			wantStatus(t, r, http.StatusSeeOther)
			if r.location != "/cases/"+complaint.Reference {
				t.Fatalf("search went to %q", r.location)
			}
			r = c.get("/cases?q=boiler")
			wantStatus(t, r, http.StatusSeeOther)
			if r.location != "/search?q=boiler" {
				t.Fatalf("other searches go to the search page, not %q", r.location)
			}
		})
		t.Run("assigned to me", func(t *testing.T) {
			me := e.users["agent"].ID
			if _, err := e.svc.UpdateCase(e.sys, enquiry.Reference, care.CaseUpdate{AssigneeID: &me}); err != nil {
				t.Fatal(err)
			}
			r := c.get("/cases?mine=1")
			mustContain(t, r, enquiry.Reference, "Alice Agent")
			mustNotContain(t, r, complaint.Reference)
		})
	})
}

func TestCaseListPaging(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var refs []string
		for i := range 52 {
			refs = append(refs, e.newCase("Case number "+strconv.Itoa(i), "enquiry", "").Reference)
		}
		c := e.client()
		c.signIn("agent")
		r := c.get("/cases")
		mustContain(t, r, refs[51], refs[2], "Older cases")
		mustNotContain(t, r, refs[1]+"<")
		i := strings.Index(r.body, `rel="next"`)
		start := strings.LastIndex(r.body[:i], `href="`) + len(`href="`)
		older := r.body[start : start+strings.Index(r.body[start:], `"`)]
		r = c.get(strings.ReplaceAll(older, "&amp;", "&"))
		mustContain(t, r, refs[1], refs[0], "Newest")
		mustNotContain(t, r, refs[2]+"<", "Older cases")
	})
}
