package demo_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/demo"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

var demoNow = time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)

// generated is a database loaded by demo.Load, with a raw handle for
// reading rows back.
type generated struct {
	svc *service.Service
	raw *sql.DB
	sum *demo.Summary
}

func generate(t *testing.T, dialect string, opts demo.Options) *generated {
	t.Helper()
	dsn := storetest.DSN(t, dialect)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Options{Now: func() time.Time { return demoNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, nil, service.Config{})
	sum, err := demo.Load(ctx, svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, conn, err := store.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open(map[string]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[d], conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &generated{svc: svc, raw: raw, sum: sum}
}

// fingerprints hashes the rows of each table the generator writes, in id
// order, every column (times included: the clock is fixed).
func (g *generated) fingerprints(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for table, order := range map[string]string{"customers": "id", "policies": "id", "users": "id", "teams": "id",
		"cases": "id", "interactions": "id", "surveys": "id", "kpi_contacts": "interaction_id", "kpi_cases": "case_id",
		"case_clocks": "id", "complaints": "case_id", "complaint_redress": "id",
		"kpi_cells": "dims, day, channel, team_id, agent_id, case_type, product"} {
		out[table] = g.hash(t, `SELECT * FROM `+table+` ORDER BY `+order, table == "users")
	}
	return out
}

func (g *generated) hash(t *testing.T, q string, users bool) string {
	rows, err := g.raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for k := range vals {
			ptrs[k] = &vals[k]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for k, v := range vals {
			if users && cols[k] == "password_hash" {
				continue // salted: differs on purpose
			}
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(h, "%v\x1f", v)
		}
		h.Write([]byte{'\n'})
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

func (g *generated) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := g.raw.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestHistoryIsDeterministic: the same seed gives the same rows, table by
// table, in two fresh databases; another seed gives other rows.
func TestHistoryIsDeterministic(t *testing.T) {
	// Small: the suite runs under -race, where SQLite is slow.
	opts := demo.Options{Seed: 7, Interactions: 800, Months: 3}
	a := generate(t, store.SQLite, opts).fingerprints(t)
	b := generate(t, store.SQLite, opts).fingerprints(t)
	for table, fa := range a {
		if fa != b[table] {
			t.Errorf("%s differs between two runs with seed 7: %s vs %s", table, fa, b[table])
		}
		if strings.HasPrefix(fa, "0 rows") && table != "complaint_redress" {
			t.Errorf("%s is empty", table)
		}
	}
	opts.Seed = 8
	c := generate(t, store.SQLite, opts).fingerprints(t)
	if c["interactions"] == a["interactions"] {
		t.Errorf("seeds 7 and 8 gave the same interactions")
	}
}

// TestHistoryShape checks the history looks like a contact centre's, and
// that its KPI cells are exactly what a rebuild from the raw rows counts.
func TestHistoryShape(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			g := generate(t, dialect, demo.Options{Seed: 3, Interactions: 2500, Months: 4})
			s := g.sum
			total := g.count(t, `SELECT COUNT(*) FROM interactions`)
			if total != s.Interactions || total < 2450 || total > 2550 {
				t.Errorf("interactions: %d in the database, %d in the summary, asked for about 2500", total, s.Interactions)
			}
			if n := g.count(t, `SELECT COUNT(*) FROM cases`); n != s.Cases || n < 600 {
				t.Errorf("cases: %d in the database, %d in the summary", n, s.Cases)
			}
			abandoned := g.count(t, `SELECT COUNT(*) FROM interactions WHERE abandoned`)
			phone := g.count(t, `SELECT COUNT(*) FROM interactions WHERE channel = 'phone' AND direction = 'inbound'`)
			if abandoned == 0 || abandoned > phone/3 {
				t.Errorf("%d abandoned of %d inbound calls", abandoned, phone)
			}
			short := g.count(t, `SELECT COUNT(*) FROM interactions WHERE abandoned AND ended_at - offered_at < 5000000`)
			if short == 0 || short == abandoned {
				t.Errorf("%d of %d abandons within 5 s: want some, not all", short, abandoned)
			}
			for _, kind := range []string{"csat", "nps", "ces"} {
				if n := g.count(t, `SELECT COUNT(*) FROM surveys WHERE kind = $1`, kind); n == 0 {
					t.Errorf("no %s answers", kind)
				}
			}
			if n := g.count(t, `SELECT COUNT(*) FROM surveys WHERE kind = 'csat' AND score >= 4`); n*2 < g.count(t, `SELECT COUNT(*) FROM surveys WHERE kind = 'csat'`) {
				t.Errorf("fewer than half the CSAT answers are satisfied (4–5): %d", n)
			}
			for _, typ := range care.CaseTypes {
				if n := g.count(t, `SELECT COUNT(*) FROM cases WHERE type = $1`, typ); n == 0 {
					t.Errorf("no %s cases", typ)
				}
			}
			open := g.count(t, `SELECT COUNT(*) FROM cases WHERE is_open`)
			withDeadline := g.count(t, `SELECT COUNT(*) FROM cases WHERE is_open AND next_due_at IS NOT NULL`)
			if open == 0 || open > s.Cases/4 || withDeadline == 0 {
				t.Errorf("%d open cases of %d, %d with a next deadline", open, s.Cases, withDeadline)
			}
			weekday := g.count(t, `SELECT COUNT(*) FROM interactions WHERE channel = 'phone'`)
			if weekday == 0 {
				t.Errorf("no phone contacts")
			}
			if s.Complaints == 0 || g.count(t, `SELECT COUNT(*) FROM complaints WHERE outcome <> ''`) == 0 {
				t.Errorf("no complaint taken to an outcome (%d through the lifecycle)", s.Complaints)
			}
			before := g.hash(t, `SELECT dims, day, channel, team_id, agent_id, case_type, product, totals, lags FROM kpi_cells
				ORDER BY dims, day, channel, team_id, agent_id, case_type, product`, false)
			ctx := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
			if _, err := g.svc.RebuildKPIs(ctx, nil, nil); err != nil {
				t.Fatal(err)
			}
			after := g.hash(t, `SELECT dims, day, channel, team_id, agent_id, case_type, product, totals, lags FROM kpi_cells
				ORDER BY dims, day, channel, team_id, agent_id, case_type, product`, false)
			if before != after {
				t.Errorf("KPI cells written with the history (%s) differ from a rebuild from the rows (%s)", before, after)
			}
		})
	}
}
