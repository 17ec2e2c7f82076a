package clock

import (
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
)

// Pause is a span [From, To) during which a pausable clock stood still
// because the case waited on the customer. A zero To means still paused.
type Pause struct {
	From, To time.Time
}

// DueWithPauses returns when a rule falls due given the pauses of its
// clock. Each pause that begins before the (already extended) due time
// pushes it back by the time lost in the rule's own unit: elapsed time for
// hours, business time for business hours, business days for business days
// (counted between the effective days of the pause's start and end, so a
// pause over a weekend costs nothing), local days for calendar days and
// weeks. A rule that may not pause ignores pauses. While a pause is still
// open before the due time, there is no due time: the zero time is returned.
func (r Rule) DueWithPauses(cal *calendar.Calendar, start time.Time, occurrence int, pauses []Pause) time.Time {
	due := r.DueAt(cal, start, occurrence)
	if !r.Pausable || len(pauses) == 0 || due.IsZero() {
		return due
	}
	for _, p := range mergePauses(start, pauses) {
		if !p.From.Before(due) {
			break
		}
		if p.To.IsZero() {
			return time.Time{}
		}
		due = r.extend(cal, due, p)
	}
	return due
}

// extend pushes due back by what pause p cost in the rule's unit.
func (r Rule) extend(cal *calendar.Calendar, due time.Time, p Pause) time.Time {
	switch r.Unit {
	case Hours:
		return due.Add(p.To.Sub(p.From))
	case BusinessHours:
		if lost := cal.BusinessTimeBetween(p.From, p.To); lost > 0 {
			return cal.AddBusinessTime(due, lost)
		}
	case BusinessDays:
		lost := cal.BusinessDaysBetween(cal.EffectiveReceiptDay(p.From), cal.EffectiveReceiptDay(p.To))
		return cal.EndOfDay(cal.AddBusinessDays(cal.LocalDay(due), lost))
	case CalendarDays, Weeks:
		d := cal.LocalDay(due) + (cal.LocalDay(p.To) - cal.LocalDay(p.From))
		if r.RollForward {
			d = cal.RollForward(d)
		}
		return cal.EndOfDay(d)
	}
	return due
}

// mergePauses drops empty pauses, clips them to start, sorts them and merges
// overlaps, so no paused time is counted twice.
func mergePauses(start time.Time, pauses []Pause) []Pause {
	out := make([]Pause, 0, len(pauses))
	for _, p := range pauses {
		if p.From.Before(start) {
			p.From = start
		}
		if p.To.IsZero() || p.To.After(p.From) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Pause) int { return a.From.Compare(b.From) })
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && (merged[n-1].To.IsZero() || !p.From.After(merged[n-1].To)) {
			if merged[n-1].To.IsZero() || p.To.IsZero() {
				merged[n-1].To = time.Time{}
			} else if p.To.After(merged[n-1].To) {
				merged[n-1].To = p.To
			}
			continue
		}
		merged = append(merged, p)
	}
	return merged
}
