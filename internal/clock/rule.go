// Package clock turns deadline rules into due times for a case: the
// regulatory regimes (FCA DISP, ASIC RG 271, the Irish Consumer Protection
// Code, California's fair claims regulations, ISO 10002 practice) and the
// firm's SLA policies, counted on a calendar as DESIGN §5 says. Rules are
// data; everything here is a pure function of its inputs.
package clock

import (
	"strconv"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
)

// Unit is what a rule's amount counts.
type Unit string

// The units a rule may count in (DESIGN §5 says how each is counted).
const (
	Hours         Unit = "hours"          // elapsed time: start + N hours
	BusinessHours Unit = "business_hours" // only the calendar's business hours count
	BusinessDays  Unit = "business_days"  // end of the Nth business day after the effective receipt day
	CalendarDays  Unit = "calendar_days"  // end of the local day N days after the start day
	Weeks         Unit = "weeks"          // end of the local day 7N days after the start day
)

// Units returns every valid unit, in a stable order.
func Units() []Unit { return []Unit{Hours, BusinessHours, BusinessDays, CalendarDays, Weeks} }

// ParseUnit returns the unit named s, or an EINVALID error listing the units.
func ParseUnit(s string) (Unit, error) {
	for _, u := range Units() {
		if string(u) == s {
			return u, nil
		}
	}
	return "", care.Errorf(care.EINVALID, "unknown unit %q; valid units: hours, business_hours, business_days, calendar_days, weeks", s)
}

// Start events that rules count from. Others may be added by callers: a
// rule starts at whatever event name its StartEvent gives.
const (
	EventReceived           = "received"            // first receipt anywhere in the firm; never restarts
	EventAcknowledged       = "acknowledged"        // the acknowledgement was sent
	EventProofOfLoss        = "proof_of_loss"       // proof of claim received (claims)
	EventTier2Escalated     = "tier2_escalated"     // complaint escalated to specialist review
	EventExecutiveEscalated = "executive_escalated" // complaint escalated to executive review
	EventCustomerReplied    = "customer_replied"    // the customer's latest message (SLA next response)
)

// On-breach actions a rule may name.
const (
	ActionEscalateTier2     = "escalate_tier2"
	ActionEscalateExecutive = "escalate_executive"
)

// Rule is one deadline: Amount Units after StartEvent, counted on a calendar.
// Rules are data so that regimes and SLA policies can be listed, stored and
// versioned.
type Rule struct {
	Name        string // milestone name, e.g. "final_response"
	Amount      int    // how many Units; for a recurring rule, the interval
	Unit        Unit
	StartEvent  string // the event the clock counts from, e.g. "received"
	Recurring   bool   // falls due again every Amount Units until the case closes
	Pausable    bool   // may pause while the case waits on the customer (never for regulatory clocks)
	RollForward bool   // a day-based due date on a non-business day moves to the next business day
	Source      string // citation: the regulation or policy the rule comes from
	OnBreach    string // "", ActionEscalateTier2 or ActionEscalateExecutive
	// FirstAmount, when positive, is the amount until the first occurrence
	// of a recurring rule that starts later than its interval (California:
	// notice at 40 days, then every 30).
	FirstAmount int
}

// amountFor returns the total amount from the start to the given occurrence.
func (r Rule) amountFor(occurrence int) int {
	first := r.Amount
	if r.FirstAmount > 0 {
		first = r.FirstAmount
	}
	if !r.Recurring || occurrence < 1 {
		occurrence = 1
	}
	return first + (occurrence-1)*r.Amount
}

// DueAt returns when the rule falls due for a clock started at start:
// occurrence 1 is the first due time; for a recurring rule occurrence n is
// the nth. Counting follows DESIGN §5. A rule with an unknown unit, or a nil
// calendar for a unit that needs one, yields the zero time.
func (r Rule) DueAt(cal *calendar.Calendar, start time.Time, occurrence int) time.Time {
	n := r.amountFor(occurrence)
	if r.Unit == Hours {
		return start.Add(time.Duration(n) * time.Hour)
	}
	if cal == nil {
		return time.Time{}
	}
	switch r.Unit {
	case BusinessHours:
		return cal.AddBusinessHours(start, n)
	case BusinessDays:
		return cal.EndOfDay(cal.AddBusinessDays(cal.EffectiveReceiptDay(start), n))
	case CalendarDays, Weeks:
		return cal.EndOfDay(r.dueDay(cal, start, n))
	}
	return time.Time{}
}

// dueDay is the due day of a calendar-day or week rule.
func (r Rule) dueDay(cal *calendar.Calendar, start time.Time, n int) calendar.Day {
	if r.Unit == Weeks {
		n *= 7
	}
	d := cal.LocalDay(start) + calendar.Day(n)
	if r.RollForward {
		d = cal.RollForward(d)
	}
	return d
}

// WarnAt returns the instant a fraction of the way from start to due, when a
// clock should show as "at risk". A fraction outside (0, 1] means the
// default 0.75.
func WarnAt(start, due time.Time, fraction float64) time.Time {
	if fraction <= 0 || fraction > 1 {
		fraction = 0.75
	}
	return start.Add(time.Duration(float64(due.Sub(start)) * fraction)).Truncate(time.Second)
}

// Basis explains in words how DueAt counted, e.g. "15 business days after
// 2026-03-02 (receipt 2026-02-27 18:10 after cut-off)".
func (r Rule) Basis(cal *calendar.Calendar, start time.Time, occurrence int) string {
	return string(r.appendBasis(make([]byte, 0, 96), cal, start, occurrence))
}

func (r Rule) appendBasis(b []byte, cal *calendar.Calendar, start time.Time, occurrence int) []byte {
	n := r.amountFor(occurrence)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, ' ')
	b = append(b, unitWords(r.Unit, n)...)
	b = append(b, " after "...)
	if cal == nil || r.Unit == Hours || r.Unit == BusinessHours {
		b = appendInstant(b, cal, start)
		b = append(b, " ("...)
		b = append(b, eventWords(r.StartEvent)...)
	} else {
		b = r.appendDayBasis(b, cal, start, n)
	}
	if r.Recurring {
		b = append(b, "; occurrence "...)
		b = strconv.AppendInt(b, int64(max(occurrence, 1)), 10)
		b = append(b, ", every "...)
		b = strconv.AppendInt(b, int64(r.Amount), 10)
		b = append(b, ' ')
		b = append(b, unitWords(r.Unit, r.Amount)...)
	}
	return append(b, ')')
}

// appendDayBasis writes the counted-from day and the start's local time,
// saying why the two differ (cut-off, non-business day) and any roll-forward.
func (r Rule) appendDayBasis(b []byte, cal *calendar.Calendar, start time.Time, n int) []byte {
	local := cal.LocalDay(start)
	from := local
	if r.Unit == BusinessDays {
		from = cal.EffectiveReceiptDay(start)
	}
	b = calendar.AppendDay(b, from)
	b = append(b, " ("...)
	b = append(b, eventWords(r.StartEvent)...)
	b = append(b, ' ')
	b = appendInstant(b, cal, start)
	switch {
	case from == local:
	case !cal.IsBusinessDay(local):
		b = append(b, " on a non-business day"...)
		if name, ok := cal.HolidayName(local); ok {
			b = append(b, ": "...)
			b = append(b, name...)
		}
	default:
		b = append(b, " after cut-off"...)
	}
	if r.RollForward && r.Unit != BusinessDays {
		unrolled := local + calendar.Day(n)
		if r.Unit == Weeks {
			unrolled = local + calendar.Day(7*n)
		}
		if !cal.IsBusinessDay(unrolled) {
			b = append(b, "; rolled forward from "...)
			b = calendar.AppendDay(b, unrolled)
		}
	}
	return b
}

func appendInstant(b []byte, cal *calendar.Calendar, t time.Time) []byte {
	if cal != nil {
		t = t.In(cal.Location())
	}
	return t.AppendFormat(b, "2006-01-02 15:04 MST")
}

func eventWords(event string) string {
	if event == EventReceived {
		return "receipt"
	}
	return event
}

func unitWords(u Unit, n int) string {
	one := n == 1
	switch u {
	case Hours:
		return pick(one, "hour", "hours")
	case BusinessHours:
		return pick(one, "business hour", "business hours")
	case BusinessDays:
		return pick(one, "business day", "business days")
	case CalendarDays:
		return pick(one, "calendar day", "calendar days")
	case Weeks:
		return pick(one, "week", "weeks")
	}
	return string(u)
}

func pick(one bool, a, b string) string {
	if one {
		return a
	}
	return b
}
