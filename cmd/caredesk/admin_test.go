package main

import (
	"bytes"
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// runCLI runs the binary's dispatcher in-process.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, stdio{strings.NewReader(stdin), &out, &errb})
	return code, out.String(), errb.String()
}

// rawDB opens the test database directly, as an attacker with file or
// database access would.
func rawDB(t *testing.T, dialect, dsn string) *sql.DB {
	t.Helper()
	_, conn, err := store.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	driver := "sqlite"
	if dialect == store.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOperatorCommands(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			if code, out, errs := runCLI(t, "", "migrate", "--db", dsn); code != 0 || !strings.Contains(out, "00001 applied") {
				t.Fatalf("migrate: %d %q %q", code, out, errs)
			}
			code, out, errs := runCLI(t, "a sufficiently long password\n", "user", "add", "--db", dsn,
				"--email", "Ann@Example.com", "--name", "Ann Agent", "--role", "agent")
			if code != 0 || !strings.Contains(out, "ann@example.com (agent)") || strings.Contains(out, "password") {
				t.Fatalf("user add: %d %q %q", code, out, errs)
			}
			code, out, _ = runCLI(t, "", "user", "add", "--db", dsn, "--email", "bob@example.com", "--name", "Bob", "--role", "auditor")
			if code != 0 || !strings.Contains(out, "password (shown once): ") {
				t.Fatalf("user add with generated password: %d %q", code, out)
			}
			code, _, errs = runCLI(t, "", "user", "add", "--db", dsn, "--email", "nope", "--name", "", "--role", "boss")
			if code != exitUsage || !strings.Contains(errs, "email: must be an email address") || !strings.Contains(errs, "role: must be one of") {
				t.Fatalf("bad user add: %d %q", code, errs)
			}
			code, out, errs = runCLI(t, "", "token", "create", "--db", dsn, "--email", "ann@example.com", "--name", "ci")
			if code != 0 || !strings.HasPrefix(out, "cdk_") || strings.Count(out, "\n") != 1 {
				t.Fatalf("token create: %d %q %q", code, out, errs)
			}
			code, out, _ = runCLI(t, "", "token", "list", "--db", dsn, "--email", "ann@example.com")
			if code != 0 || !strings.HasPrefix(out, "1\tcdk_") || !strings.Contains(out, "live") {
				t.Fatalf("token list: %d %q", code, out)
			}
			if code, out, errs := runCLI(t, "", "token", "revoke", "--db", dsn, "--id", "1"); code != 0 || !strings.Contains(out, "revoked token 1") {
				t.Fatalf("token revoke: %d %q %q", code, out, errs)
			}
			if _, out, _ := runCLI(t, "", "token", "list", "--db", dsn, "--email", "ann@example.com"); !strings.Contains(out, "revoked") {
				t.Fatalf("token list after revoke: %q", out)
			}
			if code, _, errs := runCLI(t, "", "token", "create", "--db", dsn, "--email", "ghost@example.com"); code == 0 || !strings.Contains(errs, "No user") {
				t.Fatalf("token for unknown user: %d %q", code, errs)
			}
			code, out, _ = runCLI(t, "", "audit", "verify", "--db", dsn)
			if code != 0 || !strings.Contains(out, "audit chain intact: 4 entries") {
				t.Fatalf("verify intact: %d %q", code, out)
			}
			// Edit one row by hand: verify must fail and name it.
			db := rawDB(t, dialect, dsn)
			if _, err := db.Exec(`UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 2`); err != nil {
				t.Fatal(err)
			}
			code, _, errs = runCLI(t, "", "audit", "verify", "--db", dsn)
			if code != exitFail || !strings.Contains(errs, "audit entry 2") {
				t.Fatalf("verify tampered: %d %q", code, errs)
			}
		})
	}
}

func TestAuditVerifyCatchesDeletion(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	runCLI(t, "", "migrate", "--db", dsn)
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if code, _, errs := runCLI(t, "", "user", "add", "--db", dsn, "--email", e, "--name", "X", "--role", "agent"); code != 0 {
			t.Fatal(errs)
		}
	}
	db := rawDB(t, store.SQLite, dsn)
	if _, err := db.Exec(`DELETE FROM audit_log WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "audit", "verify", "--db", dsn)
	if code != exitFail || !strings.Contains(errs, "audit entry 2") && !strings.Contains(errs, "audit entry 3") {
		t.Fatalf("verify after deleting the last entry: %d %q", code, errs)
	}
}

func TestDemoLoadsOnceAndIsDeterministic(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	code, out, errs := runCLI(t, "", "demo", "--db", dsn, "--customers", "20", "--seed", "7")
	// The showcases (claims, policies) add customers of their own to the 20.
	var customers int
	if m := regexp.MustCompile(`(\d+) customers`).FindStringSubmatch(out); m != nil {
		customers, _ = strconv.Atoi(m[1])
	}
	if code != 0 || !strings.Contains(out, "one-time password") || customers < 20 {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "demo", "--db", dsn); code != exitFail || !strings.Contains(errs, "already holds cases") {
		t.Fatalf("second demo: %d %q", code, errs)
	}
	other := storetest.DSN(t, store.SQLite)
	_, out2, _ := runCLI(t, "", "demo", "--db", other, "--customers", "20", "--seed", "7")
	summary := func(s string) string { return s[strings.Index(s, "demo data:"):] }
	if summary(out) != summary(out2) {
		t.Fatalf("same seed, different data:\n%s\n%s", summary(out), summary(out2))
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	if code, _, errs := runCLI(t, "", "frobnicate"); code != exitUsage || !strings.Contains(errs, "unknown command") {
		t.Fatalf("unknown: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "user"); code != exitUsage || !strings.Contains(errs, "add") {
		t.Fatalf("bare group: %d %q", code, errs)
	}
	code, out, _ := runCLI(t, "", "help")
	for _, want := range []string{"migrate", "user add", "token create", "audit verify", "demo"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("help lacks %q: %q", want, out)
		}
	}
}
