package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// now is the fixed time of every test database.
var now = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// fixture is one migrated database with an API over it, a few users with
// tokens, and one of each record, all named in vars for scenario URLs.
type fixture struct {
	svc    *service.Service
	api    *httpapi.API
	raw    *sql.DB // a second handle, to see what the API wrote
	tokens map[string]string
	vars   map[string]string
}

// eachDialect runs fn on a fresh fixture per dialect under test.
func eachDialect(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newFixture(t, d)) })
	}
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	dsn := storetest.DSN(t, dialect)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Options{Now: storetest.NewClock(now).Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log, service.Config{})
	f := &fixture{svc: svc, api: httpapi.New(svc, httpapi.Options{Logger: log}), raw: openRaw(t, dsn),
		tokens: map[string]string{}, vars: map[string]string{}}
	f.seed(t)
	return f
}

// openRaw opens the test database a second time, read-only in spirit.
func openRaw(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	dialect, conn, err := store.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	driver, source := "pgx", conn
	if dialect == store.SQLite {
		driver, source = "sqlite", "file:"+conn+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seed creates the users, tokens and records the scenarios refer to.
func (f *fixture) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := f.svc.EnsureAdmin(ctx, "admin@example.com", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	admin, err := f.svc.AuthenticateToken(ctx, f.token(t, care.SystemActor("test"), 1, "admin"), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	actx := care.NewContextWithActor(ctx, admin)
	f.vars["{admin_id}"] = strconv.FormatInt(admin.UserID, 10)
	for _, role := range []string{"agent", "supervisor", "claims_handler", "auditor", "compliance"} {
		u := &care.User{Email: role + "@example.com", Name: role, Role: role}
		if _, err := f.svc.CreateUser(actx, u, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		f.vars["{"+role+"_id}"] = strconv.FormatInt(u.ID, 10)
		f.token(t, admin, u.ID, role)
	}
	team := &care.Team{Name: "Motor"}
	must(t, f.svc.CreateTeam(actx, team))
	f.vars["{team}"] = strconv.FormatInt(team.ID, 10)
	must(t, f.svc.CreateDispositionCode(actx, &care.DispositionCode{Code: "resolved", Label: "Resolved"}))
	cust := &care.Customer{Name: "Ada Lovelace", Email: "ada@example.com", Phone: "+44 20 7946 0000"}
	must(t, f.svc.CreateCustomer(actx, cust))
	f.vars["{customer}"] = strconv.FormatInt(cust.ID, 10)
	pol := &care.Policy{CustomerID: cust.ID, Number: "MOT-0001", Line: "motor", Start: now, End: now.AddDate(1, 0, -1), PremiumMinor: 45000}
	must(t, f.svc.CreatePolicy(actx, pol))
	f.vars["{policy}"] = strconv.FormatInt(pol.ID, 10)
	c, err := f.svc.CreateCase(actx, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone",
		CustomerID: cust.ID, Subject: "Renewal question", Description: "When does my cover renew?"}})
	must(t, err)
	f.vars["{case}"] = strconv.FormatInt(c.ID, 10)
	f.vars["{case_ref}"] = c.Reference
}

// token mints an API token for user as actor and records it under name.
func (f *fixture) token(t *testing.T, actor care.Actor, user int64, name string) string {
	t.Helper()
	secret, _, err := f.svc.CreateToken(care.NewContextWithActor(context.Background(), actor), user, "test")
	must(t, err)
	f.tokens[name] = secret
	return secret
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// expand replaces the fixture's {placeholders} in s.
func (f *fixture) expand(s string) string {
	for k, v := range f.vars {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// do sends one request to the API, as the named user ("" for nobody).
func (f *fixture) do(t *testing.T, as, method, url, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(f.expand(body))
	}
	req := httptest.NewRequest(method, f.expand(url), rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		tok, ok := f.tokens[as]
		if !ok {
			t.Fatalf("no token for %q", as)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range header {
		req.Header.Set(k, f.expand(v))
	}
	rec := httptest.NewRecorder()
	f.api.ServeHTTP(rec, req)
	return rec
}

// snapshot describes the database's content, to show that a failing write
// changed nothing.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	queries := []string{
		"SELECT id, version, status, priority, type, subject, team_id, assignee_id, customer_id FROM cases ORDER BY id",
		"SELECT id, kind, name, email, phone, vulnerable, external_ref FROM customers ORDER BY id",
		"SELECT id, email, name, role, team_id, active FROM users ORDER BY id",
		"SELECT id, number, customer_id, premium_minor FROM policies ORDER BY id",
	}
	for _, table := range []string{"teams", "api_tokens", "interactions", "disposition_codes", "audit_log"} {
		queries = append(queries, "SELECT count(*) FROM "+table)
	}
	for _, q := range queries {
		rows, err := f.raw.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			fmt.Fprintf(&b, "%v\n", vals)
		}
		must(t, rows.Err())
		rows.Close()
	}
	return b.String()
}

// decodeJSON parses a response body.
func decodeJSON(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, rec.Body)
	}
	return m
}

// lookup follows a dotted path ("items.0.id") through decoded JSON.
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// sameJSON compares two values by their JSON encodings.
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// problemFields lists the "field" of each entry of a problem's errors.
func problemFields(m map[string]any) []string {
	var out []string
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		if em, ok := e.(map[string]any); ok {
			out = append(out, fmt.Sprint(em["field"]))
		}
	}
	return out
}

// statusOK reports an unexpected status with the body, for diagnosis.
func statusOK(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d\n%s", rec.Code, want, rec.Body)
	}
}

// num returns a numeric placeholder's value.
func (f *fixture) num(key string) int64 {
	n, err := strconv.ParseInt(f.vars[key], 10, 64)
	if err != nil {
		panic("no numeric fixture value " + key)
	}
	return n
}

// newAPI returns another API over the fixture's service.
func newAPI(f *fixture, trustProxy bool) *httpapi.API {
	return httpapi.New(f.svc, httpapi.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TrustProxy: trustProxy})
}
