package store

import (
	"context"
	"database/sql"

	"github.com/caredesk/caredesk/internal/care"
)

func scanAuthority(r scanner) (*care.SettlementAuthority, error) {
	var a care.SettlementAuthority
	var updated sql.NullInt64
	err := r.Scan(&a.ID, &a.Role, &a.UserID, &a.LimitMinor, &a.Currency, &updated)
	a.UpdatedAt = fromMicros(updated)
	return &a, err
}

// FindSettlementAuthorities lists every limit: role defaults, then user
// overrides.
func (tx *Tx) FindSettlementAuthorities(ctx context.Context) ([]*care.SettlementAuthority, error) {
	rows, err := tx.query(ctx, `SELECT id, role, user_id, limit_minor, currency, updated_at FROM settlement_authority
		ORDER BY user_id, role, currency LIMIT 1000`)
	return collect(rows, err, scanAuthority)
}

// SetSettlementAuthority creates or replaces the limit of a role or a user
// in a currency.
func (tx *Tx) SetSettlementAuthority(ctx context.Context, a *care.SettlementAuthority) error {
	a.UpdatedAt = tx.now
	return tx.queryRow(ctx, `INSERT INTO settlement_authority (role, user_id, limit_minor, currency, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (role, user_id, currency)
		DO UPDATE SET limit_minor = excluded.limit_minor, updated_at = excluded.updated_at RETURNING id`,
		a.Role, a.UserID, a.LimitMinor, a.Currency, micros(tx.now)).Scan(&a.ID)
}

// SettlementLimit returns how much a user with a role may approve in a
// currency: the user's own limit in that currency, else in any currency,
// else the role's likewise. found is false when none is set (no authority).
func (tx *Tx) SettlementLimit(ctx context.Context, role string, userID int64, currency string) (limit int64, found bool, err error) {
	err = tx.queryRow(ctx, `SELECT limit_minor FROM settlement_authority
		WHERE ((user_id = $1 AND $1 <> 0 AND role = '') OR (role = $2 AND user_id = 0)) AND (currency = $3 OR currency = '')
		ORDER BY user_id DESC, currency DESC LIMIT 1`, userID, role, currency).Scan(&limit)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	return limit, err == nil, err
}

const catastropheColumns = `id, name, description, region, started_at, ended_at, declared_by, created_at`

func scanCatastrophe(r scanner) (*care.CatastropheEvent, error) {
	var e care.CatastropheEvent
	var started, ended, by, created sql.NullInt64
	err := r.Scan(&e.ID, &e.Name, &e.Description, &e.Region, &started, &ended, &by, &created)
	e.StartedAt, e.EndedAt, e.CreatedAt, e.DeclaredBy = fromMicros(started), fromMicros(ended), fromMicros(created), by.Int64
	return &e, err
}

// CreateCatastrophe records a declared catastrophe event.
func (tx *Tx) CreateCatastrophe(ctx context.Context, e *care.CatastropheEvent) error {
	e.CreatedAt = tx.now
	var err error
	e.ID, err = tx.insert(ctx, `INSERT INTO catastrophe_events (name, description, region, started_at, ended_at,
		declared_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.Name, e.Description, e.Region, micros(e.StartedAt), micros(e.EndedAt), nullID(e.DeclaredBy), micros(tx.now))
	return err
}

// EndCatastrophe records the end of an event.
func (tx *Tx) EndCatastrophe(ctx context.Context, e *care.CatastropheEvent) error {
	_, err := tx.exec(ctx, `UPDATE catastrophe_events SET ended_at = $1 WHERE id = $2`, micros(e.EndedAt), e.ID)
	return err
}

// FindCatastrophe returns one catastrophe event.
func (tx *Tx) FindCatastrophe(ctx context.Context, id int64) (*care.CatastropheEvent, error) {
	e, err := scanCatastrophe(tx.queryRow(ctx, `SELECT `+catastropheColumns+` FROM catastrophe_events WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("catastrophe event", id)
	}
	return e, err
}

// FindCatastrophes lists catastrophe events, newest first.
func (tx *Tx) FindCatastrophes(ctx context.Context) ([]*care.CatastropheEvent, error) {
	rows, err := tx.query(ctx, `SELECT `+catastropheColumns+` FROM catastrophe_events ORDER BY id DESC LIMIT 200`)
	return collect(rows, err, scanCatastrophe)
}
