package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/portal"
)

func TestSubmitEachKind(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		r := c.submit("complaint", complaintForm("Ruth@Example.com"))
		if r.status != http.StatusOK {
			t.Fatalf("complaint: %d\n%s", r.status, r.body)
		}
		ref := referenceRe.FindString(r.body)
		mustContain(t, r, "We have received your complaint", "We will send you our final response by",
			"23 November 2026", "ruth@example.com")
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("confirmation Cache-Control %q", cc)
		}

		claim := url.Values{"name": {"Ben Hale"}, "email": {"ben@example.com"}, "policy_number": {"HOM-1001"},
			"loss_date": {"2026-10-30"}, "loss_time": {"21:15"}, "loss_place": {"12 Mill Lane, Leeds"},
			"description": {"A pipe burst in the loft."}, "consent": {"yes"}}
		mustContain(t, c.submit("claim", claim), "We have received your claim", "CD-2026-000002")
		enquiry := url.Values{"name": {"Cara Diaz"}, "email": {"cara@example.com"}, "description": {"Am I covered abroad?"}, "consent": {"yes"}}
		mustContain(t, c.submit("enquiry", enquiry), "We have received your enquiry", "CD-2026-000003")

		// Staff see the complaint, with its clocks running.
		cases, _, err := e.svc.FindCases(e.staff, care.CaseFilter{Type: "complaint"})
		if err != nil || len(cases) != 1 || cases[0].Reference != ref || cases[0].Channel != "web" {
			t.Fatalf("staff view: %v %+v", err, cases)
		}
		clocks, err := e.svc.FindCaseClocks(e.staff, cases[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		running := map[string]bool{}
		for _, k := range clocks {
			if k.StateAt(received) == care.ClockRunning {
				running[k.Regime+"/"+k.Name] = true
			}
		}
		if !running["iso10002/final_response"] || !running["sla/first_response"] {
			t.Errorf("running clocks: %v", running)
		}
		claims, _, _ := e.svc.FindCases(e.staff, care.CaseFilter{Type: "claim"})
		if len(claims) != 1 || !strings.Contains(claims[0].Description, "Date of loss: 30 October 2026 21:15") {
			t.Errorf("claim: %+v", claims)
		}

		// Each is acknowledged by email with its reference.
		mail, err := e.svc.FindOutbox(e.admin, 10)
		if err != nil || len(mail) != 3 {
			t.Fatalf("outbox: %v %d", err, len(mail))
		}
		ack := mail[2]
		if ack.To != "ruth@example.com" || !strings.Contains(ack.Subject, ref) || !strings.Contains(ack.Body, "23 November 2026") {
			t.Errorf("acknowledgement: %+v", ack)
		}
	})
}

func TestStatusCheck(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		ref := referenceRe.FindString(c.submit("complaint", complaintForm("ruth@example.com")).body)
		c.get("/portal/status")
		r := c.post("/portal/status", url.Values{"reference": {strings.ToLower(ref)}, "factor": {"RUTH@example.com"}})
		if r.status != http.StatusOK {
			t.Fatalf("status: %d\n%s", r.status, r.body)
		}
		mustContain(t, r, "Your complaint", ref, "2 November 2026", "23 November 2026", "Send us more documents")
		for _, secret := range []string{"Nobody has called me back", "hannah", "Internal"} {
			if strings.Contains(r.body, secret) {
				t.Errorf("public view shows %q", secret)
			}
		}

		noMatch := regexp.MustCompile(`(?s)<div class="alert alert-error".*?</div>`)
		wrongFactor := c.post("/portal/status", url.Values{"reference": {ref}, "factor": {"someone@example.com"}})
		wrongRef := c.post("/portal/status", url.Values{"reference": {"CD-2026-009999"}, "factor": {"ruth@example.com"}})
		if wrongFactor.status != http.StatusNotFound || wrongRef.status != wrongFactor.status {
			t.Fatalf("statuses: wrong factor %d, wrong reference %d", wrongFactor.status, wrongRef.status)
		}
		a, b := noMatch.FindString(wrongFactor.body), noMatch.FindString(wrongRef.body)
		if a == "" || a != b {
			t.Errorf("different answers:\n%s\n%s", a, b)
		}
		if strings.Contains(wrongFactor.body, "someone@example.com") {
			t.Error("the refused factor is echoed back")
		}
	})
}

func TestCSRFRefused(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		c.get("/portal/complaint")
		form := complaintForm("ruth@example.com")
		form.Set("csrf", "forged")
		r := c.post("/portal/complaint", form)
		if r.status != http.StatusForbidden {
			t.Fatalf("forged token: %d", r.status)
		}
		// The visitor's words survive, with a fresh token to send them again.
		mustContain(t, r, "had expired", "Nobody has called me back")
		stranger := e.client() // no cookie at all
		stranger.csrf = c.csrf
		if r := stranger.post("/portal/complaint", complaintForm("ruth@example.com")); r.status != http.StatusForbidden {
			t.Errorf("no cookie: %d", r.status)
		}
		c.hdr.Set("Origin", "https://evil.example")
		c.hdr.Set("Sec-Fetch-Site", "cross-site")
		if r := c.post("/portal/complaint", complaintForm("ruth@example.com")); r.status != http.StatusForbidden ||
			!strings.Contains(r.body, "another website") {
			t.Errorf("cross-site post: %d", r.status)
		}
		if cases, _, _ := e.svc.FindCases(e.staff, care.CaseFilter{}); len(cases) != 0 {
			t.Fatalf("refused posts created %d cases", len(cases))
		}
		// And the token that came back works.
		c.hdr = http.Header{}
		if r := c.post("/portal/complaint", complaintForm("ruth@example.com")); r.status != http.StatusOK {
			t.Errorf("resent: %d", r.status)
		}
	})
}

func TestRateLimit(t *testing.T) {
	opts := portal.Options{StatusLimit: portal.Limit{Burst: 2, Every: 10 * time.Minute}, SubmitLimit: portal.Limit{Burst: 3, Every: time.Minute}}
	each(t, opts, func(t *testing.T, e *env) {
		c := e.client()
		c.get("/portal/status")
		for i := range 2 {
			if r := c.post("/portal/status", url.Values{"reference": {"CD-2026-000001"}, "factor": {"x@example.com"}}); r.status != http.StatusNotFound {
				t.Fatalf("check %d: %d", i, r.status)
			}
		}
		r := c.post("/portal/status", url.Values{"reference": {"CD-2026-000001"}, "factor": {"x@example.com"}})
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("third check: %d", r.status)
		}
		if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs != 600 {
			t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
		}
		mustContain(t, r, "Please wait 10 minutes")
		// Submissions have their own, gentler bucket.
		for i := range 3 {
			if r := c.submit("complaint", complaintForm("ruth@example.com")); r.status != http.StatusOK {
				t.Fatalf("submission %d: %d", i, r.status)
			}
		}
		if r := c.submit("complaint", complaintForm("ruth@example.com")); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "60" {
			t.Errorf("fourth submission: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
		}
	})
}

func TestDocuments(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		r := c.submit("complaint", complaintForm("ruth@example.com"),
			file{"receipt.txt", "text/plain", []byte("Paid by card 4111 1111 1111 1111, expiry 09/28.")})
		ref := referenceRe.FindString(r.body)
		mustContain(t, r, "We have kept the 1 document you sent")
		atts, err := e.svc.FindAttachments(e.staff, ref)
		if err != nil || len(atts) != 1 {
			t.Fatalf("attachments: %v %d", err, len(atts))
		}
		_, data, err := e.svc.FindAttachment(e.staff, atts[0].ID)
		if err != nil || strings.Contains(string(data), "4111") || strings.Contains(atts[0].Text, "4111 1111 1111 1111") {
			t.Fatalf("stored unredacted: %v %q", err, data)
		}

		// An executable is refused by name, and nothing at all is created.
		bad := c.submit("complaint", complaintForm("other@example.com"),
			file{"statement.pdf", "application/pdf", []byte("%PDF-1.4 fine")},
			file{"invoice.exe", "application/octet-stream", []byte("MZ\x90\x00\x03")})
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("executable: %d", bad.status)
		}
		mustContain(t, bad, "There is a problem", `href="#documents"`, "invoice.exe: programs and scripts are not accepted",
			"choose your documents again", "Nobody has called me back")
		if cases, _, _ := e.svc.FindCases(e.staff, care.CaseFilter{}); len(cases) != 1 {
			t.Errorf("a refused submission left a case: %d cases", len(cases))
		}
		if custs, _, _ := e.svc.FindCustomers(e.staff, care.CustomerFilter{Email: "other@example.com"}); len(custs) != 0 {
			t.Error("a refused submission left a customer")
		}

		// More documents from the status page; an executable there is refused too.
		c.get("/portal/status")
		c.post("/portal/status", url.Values{"reference": {ref}, "factor": {"ruth@example.com"}})
		up := c.postFiles("/portal/status/documents", url.Values{"reference": {ref}, "factor": {"ruth@example.com"}},
			file{"photo.png", "image/png", []byte("\x89PNG\r\n\x1a\n....")})
		mustContain(t, up, "we have received your documents")
		up = c.postFiles("/portal/status/documents", url.Values{"reference": {ref}, "factor": {"ruth@example.com"}},
			file{"run.sh", "text/plain", []byte("#!/bin/sh\nrm -rf /\n")})
		if up.status != http.StatusUnprocessableEntity {
			t.Errorf("script upload: %d", up.status)
		}
		mustContain(t, up, "run.sh: programs and scripts are not accepted")
		if atts, _ := e.svc.FindAttachments(e.staff, ref); len(atts) != 2 {
			t.Errorf("attachments after uploads: %d, want 2", len(atts))
		}
	})
}

func TestEscapingAndErrors(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		form := url.Values{"name": {`<script>alert("x")</script>`}, "description": {`<img src=x onerror=alert(1)>`}}
		r := c.submit("complaint", form)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid form: %d", r.status)
		}
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
			t.Fatal("input rendered as HTML")
		}
		mustContain(t, r, "&lt;script&gt;", `href="#email"`, `href="#consent"`, `aria-invalid="true"`,
			`aria-describedby="email-hint email-err"`, "Email address is required")
		form.Set("email", "mallory@example.com")
		form.Set("consent", "yes")
		r = c.post("/portal/complaint", form)
		if r.status != http.StatusOK || strings.Contains(r.body, "<script>alert") {
			t.Fatalf("escaped submission: %d", r.status)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} {
			if r.header.Get(h) == "" {
				t.Errorf("no %s header", h)
			}
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		if r := c.get("/portal/nothing-here"); r.status != http.StatusNotFound || !strings.Contains(r.body, `lang="en-GB"`) {
			t.Errorf("not found: %d", r.status)
		}
		home := c.get("/portal/")
		mustContain(t, home, `class="skip-link" href="#main"`, `<main id="main"`, "Make a complaint")
		if m := regexp.MustCompile(`/portal/static/portal\.[0-9a-f]{8}\.css`).FindString(home.body); m == "" {
			t.Error("no hashed stylesheet")
		} else if css := c.get(strings.TrimPrefix(m, "")); css.status != http.StatusOK || !strings.Contains(css.header.Get("Cache-Control"), "immutable") {
			t.Errorf("stylesheet: %d", css.status)
		}
	})
}

func TestSentTwiceOpensOneCase(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		page := c.get("/portal/complaint")
		key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(page.body)
		if key == nil {
			t.Fatal("the form has no key")
		}
		form := complaintForm("ruth@example.com")
		form.Set("key", key[1])
		first := c.postFiles("/portal/complaint", form)
		form.Del("csrf")
		again := c.postFiles("/portal/complaint", form) // a refresh of the confirmation
		ref := referenceRe.FindString(first.body)
		if again.status != http.StatusOK || referenceRe.FindString(again.body) != ref {
			t.Fatalf("second send: %d, reference %q want %q", again.status, referenceRe.FindString(again.body), ref)
		}
		mustContain(t, again, "You had already sent this form")
		if cases, _, _ := e.svc.FindCases(e.staff, care.CaseFilter{}); len(cases) != 1 {
			t.Errorf("%d cases, want 1", len(cases))
		}
		if mail, _ := e.svc.FindOutbox(e.admin, 10); len(mail) != 1 {
			t.Errorf("%d acknowledgements, want 1", len(mail))
		}
	})
}

func TestRateKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":              "203.0.113.7",
		"::ffff:203.0.113.7":       "203.0.113.7",
		"2001:db8:1:2:aaaa::1":     "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb:cc::99": "2001:db8:1:2::/64",
		"not an address":           "not an address",
	} {
		if got := portal.RateKey(in); got != want {
			t.Errorf("RateKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocumentLimits(t *testing.T) {
	each(t, portal.Options{}, func(t *testing.T, e *env) {
		c := e.client()
		var six []file
		for i := range 6 {
			six = append(six, file{"photo" + strconv.Itoa(i) + ".png", "image/png", []byte("\x89PNG\r\n\x1a\nx")})
		}
		r := c.submit("complaint", complaintForm("ruth@example.com"), six...)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("six documents: %d", r.status)
		}
		mustContain(t, r, "send at most 5 documents at a time", "Nobody has called me back")
		big := make([]byte, 10<<20+1)
		copy(big, "%PDF-1.4\n")
		r = c.submit("claim", url.Values{"name": {"Ben Hale"}, "email": {"ben@example.com"}, "policy_number": {"HOM-1"},
			"loss_date": {"30/10/2026"}, "loss_place": {"Leeds"}, "description": {"Flood."}, "consent": {"yes"}},
			file{"survey.pdf", "application/pdf", big})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("an 11 MiB document: %d", r.status)
		}
		mustContain(t, r, "survey.pdf is larger than 10 MiB", `value="30/10/2026"`)
		if cases, _, _ := e.svc.FindCases(e.staff, care.CaseFilter{}); len(cases) != 0 {
			t.Errorf("refused submissions left %d cases", len(cases))
		}
		req, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/portal/complaint", nil)
		if r := c.do(req); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") == "" {
			t.Errorf("PUT: %d, Allow %q", r.status, r.header.Get("Allow"))
		}
	})
}
