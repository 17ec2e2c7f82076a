package service

import (
	"context"

	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// kpiOpened counts a case just opened and its first contact (0: none) in
// the rollup cells in one delta, so the cells are read and written once
// rather than once for the contact and again for the case: the KPI upkeep
// was close to half of a case creation's CPU (docs/benchmarks.md). It
// counts exactly what kpiInteraction followed by kpiCase count.
func (s *Service) kpiOpened(ctx context.Context, tx *store.Tx, caseID, contactID int64) error {
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return err
	}
	delta, err := kpi.NewRollup(kpiDims, opts)
	if err != nil {
		return err
	}
	if contactID != 0 {
		if _, err := kpiContactDelta(ctx, tx, delta, contactID); err != nil {
			return err
		}
	}
	resolved, err := kpiCaseDelta(ctx, tx, delta, caseID)
	if err != nil {
		return err
	}
	if err := tx.ApplyKPI(ctx, delta); err != nil || !resolved {
		return err
	}
	return s.inviteSurvey(ctx, tx, caseID)
}
