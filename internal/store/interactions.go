package store

import (
	"context"
	"database/sql"

	"github.com/caredesk/caredesk/internal/care"
)

const interactionColumns = `id, case_id, channel, direction, agent_id, queue, disposition, subject, body,
	offered_at, answered_at, ended_at, wrap_up_ended_at, abandoned, external_id, created_at`

func scanInteraction(row scanner) (*care.Interaction, error) {
	var i care.Interaction
	var agent, offered, answered, ended, wrapped, created sql.NullInt64
	var disposition, external sql.NullString
	if err := row.Scan(&i.ID, &i.CaseID, &i.Channel, &i.Direction, &agent, &i.Queue, &disposition, &i.Subject,
		&i.Body, &offered, &answered, &ended, &wrapped, &i.Abandoned, &external, &created); err != nil {
		return nil, err
	}
	i.AgentID, i.Disposition, i.ExternalID = agent.Int64, disposition.String, external.String
	i.OfferedAt, i.AnsweredAt, i.EndedAt = fromMicros(offered), fromMicros(answered), fromMicros(ended)
	i.WrapUpEndedAt, i.CreatedAt = fromMicros(wrapped), fromMicros(created)
	return &i, nil
}

// CreateInteraction inserts i and sets its ID; OfferedAt defaults to now.
func (tx *Tx) CreateInteraction(ctx context.Context, i *care.Interaction) error {
	if i.OfferedAt.IsZero() {
		i.OfferedAt = tx.now
	}
	i.CreatedAt = tx.now
	var err error
	i.ID, err = tx.insert(ctx, `INSERT INTO interactions (case_id, channel, direction, agent_id, queue, disposition,
		subject, body, offered_at, answered_at, ended_at, wrap_up_ended_at, abandoned, external_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		i.CaseID, i.Channel, i.Direction, nullID(i.AgentID), i.Queue, nullString(i.Disposition), i.Subject, i.Body,
		micros(i.OfferedAt), micros(i.AnsweredAt), micros(i.EndedAt), micros(i.WrapUpEndedAt), i.Abandoned,
		nullString(i.ExternalID), micros(tx.now))
	return err
}

// FindInteractionsByCase returns a case's interactions, oldest first, after
// the cursor, and the cursor for the next page.
func (tx *Tx) FindInteractionsByCase(ctx context.Context, caseID int64, after int64, n int) ([]*care.Interaction, int64, error) {
	n = limit(n, 200, 1000)
	rows, err := tx.query(ctx, `SELECT `+interactionColumns+` FROM interactions WHERE case_id = $1 AND id > $2
		ORDER BY id LIMIT $3`, caseID, after, n+1)
	out, err := collect(rows, err, scanInteraction)
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(i *care.Interaction) int64 { return i.ID })
	return out, next, nil
}

// FindDispositionCode returns the disposition code, or ENOTFOUND.
func (tx *Tx) FindDispositionCode(ctx context.Context, code string) (*care.DispositionCode, error) {
	d, err := scanDisposition(tx.queryRow(ctx, `SELECT code, label, active, created_at FROM disposition_codes WHERE code = $1`, code))
	if err == sql.ErrNoRows {
		return nil, notFound("disposition code", code)
	}
	return d, err
}

// CreateDispositionCode inserts d.
func (tx *Tx) CreateDispositionCode(ctx context.Context, d *care.DispositionCode) error {
	d.CreatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO disposition_codes (code, label, active, created_at) VALUES ($1, $2, $3, $4)`,
		d.Code, d.Label, d.Active, micros(tx.now))
	return err
}

// FindDispositionCodes returns every disposition code, by code.
func (tx *Tx) FindDispositionCodes(ctx context.Context) ([]*care.DispositionCode, error) {
	rows, err := tx.query(ctx, `SELECT code, label, active, created_at FROM disposition_codes ORDER BY code`)
	return collect(rows, err, scanDisposition)
}

func scanDisposition(row scanner) (*care.DispositionCode, error) {
	var d care.DispositionCode
	var created sql.NullInt64
	err := row.Scan(&d.Code, &d.Label, &d.Active, &created)
	d.CreatedAt = fromMicros(created)
	return &d, err
}
