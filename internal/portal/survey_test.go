package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/portal"
)

// When a case is resolved the customer is emailed a survey link; the link
// opens a page in the portal, takes the answers once, and counts them.
func TestSurveyFromTheResolutionEmail(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		enquiry := url.Values{"name": {"Cara Diaz"}, "email": {"cara@example.com"}, "description": {"Am I covered abroad?"}, "consent": {"yes"}}
		ref := referenceRe.FindString(c.submit("enquiry", enquiry).body)
		agent := care.ActorFromContext(e.staff).UserID
		if _, err := e.svc.CreateInteraction(e.staff, ref, &care.Interaction{Channel: "phone", Direction: "outbound",
			AgentID: agent, Body: "Yes, Europe is covered."}); err != nil {
			t.Fatal(err)
		}
		resolved := "resolved"
		if _, err := e.svc.UpdateCase(e.staff, ref, care.CaseUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		mails, err := e.svc.FindOutbox(e.admin, 50)
		if err != nil {
			t.Fatal(err)
		}
		var link string
		for _, m := range mails {
			if l := regexp.MustCompile(`/portal/survey/([A-Za-z0-9_-]+)`).FindString(m.Body); l != "" {
				link = l
			}
		}
		if link == "" {
			t.Fatalf("no survey link in the outbox: %d mails", len(mails))
		}
		r := c.get(link)
		mustContain(t, r, "How did we do?", ref, `name="csat"`, `name="nps"`, `name="ces"`)
		// An answer out of range is refused and named; nothing is used up.
		r = c.post(link, url.Values{"nps": {"11"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("nps 11: %d", r.status)
		}
		mustContain(t, r, "There is a problem", "must be from 0 to 10")
		r = c.post(link, url.Values{"csat": {"5"}, "nps": {"9"}, "ces": {"6"}})
		if r.status != http.StatusOK {
			t.Fatalf("answer: %d\n%s", r.status, r.body)
		}
		mustContain(t, r, "Thank you")
		mustContain(t, c.get(link), "already been answered")
		if r := c.post(link, url.Values{"csat": {"1"}}); r.status != http.StatusConflict {
			t.Fatalf("second answer: %d", r.status)
		}
		if r := c.get("/portal/survey/not-a-real-token"); r.status != http.StatusNotFound {
			t.Fatalf("unknown link: %d", r.status)
		}
	})
}
