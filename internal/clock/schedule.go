package clock

import (
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
)

// Milestone is one due time on a case: which rule of which regime, when, why
// (Basis, in words) and, for a recurring rule, which occurrence.
type Milestone struct {
	Name       string
	Regime     string
	Due        time.Time
	Basis      string // e.g. "15 business days after 2026-03-02 (receipt 2026-02-27 18:10 GMT after cut-off)"
	Rule       Rule
	Occurrence int
}

// Schedule returns every milestone of reg whose start event is known in
// events (name → time), recurring ones at their first occurrence, sorted by
// Due (ties keep the regime's rule order). Regulatory clocks start at first
// receipt: pass the first receipt anywhere in the firm as "received".
func Schedule(reg *Regime, cal *calendar.Calendar, events map[string]time.Time) ([]Milestone, error) {
	if reg == nil {
		return nil, care.Errorf(care.EINVALID, "a regime is required")
	}
	if cal == nil {
		return nil, care.Errorf(care.EINVALID, "a calendar is required")
	}
	out := make([]Milestone, 0, len(reg.Rules))
	var buf []byte
	for _, r := range reg.Rules {
		start, ok := events[r.StartEvent]
		if !ok || start.IsZero() {
			continue
		}
		buf = r.appendBasis(buf[:0], cal, start, 1)
		out = append(out, Milestone{
			Name: r.Name, Regime: reg.Name, Due: r.DueAt(cal, start, 1),
			Basis: string(buf), Rule: r, Occurrence: 1,
		})
	}
	slices.SortStableFunc(out, func(a, b Milestone) int { return a.Due.Compare(b.Due) })
	return out, nil
}

// Next returns the first occurrence of a recurring rule that falls due
// after now (the rule's first occurrence for a one-off rule), with its
// occurrence number: the next "update" a complaint owes.
func (r Rule) Next(cal *calendar.Calendar, start, now time.Time) (time.Time, int) {
	due := r.DueAt(cal, start, 1)
	if !r.Recurring || r.Amount <= 0 {
		return due, 1
	}
	// Jump close to the answer with an estimate, then step: each DueAt is
	// O(1), so even a years-old case costs a few lookups.
	n := 1
	if span := due.Sub(start); span > 0 && now.After(due) {
		n = max(1, int(now.Sub(start)/span)-1)
	}
	for due = r.DueAt(cal, start, n); !due.After(now); due = r.DueAt(cal, start, n) {
		n++
	}
	for n > 1 && r.DueAt(cal, start, n-1).After(now) {
		n--
	}
	return r.DueAt(cal, start, n), n
}

// Due is a milestone's due time without its explanation: what a sweep over
// many open cases needs.
type Due struct {
	Name     string
	At       time.Time
	OnBreach string
}

// AppendDue appends the first due time of every rule of reg whose start
// event is known, in rule order, without building explanations or sorting:
// the allocation-free path for sweeps (Schedule is the full one).
func AppendDue(dst []Due, reg *Regime, cal *calendar.Calendar, events map[string]time.Time) []Due {
	for i := range reg.Rules {
		r := &reg.Rules[i]
		if start, ok := events[r.StartEvent]; ok && !start.IsZero() {
			dst = append(dst, Due{Name: r.Name, At: r.DueAt(cal, start, 1), OnBreach: r.OnBreach})
		}
	}
	return dst
}
