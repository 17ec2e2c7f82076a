package calendar

import (
	"testing"
	"time"
)

func TestDayRoundTrip(t *testing.T) {
	// Every day 1600-2400 must survive Day → Date → Day and agree with the
	// time package, leap years (2000 yes, 2100 no, 2028 yes) included.
	start := time.Date(1600, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 800*366; i++ {
		tm := start.AddDate(0, 0, i)
		d := DayFromTime(tm)
		y, m, dd := d.Date()
		if y != tm.Year() || m != tm.Month() || dd != tm.Day() || d.Weekday() != tm.Weekday() {
			t.Fatalf("%v: got %d-%d-%d %v", tm, y, m, dd, d.Weekday())
		}
	}
}

func TestDayOfNormalises(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2028, 2, 29, "2028-02-29"}, // leap year
		{2027, 2, 29, "2027-03-01"}, // not a leap year
		{2100, 2, 29, "2100-03-01"}, // century, not a leap year
		{2000, 2, 29, "2000-02-29"}, // 400-year leap
		{2026, 13, 1, "2027-01-01"},
		{2026, 1, 0, "2025-12-31"},
	}
	for _, tt := range tests {
		if got := DayOf(tt.y, tt.m, tt.d).String(); got != tt.want {
			t.Errorf("DayOf(%d,%d,%d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func TestParseDay(t *testing.T) {
	if d, err := ParseDay("2028-02-29"); err != nil || d != DayOf(2028, 2, 29) {
		t.Fatalf("ParseDay leap day = %v, %v", d, err)
	}
	for _, bad := range []string{"", "2027-02-29", "2026/01/01", "tomorrow"} {
		if _, err := ParseDay(bad); err == nil {
			t.Errorf("ParseDay(%q) succeeded", bad)
		}
	}
	if got := string(AppendDay(nil, MustDay("0999-01-05"))); got != "0999-01-05" {
		t.Errorf("AppendDay = %s", got)
	}
}
