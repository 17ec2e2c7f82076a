package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// dateText stores a calendar date as YYYY-MM-DD, which sorts as text.
func dateText(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func fromDateText(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// CreateEvidence stores one investigation item.
func (tx *Tx) CreateEvidence(ctx context.Context, e *care.Evidence) error {
	e.CreatedAt = tx.now
	var err error
	e.ID, err = tx.insert(ctx, `INSERT INTO complaint_evidence (case_id, kind, note, interaction_id, attachment_id, url,
		created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		e.CaseID, e.Kind, e.Note, nullID(e.InteractionID), nullID(e.AttachmentID), e.URL, nullID(e.CreatedBy), micros(tx.now))
	return err
}

// FindEvidence lists a complaint's evidence, oldest first.
func (tx *Tx) FindEvidence(ctx context.Context, caseID int64) ([]*care.Evidence, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, kind, note, interaction_id, attachment_id, url, created_by, created_at
		FROM complaint_evidence WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, func(row scanner) (*care.Evidence, error) {
		var e care.Evidence
		var inter, att, by, at sql.NullInt64
		err := row.Scan(&e.ID, &e.CaseID, &e.Kind, &e.Note, &inter, &att, &e.URL, &by, &at)
		e.InteractionID, e.AttachmentID, e.CreatedBy, e.CreatedAt = inter.Int64, att.Int64, by.Int64, fromMicros(at)
		return &e, err
	})
}

const requestColumns = `id, case_id, team, question, due_on, status, answer, created_by, created_at, updated_at, answered_at`

func scanRequest(row scanner) (*care.TeamRequest, error) {
	var r care.TeamRequest
	var due string
	var by, created, updated, answered sql.NullInt64
	err := row.Scan(&r.ID, &r.CaseID, &r.Team, &r.Question, &due, &r.Status, &r.Answer, &by, &created, &updated, &answered)
	r.DueOn, r.CreatedBy = fromDateText(due), by.Int64
	r.CreatedAt, r.UpdatedAt, r.AnsweredAt = fromMicros(created), fromMicros(updated), fromMicros(answered)
	return &r, err
}

// CreateTeamRequest stores a request to another team.
func (tx *Tx) CreateTeamRequest(ctx context.Context, r *care.TeamRequest) error {
	r.CreatedAt, r.UpdatedAt = tx.now, tx.now
	var err error
	r.ID, err = tx.insert(ctx, `INSERT INTO complaint_requests (case_id, team, question, due_on, status, answer,
		created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		r.CaseID, r.Team, r.Question, dateText(r.DueOn), r.Status, r.Answer, nullID(r.CreatedBy), micros(tx.now))
	return err
}

// FindTeamRequest returns one request of a complaint.
func (tx *Tx) FindTeamRequest(ctx context.Context, caseID, id int64) (*care.TeamRequest, error) {
	r, err := scanRequest(tx.queryRow(ctx, `SELECT `+requestColumns+` FROM complaint_requests WHERE id = $1 AND case_id = $2`, id, caseID))
	if err == sql.ErrNoRows {
		return nil, notFound("request", id)
	}
	return r, err
}

// FindTeamRequests lists a complaint's requests, oldest first.
func (tx *Tx) FindTeamRequests(ctx context.Context, caseID int64) ([]*care.TeamRequest, error) {
	rows, err := tx.query(ctx, `SELECT `+requestColumns+` FROM complaint_requests WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, scanRequest)
}

// UpdateTeamRequest writes a request's status and answer.
func (tx *Tx) UpdateTeamRequest(ctx context.Context, r *care.TeamRequest) error {
	r.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE complaint_requests SET status = $1, answer = $2, due_on = $3, answered_at = $4,
		updated_at = $5 WHERE id = $6`, r.Status, r.Answer, dateText(r.DueOn), micros(r.AnsweredAt), micros(tx.now), r.ID)
	return err
}

const redressColumns = `id, case_id, kind, amount_minor, currency, status, payment_ref, paid_at, note, created_by, created_at, updated_at`

func scanRedress(row scanner) (*care.Redress, error) {
	var r care.Redress
	var paid, by, created, updated sql.NullInt64
	err := row.Scan(&r.ID, &r.CaseID, &r.Kind, &r.AmountMinor, &r.Currency, &r.Status, &r.PaymentRef, &paid, &r.Note,
		&by, &created, &updated)
	r.PaidAt, r.CreatedBy, r.CreatedAt, r.UpdatedAt = fromMicros(paid), by.Int64, fromMicros(created), fromMicros(updated)
	return &r, err
}

// CreateRedress stores redress offered or paid on a complaint.
func (tx *Tx) CreateRedress(ctx context.Context, r *care.Redress) error {
	r.CreatedAt, r.UpdatedAt = tx.now, tx.now
	var err error
	r.ID, err = tx.insert(ctx, `INSERT INTO complaint_redress (case_id, kind, amount_minor, currency, status, payment_ref,
		paid_at, note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		r.CaseID, r.Kind, r.AmountMinor, r.Currency, r.Status, r.PaymentRef, micros(r.PaidAt), r.Note, nullID(r.CreatedBy), micros(tx.now))
	return err
}

// FindRedress returns one redress item of a complaint.
func (tx *Tx) FindRedress(ctx context.Context, caseID, id int64) (*care.Redress, error) {
	r, err := scanRedress(tx.queryRow(ctx, `SELECT `+redressColumns+` FROM complaint_redress WHERE id = $1 AND case_id = $2`, id, caseID))
	if err == sql.ErrNoRows {
		return nil, notFound("redress", id)
	}
	return r, err
}

// FindRedressByCase lists a complaint's redress, oldest first.
func (tx *Tx) FindRedressByCase(ctx context.Context, caseID int64) ([]*care.Redress, error) {
	rows, err := tx.query(ctx, `SELECT `+redressColumns+` FROM complaint_redress WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, scanRedress)
}

// UpdateRedress writes a redress item's status and payment link.
func (tx *Tx) UpdateRedress(ctx context.Context, r *care.Redress) error {
	r.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE complaint_redress SET status = $1, payment_ref = $2, paid_at = $3, note = $4,
		updated_at = $5 WHERE id = $6`, r.Status, r.PaymentRef, micros(r.PaidAt), r.Note, micros(tx.now), r.ID)
	return err
}

const capaColumns = `id, case_id, kind, description, owner_id, due_on, status, effectiveness_review, effective,
	reviewed_at, created_by, created_at, updated_at`

func scanCAPA(row scanner) (*care.CAPA, error) {
	var a care.CAPA
	var due string
	var reviewed, by, created, updated sql.NullInt64
	err := row.Scan(&a.ID, &a.CaseID, &a.Kind, &a.Description, &a.OwnerID, &due, &a.Status, &a.EffectivenessReview,
		&a.Effective, &reviewed, &by, &created, &updated)
	a.DueOn, a.ReviewedAt, a.CreatedBy = fromDateText(due), fromMicros(reviewed), by.Int64
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &a, err
}

// CreateCAPA stores a corrective or preventive action.
func (tx *Tx) CreateCAPA(ctx context.Context, a *care.CAPA) error {
	a.CreatedAt, a.UpdatedAt = tx.now, tx.now
	var err error
	a.ID, err = tx.insert(ctx, `INSERT INTO complaint_capa (case_id, kind, description, owner_id, due_on, status,
		effectiveness_review, effective, reviewed_at, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		a.CaseID, a.Kind, a.Description, a.OwnerID, dateText(a.DueOn), a.Status, a.EffectivenessReview, a.Effective,
		micros(a.ReviewedAt), nullID(a.CreatedBy), micros(tx.now))
	return err
}

// FindCAPA returns one action of a complaint.
func (tx *Tx) FindCAPA(ctx context.Context, caseID, id int64) (*care.CAPA, error) {
	a, err := scanCAPA(tx.queryRow(ctx, `SELECT `+capaColumns+` FROM complaint_capa WHERE id = $1 AND case_id = $2`, id, caseID))
	if err == sql.ErrNoRows {
		return nil, notFound("action", id)
	}
	return a, err
}

// FindCAPAByCase lists a complaint's actions, oldest first.
func (tx *Tx) FindCAPAByCase(ctx context.Context, caseID int64) ([]*care.CAPA, error) {
	rows, err := tx.query(ctx, `SELECT `+capaColumns+` FROM complaint_capa WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, scanCAPA)
}

// UpdateCAPA writes an action's mutable fields.
func (tx *Tx) UpdateCAPA(ctx context.Context, a *care.CAPA) error {
	a.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE complaint_capa SET owner_id = $1, due_on = $2, status = $3, effectiveness_review = $4,
		effective = $5, reviewed_at = $6, updated_at = $7 WHERE id = $8`, a.OwnerID, dateText(a.DueOn), a.Status,
		a.EffectivenessReview, a.Effective, micros(a.ReviewedAt), micros(tx.now), a.ID)
	return err
}

// FindRootCauses lists the root-cause taxonomy by category and code.
func (tx *Tx) FindRootCauses(ctx context.Context) ([]*care.RootCause, error) {
	rows, err := tx.query(ctx, `SELECT code, category, label, active, created_at FROM complaint_root_causes
		ORDER BY category, code`)
	return collect(rows, err, scanRootCause)
}

func scanRootCause(row scanner) (*care.RootCause, error) {
	var r care.RootCause
	var at sql.NullInt64
	err := row.Scan(&r.Code, &r.Category, &r.Label, &r.Active, &at)
	r.CreatedAt = fromMicros(at)
	return &r, err
}

// FindRootCause returns one root cause by code.
func (tx *Tx) FindRootCause(ctx context.Context, code string) (*care.RootCause, error) {
	r, err := scanRootCause(tx.queryRow(ctx, `SELECT code, category, label, active, created_at FROM complaint_root_causes
		WHERE code = $1`, code))
	if err == sql.ErrNoRows {
		return nil, notFound("root cause", code)
	}
	return r, err
}

// CreateRootCause adds a root cause to the taxonomy; a duplicate code is ECONFLICT.
func (tx *Tx) CreateRootCause(ctx context.Context, r *care.RootCause) error {
	r.CreatedAt, r.Active = tx.now, true
	_, err := tx.exec(ctx, `INSERT INTO complaint_root_causes (code, category, label, active, created_at)
		VALUES ($1, $2, $3, $4, $5)`, r.Code, r.Category, r.Label, r.Active, micros(tx.now))
	return err
}
