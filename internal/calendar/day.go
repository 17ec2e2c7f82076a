package calendar

import (
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// Day is a civil date (year, month, day) with no time zone, counted in days
// since 1970-01-01. Deadline rules count local days, so a plain integer makes
// the day arithmetic exact (no DST surprises) and cheap (index lookups).
type Day int32

// DayOf returns the Day for a civil date. Out-of-range months and days are
// normalised the way time.Date does (2026-02-30 is 2026-03-02).
func DayOf(year int, month time.Month, day int) Day {
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
		year, month, day = t.Date()
	}
	return Day(daysFromCivil(year, int(month), day))
}

// daysIn returns the number of days in month of year.
func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// DayFromTime returns the civil date of t in t's own location. Use
// Calendar.LocalDay to get the date in a calendar's time zone.
func DayFromTime(t time.Time) Day {
	y, m, d := t.Date()
	return DayOf(y, m, d)
}

// ParseDay parses a date in the form 2006-01-02.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, care.Errorf(care.EINVALID, "%q is not a date (want YYYY-MM-DD)", s)
	}
	return DayFromTime(t), nil
}

// MustDay parses a date in the form 2006-01-02 and panics when it is not
// one; it is meant for tables of constant dates.
func MustDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Date returns the civil year, month and day of d.
func (d Day) Date() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int(d))
	return y, time.Month(m), dd
}

// Year returns the civil year of d.
func (d Day) Year() int {
	y, _, _ := civilFromDays(int(d))
	return y
}

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday; the +4 keeps the modulus non-negative for
	// every date after 1969-12-28.
	w := (int(d) + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the day n calendar days after d (before, for negative n).
func (d Day) AddDays(n int) Day { return d + Day(n) }

// String formats d as 2006-01-02.
func (d Day) String() string {
	y, m, dd := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// AppendDay appends d formatted as 2006-01-02 to b without fmt, for the hot
// path that writes milestone explanations.
func AppendDay(b []byte, d Day) []byte {
	y, m, dd := d.Date()
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(m)/10), byte('0'+int(m)%10), '-')
	return append(b, byte('0'+dd/10), byte('0'+dd%10))
}

// daysFromCivil and civilFromDays are Howard Hinnant's proleptic Gregorian
// algorithms (http://howardhinnant.github.io/date_algorithms.html): exact
// for every date and much cheaper than a round trip through time.Time.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
