package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

const caseColumns = `id, reference, type, channel, status, priority, customer_id, policy_id, team_id, assignee_id,
	subject, description, regimes, tier, received_at, created_at, updated_at, closed_at, version`

func scanCase(row scanner) (*care.Case, error) {
	var c care.Case
	var customer, policy, team, assignee, received, created, updated, closed sql.NullInt64
	var regimes string
	if err := row.Scan(&c.ID, &c.Reference, &c.Type, &c.Channel, &c.Status, &c.Priority, &customer, &policy,
		&team, &assignee, &c.Subject, &c.Description, &regimes, &c.Tier, &received, &created, &updated, &closed, &c.Version); err != nil {
		return nil, err
	}
	c.CustomerID, c.PolicyID, c.TeamID, c.AssigneeID = customer.Int64, policy.Int64, team.Int64, assignee.Int64
	if regimes != "" {
		c.Regimes = strings.Split(regimes, ",")
	}
	c.ReceivedAt, c.CreatedAt, c.UpdatedAt, c.ClosedAt = fromMicros(received), fromMicros(created), fromMicros(updated), fromMicros(closed)
	return &c, nil
}

// CreateCase inserts c with the next human reference of the current year and
// sets its ID, reference and timestamps. ReceivedAt defaults to now.
func (tx *Tx) CreateCase(ctx context.Context, c *care.Case) error {
	year := tx.now.Year()
	// One statement both creates the year's counter and advances it; the row
	// lock it takes orders concurrent creators on PostgreSQL.
	var n int64
	if err := tx.queryRow(ctx, `INSERT INTO reference_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`, year).Scan(&n); err != nil {
		return err
	}
	c.Reference = care.CaseReference(year, n)
	if c.ReceivedAt.IsZero() {
		c.ReceivedAt = tx.now
	}
	c.CreatedAt, c.UpdatedAt, c.Version = tx.now, tx.now, 1
	if c.Tier == "" {
		c.Tier = "frontline"
	}
	if care.IsClosedStatus(c.Status) {
		c.ClosedAt = tx.now
	}
	var err error
	c.ID, err = tx.insert(ctx, `INSERT INTO cases (reference, type, channel, status, priority, customer_id, policy_id,
		team_id, assignee_id, subject, description, regimes, received_at, is_open, created_at, updated_at, closed_at, tier, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1) RETURNING id`,
		c.Reference, c.Type, c.Channel, c.Status, c.Priority, nullID(c.CustomerID), nullID(c.PolicyID),
		nullID(c.TeamID), nullID(c.AssigneeID), c.Subject, c.Description, strings.Join(c.Regimes, ","),
		micros(c.ReceivedAt), !care.IsClosedStatus(c.Status), micros(tx.now), micros(tx.now), micros(c.ClosedAt), c.Tier)
	return err
}

// FindCaseByID returns the case with the given ID.
func (tx *Tx) FindCaseByID(ctx context.Context, id int64) (*care.Case, error) {
	c, err := scanCase(tx.queryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("case", id)
	}
	return c, err
}

// FindCaseByReference returns the case with the given human reference.
func (tx *Tx) FindCaseByReference(ctx context.Context, ref string) (*care.Case, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	c, err := scanCase(tx.queryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE reference = $1`, ref))
	if err == sql.ErrNoRows {
		return nil, notFound("case", ref)
	}
	return c, err
}

// FindCases returns cases matching f, newest first, and the cursor for the
// next page (0 when there is none). It never counts the whole result: lists
// stay fast however many cases there are.
func (tx *Tx) FindCases(ctx context.Context, f care.CaseFilter) ([]*care.Case, int64, error) {
	var w where
	if len(f.Status) > 0 {
		ps := make([]string, len(f.Status))
		for i, s := range f.Status {
			ps[i] = w.arg(s)
		}
		w.add("status IN (" + strings.Join(ps, ", ") + ")")
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	if f.TeamID != 0 {
		w.add("team_id = ?", f.TeamID)
	}
	if f.AssigneeID != 0 {
		w.add("assignee_id = ?", f.AssigneeID)
	}
	if f.CustomerID != 0 {
		w.add("customer_id = ?", f.CustomerID)
	}
	if f.Open {
		w.add("is_open = ?", true)
	}
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	n := limit(f.Limit, 50, 500)
	rows, err := tx.query(ctx, `SELECT `+caseColumns+` FROM cases`+w.sql("ORDER BY id DESC LIMIT ?", n+1), w.args...)
	out, err := collect(rows, err, scanCase)
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(c *care.Case) int64 { return c.ID })
	return out, next, nil
}

// UpdateCase writes the mutable fields of c when its stored version is still
// c.Version, then advances the version. A concurrent edit gives ECONFLICT.
func (tx *Tx) UpdateCase(ctx context.Context, c *care.Case) error {
	c.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE cases SET type = $1, status = $2, priority = $3, team_id = $4, assignee_id = $5,
		subject = $6, regimes = $7, is_open = $8, closed_at = $9, updated_at = $10, tier = $11, customer_id = $12,
		policy_id = $13, version = version + 1
		WHERE id = $14 AND version = $15`,
		c.Type, c.Status, c.Priority, nullID(c.TeamID), nullID(c.AssigneeID), c.Subject, strings.Join(c.Regimes, ","),
		!care.IsClosedStatus(c.Status), micros(c.ClosedAt), micros(tx.now), c.Tier, nullID(c.CustomerID),
		nullID(c.PolicyID), c.ID, c.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return care.Errorf(care.ECONFLICT, "Case %s was changed by someone else; reload it and try again.", c.Reference)
	}
	c.Version++
	return nil
}

// SetCaseNextDue records the case's nearest running deadline, which orders
// the agent inbox (0 clears it).
func (tx *Tx) SetCaseNextDue(ctx context.Context, caseID int64, dueMicros int64) error {
	var v any
	if dueMicros != 0 {
		v = dueMicros
	}
	_, err := tx.exec(ctx, `UPDATE cases SET next_due_at = $1 WHERE id = $2`, v, caseID)
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }
