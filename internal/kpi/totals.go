package kpi

import (
	"maps"
	"math"
	"slices"
	"sort"
	"time"
)

// Totals are the counts and sums behind every KPI for one slice (a day and
// a Key in a rollup, a period and a group in a report). Everything is an
// integer count or a sum of milliseconds, so totals add and subtract
// exactly and in any order: merging rollups never drifts. The store
// persists Totals as they are.
type Totals struct {
	// Queue figures, from inbound contacts on queue channels.
	Offered        int64
	Answered       int64
	AnsweredWithin int64 // answered within the channel's service-level threshold
	Abandoned      int64 // every abandon, short ones included
	ShortAbandoned int64 // abandons after a wait under Options.ShortAbandon
	WaitMillis     int64 // total wait of answered contacts, offered → answered

	// Handled contacts (answered and ended, any direction and channel).
	Handled      int64
	HandleMillis int64 // talk + hold + wrap-up

	// Cases.
	Received              int64
	Resolved              int64
	ResolvedFirstContact  int64
	FirstResponse         Span // counted on the day of the first response
	FirstResponseBusiness Span
	Resolution            Span // counted on the day of resolution
	ResolutionBusiness    Span
	ComplaintsReceived    int64
	ComplaintsResolved    int64
	ComplaintDeadlines    map[string]Tally // per deadline: complaints resolved by it, or not
	Clocks                map[string]Tally // per SLA clock: met or breached

	// Surveys: answers per score, CSAT[0] counting score 1, NPS[0] score 0,
	// CES[0] score 1.
	CSAT [5]int64
	NPS  [11]int64
	CES  [7]int64

	// Renewals.
	RenewalsDue int64
	NotRenewed  int64

	// Lags are, for cases received on this day, how many days later each
	// was resolved (OpenLag while open). The backlog on any later day D is
	// read from them: a case received on day r is open at the end of D when
	// its lag exceeds D − r. Kept only in rollup cells.
	Lags []Lag
}

// Span sums durations and keeps their histogram.
type Span struct {
	Count  int64
	Millis int64
	Hist   Histogram
}

// Tally counts a deadline or clock met or missed.
type Tally struct {
	Met    int64
	Missed int64
}

// Lag counts cases received on one day by the number of days until their
// resolution.
type Lag struct {
	Days       int32 // resolution day − received day, or OpenLag
	Cases      int64
	Complaints int64
}

// OpenLag is the Lag.Days of cases still open.
const OpenLag = math.MaxInt32

// millis converts a duration to milliseconds, clamping negative spans (a
// clock skew between systems) to zero so they cannot cancel real waits.
func millis(d time.Duration) int64 { return max(0, d.Milliseconds()) }

func (s *Span) add(d time.Duration, n int64) {
	ms := millis(d)
	s.Count += n
	s.Millis += n * ms
	s.Hist.add(ms, n)
}

// spans returns the four case spans in a fixed order, the one quantiles use.
func (t *Totals) spans() [4]*Span {
	return [4]*Span{&t.FirstResponse, &t.FirstResponseBusiness, &t.Resolution, &t.ResolutionBusiness}
}

// addContact counts contact c n times (n = −1 takes it out again).
func (t *Totals) addContact(c *Contact, o *Options, n int64) {
	if c.Key.Channel == "note" || c.Direction == "internal" {
		return
	}
	inbound := c.Direction == "" || c.Direction == "inbound"
	if inbound && !c.OfferedAt.IsZero() && slices.Contains(o.QueueChannels, c.Key.Channel) {
		t.Offered += n
		switch {
		case !c.AnsweredAt.IsZero():
			wait := c.AnsweredAt.Sub(c.OfferedAt)
			t.Answered += n
			t.WaitMillis += n * millis(wait)
			if wait <= o.threshold(c.Key.Channel) {
				t.AnsweredWithin += n
			}
		case c.Abandoned:
			t.Abandoned += n
			// An abandon with no end time counts as long: hiding it would
			// flatter the abandonment rate.
			if !c.EndedAt.IsZero() && c.EndedAt.Sub(c.OfferedAt) < o.ShortAbandon {
				t.ShortAbandoned += n
			}
		}
	}
	if !c.AnsweredAt.IsZero() && !c.EndedAt.IsZero() {
		handle := millis(c.EndedAt.Sub(c.AnsweredAt)) + millis(c.Hold)
		if !c.WrapUpEndedAt.IsZero() {
			handle += millis(c.WrapUpEndedAt.Sub(c.EndedAt))
		}
		t.Handled += n
		t.HandleMillis += n * handle
	}
}

// threshold returns the service-level threshold of a channel.
func (o *Options) threshold(channel string) time.Duration {
	if d, ok := o.ServiceLevel[channel]; ok {
		return d
	}
	return o.DefaultServiceLevel
}

// addSurvey counts a valid survey answer n times.
func (t *Totals) addSurvey(s *Survey, n int64) {
	switch s.Kind {
	case CSAT:
		t.CSAT[s.Score-1] += n
	case NPS:
		t.NPS[s.Score] += n
	case CES:
		t.CES[s.Score-1] += n
	}
}

// addTally counts one met or missed outcome under name.
func addTally(m *map[string]Tally, name string, met bool, n int64) {
	if *m == nil {
		*m = map[string]Tally{}
	}
	x := (*m)[name]
	if met {
		x.Met += n
	} else {
		x.Missed += n
	}
	(*m)[name] = x
}

// addLag counts cases, complaints among them, resolved days after receipt.
func (t *Totals) addLag(days int32, cases, complaints int64) {
	i := sort.Search(len(t.Lags), func(i int) bool { return t.Lags[i].Days >= days })
	if i == len(t.Lags) || t.Lags[i].Days != days {
		t.Lags = slices.Insert(t.Lags, i, Lag{Days: days})
	}
	t.Lags[i].Cases += cases
	t.Lags[i].Complaints += complaints
}

// merge adds o into t, histograms included, lags too when withLags.
func (t *Totals) merge(o *Totals, withLags bool) {
	t.mergeCounts(o)
	ts, os := t.spans(), o.spans()
	for i := range ts {
		ts[i].Hist.merge(os[i].Hist)
	}
	if withLags {
		for _, l := range o.Lags {
			t.addLag(l.Days, l.Cases, l.Complaints)
		}
	}
}

// mergeCounts adds o's counts and sums into t, but not its histograms or
// lags: a report reads those from the cells directly, which is much cheaper
// than merging sparse histograms cell by cell.
func (t *Totals) mergeCounts(o *Totals) {
	t.Offered += o.Offered
	t.Answered += o.Answered
	t.AnsweredWithin += o.AnsweredWithin
	t.Abandoned += o.Abandoned
	t.ShortAbandoned += o.ShortAbandoned
	t.WaitMillis += o.WaitMillis
	t.Handled += o.Handled
	t.HandleMillis += o.HandleMillis
	t.Received += o.Received
	t.Resolved += o.Resolved
	t.ResolvedFirstContact += o.ResolvedFirstContact
	ts, os := t.spans(), o.spans()
	for i := range ts {
		ts[i].Count += os[i].Count
		ts[i].Millis += os[i].Millis
	}
	t.ComplaintsReceived += o.ComplaintsReceived
	t.ComplaintsResolved += o.ComplaintsResolved
	mergeTallies(&t.ComplaintDeadlines, o.ComplaintDeadlines)
	mergeTallies(&t.Clocks, o.Clocks)
	for i := range t.CSAT {
		t.CSAT[i] += o.CSAT[i]
	}
	for i := range t.NPS {
		t.NPS[i] += o.NPS[i]
	}
	for i := range t.CES {
		t.CES[i] += o.CES[i]
	}
	t.RenewalsDue += o.RenewalsDue
	t.NotRenewed += o.NotRenewed
}

func mergeTallies(dst *map[string]Tally, src map[string]Tally) {
	if len(src) == 0 {
		return
	}
	if *dst == nil {
		*dst = maps.Clone(src)
		return
	}
	for k, v := range src {
		x := (*dst)[k]
		x.Met += v.Met
		x.Missed += v.Missed
		(*dst)[k] = x
	}
}

// hasHistograms reports whether any case span of t has counts.
func (t *Totals) hasHistograms() bool {
	for _, s := range t.spans() {
		if len(s.Hist.Bins) > 0 {
			return true
		}
	}
	return false
}
