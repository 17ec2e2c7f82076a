package clock

import (
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
)

// The claims milestones: FNOL capture an hour after the report, the
// acknowledgement the next business day, a property inspection 48 hours
// on (pausable), a motor settlement ten calendar days on.
func TestClaimsMilestones(t *testing.T) {
	cal, err := calendar.New("GB-ENG")
	if err != nil {
		t.Fatal(err)
	}
	// Friday 20 November 2026, 10:00 London (UTC in winter).
	reported := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	want := map[string]map[string]time.Time{
		"standard": {"fnol_capture": reported.Add(time.Hour), "acknowledge": time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC)},
		"property": {"inspection": reported.Add(48 * time.Hour)},
		"motor":    {"settlement": time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)},
	}
	for variant, rules := range want {
		reg := mustRegime(t, "claims", variant)
		if _, ok := reg.Rule("fnol_capture"); !ok {
			t.Errorf("%s: no fnol_capture", variant)
		}
		for name, due := range rules {
			r, ok := reg.Rule(name)
			if !ok {
				t.Fatalf("%s: no rule %s", variant, name)
			}
			if got := r.DueAt(cal, reported, 1); !got.Equal(due) {
				t.Errorf("%s/%s due %s, want %s", variant, name, got, due)
			}
		}
	}
	insp, _ := mustRegime(t, "claims", "property").Rule("inspection")
	if !insp.Pausable {
		t.Error("inspection must be pausable (catastrophe events)")
	}
	if _, ok := mustRegime(t, "claims", "motor").Rule("inspection"); ok {
		t.Error("motor claims owe no property inspection")
	}
	// A day's pause (a catastrophe) pushes the inspection back a day.
	due := insp.DueWithPauses(cal, reported, 1, []Pause{{From: reported.Add(time.Hour), To: reported.Add(25 * time.Hour)}})
	if want := reported.Add(72 * time.Hour); !due.Equal(want) {
		t.Errorf("paused inspection due %s, want %s", due, want)
	}
}
