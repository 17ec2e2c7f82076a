package calendar

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestEffectiveReceiptDay(t *testing.T) {
	tests := []struct {
		region, at, want, why string
	}{
		{"GB-ENG", "2026-03-02T10:00:00Z", "2026-03-02", "business day before cut-off"},
		{"GB-ENG", "2026-03-02T16:59:59Z", "2026-03-02", "one second before cut-off"},
		{"GB-ENG", "2026-03-02T17:00:00Z", "2026-03-03", "at the cut-off counts as after"},
		{"GB-ENG", "2026-02-27T18:10:00Z", "2026-03-02", "Friday after cut-off"},
		{"GB-ENG", "2026-02-28T10:00:00Z", "2026-03-02", "Saturday"},
		{"GB-ENG", "2026-04-03T10:00:00+01:00", "2026-04-07", "Good Friday → past Easter Monday"},
		{"GB-ENG", "2026-04-02T17:30:00+01:00", "2026-04-07", "Thursday before Easter, after cut-off"},
		{"GB-ENG", "2026-12-24T18:00:00Z", "2026-12-29", "Christmas Eve after cut-off"},
		{"GB-ENG", "2026-06-01T16:30:00Z", "2026-06-02", "17:30 BST is after cut-off"},
		{"GB-ENG", "2026-07-01T23:30:00Z", "2026-07-02", "00:30 BST is the next local day"},
		{"AU-NSW", "2026-03-01T22:00:00Z", "2026-03-02", "09:00 AEDT Monday, still Sunday in UTC"},
		{"AU-NSW", "2026-04-24T07:00:00Z", "2026-04-28", "Friday 17:00 AEST before the Anzac Monday"},
		{"US", "2026-07-02T21:30:00Z", "2026-07-06", "17:30 EDT Thursday before the 3 July holiday"},
	}
	for _, tt := range tests {
		c := mustCal(t, tt.region)
		if got := c.EffectiveReceiptDay(mustTime(t, tt.at)).String(); got != tt.want {
			t.Errorf("%s %s (%s): effective day %s, want %s", tt.region, tt.at, tt.why, got, tt.want)
		}
	}
	c := mustCal(t, "GB-ENG")
	if got := c.LocalDay(mustTime(t, "2026-02-27T18:10:00Z")).String(); got != "2026-02-27" {
		t.Errorf("receipt day = %s", got)
	}
	if !c.IsAfterCutoff(mustTime(t, "2026-02-27T18:10:00Z")) || c.IsAfterCutoff(mustTime(t, "2026-02-27T08:10:00Z")) {
		t.Error("IsAfterCutoff wrong")
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		region, from string
		n            int
		want         string
	}{
		{"GB-ENG", "2026-12-23", 1, "2026-12-24"},
		{"GB-ENG", "2026-12-23", 2, "2026-12-29"}, // 25 Fri, 26-27 weekend, 28 substitute
		{"GB-ENG", "2026-04-02", 1, "2026-04-07"}, // Good Friday, Easter Monday
		{"GB-ENG", "2026-04-07", -1, "2026-04-02"},
		{"GB-ENG", "2026-02-28", 0, "2026-02-28"},
		{"GB-ENG", "2026-02-28", 1, "2026-03-02"},
		{"GB-ENG", "2028-02-28", 1, "2028-02-29"},  // leap day is a business day
		{"GB-ENG", "2022-09-16", 1, "2022-09-20"},  // State Funeral Monday
		{"AU-NSW", "2026-04-24", 1, "2026-04-28"},  // Anzac Monday additional day
		{"AU-VIC", "2026-04-24", 1, "2026-04-27"},  // no substitute in Victoria
		{"GB-ENG", "2100-12-30", 3, "2101-01-05"},  // past the index window: 1 Jan 2101 is a Saturday → Monday 3rd substitute
		{"GB-ENG", "1990-01-02", -1, "1989-12-29"}, // before it: 1 Jan 1990 was a Monday
	}
	for _, tt := range tests {
		c := mustCal(t, tt.region)
		if got := c.AddBusinessDays(MustDay(tt.from), tt.n).String(); got != tt.want {
			t.Errorf("%s %s + %d business days = %s, want %s", tt.region, tt.from, tt.n, got, tt.want)
		}
	}
	c := mustCal(t, "GB-ENG")
	if got := c.BusinessDaysBetween(MustDay("2026-12-23"), MustDay("2026-12-29")); got != 2 {
		t.Errorf("BusinessDaysBetween = %d, want 2", got)
	}
	if got := c.RollForward(MustDay("2026-04-03")).String(); got != "2026-04-07" {
		t.Errorf("RollForward(Good Friday) = %s", got)
	}
	if got := c.AddCalendarDays(MustDay("2028-02-01"), 30).String(); got != "2028-03-02" {
		t.Errorf("AddCalendarDays over leap February = %s", got)
	}
	if got := c.AddWeeks(MustDay("2026-02-27"), 8).String(); got != "2026-04-24" {
		t.Errorf("AddWeeks = %s", got)
	}
}

// TestIndexMatchesSlowWalk checks the O(1) index against a day-by-day walk
// for random days and counts across the window.
func TestIndexMatchesSlowWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, region := range Regions() {
		c := mustCal(t, region)
		for i := 0; i < 2000; i++ {
			d := windowFirst + Day(rng.IntN(int(windowLast-windowFirst)))
			n := rng.IntN(121) - 60
			if got, want := c.AddBusinessDays(d, n), c.addBusinessDaysSlow(d, n); n != 0 && got != want {
				t.Fatalf("%s %s%+d: index %s, walk %s", region, d, n, got, want)
			}
			a := c.StartOfDay(d).Add(time.Duration(rng.IntN(86400)) * time.Second)
			dur := time.Duration(1+rng.IntN(200*3600)) * time.Second
			if got, want := c.AddBusinessTime(a, dur), c.addBusinessTimeSlow(a, int64(dur/time.Second)); !got.Equal(want) {
				t.Fatalf("%s %v + %v: index %v, walk %v", region, a, dur, got, want)
			}
			b := a.Add(time.Duration(rng.IntN(30*86400)) * time.Second)
			if got, want := c.BusinessTimeBetween(a, b), c.businessTimeBetweenSlow(a, b); got != want {
				t.Fatalf("%s %v..%v: index %v, walk %v", region, a, b, got, want)
			}
		}
	}
}

func TestOptions(t *testing.T) {
	sat := mustCal(t, "GB-ENG", WithHours(time.Saturday, 10*time.Hour, 14*time.Hour))
	if !sat.IsBusinessDay(MustDay("2026-02-28")) {
		t.Error("Saturday hours: Saturday should be a business day")
	}
	if got := sat.AddBusinessTime(mustTime(t, "2026-02-27T16:00:00Z"), 3*time.Hour); !got.Equal(mustTime(t, "2026-02-28T12:00:00Z")) {
		t.Errorf("Fri 16:00 + 3 business hours with Saturday hours = %v", got)
	}
	noon := mustCal(t, "GB-ENG", WithCutoff(12*time.Hour))
	if got := noon.EffectiveReceiptDay(mustTime(t, "2026-03-02T12:30:00Z")).String(); got != "2026-03-03" {
		t.Errorf("12:00 cut-off: %s", got)
	}
	closed := mustCal(t, "GB-ENG", WithClosures(MustDay("2026-03-03")))
	if got := closed.AddBusinessDays(MustDay("2026-03-02"), 1).String(); got != "2026-03-04" {
		t.Errorf("closure day: %s", got)
	}
	if name, ok := closed.HolidayName(MustDay("2026-03-03")); !ok || name != "firm closure" {
		t.Errorf("closure name = %q, %v", name, ok)
	}
	open := mustCal(t, "IE", WithOpenDays(MustDay("2024-03-18")))
	if !open.IsBusinessDay(MustDay("2024-03-18")) || open.IsBusinessDay(MustDay("2024-03-17")) {
		t.Error("WithOpenDays should reopen only the named holiday")
	}
	la := mustCal(t, "US", WithZoneName("America/Los_Angeles"))
	if la.Location().String() != "America/Los_Angeles" || la.Region() != "US" {
		t.Errorf("zone option: %v %v", la.Location(), la.Region())
	}
	bad := []Option{
		WithHours(time.Monday, 18*time.Hour, 9*time.Hour),
		WithCutoff(0),
		WithZoneName("Mars/Olympus"),
		WithZone(nil),
	}
	for i, o := range bad {
		if _, err := New("GB-ENG", o); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("bad option %d: err = %v, want EINVALID", i, err)
		}
	}
	var closeAll []Option
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		closeAll = append(closeAll, WithHours(wd, 0, 0))
	}
	if _, err := New("GB-ENG", closeAll...); err == nil || !strings.Contains(err.Error(), "at least one weekday") {
		t.Errorf("all closed: %v", err)
	}
}

func TestConcurrentBuild(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*Calendar, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := New("IE", WithClosures(MustDay("2026-12-31")))
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = c
			c.AddBusinessDays(MustDay("2026-12-30"), 3)
		}()
	}
	wg.Wait()
	for _, c := range got[1:] {
		if c != got[0] {
			t.Fatal("concurrent New built the same calendar twice")
		}
	}
}
