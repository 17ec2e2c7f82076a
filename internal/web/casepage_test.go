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

func TestCasePageShowsTimelineEscaped(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cust := &care.Customer{Name: "Mrs Dora Pemberton", Email: "dora@example.org", Phone: "+44 20 7946 0000",
			Vulnerable: true, VulnerabilityNote: "Recently bereaved; prefers phone calls."}
		if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
			t.Fatal(err)
		}
		cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "complaint", Channel: "email",
			Subject: "Refund <b>never</b> arrived", CustomerID: cust.ID,
			Description: "Hello,\n<script>alert('x')</script>\nplease call me."}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.signIn("agent")
		r := c.get("/cases/" + cs.Reference)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, cs.Reference, "Refund &lt;b&gt;never&lt;/b&gt; arrived", "Complaint", "New",
			"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "Hello,\n&lt;script&gt;",
			"Mrs Dora Pemberton", "dora@example.org", "442079460000", "Vulnerable customer", "Recently bereaved",
			`id="case-clocks"`, `<time datetime="`, "data-local", "Email · Inbound")
		mustNotContain(t, r, "<script>alert", "<b>never</b>")

		// The same page by numeric ID.
		r = c.get("/cases/" + strconv.FormatInt(cs.ID, 10))
		mustContain(t, r, cs.Reference)

		r = c.get("/cases/CD-1999-999999")
		wantStatus(t, r, http.StatusNotFound)
		mustContain(t, r, "<h1 id=\"error-h\">Not found</h1>", "Go to the case list")
	})
}

func TestAddNoteAndContact(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cs := e.newCase("Windscreen claim", "claim", "Chip in windscreen.")
		c := e.client()
		c.signIn("agent")
		page := "/cases/" + cs.Reference
		c.get(page)

		r := c.post(page+"/interactions", url.Values{"kind": {"note"}, "body": {"Called garage.\nThey <will> ring back."}})
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.location, page+"#interaction-") {
			t.Fatalf("redirect to %q", r.location)
		}
		r = c.follow(r)
		mustContain(t, r, "Note added.", "Internal note", "Called garage.\nThey &lt;will&gt; ring back.", "Alice Agent")
		// The flash shows once.
		mustNotContain(t, c.get(page), "Note added.")

		r = c.follow(c.post(page+"/interactions", url.Values{"kind": {"contact"}, "channel": {"phone"},
			"direction": {"outbound"}, "disposition": {"callback_promised"}, "body": {"Left a message."}}))
		mustContain(t, r, "Contact logged.", "Phone · Outbound", "Callback promised", "Left a message.")

		t.Run("an empty note is refused next to the field", func(t *testing.T) {
			r := c.post(page+"/interactions", url.Values{"kind": {"note"}, "body": {"   "}})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			mustContain(t, r, "Write the note before adding it.", `aria-invalid="true"`)
		})
		t.Run("an invalid contact keeps what was typed", func(t *testing.T) {
			r := c.post(page+"/interactions", url.Values{"kind": {"contact"}, "channel": {"pigeon"},
				"direction": {"inbound"}, "body": {"Typed text that must survive"}})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			mustContain(t, r, "must be one of", "Typed text that must survive", `id="contact-channel-err"`)
		})
	})
}

func TestUpdateCase(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cs := e.newCase("Address change", "service_request", "")
		c := e.client()
		c.signIn("agent")
		page := "/cases/" + cs.Reference
		c.get(page)
		v := strconv.FormatInt(cs.Version, 10)
		orig := url.Values{"orig_status": {"new"}, "orig_priority": {"normal"}, "orig_assignee": {"0"}, "version": {v}}
		form := func(status, priority, assignee string) url.Values {
			f := url.Values{"status": {status}, "priority": {priority}, "assignee": {assignee}}
			for k, vs := range orig {
				f[k] = vs
			}
			return f
		}

		r := c.post(page+"/update", form("open", "high", strconv.FormatInt(e.users["agent"].ID, 10)))
		wantStatus(t, r, http.StatusSeeOther)
		r = c.follow(r)
		mustContain(t, r, "Case updated.", `badge status-open`, "High priority", "assigned to <strong>Alice Agent</strong>")

		t.Run("a stale version says someone else changed it", func(t *testing.T) {
			r := c.post(page+"/update", form("resolved", "normal", "0"))
			wantStatus(t, r, http.StatusConflict)
			mustContain(t, r, "Someone else changed this case while you were editing it.", `badge status-open`)
			got, err := e.svc.FindCase(e.sys, cs.Reference)
			if err != nil || got.Status != "open" {
				t.Fatalf("case changed by a stale form: %v %v", got.Status, err)
			}
		})
		t.Run("no change is said so", func(t *testing.T) {
			r := c.follow(c.post(page+"/update", url.Values{"status": {"open"}, "priority": {"high"},
				"assignee": {strconv.FormatInt(e.users["agent"].ID, 10)}, "orig_status": {"open"}, "orig_priority": {"high"},
				"orig_assignee": {strconv.FormatInt(e.users["agent"].ID, 10)}, "version": {"2"}}))
			mustContain(t, r, "Nothing changed")
		})
		t.Run("an agent may not assign to someone else", func(t *testing.T) {
			r := c.post(page+"/update", url.Values{"status": {"open"}, "priority": {"high"},
				"assignee": {strconv.FormatInt(e.users["supervisor"].ID, 10)}, "orig_status": {"open"}, "orig_priority": {"high"},
				"orig_assignee": {strconv.FormatInt(e.users["agent"].ID, 10)}, "version": {"2"}})
			wantStatus(t, r, http.StatusForbidden)
			mustContain(t, r, "does not allow case:assign")
		})
	})
}

func TestAuditorIsReadOnly(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cs := e.newCase("Policy wording question", "enquiry", "What does clause 4 mean?")
		c := e.client()
		c.signIn("auditor")
		page := "/cases/" + cs.Reference
		r := c.get(page)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "What does clause 4 mean?", "Read-only: your role (Auditor (read-only))")
		mustNotContain(t, r, `action="`+page+`/interactions"`, `action="`+page+`/update"`, "<textarea")

		// Posting anyway is refused by the service and shown as a message.
		r = c.post(page+"/interactions", url.Values{"kind": {"note"}, "body": {"auditor note"}})
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, r, "Your role (auditor) does not allow interaction:write.")
		mustNotContain(t, c.get(page), "auditor note")
	})
}

func TestRoleWithoutInteractionRead(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cust := &care.Customer{Name: "Private Person"}
		if err := e.svc.CreateCustomer(e.sys, cust); err != nil {
			t.Fatal(err)
		}
		cs, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone",
			Subject: "Visible subject", CustomerID: cust.ID, Description: "Private words"}})
		if err != nil {
			t.Fatal(err)
		}
		planner := &care.User{Email: "wendy@example.com", Name: "Wendy Planner", Role: "workforce_planner"}
		if _, err := e.svc.CreateUser(e.sys, planner, password); err != nil {
			t.Fatal(err)
		}
		e.users["workforce_planner"] = planner
		c := e.client()
		c.signIn("workforce_planner")
		r := c.get("/cases/" + cs.Reference)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Visible subject", "Your role does not allow reading interactions.",
			"Your role does not allow reading customer details.")
		mustNotContain(t, r, "Private words", "Private Person", "<textarea")
	})
}
