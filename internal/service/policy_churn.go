package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// kpiRenewal counts a renewal outcome into the KPI cells, in the
// transaction that records it: one policy up for renewal on the last day
// of its term, in its line's slice, lost unless renewed. An outcome is
// final, so it is added once and never taken out.
func kpiRenewal(ctx context.Context, tx *store.Tx, r *care.PolicyRenewal) error {
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return err
	}
	delta, err := kpi.NewRollup(kpiDims, opts)
	if err != nil {
		return err
	}
	if err := delta.AddRenewal(renewalRecord(r.Line, r.TermEnd, r.Outcome == "renewed", opts.Location)); err != nil {
		return err
	}
	return tx.ApplyKPI(ctx, delta)
}

// renewalRecord places a renewal at noon of its due date in the rollups'
// time zone, so the civil day is the date itself in any zone.
func renewalRecord(line string, due time.Time, renewed bool, loc *time.Location) kpi.Renewal {
	if loc == nil {
		loc = time.UTC
	}
	return kpi.Renewal{Key: kpi.Key{Product: line}, Due: time.Date(due.Year(), due.Month(), due.Day(), 12, 0, 0, 0, loc),
		Renewed: renewed}
}

// rebuildRenewals counts every renewal outcome into r, for a rebuild of
// the KPI cells, and returns how many.
func rebuildRenewals(ctx context.Context, tx *store.Tx, r *kpi.Rollup, progress func(string, int)) (int, error) {
	n := 0
	for after := int64(0); ; {
		page, next, err := tx.FindKPIRenewals(ctx, after, rebuildPage)
		if err != nil {
			return n, err
		}
		for _, k := range page {
			due, err := time.Parse(time.DateOnly, k.TermEnd)
			if err != nil {
				return n, err
			}
			if err := r.AddRenewal(renewalRecord(k.Line, due, k.Renewed, r.Options().Location)); err != nil {
				return n, err
			}
		}
		n += len(page)
		progress("renewals", n)
		if next == 0 {
			return n, nil
		}
		after = next
	}
}
