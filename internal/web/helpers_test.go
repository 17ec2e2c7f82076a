package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store/storetest"
	"github.com/caredesk/caredesk/internal/web"
)

// password is every test user's password.
const password = "correct horse battery staple"

// env is a caredesk UI on a fresh database, with staff of several roles.
type env struct {
	t     *testing.T
	svc   *service.Service
	srv   *httptest.Server
	sys   context.Context // acts as the system, for arranging data
	users map[string]*care.User
}

// each runs fn on a fresh environment for each test dialect.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Parallel() // each test has its own database and server
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newEnv(t, d)) })
	}
}

func newEnv(t *testing.T, dialect string) *env {
	t.Helper()
	return newEnvWith(t, dialect, web.Options{})
}

// newEnvWith serves the UI with opts, over HTTPS when it asks for secure
// cookies.
func newEnvWith(t *testing.T, dialect string, opts web.Options) *env {
	t.Helper()
	st := storetest.Open(t, dialect, time.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log, service.Config{})
	opts.Logger = log
	ui, err := web.New(svc, opts)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewUnstartedServer(ui)
	if opts.SecureCookies {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	e := &env{t: t, svc: svc, srv: srv, users: map[string]*care.User{},
		sys: care.NewContextWithActor(context.Background(), care.SystemActor("test"))}
	for _, u := range []struct{ name, role string }{
		{"Alice Agent", "agent"}, {"Sam Supervisor", "supervisor"}, {"Audrey Auditor", "auditor"}, {"Lena Locked", "agent"},
	} {
		user := &care.User{Email: strings.ToLower(strings.Fields(u.name)[0]) + "@example.com", Name: u.name, Role: u.role}
		if _, err := svc.CreateUser(e.sys, user, password); err != nil {
			t.Fatalf("create user %s: %v", u.name, err)
		}
		key := u.role
		if u.name == "Lena Locked" {
			key = "locked" // an agent of her own, for the lockout test
		}
		e.users[key] = user
	}
	if err := svc.CreateDispositionCode(e.sys, &care.DispositionCode{Code: "callback_promised", Label: "Callback promised"}); err != nil {
		t.Fatalf("disposition: %v", err)
	}
	return e
}

// newCase creates a case with a first inbound email whose body is body.
func (e *env) newCase(subject, typ, body string) *care.Case {
	e.t.Helper()
	c, err := e.svc.CreateCase(e.sys, service.NewCase{Case: care.Case{Type: typ, Channel: "email", Subject: subject, Description: body}})
	if err != nil {
		e.t.Fatalf("create case: %v", err)
	}
	return c
}

// client is a browser stand-in: a cookie jar that does not follow
// redirects, so tests can check where each response points.
type client struct {
	t   *testing.T
	e   *env
	hc  *http.Client
	csr string // the CSRF token of the last page seen
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	// A client of its own (srv.Client returns one shared client), trusting
	// the test server's certificate when it serves HTTPS.
	hc := &http.Client{Transport: e.srv.Client().Transport, Jar: jar, Timeout: 30 * time.Second}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: e.t, e: e, hc: hc}
}

// response is a finished request.
type response struct {
	status   int
	location string
	header   http.Header
	body     string
}

var regexpCSS = regexp.MustCompile(`href="(/static/app\.[0-9a-f]{8}\.css)"`)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(b)}
	if m := csrfField.FindStringSubmatch(r.body); m != nil {
		c.csr = html.UnescapeString(m[1])
	}
	return r
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the CSRF token of the last page seen, unless the
// form already carries one.
func (c *client) post(path string, form url.Values, headers ...string) response {
	c.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csr)
	}
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// follow fetches the page a redirect points to.
func (c *client) follow(r response) response {
	c.t.Helper()
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("want a 303 redirect, got %d: %s", r.status, excerpt(r.body))
	}
	return c.get(r.location)
}

// signIn signs in as the user of role and returns the page it lands on.
func (c *client) signIn(role string) response {
	c.t.Helper()
	c.get("/signin")
	r := c.post("/signin", url.Values{"email": {c.e.users[role].Email}, "password": {password}})
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: %d %s", role, r.status, excerpt(r.body))
	}
	return c.follow(r)
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}

func mustContain(t *testing.T, r response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(r.body, w) {
			t.Errorf("page lacks %q:\n%s", w, excerpt(r.body))
		}
	}
}

func mustNotContain(t *testing.T, r response, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(r.body, n) {
			t.Errorf("page should not contain %q:\n%s", n, excerpt(r.body))
		}
	}
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d:\n%s", r.status, want, excerpt(r.body))
	}
}
