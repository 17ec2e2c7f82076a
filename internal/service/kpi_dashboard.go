package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// KPIDashboard is everything the dashboard page draws, read from one load
// of the rollup cells: the trend, the same periods for voice only (the ASA
// target is a voice target), for complaints only (their ageing), and split
// by channel × case type (the volume heat map), with the targets.
type KPIDashboard struct {
	Periods    []kpi.Figures // one per period, with the request's filters
	Voice      []kpi.Figures // the same, phone only; nil when filtered to another channel
	Complaints []kpi.Figures // the same, complaints only; nil when filtered to another case type
	Cells      []kpi.Figures // per period, grouped by channel and case type
	Targets    store.KPITargets
	Location   *time.Location // the rollups' time zone, for labels
	AsOf       time.Time      // when the backlog snapshots were read
}

// KPIDashboard returns the dashboard's figures for the periods overlapping
// [From, To] with the request's filters (agent and product are not
// dashboard slices and are refused). Like KPIs it reads only rollup cells.
func (s *Service) KPIDashboard(ctx context.Context, req KPIRequest) (*KPIDashboard, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermKPIRead); err != nil {
		return nil, err
	}
	var p care.Problems
	if req.Agent != "" {
		p.Add("agent", "the dashboard is sliced by channel, team and case type; use the KPI report for agents")
	}
	if req.Product != "" {
		p.Add("product", "the dashboard is sliced by channel, team and case type; use the KPI report for products")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &KPIDashboard{}
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		set, err := tx.KPISettings(ctx)
		if err != nil {
			return err
		}
		opts, err := set.Options()
		if err != nil {
			return err
		}
		q, err := parseKPIRequest(ctx, tx, req, opts.Location)
		if err != nil {
			return err
		}
		q.AsOf = tx.Now()
		out.Targets, out.Location, out.AsOf = set.KPITargets(), opts.Location, q.AsOf
		shape, _, err := tx.KPIShapeFor(ctx, q.FilterDims|kpi.DimChannel|kpi.DimCaseType)
		if err != nil {
			return err
		}
		r, err := kpi.NewRollup(shape, opts)
		if err != nil {
			return err
		}
		span, err := r.Report(q)
		if err != nil {
			return err
		}
		first := kpi.DayOf(span[0].Start, opts.Location)
		last := kpi.DayOf(span[len(span)-1].End, opts.Location) - 1
		if err := tx.LoadKPI(ctx, r, first, last, q.Filter, q.FilterDims); err != nil {
			return err
		}
		return out.fill(r, q)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fill runs the dashboard's reports over the loaded rollup.
func (d *KPIDashboard) fill(r *kpi.Rollup, q kpi.Query) error {
	var err error
	if d.Periods, err = r.Report(q); err != nil {
		return err
	}
	// only narrows q to one more slice, or reports nil when q's filter
	// already excludes it.
	only := func(dim kpi.Dims, set func(*kpi.Key), get func(kpi.Key) string, want string) ([]kpi.Figures, error) {
		if q.FilterDims&dim != 0 && get(q.Filter) != want {
			return nil, nil
		}
		n := q
		set(&n.Filter)
		n.FilterDims |= dim
		return r.Report(n)
	}
	d.Voice, err = only(kpi.DimChannel, func(k *kpi.Key) { k.Channel = "phone" }, func(k kpi.Key) string { return k.Channel }, "phone")
	if err != nil {
		return err
	}
	d.Complaints, err = only(kpi.DimCaseType, func(k *kpi.Key) { k.CaseType = "complaint" },
		func(k kpi.Key) string { return k.CaseType }, "complaint")
	if err != nil {
		return err
	}
	g := q
	g.GroupBy = kpi.DimChannel | kpi.DimCaseType
	d.Cells, err = r.Report(g)
	return err
}

// SetKPITargets changes the dashboard's targets (config:admin), audited
// with the old and new values.
func (s *Service) SetKPITargets(ctx context.Context, t store.KPITargets) error {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		set, err := tx.KPISettings(ctx)
		if err != nil {
			return err
		}
		if err := tx.SetKPITargets(ctx, t); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "kpi_targets", "", map[string]any{"targets": [2]store.KPITargets{set.KPITargets(), t}})
	})
}
