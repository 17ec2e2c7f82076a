package care

import (
	"testing"
	"time"
)

func TestClockStateAt(t *testing.T) {
	due := time.Date(2026, 11, 26, 23, 59, 59, 0, time.UTC)
	warn := due.Add(-48 * time.Hour)
	for _, tc := range []struct {
		name, state string
		now         time.Time
		want        string
	}{
		{"final_response", ClockRunning, warn.Add(-time.Second), ClockRunning},
		{"final_response", ClockRunning, warn, ClockWarning},
		{"final_response", ClockWarning, due, ClockBreached},
		{"summary_resolution", ClockRunning, due.Add(time.Hour), ClockLapsed},
		{"final_response", ClockMet, due.Add(time.Hour), ClockMet},
		{"resolution", ClockPaused, due.Add(time.Hour), ClockPaused},
	} {
		c := &Clock{Name: tc.name, State: tc.state, DueAt: due, WarnAt: warn}
		if got := c.StateAt(tc.now); got != tc.want {
			t.Errorf("%s %s at %s: %s, want %s", tc.name, tc.state, tc.now, got, tc.want)
		}
	}
	paused := &Clock{State: ClockPaused, DueAt: due, PausedAt: due.Add(-3 * time.Hour)}
	if got := paused.Remaining(due.Add(24 * time.Hour)); got != 3*time.Hour {
		t.Errorf("a paused clock's remaining time should stand still: %s", got)
	}
}
