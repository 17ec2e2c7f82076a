package clock

import (
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func mustRegime(t testing.TB, name, variant string) *Regime {
	t.Helper()
	reg, err := FindRegime(name, variant)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func mustCalendar(t testing.TB, reg *Regime, region string) *calendar.Calendar {
	t.Helper()
	cal, err := reg.Calendar(region)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

type want struct{ name, due string }

// checkSchedule runs Schedule and compares names and due times, in order.
func checkSchedule(t *testing.T, reg *Regime, cal *calendar.Calendar, events map[string]time.Time, wants []want) []Milestone {
	t.Helper()
	ms, err := Schedule(reg, cal, events)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != len(wants) {
		t.Fatalf("%s/%s: %d milestones, want %d: %+v", reg.Name, reg.Variant, len(ms), len(wants), ms)
	}
	for i, w := range wants {
		got := ms[i].Due.In(cal.Location()).Format(time.RFC3339)
		if ms[i].Name != w.name || got != w.due {
			t.Errorf("%s/%s milestone %d: %s %s, want %s %s (basis %q)",
				reg.Name, reg.Variant, i, ms[i].Name, got, w.name, w.due, ms[i].Basis)
		}
	}
	return ms
}

// Worked example: ISO 10002 practice on GB-ENG. Received Friday
// 2026-02-27 18:10 GMT, after the 17:00 cut-off, so business-day rules count
// from Monday 2026-03-02.
func TestScheduleISO10002(t *testing.T) {
	reg := mustRegime(t, "iso10002", "")
	cal := mustCalendar(t, reg, "")
	events := map[string]time.Time{
		EventReceived:           mustTime(t, "2026-02-27T18:10:00Z"),
		EventTier2Escalated:     mustTime(t, "2026-03-10T09:00:00Z"),
		EventExecutiveEscalated: mustTime(t, "2026-04-02T16:00:00+01:00"),
	}
	ms := checkSchedule(t, reg, cal, events, []want{
		{"acknowledge", "2026-03-03T23:59:59Z"},  // 1 business day after Mon 2 Mar
		{"update", "2026-03-09T23:59:59Z"},       // 5 business days: Tue 3 … Mon 9
		{"tier2_review", "2026-03-13T23:59:59Z"}, // escalated Tue 10 Mar 09:00: Wed, Thu, Fri
		{"final_response", "2026-03-23T23:59:59Z"},
		// Thu 2 Apr 16:00 BST (before cut-off) + 10: Good Friday 3 and
		// Easter Monday 6 Apr skipped → Tue 7 … Fri 10 (4), 13 … 17 (9), Mon 20.
		{"executive_review", "2026-04-20T23:59:59+01:00"},
	})
	if ms[0].Basis != "1 business day after 2026-03-02 (receipt 2026-02-27 18:10 GMT after cut-off)" {
		t.Errorf("basis = %q", ms[0].Basis)
	}
	if ms[1].Rule.Recurring != true || ms[3].Rule.OnBreach != ActionEscalateTier2 || ms[2].Rule.OnBreach != ActionEscalateExecutive {
		t.Errorf("rule flags lost: %+v", ms)
	}
	update, _ := reg.Rule("update")
	if got := update.DueAt(cal, events[EventReceived], 3); !got.Equal(mustTime(t, "2026-03-23T23:59:59Z")) {
		t.Errorf("third update due %v", got)
	}
	if due, n := update.Next(cal, events[EventReceived], mustTime(t, "2026-03-12T10:00:00Z")); n != 2 ||
		!due.Equal(mustTime(t, "2026-03-16T23:59:59Z")) {
		t.Errorf("next update = %v #%d", due, n)
	}
}

// Worked example: FCA DISP on GB-ENG, same Friday-evening receipt.
func TestScheduleUKFCA(t *testing.T) {
	events := map[string]time.Time{EventReceived: mustTime(t, "2026-02-27T18:10:00Z")}
	reg := mustRegime(t, "uk-fca", "")
	checkSchedule(t, reg, mustCalendar(t, reg, ""), events, []want{
		{"summary_resolution", "2026-03-05T23:59:59Z"},  // Tue 3, Wed 4, Thu 5 Mar
		{"final_response", "2026-04-24T23:59:59+01:00"}, // receipt day 27 Feb + 56 days, BST
	})
	ps := mustRegime(t, "uk-fca", "payment-services")
	checkSchedule(t, ps, mustCalendar(t, ps, ""), events, []want{
		{"summary_resolution", "2026-03-05T23:59:59Z"},
		{"final_response", "2026-03-23T23:59:59Z"}, // 15 business days after Mon 2 Mar
		// 35: … Thu 2 Apr is the 23rd; Good Friday and Easter Monday skipped;
		// Tue 7 … Fri 10 (27), 13 … 17 (32), Mon 20, Tue 21, Wed 22 Apr.
		{"final_response_extended", "2026-04-22T23:59:59+01:00"},
	})
	// Scotland has no Easter Monday: the 35th business day is one earlier.
	checkSchedule(t, ps, mustCalendar(t, ps, "GB-SCT"), events, []want{
		{"summary_resolution", "2026-03-05T23:59:59Z"},
		{"final_response", "2026-03-23T23:59:59Z"},
		{"final_response_extended", "2026-04-21T23:59:59+01:00"},
	})
}

// Worked example: ASIC RG 271 on AU-NSW. Received Thursday 2026-04-23
// 15:00 AEST, before cut-off.
func TestScheduleAUASIC(t *testing.T) {
	received := mustTime(t, "2026-04-23T15:00:00+10:00")
	events := map[string]time.Time{EventReceived: received}
	tests := []struct {
		variant, final string
	}{
		{"", "2026-05-23T23:59:59+10:00"},               // 23 Apr + 30 days: a Saturday, no roll-forward
		{"superannuation", "2026-06-07T23:59:59+10:00"}, // + 45 days
		{"default-notice", "2026-05-14T23:59:59+10:00"}, // + 21 days
		{"hardship", "2026-05-14T23:59:59+10:00"},       // alias
	}
	for _, tt := range tests {
		reg := mustRegime(t, "au-asic", tt.variant)
		checkSchedule(t, reg, mustCalendar(t, reg, ""), events, []want{
			{"acknowledge", "2026-04-24T23:59:59+10:00"}, // end of the next business day
			{"final_response", tt.final},
		})
	}
	reg := mustRegime(t, "au-asic", "")
	cal := mustCalendar(t, reg, "")
	// Fifth business day after Thu 23 Apr: Fri 24, (Mon 27 is NSW's
	// additional Anzac holiday) Tue 28, Wed 29, Thu 30, Fri 1 May.
	if NeedsWrittenResponse(reg, cal, received, mustTime(t, "2026-05-01T16:00:00+10:00")) {
		t.Error("closed within 5 business days: no written response needed")
	}
	if !NeedsWrittenResponse(reg, cal, received, mustTime(t, "2026-05-04T09:00:00+10:00")) {
		t.Error("closed after 5 business days: written response needed")
	}
	hard := mustRegime(t, "au-asic", "hardship")
	if !NeedsWrittenResponse(hard, cal, received, mustTime(t, "2026-04-24T09:00:00+10:00")) {
		t.Error("hardship complaints always need a written response")
	}
}

// Worked example: Irish CPC over Christmas. Received Wednesday 2026-12-23
// 17:30 GMT, after cut-off, so counting starts Thursday 24 December.
func TestScheduleIECPC(t *testing.T) {
	reg := mustRegime(t, "ie-cpc", "")
	checkSchedule(t, reg, mustCalendar(t, reg, ""), map[string]time.Time{EventReceived: mustTime(t, "2026-12-23T17:30:00Z")},
		[]want{
			// 25 Dec, 28 Dec (St Stephen's on a Saturday) and 1 Jan are
			// holidays: Tue 29 (1), 30, 31, Mon 4 Jan (4), Tue 5 Jan (5).
			{"acknowledge", "2027-01-05T23:59:59Z"},
			// … Fri 8 (8), 11-15 (13), 18-22 (18), Mon 25, Tue 26 Jan (20).
			{"update", "2027-01-26T23:59:59Z"},
			// … Fri 29 Jan (23), Mon 1 Feb is St Brigid's Day, Tue 2 (24) …
			// Fri 5 (27), 8-12 (32), 15-19 (37), Mon 22, Tue 23, Wed 24 (40).
			{"final_response", "2027-02-24T23:59:59Z"},
		})
}

// Worked example: California claims, counted in Los Angeles time.
func TestScheduleUSCAClaims(t *testing.T) {
	reg := mustRegime(t, "us-ca-claims", "")
	cal := mustCalendar(t, reg, "")
	if cal.Location().String() != "America/Los_Angeles" {
		t.Fatalf("us-ca-claims counts in %v", cal.Location())
	}
	events := map[string]time.Time{
		// 22:30 PST on Friday 6 March (already Saturday in New York).
		EventReceived:    mustTime(t, "2026-03-07T06:30:00Z"),
		EventProofOfLoss: mustTime(t, "2026-03-20T09:00:00-07:00"),
	}
	ms := checkSchedule(t, reg, cal, events, []want{
		{"acknowledge", "2026-03-21T23:59:59-07:00"},   // 6 Mar + 15 days (PDT by then)
		{"decision", "2026-04-29T23:59:59-07:00"},      // 20 Mar + 40 days
		{"status_update", "2026-05-29T23:59:59-07:00"}, // 40 + 30 = 70 days after proof of loss
	})
	if got := ms[2].Rule.DueAt(cal, events[EventProofOfLoss], 2); !got.Equal(mustTime(t, "2026-06-28T23:59:59-07:00")) {
		t.Errorf("second status update %v, want 100 days after proof of loss", got)
	}
	// Without proof of loss only the acknowledgement runs.
	checkSchedule(t, reg, cal, map[string]time.Time{EventReceived: events[EventReceived]},
		[]want{{"acknowledge", "2026-03-21T23:59:59-07:00"}})
}

func TestScheduleErrors(t *testing.T) {
	reg := mustRegime(t, "uk-fca", "")
	if _, err := Schedule(nil, nil, nil); err == nil {
		t.Error("nil regime accepted")
	}
	if _, err := Schedule(reg, nil, nil); err == nil {
		t.Error("nil calendar accepted")
	}
	if ms, err := Schedule(reg, mustCalendar(t, reg, ""), nil); err != nil || len(ms) != 0 {
		t.Errorf("no events: %v %v", ms, err)
	}
}

func TestAppendDue(t *testing.T) {
	reg := mustRegime(t, "iso10002", "")
	cal := mustCalendar(t, reg, "")
	events := map[string]time.Time{EventReceived: mustTime(t, "2026-02-27T18:10:00Z")}
	ms, _ := Schedule(reg, cal, events)
	due := AppendDue(nil, reg, cal, events)
	if len(due) != len(ms) {
		t.Fatalf("AppendDue gave %d, Schedule %d", len(due), len(ms))
	}
	for i := range due { // same rules, same order here: all start at receipt
		if due[i].Name != ms[i].Name || !due[i].At.Equal(ms[i].Due) || due[i].OnBreach != ms[i].Rule.OnBreach {
			t.Errorf("%d: %+v vs %+v", i, due[i], ms[i])
		}
	}
}
