package portal_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/portal"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// received is when every test's submissions arrive: Monday 2 November 2026,
// 10:00 in London, so ISO 10002's 15-business-day final response falls on
// 23 November 2026.
var received = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

// env is a portal on a fresh database, mounted as caredesk serve mounts
// it, with a member of staff to look at what arrived.
type env struct {
	t     *testing.T
	svc   *service.Service
	srv   *httptest.Server
	staff context.Context // a complaints handler
	admin context.Context // for the outbox
}

func each(t *testing.T, opts portal.Options, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newEnv(t, d, opts, storetest.NewClock(received).Now)) })
	}
}

func newEnv(t *testing.T, dialect string, opts portal.Options, now func() time.Time) *env {
	t.Helper()
	st := storetest.Open(t, dialect, now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log, service.Config{})
	opts.Logger = log
	p, err := portal.New(svc, opts)
	if err != nil {
		t.Fatalf("portal.New: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle(portal.Prefix, p)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	sys := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
	u := &care.User{Email: "hannah@example.com", Name: "Hannah Price", Role: "complaints_handler"}
	if _, err := svc.CreateUser(sys, u, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	staff := care.NewContextWithActor(context.Background(), care.Actor{UserID: u.ID, Name: u.Email, Role: u.Role, Source: "test"})
	admin := care.NewContextWithActor(context.Background(), care.Actor{Name: "admin@example.com", Role: "admin", Source: "test"})
	return &env{t: t, svc: svc, srv: srv, staff: staff, admin: admin}
}

// client is a browser stand-in with a cookie jar that does not follow
// redirects.
type client struct {
	t    *testing.T
	e    *env
	hc   *http.Client
	csrf string // the token of the last form seen
	hdr  http.Header
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &client{t: e.t, e: e, hc: hc, hdr: http.Header{}}
}

type response struct {
	status int
	header http.Header
	body   string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = html.UnescapeString(m[1])
	}
	return &response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

// post sends a urlencoded form with the last token seen (unless the form
// sets its own).
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// file is a document to upload.
type file struct {
	name, contentType string
	data              []byte
}

// postFiles sends a multipart form, as a browser does for a form with a
// file input.
func (c *client) postFiles(path string, form url.Values, files ...file) *response {
	c.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="documents"; filename="` + f.name + `"`}
		h["Content-Type"] = []string{f.contentType}
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// complaintForm is a valid complaint.
func complaintForm(email string) url.Values {
	return url.Values{"name": {"Ruth Okafor"}, "email": {email}, "description": {"Nobody has called me back about my claim."},
		"consent": {"yes"}}
}

var referenceRe = regexp.MustCompile(`CD-\d{4}-\d{6}`)

// submit fills in and sends a form of kind, returning the response.
func (c *client) submit(kind string, form url.Values, files ...file) *response {
	c.t.Helper()
	if r := c.get("/portal/" + kind); r.status != http.StatusOK {
		c.t.Fatalf("GET form %s: %d", kind, r.status)
	}
	return c.postFiles("/portal/"+kind, form, files...)
}

func mustContain(t *testing.T, r *response, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.body, w) {
			t.Errorf("page (status %d) lacks %q:\n%s", r.status, w, r.body)
		}
	}
}
