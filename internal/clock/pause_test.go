package clock

import (
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
)

func TestDueWithPauses(t *testing.T) {
	gb, _ := calendar.ForRegion("GB-ENG")
	start := "2026-03-02T10:00:00Z" // Monday
	bd5 := Rule{Name: "resolution", Amount: 5, Unit: BusinessDays, StartEvent: EventReceived, Pausable: true}
	bh8 := Rule{Amount: 8, Unit: BusinessHours, Pausable: true}
	h24 := Rule{Amount: 24, Unit: Hours, Pausable: true}
	cd10 := Rule{Amount: 10, Unit: CalendarDays, Pausable: true}
	p := func(from, to string) Pause {
		var pt time.Time
		if to != "" {
			pt = mustTime(t, to)
		}
		return Pause{From: mustTime(t, from), To: pt}
	}
	tests := []struct {
		name   string
		rule   Rule
		pauses []Pause
		want   string
	}{
		{"no pauses", bd5, nil, "2026-03-09T23:59:59Z"},
		// Tue 3 → Thu 5 Mar: two business days lost.
		{"business days", bd5, []Pause{p("2026-03-03T10:00:00Z", "2026-03-05T10:00:00Z")}, "2026-03-11T23:59:59Z"},
		// Fri after cut-off → Mon before opening: no business day lost.
		{"over a weekend", bd5, []Pause{p("2026-03-06T18:00:00Z", "2026-03-09T08:00:00Z")}, "2026-03-09T23:59:59Z"},
		{"after the due time", bd5, []Pause{p("2026-03-10T10:00:00Z", "2026-03-12T10:00:00Z")}, "2026-03-09T23:59:59Z"},
		// Overlapping pauses merge to Tue 3 → Fri 6: three days, not four.
		{"overlapping", bd5, []Pause{p("2026-03-04T10:00:00Z", "2026-03-06T10:00:00Z"), p("2026-03-03T10:00:00Z", "2026-03-05T10:00:00Z")}, "2026-03-12T23:59:59Z"},
		{"still paused", bd5, []Pause{p("2026-03-04T10:00:00Z", "")}, "0001-01-01T00:00:00Z"},
		{"not pausable", Rule{Amount: 5, Unit: BusinessDays}, []Pause{p("2026-03-03T10:00:00Z", "2026-03-05T10:00:00Z")}, "2026-03-09T23:59:59Z"},
		// 8 business hours from Mon 10:00 is Tue 10:00; 2 paused hours → 12:00.
		{"business hours", bh8, []Pause{p("2026-03-02T12:00:00Z", "2026-03-02T14:00:00Z")}, "2026-03-03T12:00:00Z"},
		{"business hours paused overnight", bh8, []Pause{p("2026-03-02T16:00:00Z", "2026-03-03T10:00:00Z")}, "2026-03-03T12:00:00Z"},
		{"hours", h24, []Pause{p("2026-03-02T11:00:00Z", "2026-03-02T14:00:00Z")}, "2026-03-03T13:00:00Z"},
		{"calendar days", cd10, []Pause{p("2026-03-03T10:00:00Z", "2026-03-05T09:00:00Z")}, "2026-03-14T23:59:59Z"},
		{"pause before start is clipped", bd5, []Pause{p("2026-02-20T10:00:00Z", "2026-03-02T09:00:00Z")}, "2026-03-09T23:59:59Z"},
	}
	for _, tt := range tests {
		got := tt.rule.DueWithPauses(gb, mustTime(t, start), 1, tt.pauses)
		if !got.Equal(mustTime(t, tt.want)) {
			t.Errorf("%s: due %v, want %s", tt.name, got, tt.want)
		}
	}
}
