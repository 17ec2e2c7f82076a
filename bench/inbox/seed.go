package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/demo"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// seedInbox creates teams and staff through the service, customers in
// bulk, then the cases and their clocks with plain multi-row SQL in large
// transactions: the point is the inbox, not the intake path, which has its
// own benchmark.
func seedInbox(ctx context.Context, dsn string, cases int, openShare float64, teams int) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	svc := service.New(st, nil, service.Config{})
	ctx = care.NewContextWithActor(ctx, care.SystemActor("bench"))
	var teamIDs []int64
	var users []*care.User
	for t := 0; t < teams; t++ {
		team := &care.Team{Name: fmt.Sprintf("Team %02d", t+1)}
		if err := svc.CreateTeam(ctx, team); err != nil {
			st.Close()
			return err
		}
		teamIDs = append(teamIDs, team.ID)
		users = append(users, &care.User{Email: fmt.Sprintf("lead%02d@bench.example", t+1), Name: fmt.Sprintf("Lead %d", t+1),
			Role: "supervisor", TeamID: team.ID})
		for a := 0; a < 10; a++ {
			users = append(users, &care.User{Email: fmt.Sprintf("agent%02d.%02d@bench.example", t+1, a+1),
				Name: fmt.Sprintf("Agent %d.%d", t+1, a+1), Role: "agent", TeamID: team.ID})
		}
	}
	if err := svc.CreateStaffBulk(ctx, users, demo.StaffPassword); err != nil {
		st.Close()
		return err
	}
	customers := max(cases/5, 1)
	for done := 0; done < customers; done += 5000 {
		cs := make([]*care.Customer, min(5000, customers-done))
		ps := make([][]*care.Policy, len(cs))
		for k := range cs {
			cs[k] = &care.Customer{Kind: "policyholder", Name: fmt.Sprintf("Customer %d", done+k+1),
				Email: fmt.Sprintf("customer%d@example.net", done+k+1)}
		}
		if err := svc.CreateCustomersBulk(ctx, cs, ps); err != nil {
			st.Close()
			return err
		}
	}
	st.Close()
	dialect, conn, err := store.ParseDSN(dsn)
	if err != nil {
		return err
	}
	db, err := sql.Open(map[string]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[dialect], conn)
	if err != nil {
		return err
	}
	defer db.Close()
	if dialect == store.SQLite {
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(`PRAGMA busy_timeout = 10000`); err != nil {
			return err
		}
	}
	s := &seeder{db: db, dialect: dialect, rng: rand.New(rand.NewPCG(1, 2)), teams: teamIDs, users: users, customers: customers}
	return s.cases(ctx, cases, openShare)
}

type seeder struct {
	db        *sql.DB
	dialect   string
	rng       *rand.Rand
	teams     []int64
	users     []*care.User
	customers int
}

const perStatement = 400

// cases writes n cases, 20,000 per transaction; open ones get two
// running clocks and their next deadline.
func (s *seeder) cases(ctx context.Context, n int, openShare float64) error {
	var first int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&first); err != nil {
		return err
	}
	caseCols := []string{"id", "reference", "type", "channel", "status", "priority", "customer_id", "team_id", "assignee_id",
		"subject", "received_at", "next_due_at", "is_open", "created_at", "updated_at", "closed_at", "tier", "version"}
	clockCols := []string{"case_id", "regime", "variant", "calendar", "zone", "name", "occurrence", "start_event", "started_at",
		"due_at", "warn_at", "state", "amount", "first_amount", "unit", "recurring", "pausable", "roll_forward", "source",
		"on_breach", "basis", "fire_at", "updated_at"}
	types := []string{"enquiry", "service_request", "claim", "complaint"}
	for base := 0; base < n; base += 20_000 {
		var caseRows, clockRows [][]any
		for i := base; i < min(base+20_000, n); i++ {
			id := first + int64(i) + 1
			received := now.Add(-time.Duration(s.rng.Int64N(int64(730 * 24 * time.Hour))))
			team := s.rng.IntN(len(s.teams))
			agent := s.users[team*11+1+s.rng.IntN(10)].ID
			row := []any{id, care.CaseReference(2000+int(id/900_000), id%900_000+1), types[s.rng.IntN(4)], "email", "closed", "normal",
				1 + s.rng.Int64N(int64(s.customers)), s.teams[team], agent, "Bench case " + strconv.FormatInt(id, 10),
				received.UnixMicro(), nil, false, received.UnixMicro(), received.UnixMicro(), received.Add(72 * time.Hour).UnixMicro(),
				"frontline", 1}
			if s.rng.Float64() < openShare {
				received = now.Add(-time.Duration(s.rng.Int64N(int64(20 * 24 * time.Hour))))
				due := received.Add(time.Duration(1+s.rng.IntN(15*24)) * time.Hour)
				row[4], row[10], row[11], row[12], row[13], row[14], row[15] = "open", received.UnixMicro(), due.UnixMicro(), true,
					received.UnixMicro(), received.UnixMicro(), nil
				for k, name := range []string{"first_response", "resolution"} {
					d := due
					if k == 0 {
						d = received.Add(24 * time.Hour)
					}
					state := "running"
					if d.Before(now) {
						state = "breached"
					}
					clockRows = append(clockRows, []any{id, "sla", "", "GB-ENG", "Europe/London", name, 1, "received",
						received.UnixMicro(), d.UnixMicro(), d.Add(-4 * time.Hour).UnixMicro(), state, 5, 5, "business_days",
						false, true, false, "bench", "", "bench", d.Add(-4 * time.Hour).UnixMicro(), received.UnixMicro()})
				}
			}
			caseRows = append(caseRows, row)
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := s.insert(ctx, tx, "cases", caseCols, caseRows); err != nil {
			tx.Rollback()
			return err
		}
		if err := s.insert(ctx, tx, "case_clocks", clockCols, clockRows); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	if s.dialect == store.Postgres {
		_, err := s.db.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))`)
		if err != nil {
			return err
		}
		_, err = s.db.ExecContext(ctx, `ANALYZE`)
		return err
	}
	_, err := s.db.ExecContext(ctx, `ANALYZE`)
	return err
}

// insert writes rows many per statement ("?" on SQLite, "$n" on PostgreSQL).
func (s *seeder) insert(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), perStatement)
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		var args []any
		for r, row := range rows[:n] {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range row {
				if c > 0 {
					b.WriteString(", ")
				}
				if s.dialect == store.SQLite {
					b.WriteByte('?')
				} else {
					b.WriteString("$" + strconv.Itoa(len(args)+c+1))
				}
			}
			b.WriteByte(')')
			args = append(args, row...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// countCases counts all cases and the open ones, with a connection of its
// own.
func countCases(ctx context.Context, dsn string) (total, open int64, err error) {
	dialect, conn, err := store.ParseDSN(dsn)
	if err != nil {
		return 0, 0, err
	}
	db, err := sql.Open(map[string]string{store.SQLite: "sqlite", store.Postgres: "pgx"}[dialect], conn)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	err = db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN is_open THEN 1 ELSE 0 END), 0) FROM cases`).Scan(&total, &open)
	return total, open, err
}
