package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

const policyColumns = `id, customer_id, number, line, status, start_date, end_date, premium_minor, currency, created_at, updated_at`

func scanPolicy(row scanner) (*care.Policy, error) {
	var p care.Policy
	var start, end string
	var created, updated sql.NullInt64
	if err := row.Scan(&p.ID, &p.CustomerID, &p.Number, &p.Line, &p.Status, &start, &end,
		&p.PremiumMinor, &p.Currency, &created, &updated); err != nil {
		return nil, err
	}
	p.Start, _ = time.Parse(time.DateOnly, start)
	p.End, _ = time.Parse(time.DateOnly, end)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &p, nil
}

// CreatePolicy inserts p and sets its ID and timestamps.
func (tx *Tx) CreatePolicy(ctx context.Context, p *care.Policy) error {
	p.CreatedAt, p.UpdatedAt = tx.now, tx.now
	var err error
	p.ID, err = tx.insert(ctx, `INSERT INTO policies (customer_id, number, line, status, start_date, end_date,
		premium_minor, currency, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		p.CustomerID, p.Number, p.Line, p.Status, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly),
		p.PremiumMinor, p.Currency, micros(tx.now), micros(tx.now))
	return err
}

// FindPolicyByID returns the policy with the given ID.
func (tx *Tx) FindPolicyByID(ctx context.Context, id int64) (*care.Policy, error) {
	p, err := scanPolicy(tx.queryRow(ctx, `SELECT `+policyColumns+` FROM policies WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("policy", id)
	}
	return p, err
}

// FindPolicyByNumber returns the policy with the given number.
func (tx *Tx) FindPolicyByNumber(ctx context.Context, number string) (*care.Policy, error) {
	p, err := scanPolicy(tx.queryRow(ctx, `SELECT `+policyColumns+` FROM policies WHERE number = $1`, number))
	if err == sql.ErrNoRows {
		return nil, notFound("policy", number)
	}
	return p, err
}

// FindPoliciesByCustomer returns a customer's policies, oldest first.
func (tx *Tx) FindPoliciesByCustomer(ctx context.Context, customerID int64) ([]*care.Policy, error) {
	rows, err := tx.query(ctx, `SELECT `+policyColumns+` FROM policies WHERE customer_id = $1 ORDER BY id LIMIT 500`, customerID)
	return collect(rows, err, scanPolicy)
}
