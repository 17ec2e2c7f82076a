package service

import (
	"context"
	"slices"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// maxBulk bounds one bulk reassignment, so one transaction stays short.
const maxBulk = 500

// BulkAssign moves several cases to a team and/or a person in one
// transaction: all move or none does. Each case that changes gets its own
// audit entry, as if reassigned one by one.
func (s *Service) BulkAssign(ctx context.Context, b care.BulkAssignment) (int, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseAssign); err != nil {
		return 0, err
	}
	var p care.Problems
	if len(b.CaseIDs) == 0 {
		p.Add("case_ids", "choose at least one case")
	} else if len(b.CaseIDs) > maxBulk {
		p.Add("case_ids", "choose at most %d cases at a time", maxBulk)
	}
	if b.TeamID == nil && b.AssigneeID == nil {
		p.Add("assignee_id", "choose a person or a team to move the cases to")
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	caseIDs := slices.Clone(b.CaseIDs)
	slices.Sort(caseIDs)
	caseIDs = slices.Compact(caseIDs)
	upd := care.CaseUpdate{TeamID: b.TeamID, AssigneeID: b.AssigneeID}
	if err := upd.Validate(); err != nil {
		return 0, err
	}
	changed := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		for _, id := range caseIDs {
			c, err := tx.FindCaseByID(ctx, id)
			if care.ErrorCode(err) == care.ENOTFOUND {
				return care.Invalid("case_ids", "no case %d", id)
			} else if err != nil {
				return err
			}
			ch, err := s.applyCaseUpdate(ctx, tx, c, upd)
			if err != nil {
				return err
			}
			if len(ch) == 0 {
				continue
			}
			if err := tx.UpdateCase(ctx, c); err != nil {
				return err
			}
			if err := s.kpiCase(ctx, tx, c.ID); err != nil { // KPI rollups: resolution, reassignment
				return err
			}
			detail := map[string]any{"bulk_of": len(caseIDs)}
			for k, v := range ch {
				detail[k] = v
			}
			if err := audit(ctx, tx, "update", "case", c.ID, detail); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}
