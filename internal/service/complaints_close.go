package service

import (
	"context"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// complaintClosedByCase applies the complaint rules to a case update that
// closed (or resolved) a complaint case through the generic case routes
// (PATCH /api/v1/cases/{key}, the UI's "close with an outcome"): a
// complaint closes only with its outcome recorded. With the outcome there,
// the complaint record closes with the case, so its stage, its closure
// time in the regulatory reports and its transitions stay in step with
// the case. ch is the update's changes; nothing happens unless it closed
// the case.
func (s *Service) complaintClosedByCase(ctx context.Context, tx *store.Tx, c *care.Case, ch changes) error {
	st, ok := ch["status"]
	if !ok || c.Type != "complaint" || !care.IsClosedStatus(c.Status) {
		return nil
	}
	if before, _ := st[0].(string); care.IsClosedStatus(before) {
		return nil // resolved → closed: the complaint closed already
	}
	k, err := ensureComplaint(ctx, tx, c)
	if err != nil || k.Stage == care.StageClosed {
		return err
	}
	if k.Outcome == "" {
		return care.Invalid("outcome", "complaint %s has no outcome recorded: record it (upheld, partly upheld, not upheld "+
			"or withdrawn) on the complaint page or with PUT /api/v1/complaints/%s/outcome before closing it",
			c.Reference, c.Reference)
	}
	from := k.Stage
	k.Stage, k.ClosedAt = care.StageClosed, tx.Now()
	if err := tx.UpdateComplaint(ctx, k); err != nil {
		return err
	}
	if err := audit(ctx, tx, "update", "complaint", c.ID, map[string]any{"outcome": k.Outcome,
		"root_cause": k.RootCause, "closed_through": "case"}); err != nil {
		return err
	}
	return recordTransition(ctx, tx, c, "stage", from, care.StageClosed, 0, "", "closed through the case ("+c.Status+")")
}
