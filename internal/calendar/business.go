package calendar

import (
	"time"
)

// Region returns the calendar's region code, such as "GB-ENG".
func (c *Calendar) Region() string { return c.cfg.region.code }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.cfg.loc }

// Cutoff returns the local time of day (since midnight) after which a
// receipt counts as received on the next business day.
func (c *Calendar) Cutoff() time.Duration { return time.Duration(c.cfg.cutoff) * time.Second }

// Hours returns a weekday's business hours as offsets from local midnight;
// open == close means the weekday is closed.
func (c *Calendar) Hours(day time.Weekday) (open, close time.Duration) {
	sp := c.cfg.hours[day]
	return time.Duration(sp.open) * time.Second, time.Duration(sp.close) * time.Second
}

// AsOf returns the day the calendar was built as of, and false when it
// includes everything known.
func (c *Calendar) AsOf() (Day, bool) { return c.cfg.asOf, c.cfg.hasAsOf }

// HolidayName returns the name of the holiday or firm closure on d, and
// false when d is not one. Weekends are not holidays.
func (c *Calendar) HolidayName(d Day) (string, bool) {
	if d >= windowFirst && d <= windowLast {
		name, ok := c.holidays[d]
		return name, ok
	}
	y := d.Year()
	name, ok := holidaySet(&c.cfg, y-1, y+1)[d]
	return name, ok
}

// Holiday is one non-business weekday of a calendar, with its name.
type Holiday struct {
	Day  Day
	Name string
}

// Holidays returns the holidays and closures from..to (inclusive) that fall
// on days with business hours (weekend holidays change nothing), in order.
func (c *Calendar) Holidays(from, to Day) []Holiday {
	var out []Holiday
	for d := from; d <= to; d++ {
		if name, ok := c.HolidayName(d); ok && c.cfg.hours[d.Weekday()].close > c.cfg.hours[d.Weekday()].open {
			out = append(out, Holiday{d, name})
		}
	}
	return out
}

// IsBusinessDay reports whether d has business hours: an open weekday that
// is neither a holiday nor a firm closure.
func (c *Calendar) IsBusinessDay(d Day) bool {
	if i, ok := c.idx(d); ok {
		return c.count[i+1] > c.count[i]
	}
	sp := c.spanOf(d)
	return sp.close > sp.open
}

// LocalDay returns the civil date of t in the calendar's time zone: the
// "day of receipt" when t is a receipt.
func (c *Calendar) LocalDay(t time.Time) Day {
	d, _ := c.localDaySecs(t)
	return d
}

// localDaySecs returns t's local date and its seconds since local midnight
// as a wall clock shows them.
func (c *Calendar) localDaySecs(t time.Time) (Day, int32) {
	// One zone lookup, then plain arithmetic: Day 0 is 1970-01-01, so the
	// local Unix time divided by 86400 is the local civil day. (Date and
	// Clock would each look the zone up again.)
	_, off := t.In(c.cfg.loc).Zone()
	s := t.Unix() + int64(off)
	d, r := s/86400, s%86400
	if r < 0 {
		d, r = d-1, r+86400
	}
	return Day(d), int32(r)
}

// IsAfterCutoff reports whether t is at or after the cut-off of its local day.
func (c *Calendar) IsAfterCutoff(t time.Time) bool {
	_, s := c.localDaySecs(t)
	return s >= c.cfg.cutoff
}

// EffectiveReceiptDay returns the day a receipt at t counts from for
// business-day rules (DESIGN §5): its local day, or the next business day
// when t falls on a non-business day or at or after the cut-off.
func (c *Calendar) EffectiveReceiptDay(t time.Time) Day {
	d, s := c.localDaySecs(t)
	if s < c.cfg.cutoff && c.IsBusinessDay(d) {
		return d
	}
	return c.NextBusinessDay(d)
}

// NextBusinessDay returns the first business day strictly after d.
func (c *Calendar) NextBusinessDay(d Day) Day { return c.AddBusinessDays(d, 1) }

// RollForward returns d when it is a business day, else the next one.
func (c *Calendar) RollForward(d Day) Day {
	if c.IsBusinessDay(d) {
		return d
	}
	return c.NextBusinessDay(d)
}

// AddBusinessDays returns the nth business day after d, d itself not
// counted; negative n counts backwards and n == 0 returns d. Inside the
// index window this is two array reads.
func (c *Calendar) AddBusinessDays(d Day, n int) Day {
	if n == 0 {
		return d
	}
	if i, ok := c.idx(d); ok {
		// count[i+1] business days lie at or before d, so bdays[count[i+1]]
		// is the first one after d; count[i] is the number strictly before.
		k := int(c.count[i+1]) + n - 1
		if n < 0 {
			k = int(c.count[i]) + n
		}
		if k >= 0 && k < len(c.bdays) {
			return c.bdays[k]
		}
	}
	return c.addBusinessDaysSlow(d, n)
}

func (c *Calendar) addBusinessDaysSlow(d Day, n int) Day {
	step := Day(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		if c.IsBusinessDay(d) {
			n--
		}
	}
	return d
}

// BusinessDaysBetween returns the number of business days d with
// from < d <= to (negative when to is before from), so that
// AddBusinessDays(from, BusinessDaysBetween(from, to)) == to for a business
// day to.
func (c *Calendar) BusinessDaysBetween(from, to Day) int {
	if to < from {
		return -c.BusinessDaysBetween(to, from)
	}
	i, ok1 := c.idx(from)
	j, ok2 := c.idx(to)
	if ok1 && ok2 {
		return int(c.count[j+1] - c.count[i+1])
	}
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.IsBusinessDay(d) {
			n++
		}
	}
	return n
}

// AddCalendarDays returns the day n calendar days after d.
func (c *Calendar) AddCalendarDays(d Day, n int) Day { return d + Day(n) }

// AddWeeks returns the day n weeks (7n calendar days) after d.
func (c *Calendar) AddWeeks(d Day, n int) Day { return d + Day(7*n) }

// EndOfDay returns 23:59:59 local time on d, the instant a day-based
// deadline falls due (DESIGN §5).
func (c *Calendar) EndOfDay(d Day) time.Time {
	if i, ok := c.idx(d); ok {
		return time.Unix(c.eod[i], 0).In(c.cfg.loc)
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 23, 59, 59, 0, c.cfg.loc)
}

// StartOfDay returns 00:00 local time on d (or the first instant of d when
// a DST change skips midnight).
func (c *Calendar) StartOfDay(d Day) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, c.cfg.loc)
}
