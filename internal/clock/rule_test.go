package clock

import (
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
)

func TestDueAtUnits(t *testing.T) {
	gb, _ := calendar.ForRegion("GB-ENG")
	nsw, _ := calendar.ForRegion("AU-NSW")
	tests := []struct {
		rule  Rule
		cal   *calendar.Calendar
		start string
		want  string
		why   string
	}{
		{Rule{Amount: 24, Unit: Hours}, gb, "2026-03-28T12:00:00Z", "2026-03-29T13:00:00+01:00", "24 elapsed hours over the BST change"},
		{Rule{Amount: 4, Unit: BusinessHours}, gb, "2026-03-02T15:00:00Z", "2026-03-03T11:00:00Z", "business hours"},
		{Rule{Amount: 3, Unit: BusinessDays}, gb, "2026-02-28T10:00:00Z", "2026-03-05T23:59:59Z", "received on a Saturday"},
		{Rule{Amount: 1, Unit: BusinessDays}, gb, "2028-02-28T17:05:00Z", "2028-03-01T23:59:59Z", "after cut-off, over the leap day"},
		{Rule{Amount: 1, Unit: CalendarDays}, gb, "2028-02-28T10:00:00Z", "2028-02-29T23:59:59Z", "leap day"},
		{Rule{Amount: 2, Unit: Weeks}, gb, "2026-02-27T18:10:00Z", "2026-03-13T23:59:59Z", "weeks count from the receipt day, not the effective day"},
		{Rule{Amount: 30, Unit: CalendarDays}, nsw, "2026-04-23T15:00:00+10:00", "2026-05-23T23:59:59+10:00", "Saturday, no roll-forward"},
		{Rule{Amount: 30, Unit: CalendarDays, RollForward: true}, nsw, "2026-04-23T15:00:00+10:00", "2026-05-25T23:59:59+10:00", "rolled to Monday"},
		// 22 Apr + 3 = Sat 25 (Anzac Day); Mon 27 is NSW's additional day.
		{Rule{Amount: 3, Unit: CalendarDays, RollForward: true}, nsw, "2026-04-22T15:00:00+10:00", "2026-04-28T23:59:59+10:00", "roll-forward over Anzac Day and its Monday"},
	}
	for _, tt := range tests {
		got := tt.rule.DueAt(tt.cal, mustTime(t, tt.start), 1)
		if !got.Equal(mustTime(t, tt.want)) {
			t.Errorf("%v %s from %s (%s) = %v, want %s", tt.rule.Amount, tt.rule.Unit, tt.start, tt.why, got, tt.want)
		}
	}
	if got := (Rule{Amount: 1, Unit: BusinessDays}).DueAt(nil, time.Now(), 1); !got.IsZero() {
		t.Error("nil calendar should give the zero time")
	}
	if got := (Rule{Amount: 1, Unit: "fortnights"}).DueAt(gb, time.Now(), 1); !got.IsZero() {
		t.Error("unknown unit should give the zero time")
	}
}

func TestBasis(t *testing.T) {
	gb, _ := calendar.ForRegion("GB-ENG")
	nsw, _ := calendar.ForRegion("AU-NSW")
	tests := []struct {
		rule  Rule
		cal   *calendar.Calendar
		start string
		want  string
	}{
		{Rule{Amount: 15, Unit: BusinessDays, StartEvent: EventReceived}, gb, "2026-02-27T18:10:00Z",
			"15 business days after 2026-03-02 (receipt 2026-02-27 18:10 GMT after cut-off)"},
		{Rule{Amount: 3, Unit: BusinessDays, StartEvent: EventReceived}, gb, "2026-04-03T10:00:00+01:00",
			"3 business days after 2026-04-07 (receipt 2026-04-03 10:00 BST on a non-business day: Good Friday)"},
		{Rule{Amount: 3, Unit: BusinessDays, StartEvent: EventReceived}, gb, "2026-02-28T10:00:00Z",
			"3 business days after 2026-03-02 (receipt 2026-02-28 10:00 GMT on a non-business day)"},
		{Rule{Amount: 8, Unit: Weeks, StartEvent: EventReceived}, gb, "2026-02-27T18:10:00Z",
			"8 weeks after 2026-02-27 (receipt 2026-02-27 18:10 GMT)"},
		{Rule{Amount: 30, Unit: CalendarDays, StartEvent: EventReceived, RollForward: true}, nsw, "2026-04-23T15:00:00+10:00",
			"30 calendar days after 2026-04-23 (receipt 2026-04-23 15:00 AEST; rolled forward from 2026-05-23)"},
		{Rule{Amount: 1, Unit: BusinessHours, StartEvent: EventCustomerReplied}, gb, "2026-03-02T10:00:00Z",
			"1 business hour after 2026-03-02 10:00 GMT (customer_replied)"},
		{Rule{Amount: 5, Unit: BusinessDays, StartEvent: EventReceived, Recurring: true}, gb, "2026-03-02T10:00:00Z",
			"10 business days after 2026-03-02 (receipt 2026-03-02 10:00 GMT; occurrence 2, every 5 business days)"},
	}
	for _, tt := range tests {
		occ := 1
		if tt.rule.Recurring {
			occ = 2
		}
		if got := tt.rule.Basis(tt.cal, mustTime(t, tt.start), occ); got != tt.want {
			t.Errorf("basis\n got %q\nwant %q", got, tt.want)
		}
	}
}

func TestWarnAt(t *testing.T) {
	start := mustTime(t, "2026-03-02T10:00:00Z")
	due := mustTime(t, "2026-03-02T18:00:00Z")
	for _, tt := range []struct {
		f    float64
		want string
	}{{0.75, "2026-03-02T16:00:00Z"}, {0, "2026-03-02T16:00:00Z"}, {2, "2026-03-02T16:00:00Z"}, {0.5, "2026-03-02T14:00:00Z"}, {1, "2026-03-02T18:00:00Z"}} {
		if got := WarnAt(start, due, tt.f); !got.Equal(mustTime(t, tt.want)) {
			t.Errorf("WarnAt(%v) = %v, want %s", tt.f, got, tt.want)
		}
	}
}

func TestParseUnit(t *testing.T) {
	for _, u := range Units() {
		if got, err := ParseUnit(string(u)); err != nil || got != u {
			t.Errorf("ParseUnit(%s) = %v, %v", u, got, err)
		}
	}
	if _, err := ParseUnit("days"); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "business_days") {
		t.Errorf("ParseUnit(days) = %v", err)
	}
}
