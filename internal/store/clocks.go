package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

const clockColumns = `id, case_id, regime, variant, calendar, zone, name, occurrence, start_event, started_at, due_at,
	warn_at, state, amount, first_amount, unit, recurring, pausable, roll_forward, source, on_breach, paused_at, pauses,
	basis, met_at, breached_at, fire_at, updated_at`

func scanClock(row scanner) (*care.Clock, error) {
	var c care.Clock
	var started, due, warn, paused, met, breached, fire, updated sql.NullInt64
	var pauses string
	r := &c.Rule
	if err := row.Scan(&c.ID, &c.CaseID, &c.Regime, &c.Variant, &c.Calendar, &c.Zone, &c.Name, &c.Occurrence,
		&c.StartEvent, &started, &due, &warn, &c.State, &r.Amount, &r.FirstAmount, &r.Unit, &r.Recurring, &r.Pausable,
		&r.RollForward, &r.Source, &r.OnBreach, &paused, &pauses, &c.Basis, &met, &breached, &fire, &updated); err != nil {
		return nil, err
	}
	c.StartedAt, c.DueAt, c.WarnAt, c.PausedAt = fromMicros(started), fromMicros(due), fromMicros(warn), fromMicros(paused)
	c.MetAt, c.BreachedAt, c.FireAt, c.UpdatedAt = fromMicros(met), fromMicros(breached), fromMicros(fire), fromMicros(updated)
	if pauses != "" {
		if err := json.Unmarshal([]byte(pauses), &c.Pauses); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

func encodePauses(p []care.ClockPause) (string, error) {
	if len(p) == 0 {
		return "", nil
	}
	b, err := json.Marshal(p)
	return string(b), err
}

// CreateClock inserts a clock. A clock that already exists for the same
// case, regime, milestone and occurrence is left as it is (created=false),
// so starting clocks twice never doubles them.
func (tx *Tx) CreateClock(ctx context.Context, c *care.Clock) (created bool, err error) {
	pauses, err := encodePauses(c.Pauses)
	if err != nil {
		return false, err
	}
	c.UpdatedAt = tx.now
	r := c.Rule
	err = tx.queryRow(ctx, `INSERT INTO case_clocks (case_id, regime, variant, calendar, zone, name, occurrence, start_event,
		started_at, due_at, warn_at, state, amount, first_amount, unit, recurring, pausable, roll_forward, source, on_breach,
		paused_at, pauses, basis, met_at, breached_at, fire_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
		$24, $25, $26, $27)
		ON CONFLICT (case_id, regime, name, occurrence) DO NOTHING RETURNING id`,
		c.CaseID, c.Regime, c.Variant, c.Calendar, c.Zone, c.Name, c.Occurrence, c.StartEvent, micros(c.StartedAt),
		micros(c.DueAt), micros(c.WarnAt), c.State, r.Amount, r.FirstAmount, r.Unit, r.Recurring, r.Pausable,
		r.RollForward, r.Source, r.OnBreach, micros(c.PausedAt), pauses, c.Basis, micros(c.MetAt), micros(c.BreachedAt),
		micros(c.FireAt), micros(tx.now)).Scan(&c.ID)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// UpdateClock writes a clock's mutable state and releases any lease on it.
// When leaseOwner is not empty the write only happens while that owner still
// holds the lease; it returns false when it did not (another process took
// the clock over), so a clock fires exactly once.
func (tx *Tx) UpdateClock(ctx context.Context, c *care.Clock, leaseOwner string) (bool, error) {
	pauses, err := encodePauses(c.Pauses)
	if err != nil {
		return false, err
	}
	c.UpdatedAt = tx.now
	q := `UPDATE case_clocks SET due_at = $1, warn_at = $2, state = $3, paused_at = $4, pauses = $5, basis = $6,
		met_at = $7, breached_at = $8, fire_at = $9, updated_at = $10, lease_owner = NULL, lease_until = NULL
		WHERE id = $11`
	args := []any{micros(c.DueAt), micros(c.WarnAt), c.State, micros(c.PausedAt), pauses, c.Basis, micros(c.MetAt),
		micros(c.BreachedAt), micros(c.FireAt), micros(tx.now), c.ID}
	if leaseOwner != "" {
		q += ` AND lease_owner = $12`
		args = append(args, leaseOwner)
	}
	res, err := tx.exec(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FindClocksByCase returns every clock of a case, by due time.
func (tx *Tx) FindClocksByCase(ctx context.Context, caseID int64) ([]*care.Clock, error) {
	return tx.findClocks(ctx, `SELECT `+clockColumns+` FROM case_clocks WHERE case_id = $1 ORDER BY due_at, id`, caseID)
}

// FindClockByID returns one clock.
func (tx *Tx) FindClockByID(ctx context.Context, id int64) (*care.Clock, error) {
	c, err := scanClock(tx.queryRow(ctx, `SELECT `+clockColumns+` FROM case_clocks WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("clock", id)
	}
	return c, err
}

func (tx *Tx) findClocks(ctx context.Context, q string, args ...any) ([]*care.Clock, error) {
	rows, err := tx.query(ctx, q, args...)
	return collect(rows, err, scanClock)
}

// ClaimDueClocks leases up to n clocks whose fire time has come and that no
// live lease holds, and returns their IDs, earliest first. The lease test is
// repeated in the outer WHERE: on PostgreSQL a concurrent claimer blocks on
// the row lock and then re-checks that condition against the committed row,
// so two processes never both claim a clock.
func (tx *Tx) ClaimDueClocks(ctx context.Context, owner string, lease time.Duration, n int) ([]int64, error) {
	now := micros(tx.now)
	rows, err := tx.query(ctx, `UPDATE case_clocks SET lease_owner = $1, lease_until = $2
		WHERE id IN (SELECT id FROM case_clocks WHERE fire_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
			ORDER BY fire_at LIMIT $4)
		AND fire_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
		RETURNING id`, owner, micros(tx.now.Add(lease)), now, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// FindLeasedClock returns a clock only while owner holds its lease.
func (tx *Tx) FindLeasedClock(ctx context.Context, id int64, owner string) (*care.Clock, error) {
	c, err := scanClock(tx.queryRow(ctx, `SELECT `+clockColumns+` FROM case_clocks WHERE id = $1 AND lease_owner = $2`, id, owner))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return c, err
}

// RefreshCaseNextDue sets the case's next_due_at to its nearest deadline
// still owed, which orders the agent inbox.
func (tx *Tx) RefreshCaseNextDue(ctx context.Context, caseID int64) error {
	// A breached milestone still outstanding (met_at unset) counts: its due
	// time is past, so a case that owes one sorts first.
	_, err := tx.exec(ctx, `UPDATE cases SET next_due_at = (SELECT MIN(due_at) FROM case_clocks
		WHERE case_id = $1 AND (state IN ('running', 'warning') OR (state = 'breached' AND met_at IS NULL)))
		WHERE id = $1`, caseID)
	return err
}

// RecordCaseEvent stores the first time an event happened on a case; a
// later record of the same event changes nothing (regulatory clocks never
// restart). It returns the time that stands.
func (tx *Tx) RecordCaseEvent(ctx context.Context, caseID int64, name string, at time.Time) (time.Time, bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO case_events (case_id, name, at) VALUES ($1, $2, $3) ON CONFLICT (case_id, name) DO NOTHING`,
		caseID, name, micros(at))
	if err != nil {
		return time.Time{}, false, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return at, true, nil
	}
	var stored sql.NullInt64
	err = tx.queryRow(ctx, `SELECT at FROM case_events WHERE case_id = $1 AND name = $2`, caseID, name).Scan(&stored)
	return fromMicros(stored), false, err
}

// FindCaseEvents returns a case's events by name.
func (tx *Tx) FindCaseEvents(ctx context.Context, caseID int64) (map[string]time.Time, error) {
	rows, err := tx.query(ctx, `SELECT name, at FROM case_events WHERE case_id = $1`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name string
		var at sql.NullInt64
		if err := rows.Scan(&name, &at); err != nil {
			return nil, err
		}
		out[name] = fromMicros(at)
	}
	return out, rows.Err()
}
