package kpi

import (
	"slices"
	"time"
)

// Data are raw records to compute KPIs from directly.
type Data struct {
	Contacts []Contact
	Cases    []Case
	Surveys  []Survey
	Clocks   []ClockResult
	Renewals []Renewal
}

// Compute returns the KPIs of q straight from raw records, with exact
// percentiles. It defines what a Rollup's Report must reproduce; use it for
// small sets and for checking, rollups for dashboards. Invalid records are
// skipped exactly as a Rollup would refuse them.
func Compute(d Data, q Query, opts Options) ([]Figures, error) {
	opts = opts.normalized()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	rep, err := newReport(q, &opts)
	if err != nil {
		return nil, err
	}
	dc := &dayCache{loc: opts.Location}
	// at applies a change to the totals of the period holding day d, if any.
	at := func(k Key, d Day) (*group, int, bool) {
		i, in := rep.period(d)
		if !in || !rep.matches(k) {
			return nil, 0, false
		}
		g := rep.group(k)
		g.seen = true
		if g.samples == nil {
			g.samples = make([][4][]int64, len(rep.ps))
		}
		return g, i, true
	}
	computeContacts(d.Contacts, &opts, dc, at)
	for i := range d.Cases {
		computeCase(rep, &d.Cases[i], &opts, dc, at)
	}
	computeEvents(d, dc, at)
	for _, g := range rep.groups {
		for p := range g.samples {
			for s := range g.samples[p] {
				slices.Sort(g.samples[p][s])
			}
		}
	}
	return rep.figures(func(g *group, p, span int) (Maybe, Maybe) {
		if g.samples == nil {
			return Maybe{}, Maybe{}
		}
		s := g.samples[p][span]
		return exactQuantile(s, 50), exactQuantile(s, 90)
	}), nil
}

// computeContacts adds contacts on the day they were offered (answered,
// for outbound ones), as Rollup.AddContact does.
func computeContacts(cs []Contact, o *Options, dc *dayCache, at func(Key, Day) (*group, int, bool)) {
	for i := range cs {
		c := &cs[i]
		t := c.OfferedAt
		if t.IsZero() {
			t = c.AnsweredAt
		}
		if t.IsZero() {
			continue
		}
		if g, p, ok := at(c.Key, dc.of(t)); ok {
			g.totals[p].addContact(c, o, 1)
		}
	}
}

// computeCase adds a case's contributions, its exact span samples and its
// backlog, the latter straight from the definition: open at the end of day
// D (the period's snapshot day) when received by D and not resolved by D.
func computeCase(rep *report, c *Case, o *Options, dc *dayCache, at func(Key, Day) (*group, int, bool)) {
	if c.ReceivedAt.IsZero() {
		return
	}
	visitCase(c, o, dc, 1, func(d Day, apply func(*Totals)) {
		if g, p, ok := at(c.Key, d); ok {
			apply(&g.totals[p])
		}
	})
	sample := func(t time.Time, spans [2]int, cal, biz time.Duration) {
		if g, p, ok := at(c.Key, dc.of(t)); ok {
			g.samples[p][spans[0]] = append(g.samples[p][spans[0]], millis(cal))
			g.samples[p][spans[1]] = append(g.samples[p][spans[1]], millis(biz))
		}
	}
	if !c.FirstResponseAt.IsZero() {
		sample(c.FirstResponseAt, [2]int{0, 1}, c.FirstResponseAt.Sub(c.ReceivedAt), firstResponseBusiness(c, o))
	}
	if !c.ResolvedAt.IsZero() {
		sample(c.ResolvedAt, [2]int{2, 3}, c.ResolvedAt.Sub(c.ReceivedAt), resolutionBusiness(c, o))
	}
	if !rep.matches(c.Key) {
		return
	}
	rd := dc.of(c.ReceivedAt)
	openAt := func(d Day) bool { return rd <= d && (c.ResolvedAt.IsZero() || dc.of(c.ResolvedAt) > d) }
	g := rep.group(c.Key)
	for i, p := range rep.ps {
		b := &g.backlog[i]
		if c.Key.CaseType == "complaint" && openAt(p.startSnap()) {
			b.complaintsStart++
			g.seen = true
		}
		if openAt(p.snap) {
			b.open++
			b.ageing[ageBucket(o.Ageing, int(p.snap-rd))]++
			g.seen = true
		}
	}
}

// computeEvents adds surveys, clocks and renewals.
func computeEvents(d Data, dc *dayCache, at func(Key, Day) (*group, int, bool)) {
	for i := range d.Surveys {
		s := &d.Surveys[i]
		if s.validate() != nil {
			continue
		}
		if g, p, ok := at(s.Key, dc.of(s.At)); ok {
			g.totals[p].addSurvey(s, 1)
		}
	}
	for _, c := range d.Clocks {
		if c.Clock == "" || c.Due.IsZero() {
			continue
		}
		if g, p, ok := at(c.Key, dc.of(c.Due)); ok {
			addTally(&g.totals[p].Clocks, c.Clock, metOnTime(c.Due, c.Done), 1)
		}
	}
	for _, x := range d.Renewals {
		if x.Due.IsZero() {
			continue
		}
		if g, p, ok := at(x.Key, dc.of(x.Due)); ok {
			g.totals[p].RenewalsDue++
			if !x.Renewed {
				g.totals[p].NotRenewed++
			}
		}
	}
}
