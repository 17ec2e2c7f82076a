package store_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/postgres"
	"github.com/caredesk/caredesk/internal/store/sqlite"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// Both dialects must carry the same numbered migrations, or one database
// silently lags the other.
func TestMigrationListsMatch(t *testing.T) {
	list := func(fsys fs.FS) []string {
		names, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(names)
		return names
	}
	a, b := list(sqlite.Migrations()), list(postgres.Migrations())
	if !slices.Equal(a, b) {
		t.Fatalf("migration lists differ:\nsqlite:   %v\npostgres: %v", a, b)
	}
	if len(a) == 0 {
		t.Fatal("no migrations")
	}
}

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct{ in, dialect, conn string }{
		{"caredesk.db", store.SQLite, "caredesk.db"},
		{"sqlite:/tmp/x.db", store.SQLite, "/tmp/x.db"},
		{"sqlite:///tmp/x.db", store.SQLite, "/tmp/x.db"},
		{"postgres://u@h/db", store.Postgres, "postgres://u@h/db"},
		{"postgresql://u@h/db", store.Postgres, "postgresql://u@h/db"},
	} {
		d, c, err := store.ParseDSN(tc.in)
		if err != nil || d != tc.dialect || c != tc.conn {
			t.Errorf("ParseDSN(%q) = %q, %q, %v; want %q, %q", tc.in, d, c, err, tc.dialect, tc.conn)
		}
	}
	for _, bad := range []string{"", "mysql://x", "sqlite:"} {
		if _, _, err := store.ParseDSN(bad); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("ParseDSN(%q) error = %v, want EINVALID", bad, err)
		}
	}
}

func TestCaseRoundTripAndReferences(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var first, second *care.Case
		err := s.Write(ctx, func(tx *store.Tx) error {
			cust := &care.Customer{Kind: "policyholder", Name: "Ada Lovelace", Email: "ada@example.com"}
			if err := tx.CreateCustomer(ctx, cust); err != nil {
				return err
			}
			first = &care.Case{Type: "complaint", Channel: "email", Status: "new", Priority: "high",
				CustomerID: cust.ID, Subject: "Late payout", Regimes: []string{"uk-fca", "iso10002"},
				ReceivedAt: clk.Now().Add(-48 * time.Hour)}
			if err := tx.CreateCase(ctx, first); err != nil {
				return err
			}
			second = &care.Case{Type: "enquiry", Channel: "phone", Status: "new", Priority: "normal", Subject: "Cover"}
			return tx.CreateCase(ctx, second)
		})
		if err != nil {
			t.Fatal(err)
		}
		if first.Reference != "CD-2026-000001" || second.Reference != "CD-2026-000002" {
			t.Fatalf("references %s, %s", first.Reference, second.Reference)
		}
		var got *care.Case
		err = s.Read(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.FindCaseByReference(ctx, "cd-2026-000001")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := first.ReceivedAt.Truncate(time.Microsecond)
		if !got.ReceivedAt.Equal(want) || !slices.Equal(got.Regimes, []string{"uk-fca", "iso10002"}) || got.Priority != "high" {
			t.Fatalf("round trip: %+v", got)
		}
		// A stale version is refused, not silently overwritten.
		got.Status = "open"
		got.Version = 99
		err = s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateCase(ctx, got) })
		if care.ErrorCode(err) != care.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
	})
}

func TestUniqueAndForeignKeyErrorsAreCareErrors(t *testing.T) {
	storetest.Each(t, time.Now, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		team := &care.Team{Name: "Complaints"}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreateTeam(ctx, team) }); err != nil {
			t.Fatal(err)
		}
		err := s.Write(ctx, func(tx *store.Tx) error { return tx.CreateTeam(ctx, &care.Team{Name: "Complaints"}) })
		if care.ErrorCode(err) != care.ECONFLICT {
			t.Fatalf("duplicate team: %v", err)
		}
		err = s.Write(ctx, func(tx *store.Tx) error {
			return tx.CreateCase(ctx, &care.Case{Type: "enquiry", Channel: "web", Status: "new", Priority: "normal",
				Subject: "x", CustomerID: 4242})
		})
		if care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("dangling customer: %v", err)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Each(t, time.Now, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			err := s.Write(ctx, func(tx *store.Tx) error {
				return tx.AppendAudit(ctx, &care.AuditEntry{ActorName: "ann@example.com", Source: "test",
					Action: "read", Entity: "case", EntityID: itoa(i), Detail: `{"n":1}`})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		brk, n, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 5 {
			t.Fatalf("intact chain: %v %v %d", brk, err, n)
		}
		if err := store.ExecForTest(ctx, s, `UPDATE audit_log SET detail = '{"n":2}' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		brk, _, _ = s.VerifyAudit(ctx)
		if brk == nil || brk.Seq != 3 {
			t.Fatalf("edited entry: %v", brk)
		}
	})
}

func itoa(i int) string { return string(rune('0' + i)) }

// Several processes starting at once on one SQLite file (a server and a CLI
// command, say) must not apply the same migration twice. Real processes:
// the race is between connections that share nothing.
func TestConcurrentMigrationsOnOneSQLiteFile(t *testing.T) {
	if dsn := os.Getenv("CAREDESK_MIGRATE_CHILD"); dsn != "" {
		s, err := store.Open(context.Background(), dsn, store.Options{})
		if err == nil {
			err = s.Migrate(context.Background())
			s.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	for round := 0; round < 3; round++ {
		dsn := storetest.DSN(t, store.SQLite)
		var cmds []*exec.Cmd
		var outs []*bytes.Buffer
		for i := 0; i < 6; i++ {
			cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentMigrationsOnOneSQLiteFile$")
			cmd.Env = append(os.Environ(), "CAREDESK_MIGRATE_CHILD="+dsn)
			out := &bytes.Buffer{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds, outs = append(cmds, cmd), append(outs, out)
		}
		for i, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("a concurrent migrate failed: %v\n%s", err, outs[i])
			}
		}
	}
}
