// Command sweep measures the clock scheduler at scale: it loads N open
// clocks (default 1,000,000, four per case) into a fresh database, makes a
// share of them due, and times one sweep that fires the due ones and one
// sweep that finds nothing to do. Results go to stdout as a Markdown table
// row for docs/benchmarks.md.
//
//	go run ./bench/sweep                          # SQLite in a temp dir
//	go run ./bench/sweep -db 'postgres://…'       # an empty PostgreSQL database or schema
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

func main() {
	dsn := flag.String("db", "", "database (default: a new SQLite file in a temp dir)")
	clocks := flag.Int("clocks", 1_000_000, "open clocks to load")
	due := flag.Float64("due", 0.01, "share of clocks due at sweep time")
	flag.Parse()
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "caredesk-bench-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	ctx := context.Background()
	st, err := store.Open(ctx, *dsn, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	nDue := load(ctx, *dsn, *clocks, *due, now)
	fmt.Fprintf(os.Stderr, "loaded %d clocks (%d due) in %s\n", *clocks, nDue, time.Since(t0).Round(time.Millisecond))
	svc := service.New(st, nil, service.Config{})
	t1 := time.Now()
	fired, err := svc.SweepClocks(ctx, "bench", time.Minute, 500)
	busy := time.Since(t1)
	if err != nil {
		log.Fatal(err)
	}
	t2 := time.Now()
	idle, err := svc.SweepClocks(ctx, "bench", time.Minute, 500)
	quiet := time.Since(t2)
	if err != nil || idle != 0 {
		log.Fatalf("idle sweep fired %d: %v", idle, err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("| %s | %d | %d | %s | %.0f/s | %s | %d MiB |\n", st.Dialect(), *clocks, fired,
		busy.Round(time.Millisecond), float64(fired)/busy.Seconds(), quiet.Round(time.Microsecond), ms.Sys>>20)
}

// load writes the clocks with plain SQL in large transactions: the point is
// the sweep, not the intake path, which has its own benchmark.
func load(ctx context.Context, dsn string, n int, dueShare float64, now time.Time) int {
	dialect, conn, err := store.ParseDSN(dsn)
	if err != nil {
		log.Fatal(err)
	}
	driver := map[string]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[dialect]
	db, err := sql.Open(driver, conn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	names := []string{"first_response", "resolution", "acknowledge", "final_response"}
	step := int(1 / dueShare)
	nDue := 0
	const perTx = 20_000
	for base := 0; base < n; base += perTx {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			log.Fatal(err)
		}
		for i := base; i < min(base+perTx, n); i++ {
			caseID := int64(i/4 + 1)
			if i%4 == 0 {
				mustExec(tx, `INSERT INTO cases (id, reference, type, channel, status, priority, subject, received_at,
					is_open, created_at, updated_at) VALUES ($1, $2, 'complaint', 'email', 'open', 'normal', 'bench', $3, $4, $3, $3)`,
					caseID, care.CaseReference(2026, caseID), now.Add(-time.Hour).UnixMicro(), true)
			}
			start := now.Add(-time.Duration(i%1000) * time.Minute)
			dueAt := now.Add(time.Duration(1+i%5000) * time.Hour)
			if i%step == 0 {
				dueAt = now.Add(-time.Minute)
				nDue++
			}
			mustExec(tx, `INSERT INTO case_clocks (case_id, regime, variant, calendar, zone, name, occurrence, start_event,
				started_at, due_at, warn_at, state, amount, first_amount, unit, recurring, pausable, roll_forward, source,
				on_breach, basis, fire_at, updated_at) VALUES ($1, 'sla', '', 'GB-ENG', 'Europe/London', $2, 1, 'received',
				$3, $4, $5, 'running', 5, 0, 'business_days', $6, $6, $6, 'bench', '', 'bench', $5, $3)`,
				caseID, names[i%4], start.UnixMicro(), dueAt.UnixMicro(), dueAt.Add(-time.Hour).UnixMicro(), false)
		}
		if err := tx.Commit(); err != nil {
			log.Fatal(err)
		}
	}
	return nDue
}

func mustExec(tx *sql.Tx, q string, args ...any) {
	if _, err := tx.Exec(q, args...); err != nil {
		log.Fatal(err)
	}
}
