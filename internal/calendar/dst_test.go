package calendar

import (
	"testing"
	"time"
)

// TestEndOfDayAcrossDST checks that day-based deadlines land on 23:59:59
// local with the right UTC offset on both sides of each zone's changes in
// 2026 (Brisbane has none).
func TestEndOfDayAcrossDST(t *testing.T) {
	tests := []struct {
		region, zone, day, want string
	}{
		{"GB-ENG", "", "2026-03-28", "2026-03-28T23:59:59Z"},
		{"GB-ENG", "", "2026-03-29", "2026-03-29T23:59:59+01:00"}, // BST starts 01:00 GMT
		{"GB-ENG", "", "2026-10-24", "2026-10-24T23:59:59+01:00"},
		{"GB-ENG", "", "2026-10-25", "2026-10-25T23:59:59Z"}, // BST ends
		{"IE", "", "2026-03-29", "2026-03-29T23:59:59+01:00"},
		{"IE", "", "2026-10-25", "2026-10-25T23:59:59Z"},
		{"AU-NSW", "", "2026-04-04", "2026-04-04T23:59:59+11:00"},
		{"AU-NSW", "", "2026-04-05", "2026-04-05T23:59:59+10:00"}, // AEDT ends
		{"AU-NSW", "", "2026-10-03", "2026-10-03T23:59:59+10:00"},
		{"AU-NSW", "", "2026-10-04", "2026-10-04T23:59:59+11:00"}, // AEDT starts
		{"AU-VIC", "", "2026-04-05", "2026-04-05T23:59:59+10:00"},
		{"AU-VIC", "", "2026-10-04", "2026-10-04T23:59:59+11:00"},
		{"AU-QLD", "", "2026-01-15", "2026-01-15T23:59:59+10:00"}, // no DST
		{"AU-QLD", "", "2026-07-15", "2026-07-15T23:59:59+10:00"},
		{"US", "", "2026-03-07", "2026-03-07T23:59:59-05:00"},
		{"US", "", "2026-03-08", "2026-03-08T23:59:59-04:00"}, // EDT starts
		{"US", "", "2026-10-31", "2026-10-31T23:59:59-04:00"},
		{"US", "", "2026-11-01", "2026-11-01T23:59:59-05:00"}, // EDT ends
		{"US", "America/Los_Angeles", "2026-03-08", "2026-03-08T23:59:59-07:00"},
		{"US", "America/Los_Angeles", "2026-11-01", "2026-11-01T23:59:59-08:00"},
	}
	for _, tt := range tests {
		var opts []Option
		if tt.zone != "" {
			opts = append(opts, WithZoneName(tt.zone))
		}
		c := mustCal(t, tt.region, opts...)
		if got := c.EndOfDay(MustDay(tt.day)).Format(time.RFC3339); got != tt.want {
			t.Errorf("%s %s: EndOfDay = %s, want %s", tt.region, tt.day, got, tt.want)
		}
	}
}

// TestBusinessHoursAcrossDST checks that business hours follow the wall
// clock (09:00-17:00 local) on both sides of a change.
func TestBusinessHoursAcrossDST(t *testing.T) {
	tests := []struct {
		region, zone, from string
		hours              int
		want               string
	}{
		{"GB-ENG", "", "2026-03-27T16:00:00Z", 2, "2026-03-30T10:00:00+01:00"},
		{"GB-ENG", "", "2026-10-23T16:00:00+01:00", 2, "2026-10-26T10:00:00Z"},
		{"IE", "", "2026-03-27T16:00:00Z", 2, "2026-03-30T10:00:00+01:00"},
		{"AU-NSW", "", "2026-04-02T16:00:00+11:00", 2, "2026-04-07T10:00:00+10:00"}, // Good Friday, Easter Monday between
		{"AU-VIC", "", "2026-10-02T16:00:00+10:00", 2, "2026-10-05T10:00:00+11:00"},
		{"AU-QLD", "", "2026-10-02T16:00:00+10:00", 2, "2026-10-06T10:00:00+10:00"}, // King's Birthday Monday
		{"US", "", "2026-03-06T16:00:00-05:00", 2, "2026-03-09T10:00:00-04:00"},
		{"US", "America/Los_Angeles", "2026-10-30T16:00:00-07:00", 2, "2026-11-02T10:00:00-08:00"},
	}
	for _, tt := range tests {
		var opts []Option
		if tt.zone != "" {
			opts = append(opts, WithZoneName(tt.zone))
		}
		c := mustCal(t, tt.region, opts...)
		got := c.AddBusinessHours(mustTime(t, tt.from), tt.hours).Format(time.RFC3339)
		if got != tt.want {
			t.Errorf("%s %s + %dh = %s, want %s", tt.region, tt.from, tt.hours, got, tt.want)
		}
	}
}

func TestLocalDayAcrossDST(t *testing.T) {
	c := mustCal(t, "GB-ENG")
	// 23:30 UTC is 00:30 BST the next day in summer but 23:30 GMT in winter.
	if got := c.LocalDay(mustTime(t, "2026-10-24T23:30:00Z")).String(); got != "2026-10-25" {
		t.Errorf("BST night: %s", got)
	}
	if got := c.LocalDay(mustTime(t, "2026-10-25T23:30:00Z")).String(); got != "2026-10-25" {
		t.Errorf("GMT night: %s", got)
	}
	syd := mustCal(t, "AU-NSW")
	// 13:30 UTC is 00:30 AEDT on the 5th before the change (03:00 AEDT).
	if got := syd.LocalDay(mustTime(t, "2026-04-04T13:30:00Z")).String(); got != "2026-04-05" {
		t.Errorf("Sydney: %s", got)
	}
}

// TestReceiptOnDSTChange checks receipts inside the skipped or repeated
// hour of a change: the local day and the cut-off still come out right.
func TestReceiptOnDSTChange(t *testing.T) {
	tests := []struct {
		region, at, local, effective string
	}{
		// 01:30 UTC on 29 Mar 2026 is 02:30 BST, just after the skipped hour.
		{"GB-ENG", "2026-03-29T01:30:00Z", "2026-03-29", "2026-03-30"},
		// 01:30 BST then 01:30 GMT on 25 Oct 2026: both Sunday.
		{"GB-ENG", "2026-10-25T00:30:00Z", "2026-10-25", "2026-10-26"},
		{"GB-ENG", "2026-10-25T01:30:00Z", "2026-10-25", "2026-10-26"},
		// Sydney repeats 02:00-03:00 on 5 Apr 2026 (Easter Sunday; Monday is
		// Easter Monday), so the effective day is Tuesday.
		{"AU-NSW", "2026-04-04T15:30:00Z", "2026-04-05", "2026-04-07"},
		{"AU-NSW", "2026-04-04T16:30:00Z", "2026-04-05", "2026-04-07"},
		// Melbourne skips 02:00-03:00 on 4 Oct 2026.
		{"AU-VIC", "2026-10-03T16:30:00Z", "2026-10-04", "2026-10-05"},
		// 16:59 EST on Friday 6 Mar is before the cut-off; 17:00 EDT on
		// Monday 9 Mar (21:00 UTC) is at it.
		{"US", "2026-03-06T21:59:00Z", "2026-03-06", "2026-03-06"},
		{"US", "2026-03-09T21:00:00Z", "2026-03-09", "2026-03-10"},
		// Dublin: 16:30 UTC in summer is 17:30 IST, after the cut-off.
		{"IE", "2026-07-01T16:30:00Z", "2026-07-01", "2026-07-02"},
	}
	for _, tt := range tests {
		c := mustCal(t, tt.region)
		at := mustTime(t, tt.at)
		if got := c.LocalDay(at).String(); got != tt.local {
			t.Errorf("%s %s: local day %s, want %s", tt.region, tt.at, got, tt.local)
		}
		if got := c.EffectiveReceiptDay(at).String(); got != tt.effective {
			t.Errorf("%s %s: effective day %s, want %s", tt.region, tt.at, got, tt.effective)
		}
	}
}
