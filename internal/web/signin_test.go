package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/web"
)

func TestSignIn(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.client()
		r := c.get("/signin")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `name="email"`, `type="password"`, `autocomplete="current-password"`)

		t.Run("wrong password keeps the email, never the password", func(t *testing.T) {
			r := c.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {"not-the-password-123"}})
			wantStatus(t, r, http.StatusUnauthorized)
			mustContain(t, r, "The email or password is not right.", `value="alice@example.com"`)
			mustNotContain(t, r, "not-the-password-123")
		})
		t.Run("unknown user gets the same message", func(t *testing.T) {
			r := c.post("/signin", url.Values{"email": {"nobody@example.com"}, "password": {"whatever-it-is-123"}})
			wantStatus(t, r, http.StatusUnauthorized)
			mustContain(t, r, "The email or password is not right.")
		})
		t.Run("success lands on my queue with the user's name", func(t *testing.T) {
			r := c.signIn("agent")
			wantStatus(t, r, http.StatusOK)
			mustContain(t, r, "Alice Agent", "<h1>My queue</h1>", `action="/signout"`)
		})
		t.Run("sign out ends the session", func(t *testing.T) {
			r := c.follow(c.post("/signout", url.Values{}))
			mustContain(t, r, "You have signed out.")
			r = c.get("/cases")
			wantStatus(t, r, http.StatusSeeOther)
		})
	})
}

func TestSignInLockout(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.client()
		c.get("/signin")
		email := e.users["locked"].Email
		var r response
		for range 5 {
			r = c.post("/signin", url.Values{"email": {email}, "password": {"wrong-password-again"}})
		}
		wantStatus(t, r, http.StatusUnauthorized)
		mustContain(t, r, "Too many failed sign-ins; the account is locked until ", " UTC.")
		// Even the right password is refused while locked.
		r = c.post("/signin", url.Values{"email": {email}, "password": {password}})
		mustContain(t, r, "the account is locked until")
	})
}

func TestSignedOutRedirects(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cs := e.newCase("Where is my refund?", "enquiry", "")
		c := e.client()
		r := c.get("/cases/" + cs.Reference + "?x=1")
		wantStatus(t, r, http.StatusSeeOther)
		if want := "/signin?next=" + url.QueryEscape("/cases/"+cs.Reference+"?x=1"); r.location != want {
			t.Fatalf("redirect to %q, want %q", r.location, want)
		}
		// After signing in, the user lands where they were going.
		page := c.get(r.location)
		mustContain(t, page, `name="next" value="/cases/`+cs.Reference+`?x=1"`)
		r = c.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {password}, "next": {"/cases/" + cs.Reference}})
		if r.location != "/cases/"+cs.Reference {
			t.Fatalf("after sign-in went to %q", r.location)
		}
	})
}

func TestSignInRefusesForeignNext(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/signout"} {
			c := e.client()
			c.get("/signin?next=" + url.QueryEscape(next))
			r := c.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {password}, "next": {next}})
			if r.location != "/" {
				t.Errorf("next=%q redirected to %q, want /", next, r.location)
			}
		}
	})
}

func TestCSRF(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cs := e.newCase("Broken boiler", "claim", "")
		c := e.client()
		c.signIn("agent")
		c.get("/cases/" + cs.Reference)
		path := "/cases/" + cs.Reference + "/interactions"

		r := c.post(path, url.Values{"kind": {"note"}, "body": {"forged note"}, "csrf": {""}})
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, r, "This form has expired or did not come from caredesk.")

		r = c.post(path, url.Values{"kind": {"note"}, "body": {"forged note"}, "csrf": {"wrong"}})
		wantStatus(t, r, http.StatusForbidden)

		r = c.post(path, url.Values{"kind": {"note"}, "body": {"forged note"}}, "Sec-Fetch-Site", "cross-site")
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, r, "sent from another site")

		r = c.post(path, url.Values{"kind": {"note"}, "body": {"forged note"}}, "Origin", "https://evil.example")
		wantStatus(t, r, http.StatusForbidden)

		mustNotContain(t, c.get("/cases/"+cs.Reference), "forged note")

		// The sign-in form needs its double-submit token too.
		fresh := e.client()
		r = fresh.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {password}, "csrf": {"made-up"}})
		wantStatus(t, r, http.StatusForbidden)
		mustContain(t, r, "The sign-in form expired")
		if strings.Contains(r.header.Get("Set-Cookie"), "caredesk_session") {
			t.Fatal("a session cookie was set without a valid sign-in token")
		}
	})
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.client()
		r := c.get("/signin")
		for h, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "same-origin",
			"X-Content-Type-Options":  "nosniff",
			"Cache-Control":           "no-store",
		} {
			if got := r.header.Get(h); !strings.HasPrefix(got, want) {
				t.Errorf("%s = %q, want %q…", h, got, want)
			}
		}
		for _, cookie := range r.header.Values("Set-Cookie") {
			if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
				t.Errorf("cookie without HttpOnly/SameSite=Lax: %s", cookie)
			}
		}
		m := regexpCSS.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no hashed stylesheet link in:\n%s", r.body)
		}
		a := c.get(m[1])
		wantStatus(t, a, http.StatusOK)
		if cc := a.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("asset Cache-Control = %q", cc)
		}
		if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Errorf("asset Content-Type = %q", ct)
		}
		wantStatus(t, c.get("/static/app.css"), http.StatusNotFound)

		nf := c.get("/no/such/page")
		wantStatus(t, nf, http.StatusNotFound)
		mustContain(t, nf, "<h1 id=\"error-h\">Not found</h1>", `<main id="main"`)
	})
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, store.SQLite, web.Options{SecureCookies: true})
	c := e.client()
	r := c.get("/signin")
	r = c.post("/signin", url.Values{"email": {"alice@example.com"}, "password": {password}})
	wantStatus(t, r, http.StatusSeeOther)
	var found bool
	for _, cookie := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(cookie, "__Host-caredesk_session=") {
			found = true
			for _, attr := range []string{"Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
				if !strings.Contains(cookie, attr) {
					t.Errorf("session cookie lacks %s: %s", attr, cookie)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no __Host-caredesk_session cookie in %q", r.header.Values("Set-Cookie"))
	}
	mustContain(t, c.follow(r), "Alice Agent")
}

func TestSignedInSkipsSignInAndWrongMethod(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.client()
		c.signIn("agent")
		r := c.get("/signin?next=%2Fcases%3Ftype%3Dclaim")
		wantStatus(t, r, http.StatusSeeOther)
		if r.location != "/cases?type=claim" {
			t.Fatalf("signed-in visit to /signin went to %q", r.location)
		}
		r = c.post("/cases", url.Values{})
		wantStatus(t, r, http.StatusMethodNotAllowed)
	})
}
