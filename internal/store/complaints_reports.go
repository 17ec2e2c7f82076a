package store

import (
	"context"
	"database/sql"
	"time"
)

// ComplaintRow is one complaint as the regulatory reports read it: the
// case, its complaint record, its policy line and root cause, and the
// redress paid on it by currency.
type ComplaintRow struct {
	CaseID           int64
	Reference        string
	Channel          string
	Regimes          string
	Tier             string
	CustomerKind     string
	PolicyLine       string
	Stage            string
	Outcome          string
	RootCause        string
	RootCategory     string
	RootLabel        string
	ReferredTo       string
	CustomerResponse string
	Vulnerable       bool
	ReceivedAt       time.Time
	ClosedAt         time.Time // zero while open
	RedressKinds     []string
	PaidMinor        map[string]int64 // currency → redress paid, in minor units
}

// FindComplaintRows returns the complaints received or closed in
// [from, to), oldest receipt first. Complaint cases that never got a
// complaint record are included with an empty stage and outcome.
func (tx *Tx) FindComplaintRows(ctx context.Context, from, to time.Time) ([]*ComplaintRow, error) {
	rows, err := tx.query(ctx, `SELECT c.id, c.reference, c.channel, c.regimes, c.tier, COALESCE(cu.kind, ''),
		COALESCE(p.line, ''), COALESCE(k.stage, ''), COALESCE(k.outcome, ''), COALESCE(k.root_cause, ''),
		COALESCE(rc.category, ''), COALESCE(rc.label, ''), COALESCE(k.referred_to, ''), COALESCE(k.customer_response, ''),
		COALESCE(k.vulnerable, FALSE), c.received_at, COALESCE(k.closed_at, c.closed_at)
		FROM cases c
		LEFT JOIN complaints k ON k.case_id = c.id
		LEFT JOIN customers cu ON cu.id = c.customer_id
		LEFT JOIN policies p ON p.id = c.policy_id
		LEFT JOIN complaint_root_causes rc ON rc.code = k.root_cause
		WHERE c.type = 'complaint' AND ((c.received_at >= $1 AND c.received_at < $2)
			OR (COALESCE(k.closed_at, c.closed_at) >= $1 AND COALESCE(k.closed_at, c.closed_at) < $2))
		ORDER BY c.received_at, c.id`, micros(from), micros(to))
	out, err := collect(rows, err, func(row scanner) (*ComplaintRow, error) {
		var r ComplaintRow
		var received, closed sql.NullInt64
		err := row.Scan(&r.CaseID, &r.Reference, &r.Channel, &r.Regimes, &r.Tier, &r.CustomerKind, &r.PolicyLine,
			&r.Stage, &r.Outcome, &r.RootCause, &r.RootCategory, &r.RootLabel, &r.ReferredTo, &r.CustomerResponse,
			&r.Vulnerable, &received, &closed)
		r.ReceivedAt, r.ClosedAt, r.PaidMinor = fromMicros(received), fromMicros(closed), map[string]int64{}
		return &r, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, tx.addRedress(ctx, out, from, to)
}

// addRedress fills each row's redress kinds and the amounts paid.
// The period's condition is repeated rather than listing ids, so a
// quarter of a large insurer's complaints needs no huge IN list.
func (tx *Tx) addRedress(ctx context.Context, out []*ComplaintRow, from, to time.Time) error {
	byID := make(map[int64]*ComplaintRow, len(out))
	for _, r := range out {
		byID[r.CaseID] = r
	}
	rows, err := tx.query(ctx, `SELECT r.case_id, r.kind, r.status, r.currency, r.amount_minor
		FROM complaint_redress r JOIN cases c ON c.id = r.case_id LEFT JOIN complaints k ON k.case_id = c.id
		WHERE c.type = 'complaint' AND ((c.received_at >= $1 AND c.received_at < $2)
			OR (COALESCE(k.closed_at, c.closed_at) >= $1 AND COALESCE(k.closed_at, c.closed_at) < $2))
		ORDER BY r.case_id, r.id`, micros(from), micros(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, amount int64
		var kind, status, currency string
		if err := rows.Scan(&id, &kind, &status, &currency, &amount); err != nil {
			return err
		}
		r := byID[id]
		if r == nil {
			continue
		}
		if status != "declined" {
			r.RedressKinds = append(r.RedressKinds, kind)
		}
		if status == "paid" {
			r.PaidMinor[currency] += amount
		}
	}
	return rows.Err()
}
