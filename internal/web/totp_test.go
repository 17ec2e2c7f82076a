package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/service"
)

var secretField = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)
var recoveryCode = regexp.MustCompile(`<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>`)

// enrolTOTP turns on the signed-in user's second factor through the pages
// and returns the secret and the recovery codes. It confirms with the code
// of the previous time step, so a sign-in right after has a fresh code.
func enrolTOTP(t *testing.T, c *client) (string, []string) {
	t.Helper()
	r := c.get("/account/security")
	mustContain(t, r, "Two-step sign-in is off")
	r = c.post("/account/totp", url.Values{})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "<svg", "Set up your authenticator app")
	m := secretField.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", excerpt(r.body))
	}
	secret := m[1]
	uri := html.UnescapeString(regexp.MustCompile(`name="uri" value="([^"]+)"`).FindStringSubmatch(r.body)[1])
	r = c.post("/account/totp/confirm", url.Values{"code": {"000000"}, "secret": {secret}, "uri": {uri}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "is not the code your app shows now", secret)
	code, _ := service.TOTPCode(secret, time.Now().Add(-30*time.Second))
	r = c.post("/account/totp/confirm", url.Values{"code": {code}, "secret": {secret}, "uri": {uri}})
	wantStatus(t, r, http.StatusOK)
	var codes []string
	for _, m := range recoveryCode.FindAllStringSubmatch(r.body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != service.RecoveryCodeCount {
		t.Fatalf("recovery codes: %v\n%s", codes, excerpt(r.body))
	}
	return secret, codes
}

func TestTOTPSignIn(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.client()
		c.signIn("agent")
		secret, codes := enrolTOTP(t, c)
		mustContain(t, c.get("/account/security"), "Two-step sign-in is on", "<strong>10</strong> unused")
		c.follow(c.post("/signout", url.Values{}))

		c.get("/signin")
		r := c.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {password}, "next": {"/cases"}})
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.location, "/signin/code") {
			t.Fatalf("a correct password with TOTP on went to %q", r.location)
		}
		// No session yet: the password alone opens nothing.
		wantStatus(t, c.get("/queue"), http.StatusSeeOther)
		r = c.get(r.location)
		mustContain(t, r, "Enter your code", `autocomplete="one-time-code"`)
		r = c.post("/signin/code", url.Values{"code": {"123456"}, "next": {"/cases"}})
		wantStatus(t, r, http.StatusUnauthorized)
		mustContain(t, r, "That code is not right")
		code, _ := service.TOTPCode(secret, time.Now())
		r = c.post("/signin/code", url.Values{"code": {code}, "next": {"/cases"}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/cases" {
			t.Fatalf("after the code: %q", r.location)
		}
		mustContain(t, c.follow(r), "Alice Agent")
		c.follow(c.post("/signout", url.Values{}))

		// A recovery code works once.
		c.get("/signin")
		c.follow(c.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {password}}))
		r = c.post("/signin/code", url.Values{"code": {strings.ToUpper(codes[3])}})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, c.get("/account/security"), "<strong>9</strong> unused")

		// A code page without a pending sign-in goes back to the start.
		d := e.client()
		wantStatus(t, d.get("/signin/code"), http.StatusSeeOther)

		// An administrator resets it for someone who lost their phone.
		s := e.client()
		s.signIn("supervisor")
		wantStatus(t, s.post("/admin/users/"+strconv.FormatInt(e.users["agent"].ID, 10)+"/totp", url.Values{}), http.StatusForbidden)
		r = c.post("/account/totp/disable", url.Values{})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, c.follow(r), "The second factor is off")
	})
}
