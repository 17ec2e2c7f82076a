package care

import (
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The reminder sequence: the latest reminder whose day has come, once;
// nothing before the window; a lapse after the end of cover.
func TestReminderDue(t *testing.T) {
	end := d("2026-11-16")
	for _, tc := range []struct {
		today      string
		sent       []string
		kind, next string
	}{
		{"2026-10-01", nil, "", "2026-11-02"},
		{"2026-11-02", nil, ReminderFirst, "2026-11-09"},
		{"2026-11-03", []string{ReminderFirst}, "", "2026-11-09"},
		{"2026-11-09", []string{ReminderFirst}, ReminderMid, "2026-11-14"},
		{"2026-11-11", nil, ReminderMid, "2026-11-14"}, // first seen late: only the mid-cycle one
		{"2026-11-11", []string{ReminderMid}, "", "2026-11-14"},
		{"2026-11-14", []string{ReminderFirst, ReminderMid}, ReminderFinal, "2026-11-17"},
		{"2026-11-16", []string{ReminderFinal}, "", "2026-11-17"},
		{"2026-11-15", []string{ReminderFinal}, "", "2026-11-17"},
		{"2026-11-17", []string{ReminderFinal}, ReminderLapse, ""},
	} {
		sent := map[string]bool{}
		for _, k := range tc.sent {
			sent[k] = true
		}
		today := d(tc.today).Add(15 * time.Hour)
		kind, next := ReminderDue(today, end, sent)
		gotNext := ""
		if !next.IsZero() {
			gotNext = next.Format(time.DateOnly)
		}
		if kind != tc.kind || gotNext != tc.next {
			t.Errorf("%s with %v sent: %q next %q, want %q next %q", tc.today, tc.sent, kind, gotNext, tc.kind, tc.next)
		}
	}
}

func TestNextTerm(t *testing.T) {
	for _, tc := range []struct{ start, end, ns, ne string }{
		{"2026-01-01", "2026-12-31", "2027-01-01", "2027-12-31"},
		{"2025-11-17", "2026-11-16", "2026-11-17", "2027-11-16"},
		{"2024-02-29", "2025-02-28", "2025-03-01", "2026-02-28"},
		{"2026-01-01", "2026-01-30", "2026-01-31", "2026-02-27"}, // a month-long term renews for a month
	} {
		s, e := NextTerm(d(tc.start), d(tc.end))
		if s.Format(time.DateOnly) != tc.ns || e.Format(time.DateOnly) != tc.ne {
			t.Errorf("after %s–%s: %s–%s, want %s–%s", tc.start, tc.end, s.Format(time.DateOnly), e.Format(time.DateOnly), tc.ns, tc.ne)
		}
	}
}

// Instalments add up to the premium exactly and keep the day of the month
// where the month has it.
func TestInstalmentPlan(t *testing.T) {
	items, err := InstalmentPlan(48550, 12, d("2026-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, it := range items {
		sum += it.AmountMinor
	}
	if sum != 48550 || items[0].AmountMinor != 4055 || items[1].AmountMinor != 4045 {
		t.Fatalf("amounts: sum %d, first %d, second %d", sum, items[0].AmountMinor, items[1].AmountMinor)
	}
	if got := items[1].DueDate.Format(time.DateOnly); got != "2026-02-28" {
		t.Errorf("second due %s, want 2026-02-28", got)
	}
	if got := items[2].DueDate.Format(time.DateOnly); got != "2026-03-31" {
		t.Errorf("third due %s, want 2026-03-31", got)
	}
	if _, err := InstalmentPlan(100, 13, time.Time{}); ErrorCode(err) != EINVALID || len(ErrorFields(err)) != 2 {
		t.Errorf("bad plan: %v", err)
	}
}

func TestPolicyTransitions(t *testing.T) {
	if err := CheckPolicyTransition("in_force", "renewed"); err != nil {
		t.Error(err)
	}
	if err := CheckPolicyTransition("application", "renewed"); err == nil || ErrorMessage(err) == "" {
		t.Error("application → renewed allowed")
	}
	err := CheckPolicyTransition("lapsed", "in_force")
	if fe := ErrorFields(err); len(fe) != 1 || fe[0].Field != "to" || fe[0].Message != "a policy that is lapsed cannot change status (lapsed is final)" {
		t.Errorf("from a final status: %v", fe)
	}
}
