package httpapi_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/httpapi"
)

// TestRequestErrors covers the shared decoding and authentication paths
// through a few representative routes.
func TestRequestErrors(t *testing.T) {
	t.Parallel()
	big := `{"name":"` + strings.Repeat("a", 1<<20) + `"}`
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "unknown field", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"X","colour":"blue"}`, status: http.StatusBadRequest, fields: []string{"colour"}},
			{name: "unknown nested field names its path", as: "agent", method: http.MethodPost, url: "/api/v1/cases",
				body:   `{"type":"enquiry","channel":"web","subject":"Hi","interaction":{"channel":"web","colour":"blue"}}`,
				status: http.StatusBadRequest, fields: []string{"interaction.colour"}},
			{name: "wrong type", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":42}`, status: http.StatusBadRequest, fields: []string{"name"}, contains: []string{"must be a string"}},
			{name: "trailing JSON", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"X"} {"name":"Y"}`, status: http.StatusBadRequest, fields: []string{"body"}},
			{name: "syntax error names the offset", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"X",}`, status: http.StatusBadRequest, fields: []string{"body"}, contains: []string{"offset 13"}},
			{name: "truncated body", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"X"`, status: http.StatusBadRequest, fields: []string{"body"}},
			{name: "not an object", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				body: `["X"]`, status: http.StatusBadRequest, fields: []string{"body"}},
			{name: "empty body", as: "agent", method: http.MethodPost, url: "/api/v1/customers",
				header: map[string]string{"Content-Type": "application/json"}, status: http.StatusBadRequest, fields: []string{"body"}},
			{name: "oversize body", as: "agent", method: http.MethodPost, url: "/api/v1/customers", body: big,
				status: http.StatusRequestEntityTooLarge, absent: []string{"aaaa"}},
			{name: "form body", as: "agent", method: http.MethodPost, url: "/api/v1/customers", body: `name=X`,
				header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: http.StatusUnsupportedMediaType},
			{name: "JSON with a charset is fine", as: "agent", method: http.MethodPost, url: "/api/v1/customers", body: `{"name":"X"}`,
				header: map[string]string{"Content-Type": "application/json; charset=utf-8"}, status: http.StatusCreated},

			{name: "missing token", url: "/api/v1/cases", status: http.StatusUnauthorized,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if h := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
						t.Errorf("WWW-Authenticate %q", h)
					}
				}},
			{name: "unknown token", url: "/api/v1/cases", header: map[string]string{"Authorization": "Bearer cdk_nope"},
				status: http.StatusUnauthorized},
			{name: "not a bearer token", url: "/api/v1/cases", header: map[string]string{"Authorization": "Basic YTpi"},
				status: http.StatusUnauthorized},
			{name: "unauthenticated write changes nothing", method: http.MethodPost, url: "/api/v1/customers",
				body: `{"name":"X"}`, status: http.StatusUnauthorized},

			{name: "unknown route", as: "agent", url: "/api/v1/nothing-here", status: http.StatusNotFound},
			{name: "unknown route without a token", url: "/nowhere", status: http.StatusNotFound},
			{name: "wrong method", as: "agent", method: http.MethodDelete, url: "/api/v1/cases/{case}", status: http.StatusMethodNotAllowed,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "PATCH") {
						t.Errorf("Allow %q", allow)
					}
				}},

			{name: "security headers", as: "agent", url: "/api/v1/me", status: http.StatusOK,
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					h := rec.Header()
					if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" ||
						h.Get("Content-Type") != "application/json" {
						t.Errorf("headers %v", h)
					}
				}},
		})
	})
}

func TestOperationalEndpoints(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		runScenarios(t, f, []scenario{
			{name: "healthz", url: "/healthz", status: http.StatusOK, json: map[string]any{"status": "ok"}},
			{name: "readyz", url: "/readyz", status: http.StatusOK, json: map[string]any{"status": "ready"}},
			{name: "openapi", url: "/api/openapi.json", status: http.StatusOK, contains: []string{`"openapi": "3.1`}},
			{name: "some traffic", as: "agent", url: "/api/v1/cases/{case}", status: http.StatusOK},
			{name: "some failing traffic", as: "agent", url: "/api/v1/cases/424242", status: http.StatusNotFound},
			{name: "metrics", url: "/metrics", status: http.StatusOK, contains: []string{
				`caredesk_http_requests_total{method="GET",route="/api/v1/cases/{key}",status="200"} 1`,
				`caredesk_http_requests_total{method="GET",route="/api/v1/cases/{key}",status="404"} 1`,
				`caredesk_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
				`caredesk_http_request_duration_seconds_bucket{method="GET",route="/api/v1/cases/{key}",status="200",le="+Inf"} 1`,
				`caredesk_db_open_connections `, `caredesk_db_max_open_connections `, `go_goroutines `,
			}},
		})
	})
}

// TestReadyzDatabaseDown shows /readyz failing, without detail, once the
// database is gone.
func TestReadyzDatabaseDown(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		must(t, f.svc.Store().Close())
		rec := f.do(t, "", http.MethodGet, "/readyz", "", nil)
		statusOK(t, rec, http.StatusServiceUnavailable)
		if m := decodeJSON(t, rec); m["detail"] != "The database is unreachable." {
			t.Errorf("problem %v", m)
		}
	})
}

// TestInstrument shows the helper the web UI uses counting its own routes
// into the same registry.
func TestInstrument(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "sqlite")
	ui := f.api.Instrument("/ui/cases", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	ui.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/ui/cases?x=1", nil))
	rec := f.do(t, "", http.MethodGet, "/metrics", "", nil)
	if want := `caredesk_http_requests_total{method="GET",route="/ui/cases",status="418"} 1`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %s", want)
	}
}

// TestClientIP shows X-Forwarded-For used only when the proxy is trusted.
func TestClientIP(t *testing.T) {
	t.Parallel()
	for _, trust := range []bool{false, true} {
		f := newFixture(t, "sqlite")
		if trust {
			f.api = newAPI(f, true)
		}
		rec := f.do(t, "agent", http.MethodGet, "/api/v1/cases/{case}", "", map[string]string{"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})
		statusOK(t, rec, http.StatusOK)
		rec = f.do(t, "auditor", http.MethodGet, "/api/v1/audit?entity=case&action=read&limit=1", "", nil)
		want := map[bool]string{false: "192.0.2.1", true: "203.0.113.9"}[trust]
		if ip, _ := lookup(decodeJSON(t, rec), "items.0.ip"); ip != want {
			t.Errorf("TrustProxy=%v: audited ip %v, want %s", trust, ip, want)
		}
	}
}

// TestInternalErrors shows a bug answered as a 500 problem without detail,
// and logged once with it.
func TestInternalErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "sqlite")
	var logged bytes.Buffer
	api := httpapi.New(f.svc, httpapi.Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	rec := httptest.NewRecorder()
	httpapi.PanickingHandler(api).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/panic", nil))
	statusOK(t, rec, http.StatusInternalServerError)
	if m := decodeJSON(t, rec); m["detail"] != nil || m["type"] != "urn:caredesk:problem:internal" {
		t.Errorf("problem %v", m)
	}
	if n := strings.Count(logged.String(), "boom"); n != 1 {
		t.Errorf("logged %d times:\n%s", n, logged.String())
	}
}
