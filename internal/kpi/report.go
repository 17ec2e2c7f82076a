package kpi

import (
	"cmp"
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// Query selects the periods and slices of a report.
type Query struct {
	Grain    Grain
	From, To time.Time // the periods overlapping [From, To), whole periods
	// Filter keeps only records whose Key matches it on FilterDims.
	Filter     Key
	FilterDims Dims
	// GroupBy splits each period by these dimensions; zero gives one row
	// per period.
	GroupBy Dims
	// AsOf, when set, caps the day the backlog is read at: a period still in
	// progress shows today's backlog, not one aged to the period's end. The
	// package has no clock, so the caller passes now.
	AsOf time.Time
}

// report accumulates totals per group and period; the rollup and the raw
// path share it so that they differ only in where totals come from.
type report struct {
	q      Query
	opts   *Options
	ps     []period
	first  Day
	index  []int32 // day − first → period
	groups map[Key]*group
}

// group holds one group's totals, backlog and (raw path only) samples.
type group struct {
	seen    bool // something counted in range; unseen groups are not reported
	totals  []Totals
	backlog []backlog
	samples [][4][]int64 // raw path: per period, per span, milliseconds
	cells   [][]*Totals  // rollup path: per period, the cells with histograms
}

func newReport(q Query, opts *Options) (*report, error) {
	if q.FilterDims&^AllDims != 0 || q.GroupBy&^AllDims != 0 {
		return nil, care.Invalid("group_by", "names an unknown dimension")
	}
	ps, err := periods(q.Grain, q.From, q.To, opts.Location)
	if err != nil {
		return nil, err
	}
	if !q.AsOf.IsZero() {
		asOf := DayOf(q.AsOf, opts.Location)
		for i := range ps {
			ps[i].snap = min(ps[i].last, asOf)
		}
	}
	r := &report{q: q, opts: opts, ps: ps, first: ps[0].first, groups: map[Key]*group{}}
	r.index = make([]int32, ps[len(ps)-1].last-r.first+1)
	for i, p := range ps {
		for d := p.first; d <= p.last; d++ {
			r.index[d-r.first] = int32(i)
		}
	}
	if q.GroupBy == 0 {
		r.group(Key{}) // one row per period, even with no data at all
	}
	return r, nil
}

// matches reports whether k passes the filter.
func (r *report) matches(k Key) bool {
	return r.q.FilterDims == 0 || k.Project(r.q.FilterDims) == r.q.Filter.Project(r.q.FilterDims)
}

// group returns the accumulator of the group k falls in.
func (r *report) group(k Key) *group {
	k = k.Project(r.q.GroupBy)
	g := r.groups[k]
	if g == nil {
		n := len(r.ps)
		g = &group{totals: make([]Totals, n), backlog: make([]backlog, n)}
		for i := range g.backlog {
			g.backlog[i].ageing = make([]int64, len(r.opts.Ageing)+1)
		}
		r.groups[k] = g
	}
	return g
}

// period returns the index of the period holding d.
func (r *report) period(d Day) (int, bool) {
	i := int(d - r.first)
	if i < 0 || i >= len(r.index) {
		return 0, false
	}
	return int(r.index[i]), true
}

// addLags adds to g's backlog the cases received on day rd, with their
// lags (sorted by Days, OpenLag last). A case is open at the end of day D
// when its lag exceeds D − rd, so the open ones are a suffix of lags.
func (r *report) addLags(g *group, rd Day, lags []Lag) {
	start := 0
	if i, ok := r.period(rd); ok {
		start = i // earlier periods ended before these cases arrived
	}
	longest := lags[len(lags)-1].Days
	for i := start; i < len(r.ps); i++ {
		p := r.ps[i]
		begin := p.startSnap()
		if longest != OpenLag && int64(longest) <= int64(begin-rd) {
			break // all resolved before both snapshots of this and any later period
		}
		b := &g.backlog[i]
		if begin >= rd {
			_, complaints := openAfter(lags, begin-rd)
			b.complaintsStart += complaints
		}
		if p.snap < rd {
			continue
		}
		age := p.snap - rd
		open, _ := openAfter(lags, age)
		b.open += open
		b.ageing[ageBucket(r.opts.Ageing, int(age))] += open
		g.seen = g.seen || open != 0 || b.complaintsStart != 0
	}
}

// openAfter sums the cases and complaints whose lag exceeds age days.
func openAfter(lags []Lag, age Day) (cases, complaints int64) {
	for j := len(lags) - 1; j >= 0 && int64(lags[j].Days) > int64(age); j-- {
		cases += lags[j].Cases
		complaints += lags[j].Complaints
	}
	return cases, complaints
}

// figures returns the rows, period by period, groups in key order.
func (r *report) figures(q func(g *group, period, span int) (Maybe, Maybe)) []Figures {
	keys := make([]Key, 0, len(r.groups))
	for k, g := range r.groups {
		if g.seen || r.q.GroupBy == 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareKeys)
	out := make([]Figures, 0, len(keys)*len(r.ps))
	for i, p := range r.ps {
		for _, k := range keys {
			g := r.groups[k]
			out = append(out, figures(&g.totals[i], p, k, &g.backlog[i], r.opts.Ageing,
				func(span int) (Maybe, Maybe) { return q(g, i, span) }))
		}
	}
	return out
}

func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.TeamID, b.TeamID),
		cmp.Compare(a.AgentID, b.AgentID), cmp.Compare(a.CaseType, b.CaseType), cmp.Compare(a.Product, b.Product))
}

// Report computes the KPIs of q from the rollup. Percentiles come from the
// histograms (within HistogramErrorBound); every count, rate and mean is
// exact.
func (r *Rollup) Report(q Query) ([]Figures, error) {
	if (q.FilterDims|q.GroupBy)&^r.dims != 0 {
		return nil, care.Invalid("group_by", "this rollup does not keep a dimension the query filters or groups by")
	}
	rep, err := newReport(q, &r.opts)
	if err != nil {
		return nil, err
	}
	last := rep.ps[len(rep.ps)-1].last
	for ci, c := range r.keys {
		t := &r.totals[ci]
		if c.Day > last || !rep.matches(c.Key) {
			continue
		}
		i, in := rep.period(c.Day)
		if !in && len(t.Lags) == 0 {
			continue
		}
		g := rep.group(c.Key)
		if in {
			g.totals[i].mergeCounts(t)
			g.seen = true
			if t.hasHistograms() {
				if g.cells == nil {
					g.cells = make([][]*Totals, len(rep.ps))
				}
				g.cells[i] = append(g.cells[i], t)
			}
		}
		if len(t.Lags) > 0 {
			rep.addLags(g, c.Day, t.Lags)
		}
	}
	var dense denseHistogram
	return rep.figures(func(g *group, p, span int) (Maybe, Maybe) {
		if g.cells == nil {
			return Maybe{}, Maybe{}
		}
		for _, t := range g.cells[p] {
			dense.add(&t.spans()[span].Hist)
		}
		return dense.quantiles()
	}), nil
}
