package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// ComplaintSummary is one complaint in a handler's queue.
type ComplaintSummary struct {
	Case       *care.Case
	Stage      string
	NextDue    time.Time // the nearest running deadline; zero when none runs
	Vulnerable bool      // signs of vulnerability recorded at intake
	// Queue is the case as the agents' queues show it: its nearest active
	// clock (name, regime, warning point), missed deadlines and customer.
	Queue care.QueueItem
}

// FindComplaints lists complaints by nearest deadline: the complaints
// handler's queue. next is the offset of the next page (0 when none);
// the complaints revealed are audited.
func (s *Service) FindComplaints(ctx context.Context, f store.ComplaintQueueFilter) ([]ComplaintSummary, int, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, 0, err
	}
	var p care.Problems
	care.ComplaintStages.Check(&p, "stage", f.Stage)
	care.CaseTiers.Check(&p, "tier", f.Tier)
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	var out []ComplaintSummary
	next := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		items, more, err := tx.FindComplaintQueue(ctx, f)
		if err != nil {
			return err
		}
		ids := make([]int64, len(items))
		for i, it := range items {
			ids[i] = it.CaseID
		}
		cases, err := tx.FindCasesByIDs(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[int64]*care.Case, len(cases))
		for _, c := range cases {
			byID[c.ID] = c
		}
		ordered := make([]*care.Case, 0, len(items))
		for _, it := range items {
			if c := byID[it.CaseID]; c != nil {
				ordered = append(ordered, c)
			}
		}
		queue, err := queueItems(ctx, tx, ordered)
		if err != nil {
			return err
		}
		out = make([]ComplaintSummary, 0, len(items))
		for i, it := range items {
			out = append(out, ComplaintSummary{Case: byID[it.CaseID], Stage: it.Stage, NextDue: it.NextDue, Vulnerable: it.Vulnerable})
			if i < len(queue) && queue[i].Case == out[i].Case {
				out[i].Queue = queue[i]
			}
		}
		if more {
			next = max(f.Offset, 0) + len(items)
		}
		detail := map[string]any{"ids": ids}
		var custs []int64
		for _, q := range queue {
			if q.CustomerName != "" {
				custs = append(custs, q.Case.CustomerID)
			}
		}
		if len(custs) > 0 {
			detail["customer_ids"] = custs // the queue shows their names
		}
		return audit(ctx, tx, "list", "complaint", "", detail)
	})
	return out, next, err
}
