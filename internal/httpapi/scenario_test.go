package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// scenario is one request and what must come back, in the style of
// pocketbase's tests/api.go. Any scenario that writes (not GET) and expects
// an error also checks that the database did not change.
type scenario struct {
	name     string
	as       string // whose token to present: "admin", "agent", "auditor", …; "" for none
	method   string
	url      string // may use the fixture's {placeholders}
	header   map[string]string
	body     string // JSON, sent with Content-Type: application/json unless header overrides it
	status   int
	contains []string       // substrings the body must hold
	absent   []string       // substrings the body must not hold
	json     map[string]any // dotted path → expected value
	fields   []string       // a problem must name each of these fields
	check    func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder)
}

// runScenarios runs each scenario as a subtest on f, in order.
func runScenarios(t *testing.T, f *fixture, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, f) })
	}
}

func (sc scenario) run(t *testing.T, f *fixture) {
	t.Helper()
	method := sc.method
	if method == "" {
		method = http.MethodGet
	}
	failingWrite := method != http.MethodGet && sc.status >= 400
	var before string
	if failingWrite {
		before = f.snapshot(t)
	}
	rec := f.do(t, sc.as, method, sc.url, sc.body, sc.header)
	statusOK(t, rec, sc.status)
	body := rec.Body.String()
	for _, s := range sc.contains {
		if !strings.Contains(body, f.expand(s)) {
			t.Errorf("body lacks %q:\n%s", f.expand(s), body)
		}
	}
	for _, s := range sc.absent {
		if strings.Contains(body, f.expand(s)) {
			t.Errorf("body holds %q:\n%s", f.expand(s), body)
		}
	}
	if len(sc.json) > 0 || len(sc.fields) > 0 || sc.status >= 400 {
		sc.checkJSON(t, f, rec)
	}
	if failingWrite {
		if after := f.snapshot(t); after != before {
			t.Errorf("a failing %s changed the database:\nbefore:\n%s\nafter:\n%s", method, before, after)
		}
	}
	if sc.check != nil {
		sc.check(t, f, rec)
	}
}

func (sc scenario) checkJSON(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
	t.Helper()
	m := decodeJSON(t, rec)
	for path, want := range sc.json {
		if s, ok := want.(string); ok {
			want = f.expand(s)
		}
		got, ok := lookup(m, path)
		if !ok {
			t.Errorf("body has no %s:\n%s", path, rec.Body)
		} else if !sameJSON(got, want) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	if sc.status < 400 {
		return
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	if got, _ := m["status"].(float64); int(got) != sc.status {
		t.Errorf("problem status %v, want %d", m["status"], sc.status)
	}
	named := problemFields(m)
	for _, field := range sc.fields {
		if !slices.Contains(named, field) {
			t.Errorf("problem does not name %q (names %v):\n%s", field, named, rec.Body)
		}
	}
	if (sc.status == 400 || sc.status == 422) && len(named) == 0 {
		t.Errorf("a %d problem names no field:\n%s", sc.status, rec.Body)
	}
}
