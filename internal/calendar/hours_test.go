package calendar

import (
	"testing"
	"time"
)

func TestAddBusinessTime(t *testing.T) {
	c := mustCal(t, "GB-ENG")
	tests := []struct {
		from string
		dur  time.Duration
		want string
		why  string
	}{
		{"2026-03-02T10:00:00Z", 4 * time.Hour, "2026-03-02T14:00:00Z", "within the day"},
		{"2026-03-02T15:00:00Z", 4 * time.Hour, "2026-03-03T11:00:00Z", "over the close"},
		{"2026-03-02T08:00:00Z", time.Hour, "2026-03-02T10:00:00Z", "before opening"},
		{"2026-02-28T12:00:00Z", time.Hour, "2026-03-02T10:00:00Z", "from a Saturday"},
		{"2026-03-02T13:00:00Z", 4 * time.Hour, "2026-03-02T17:00:00Z", "exactly at the close stays there"},
		{"2026-03-02T09:00:00Z", 40 * time.Hour, "2026-03-06T17:00:00Z", "one business week"},
		{"2026-02-28T12:00:00Z", 0, "2026-03-02T09:00:00Z", "zero from a weekend: next opening"},
		{"2026-03-02T10:00:00Z", 0, "2026-03-02T10:00:00Z", "zero in hours: unchanged"},
		{"2026-03-02T17:00:00Z", 0, "2026-03-03T09:00:00Z", "zero at the close: next opening"},
		{"2026-03-02T10:00:00Z", 90 * time.Minute, "2026-03-02T11:30:00Z", "minutes"},
		{"2100-12-31T16:00:00Z", 2 * time.Hour, "2101-01-04T10:00:00Z", "past the window: slow path"},
	}
	for _, tt := range tests {
		got := c.AddBusinessTime(mustTime(t, tt.from), tt.dur)
		if !got.Equal(mustTime(t, tt.want)) {
			t.Errorf("%s + %v (%s) = %v, want %s", tt.from, tt.dur, tt.why, got, tt.want)
		}
	}
	if got := c.BusinessTimeBetween(mustTime(t, "2026-02-27T16:00:00Z"), mustTime(t, "2026-03-02T10:00:00Z")); got != 2*time.Hour {
		t.Errorf("BusinessTimeBetween over a weekend = %v", got)
	}
	if got := c.BusinessTimeBetween(mustTime(t, "2026-03-02T10:00:00Z"), mustTime(t, "2026-03-02T09:30:00Z")); got != -30*time.Minute {
		t.Errorf("BusinessTimeBetween backwards = %v", got)
	}
}
