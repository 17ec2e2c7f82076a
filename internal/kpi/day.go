package kpi

import (
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// Day is a civil (wall-calendar) date, counted in days from 1970-01-01, in
// the time zone of the report. Rollups are keyed by Day so that a day is
// what a person in that zone calls a day: 23 hours on the spring DST change,
// 25 in autumn.
type Day int32

// DayOf returns the civil date of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return civilToDay(y, m, d)
}

// civilToDay converts a proleptic Gregorian date to a day count, by Howard
// Hinnant's days_from_civil, avoiding a time.Time round trip.
func civilToDay(y int, m time.Month, d int) Day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Day(era*146097 + doe - 719468)
}

// Date returns the civil year, month and day of d.
func (d Day) Date() (int, time.Month, int) {
	t := time.Date(1970, 1, 1+int(d), 0, 0, 0, 0, time.UTC)
	return t.Date()
}

// Start returns the first instant of d in loc (local midnight, or the first
// instant after it when midnight is skipped by a DST change).
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// String prints d as YYYY-MM-DD.
func (d Day) String() string {
	return time.Date(1970, 1, 1+int(d), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Grain is the length of a reporting period.
type Grain int

// Grains of reporting periods. Weeks are ISO weeks, starting on Monday.
const (
	Daily Grain = iota + 1
	Weekly
	Monthly
)

// periodStart returns the first day of the period of grain g holding d.
func periodStart(g Grain, d Day) Day {
	switch g {
	case Weekly:
		// 1970-01-01 was a Thursday: Monday-based weekday of d is (d+3) mod 7.
		return d - Day(((int(d)+3)%7+7)%7)
	case Monthly:
		y, m, _ := d.Date()
		return civilToDay(y, m, 1)
	}
	return d
}

// periodNext returns the first day of the period after the one starting at s.
func periodNext(g Grain, s Day) Day {
	switch g {
	case Weekly:
		return s + 7
	case Monthly:
		y, m, _ := s.Date()
		if m == time.December {
			return civilToDay(y+1, time.January, 1)
		}
		return civilToDay(y, m+1, 1)
	}
	return s + 1
}

// period is one reporting period: days [first, last] and their instants.
// snap is the day whose end the backlog is read at: last, or the AsOf day
// when that is earlier (a month still in progress).
type period struct {
	first, last, snap Day
	start, end        time.Time
}

// startSnap is the day whose end counts as the start of the period for
// "open at the start": the day before it, or the AsOf day if earlier.
func (p period) startSnap() Day { return min(p.first-1, p.snap) }

// maxPeriods bounds a report, so that a mistyped year (daily periods over a
// millennium) fails fast instead of exhausting memory.
const maxPeriods = 50_000

// periods returns the periods of grain g overlapping [from, to) in loc.
func periods(g Grain, from, to time.Time, loc *time.Location) ([]period, error) {
	if g < Daily || g > Monthly {
		return nil, care.Invalid("grain", "must be day, week or month")
	}
	if !to.After(from) {
		return nil, care.Invalid("to", "must be after from")
	}
	var out []period
	for s := periodStart(g, DayOf(from, loc)); ; {
		start := s.Start(loc)
		if !start.Before(to) {
			break
		}
		next := periodNext(g, s)
		out = append(out, period{first: s, last: next - 1, snap: next - 1, start: start, end: next.Start(loc)})
		if len(out) > maxPeriods {
			return nil, care.Invalid("to", "the range holds more than %d periods", maxPeriods)
		}
		s = next
	}
	return out, nil
}

// dayCache remembers the bounds of the last day looked up, because records
// arrive roughly in time order and time.In plus Date dominate the cost of
// adding a record otherwise.
type dayCache struct {
	loc    *time.Location
	lo, hi int64 // Unix seconds: the day is [lo, hi)
	day    Day
}

// of returns the civil day of t.
func (c *dayCache) of(t time.Time) Day {
	s := t.Unix()
	if s >= c.lo && s < c.hi {
		return c.day
	}
	d := DayOf(t, c.loc)
	c.day, c.lo, c.hi = d, d.Start(c.loc).Unix(), (d + 1).Start(c.loc).Unix()
	return d
}
