package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

const changeColumns = `pc.id, pc.policy_id, pc.case_id, COALESCE(c.reference, ''), pc.kind, pc.details, pc.effective_date, pc.status,
	pc.premium_adjustment_minor, pc.reason, pc.requested_by, pc.decided_by, pc.decided_at, pc.applied_at, pc.created_at, pc.updated_at`

const changeFrom = ` FROM policy_changes pc LEFT JOIN cases c ON c.id = pc.case_id`

func scanChange(row scanner) (*care.PolicyChange, error) {
	var x care.PolicyChange
	var caseID, decided, applied, created, updated sql.NullInt64
	var eff string
	if err := row.Scan(&x.ID, &x.PolicyID, &caseID, &x.CaseReference, &x.Kind, &x.Details, &eff, &x.Status,
		&x.PremiumAdjustmentMinor, &x.Reason, &x.RequestedBy, &x.DecidedBy, &decided, &applied, &created, &updated); err != nil {
		return nil, err
	}
	x.CaseID, x.EffectiveDate = caseID.Int64, parseDate(eff)
	x.DecidedAt, x.AppliedAt, x.CreatedAt, x.UpdatedAt = fromMicros(decided), fromMicros(applied), fromMicros(created), fromMicros(updated)
	return &x, nil
}

// CreatePolicyChange inserts a change request.
func (tx *Tx) CreatePolicyChange(ctx context.Context, x *care.PolicyChange) error {
	x.CreatedAt, x.UpdatedAt = tx.now, tx.now
	var err error
	x.ID, err = tx.insert(ctx, `INSERT INTO policy_changes (policy_id, case_id, kind, details, effective_date, status,
		premium_adjustment_minor, requested_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		x.PolicyID, nullID(x.CaseID), x.Kind, x.Details, date(x.EffectiveDate), x.Status, x.PremiumAdjustmentMinor,
		x.RequestedBy, micros(tx.now))
	return err
}

// UpdatePolicyChange writes a change request's decision. It reports false
// when the request was no longer in status from (someone decided first).
func (tx *Tx) UpdatePolicyChange(ctx context.Context, x *care.PolicyChange, from string) (bool, error) {
	x.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE policy_changes SET status = $1, premium_adjustment_minor = $2, reason = $3, decided_by = $4,
		decided_at = $5, applied_at = $6, updated_at = $7 WHERE id = $8 AND status = $9`,
		x.Status, x.PremiumAdjustmentMinor, x.Reason, x.DecidedBy, micros(x.DecidedAt), micros(x.AppliedAt), micros(tx.now), x.ID, from)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FindPolicyChange returns one change request of a policy.
func (tx *Tx) FindPolicyChange(ctx context.Context, policyID, id int64) (*care.PolicyChange, error) {
	x, err := scanChange(tx.queryRow(ctx, `SELECT `+changeColumns+changeFrom+` WHERE pc.policy_id = $1 AND pc.id = $2`, policyID, id))
	if err == sql.ErrNoRows {
		return nil, notFound("policy change", id)
	}
	return x, mapErr(err)
}

// FindPolicyChanges returns a policy's change requests, newest first.
func (tx *Tx) FindPolicyChanges(ctx context.Context, policyID int64) ([]*care.PolicyChange, error) {
	rows, err := tx.query(ctx, `SELECT `+changeColumns+changeFrom+` WHERE pc.policy_id = $1 ORDER BY pc.id DESC LIMIT 500`, policyID)
	return collect(rows, err, scanChange)
}

const instalmentColumns = `id, policy_id, seq, due_date, amount_minor, status, payment_id, paid_at, missed_at, created_at`

func scanInstalment(row scanner) (*care.Instalment, error) {
	var i care.Instalment
	var due string
	var payment, paid, missed, created sql.NullInt64
	if err := row.Scan(&i.ID, &i.PolicyID, &i.Seq, &due, &i.AmountMinor, &i.Status, &payment, &paid, &missed, &created); err != nil {
		return nil, err
	}
	i.DueDate, i.PaymentID = parseDate(due), payment.Int64
	i.PaidAt, i.MissedAt, i.CreatedAt = fromMicros(paid), fromMicros(missed), fromMicros(created)
	return &i, nil
}

// ReplaceInstalments deletes a policy's unpaid schedule and writes items
// in its place.
func (tx *Tx) ReplaceInstalments(ctx context.Context, policyID int64, items []*care.Instalment) error {
	if _, err := tx.exec(ctx, `DELETE FROM policy_instalments WHERE policy_id = $1`, policyID); err != nil {
		return err
	}
	for _, i := range items {
		i.PolicyID, i.CreatedAt = policyID, tx.now
		var err error
		i.ID, err = tx.insert(ctx, `INSERT INTO policy_instalments (policy_id, seq, due_date, amount_minor, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, policyID, i.Seq, date(i.DueDate), i.AmountMinor, i.Status, micros(tx.now))
		if err != nil {
			return err
		}
	}
	return nil
}

// FindInstalments returns a policy's schedule in order.
func (tx *Tx) FindInstalments(ctx context.Context, policyID int64) ([]*care.Instalment, error) {
	rows, err := tx.query(ctx, `SELECT `+instalmentColumns+` FROM policy_instalments WHERE policy_id = $1 ORDER BY seq LIMIT 100`, policyID)
	return collect(rows, err, scanInstalment)
}

// PayInstalment marks an unpaid instalment paid by a payment; it reports
// false when it was paid already.
func (tx *Tx) PayInstalment(ctx context.Context, id, paymentID int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE policy_instalments SET status = 'paid', payment_id = $1, paid_at = $2
		WHERE id = $3 AND status IN ('due', 'missed')`, paymentID, micros(tx.now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FindOverdueInstalments returns up to n instalments still due whose due
// date is before today.
func (tx *Tx) FindOverdueInstalments(ctx context.Context, today time.Time, n int) ([]*care.Instalment, error) {
	rows, err := tx.query(ctx, `SELECT `+instalmentColumns+` FROM policy_instalments WHERE status = 'due' AND due_date < $1
		ORDER BY due_date, id LIMIT $2`, date(today), n)
	return collect(rows, err, scanInstalment)
}

// MissInstalment marks a due instalment missed; it reports false when it
// was no longer due (paid, or marked by another process first), so the
// customer is told once.
func (tx *Tx) MissInstalment(ctx context.Context, id int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE policy_instalments SET status = 'missed', missed_at = $1 WHERE id = $2 AND status = 'due'`,
		micros(tx.now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CreatePayment records a payment received.
func (tx *Tx) CreatePayment(ctx context.Context, p *care.Payment) error {
	p.CreatedAt = tx.now
	var err error
	p.ID, err = tx.insert(ctx, `INSERT INTO policy_payments (policy_id, amount_minor, method, reference, received_on, recorded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		p.PolicyID, p.AmountMinor, p.Method, p.Reference, date(p.ReceivedOn), p.RecordedBy, micros(tx.now))
	return err
}

// FindPayments returns a policy's payments, newest first, with the
// instalment each settled.
func (tx *Tx) FindPayments(ctx context.Context, policyID int64) ([]*care.Payment, error) {
	rows, err := tx.query(ctx, `SELECT p.id, p.policy_id, COALESCE(i.id, 0), COALESCE(i.seq, 0), p.amount_minor, p.method, p.reference,
		p.received_on, p.recorded_by, p.created_at FROM policy_payments p LEFT JOIN policy_instalments i ON i.payment_id = p.id
		WHERE p.policy_id = $1 ORDER BY p.id DESC LIMIT 500`, policyID)
	return collect(rows, err, func(row scanner) (*care.Payment, error) {
		var p care.Payment
		var on string
		var created sql.NullInt64
		err := row.Scan(&p.ID, &p.PolicyID, &p.InstalmentID, &p.InstalmentSeq, &p.AmountMinor, &p.Method, &p.Reference, &on,
			&p.RecordedBy, &created)
		p.ReceivedOn, p.CreatedAt = parseDate(on), fromMicros(created)
		return &p, err
	})
}
