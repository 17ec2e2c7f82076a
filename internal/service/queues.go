package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// FindQueue returns a page of a work queue (an agent's cases, or a team's),
// nearest deadline first, each case with the clock that orders it and its
// customer's name, and the cursor of the next page. The IDs revealed are
// audited, as for any list of cases.
func (s *Service) FindQueue(ctx context.Context, f care.QueueFilter) ([]care.QueueItem, care.QueueCursor, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, care.QueueCursor{}, err
	}
	if f.AssigneeID == 0 && f.TeamID == 0 && !f.Unassigned {
		return nil, care.QueueCursor{}, care.Invalid("queue", "name an assignee or a team, or ask for unassigned cases")
	}
	var out []care.QueueItem
	var next care.QueueCursor
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cases, cur, err := tx.FindQueue(ctx, f)
		if err != nil {
			return err
		}
		next = cur
		if out, err = queueItems(ctx, tx, cases); err != nil {
			return err
		}
		return auditCaseList(ctx, tx, out, map[string]any{"queue": queueName(f)})
	})
	return out, next, err
}

func queueName(f care.QueueFilter) string {
	switch {
	case f.AssigneeID != 0:
		return "assignee"
	case f.Unassigned && f.TeamID == 0:
		return "unassigned"
	case f.Unassigned:
		return "team-unassigned"
	}
	return "team"
}

// queueItems pairs cases with their nearest active clock and customer name.
func queueItems(ctx context.Context, tx *store.Tx, cases []*care.Case) ([]care.QueueItem, error) {
	caseIDs := make([]int64, 0, len(cases))
	custIDs := make([]int64, 0, len(cases))
	for _, c := range cases {
		caseIDs = append(caseIDs, c.ID)
		if c.CustomerID != 0 {
			custIDs = append(custIDs, c.CustomerID)
		}
	}
	clocks, err := tx.FindActiveClocks(ctx, caseIDs)
	if err != nil {
		return nil, err
	}
	nearest := map[int64]*care.Clock{}
	missed := map[int64]int{}
	rank := map[string]int{care.ClockRunning: 0, care.ClockWarning: 0, care.ClockPaused: 1, care.ClockBreached: 2}
	for _, k := range clocks {
		if k.State == care.ClockBreached {
			missed[k.CaseID]++
		}
		// Ordered by due time: the first running clock of a case is its
		// nearest deadline; a paused one stands in when nothing runs, and a
		// missed one when nothing is left to run.
		if cur, ok := nearest[k.CaseID]; !ok || rank[k.State] < rank[cur.State] {
			nearest[k.CaseID] = k
		}
	}
	names, err := tx.FindCustomerNames(ctx, custIDs)
	if err != nil {
		return nil, err
	}
	out := make([]care.QueueItem, len(cases))
	for i, c := range cases {
		out[i] = care.QueueItem{Case: c, Clock: nearest[c.ID], Missed: missed[c.ID], CustomerName: names[c.CustomerID]}
	}
	return out, nil
}

// auditCaseList records a list of cases (and the customers named in it).
func auditCaseList(ctx context.Context, tx *store.Tx, items []care.QueueItem, detail map[string]any) error {
	var custs []int64
	for _, it := range items {
		if it.CustomerName != "" {
			custs = append(custs, it.Case.CustomerID)
		}
	}
	detail["ids"] = ids(items, func(it care.QueueItem) int64 { return it.Case.ID })
	if len(custs) > 0 {
		detail["customer_ids"] = custs
	}
	return audit(ctx, tx, "list", "case", "", detail)
}

// FindBacklog counts open cases per team by ageing bucket (care.AgeBuckets),
// for supervisors. It reveals no customer data, so it is not audited.
func (s *Service) FindBacklog(ctx context.Context) ([]*care.BacklogRow, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseAssign); err != nil {
		return nil, err
	}
	bounds := make([]time.Duration, len(care.AgeBuckets))
	for i, b := range care.AgeBuckets {
		bounds[i] = b.Upto
	}
	var out []*care.BacklogRow
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindBacklog(ctx, bounds)
		return err
	})
	return out, err
}

// FindAtRisk lists open cases whose deadlines are in warning or breached,
// nearest first (teamID 0: every team), for supervisors; audited as a list.
func (s *Service) FindAtRisk(ctx context.Context, teamID int64, limit int) ([]*care.RiskItem, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseAssign); err != nil {
		return nil, err
	}
	var out []*care.RiskItem
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if out, err = tx.FindAtRisk(ctx, teamID, limit); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "case", "", map[string]any{"view": "at_risk",
			"ids": ids(out, func(r *care.RiskItem) int64 { return r.Case.ID })})
	})
	return out, err
}

// FindEscalated lists open cases waiting for tier-2 or executive review,
// oldest first, for supervisors; audited as a list.
func (s *Service) FindEscalated(ctx context.Context, limit int) ([]care.QueueItem, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseAssign); err != nil {
		return nil, err
	}
	var out []care.QueueItem
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cases, err := tx.FindEscalated(ctx, limit)
		if err != nil {
			return err
		}
		if out, err = queueItems(ctx, tx, cases); err != nil {
			return err
		}
		return auditCaseList(ctx, tx, out, map[string]any{"view": "escalated"})
	})
	return out, err
}
