package store

import (
	"context"
)

// KPIRenewal is a renewal with an outcome, as the churn rollup counts it:
// on the last day of the term, in the slice of the policy's line.
type KPIRenewal struct {
	ID      int64
	Line    string
	TermEnd string // YYYY-MM-DD
	Renewed bool
}

// FindKPIRenewals returns n renewals with an outcome after id afterID, by
// id, for a rebuild of the KPI cells, and the cursor of the next page.
func (tx *Tx) FindKPIRenewals(ctx context.Context, afterID int64, n int) ([]*KPIRenewal, int64, error) {
	rows, err := tx.query(ctx, `SELECT id, line, term_end, outcome FROM policy_renewals
		WHERE outcome <> '' AND id > $1 ORDER BY id LIMIT $2`, afterID, n+1)
	out, err := collect(rows, err, func(row scanner) (*KPIRenewal, error) {
		var k KPIRenewal
		var outcome string
		err := row.Scan(&k.ID, &k.Line, &k.TermEnd, &outcome)
		k.Renewed = outcome == "renewed"
		return &k, err
	})
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(k *KPIRenewal) int64 { return k.ID })
	return out, next, nil
}
