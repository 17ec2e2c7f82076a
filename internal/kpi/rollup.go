package kpi

import (
	"iter"

	"github.com/caredesk/caredesk/internal/care"
)

// Cell addresses the totals of one civil day and one Key in a rollup.
type Cell struct {
	Day Day
	Key Key
}

// Rollup holds Totals per day and Key, built one record at a time, so that
// a dashboard over 24 months reads a few thousand cells instead of millions
// of interactions. It keeps only the dimensions it was made with (a rollup
// per agent need not also split by product); the others are cleared from
// every Key. A Rollup is not safe for concurrent use: build one per
// goroutine and Merge them.
type Rollup struct {
	opts Options
	dims Dims
	// Cells live in one slice, in creation order (roughly by day for a
	// time-ordered feed), found through an index: a report then reads
	// memory sequentially, which on 150k cells is several times faster than
	// chasing map-allocated pointers.
	index  map[Cell]int32
	keys   []Cell
	totals []Totals
	dc     dayCache
}

// NewRollup returns an empty rollup that keeps dims, counting by opts.
func NewRollup(dims Dims, opts Options) (*Rollup, error) {
	opts = opts.normalized()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if dims&^AllDims != 0 {
		return nil, care.Invalid("dims", "names an unknown dimension")
	}
	return &Rollup{opts: opts, dims: dims, index: map[Cell]int32{}, dc: dayCache{loc: opts.Location}}, nil
}

// Dims returns the dimensions r keeps.
func (r *Rollup) Dims() Dims { return r.dims }

// Options returns the definitions r counts by, defaults filled in.
func (r *Rollup) Options() Options { return r.opts }

// Len returns the number of cells in r.
func (r *Rollup) Len() int { return len(r.keys) }

// cell returns the totals of day d and key k (projected), creating them.
func (r *Rollup) cell(d Day, k Key) *Totals {
	c := Cell{Day: d, Key: k.Project(r.dims)}
	i, ok := r.index[c]
	if !ok {
		i = int32(len(r.keys))
		r.index[c] = i
		r.keys = append(r.keys, c)
		r.totals = append(r.totals, Totals{})
	}
	return &r.totals[i]
}

// AddContact counts a contact on the day it was offered (or answered, for
// an outbound contact with no offer time). Contacts with neither are
// ignored: they have no place in time.
func (r *Rollup) AddContact(c Contact) { r.contact(&c, 1) }

// RemoveContact takes out a contact added before, e.g. to add it again with
// its wrap-up time.
func (r *Rollup) RemoveContact(c Contact) { r.contact(&c, -1) }

func (r *Rollup) contact(c *Contact, n int64) {
	at := c.OfferedAt
	if at.IsZero() {
		at = c.AnsweredAt
	}
	if at.IsZero() {
		return
	}
	r.cell(r.dc.of(at), c.Key).addContact(c, &r.opts, n)
}

// AddCase counts a case in its current state (see Case).
func (r *Rollup) AddCase(c Case) error { return r.addCase(&c, 1) }

// RemoveCase takes out a case exactly as it was added, before adding its
// new state.
func (r *Rollup) RemoveCase(c Case) error { return r.addCase(&c, -1) }

func (r *Rollup) addCase(c *Case, n int64) error {
	if c.ReceivedAt.IsZero() {
		return care.Invalid("received_at", "is required")
	}
	visitCase(c, &r.opts, &r.dc, n, func(d Day, apply func(*Totals)) {
		apply(r.cell(d, c.Key))
	})
	return nil
}

// AddSurvey counts a survey answer on the day it was given.
func (r *Rollup) AddSurvey(s Survey) error {
	if err := s.validate(); err != nil {
		return err
	}
	r.cell(r.dc.of(s.At), s.Key).addSurvey(&s, 1)
	return nil
}

// AddClock counts a settled clock, met or breached, on the day it fell due.
func (r *Rollup) AddClock(c ClockResult) error {
	if c.Clock == "" || c.Due.IsZero() {
		return care.Invalid("clock", "needs a name and a due time")
	}
	addTally(&r.cell(r.dc.of(c.Due), c.Key).Clocks, c.Clock, metOnTime(c.Due, c.Done), 1)
	return nil
}

// AddRenewal counts a policy up for renewal on its renewal day.
func (r *Rollup) AddRenewal(x Renewal) error {
	if x.Due.IsZero() {
		return care.Invalid("due", "is required")
	}
	t := r.cell(r.dc.of(x.Due), x.Key)
	t.RenewalsDue++
	if !x.Renewed {
		t.NotRenewed++
	}
	return nil
}

// Merge adds o's cells into r. Both must keep the same dimensions and count
// by the same definitions, or the sums would mean different things.
func (r *Rollup) Merge(o *Rollup) error {
	if r.dims != o.dims {
		return care.Errorf(care.EINVALID, "cannot merge rollups that keep different dimensions")
	}
	if !r.opts.sameDefinitions(o.opts) {
		return care.Errorf(care.EINVALID, "cannot merge rollups built with different time zones or thresholds")
	}
	for i, c := range o.keys {
		r.cell(c.Day, c.Key).merge(&o.totals[i], true)
	}
	return nil
}

// Cells iterates over r's cells in creation order, for persistence.
// The totals must not be modified.
func (r *Rollup) Cells() iter.Seq2[Cell, *Totals] {
	return func(yield func(Cell, *Totals) bool) {
		for i, c := range r.keys {
			if !yield(c, &r.totals[i]) {
				return
			}
		}
	}
}

// Load adds persisted totals to a cell, the inverse of Cells.
func (r *Rollup) Load(c Cell, t *Totals) {
	r.cell(c.Day, c.Key).merge(t, true)
}

// LoadOwned is Load for totals handed over, such as cells just decoded: a
// cell seen for the first time takes t as it is rather than copying its
// histograms, tallies and lags, which is most of loading a 24-month range.
// The caller must not use t afterwards.
func (r *Rollup) LoadOwned(c Cell, t *Totals) {
	c.Key = c.Key.Project(r.dims)
	if _, seen := r.index[c]; !seen {
		*r.cell(c.Day, c.Key) = *t
		return
	}
	r.cell(c.Day, c.Key).merge(t, true)
}
