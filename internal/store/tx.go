package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store/postgres"
	"github.com/caredesk/caredesk/internal/store/sqlite"
)

// Tx is one database transaction. It carries the time at which it began, so
// every row it writes agrees on "now" and tests control time.
type Tx struct {
	tx      *sql.Tx
	now     time.Time
	dialect string
	audit   []*care.AuditEntry // appended to the chain at commit
	stmts   *stmtCache         // nil: statements are not cached
	// kpiPending are the KPI cell changes of the transaction, by rollup,
	// written at commit (ApplyKPI, flushKPI).
	kpiPending map[kpi.Dims]*kpi.Rollup
	// kpiSettings caches KPISettings for the transaction: a change reads
	// them for every record it recounts.
	kpiSettings *KPISettings
}

// Now returns the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// Write runs fn in a read-write transaction, committing when fn returns nil
// and rolling back otherwise, so nothing is half-written on any error.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	return s.run(ctx, s.write, s.writeStmts, false, fn)
}

// Read runs fn in a read-only transaction on the read pool.
func (s *Store) Read(ctx context.Context, fn func(*Tx) error) error {
	return s.run(ctx, s.read, s.readStmts, true, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, stmts *stmtCache, readOnly bool, fn func(*Tx) error) (err error) {
	// Queries first seen in this transaction are prepared once it has
	// released its connection.
	defer stmts.prepareNoted(context.WithoutCancel(ctx))
	opts := &sql.TxOptions{ReadOnly: readOnly && s.dialect == Postgres}
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return s.mapErr(fmt.Errorf("begin: %w", err))
	}
	tx := &Tx{tx: sqlTx, now: s.Now(), dialect: s.dialect, stmts: stmts}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return s.mapErr(err)
	}
	if err := tx.flushKPI(ctx); err != nil {
		_ = sqlTx.Rollback()
		return s.mapErr(fmt.Errorf("kpi cells: %w", err))
	}
	if err := tx.flushAudit(ctx); err != nil {
		_ = sqlTx.Rollback()
		return s.mapErr(fmt.Errorf("audit: %w", err))
	}
	if err := sqlTx.Commit(); err != nil {
		return s.mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

func (s *Store) mapErr(err error) error { return mapErr(err) }

// mapErr turns driver failures a user can cause into care errors; anything
// else stays wrapped as an internal error. Statements map their own errors
// too, so a use case can tell a duplicate from a failure and name the field.
func mapErr(err error) error {
	var ce *care.Error
	switch {
	case err == nil || errors.As(err, &ce):
		return err
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case sqlite.IsUniqueViolation(err) || postgres.IsUniqueViolation(err):
		return care.Errorf(care.ECONFLICT, "That already exists.")
	case sqlite.IsForeignKeyViolation(err) || postgres.IsForeignKeyViolation(err):
		return care.Errorf(care.EINVALID, "The request refers to something that does not exist.")
	}
	return err
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := tx.stmts.bind(ctx, tx.tx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = tx.tx.ExecContext(ctx, query, args...)
	}
	return res, mapErr(err)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query, args...).Scan(&id)
	return id, mapErr(err)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmts.bind(ctx, tx.tx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, query, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.stmts.bind(ctx, tx.tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, query, args...)
}

// micros stores a time as Unix microseconds; the zero time is NULL.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros reads a nullable Unix-microsecond column.
func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// nullID stores an optional reference: 0 is NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullString stores an optional text: "" is NULL (for UNIQUE or FK columns).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// limit clamps a page size to [1, max], defaulting to def.
func limit(n, def, maxN int) int {
	switch {
	case n <= 0:
		return def
	case n > maxN:
		return maxN
	}
	return n
}

// notFound is the one message for a missing row, so lookups of things the
// actor may not see do not reveal that they exist.
func notFound(what string, key any) error {
	return care.Errorf(care.ENOTFOUND, "No %s %v.", what, key)
}
