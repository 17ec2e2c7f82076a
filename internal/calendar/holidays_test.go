package calendar

import (
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
)

func mustCal(t testing.TB, region string, opts ...Option) *Calendar {
	t.Helper()
	c, err := New(region, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBusinessDays checks each region's weekends, holidays, Easter,
// Christmas and New Year (with substitute days) and the override table.
func TestBusinessDays(t *testing.T) {
	tests := []struct {
		region, day string
		business    bool
		why         string
	}{
		{"GB-ENG", "2026-02-28", false, "Saturday"},
		{"GB-ENG", "2026-03-01", false, "Sunday"},
		{"GB-ENG", "2026-03-02", true, "Monday"},
		{"GB-ENG", "2026-01-01", false, "New Year's Day"},
		{"GB-ENG", "2026-01-02", true, "2 January is Scottish only"},
		{"GB-ENG", "2026-04-03", false, "Good Friday"},
		{"GB-ENG", "2026-04-06", false, "Easter Monday"},
		{"GB-ENG", "2026-05-04", false, "Early May"},
		{"GB-ENG", "2026-05-25", false, "Spring"},
		{"GB-ENG", "2026-08-31", false, "Summer (last Monday of August)"},
		{"GB-ENG", "2026-12-25", false, "Christmas Day"},
		{"GB-ENG", "2026-12-28", false, "Boxing Day (Saturday) substitute"},
		{"GB-ENG", "2026-12-29", true, "after Christmas"},
		{"GB-ENG", "2027-12-27", false, "Christmas (Saturday) substitute"},
		{"GB-ENG", "2027-12-28", false, "Boxing Day (Sunday) substitute"},
		{"GB-ENG", "2028-01-03", false, "New Year (Saturday) substitute"},
		{"GB-ENG", "2028-02-29", true, "leap day"},
		{"GB-ENG", "2026-03-17", true, "St Patrick's is NI only"},
		{"GB-ENG", "2020-05-04", true, "Early May 2020 moved to VE Day"},
		{"GB-ENG", "2020-05-08", false, "VE Day 75"},
		{"GB-ENG", "2022-05-30", true, "Spring 2022 moved for the jubilee"},
		{"GB-ENG", "2022-06-02", false, "Spring 2022"},
		{"GB-ENG", "2022-06-03", false, "Platinum Jubilee"},
		{"GB-ENG", "2022-09-19", false, "State Funeral of Queen Elizabeth II"},
		{"GB-ENG", "2023-05-08", false, "Coronation of King Charles III"},
		{"GB-SCT", "2026-01-02", false, "2nd January"},
		{"GB-SCT", "2023-01-02", false, "2nd January (Monday)"},
		{"GB-SCT", "2023-01-03", false, "New Year (Sunday) substitute"},
		{"GB-SCT", "2022-01-04", false, "2nd January (Sunday) substitute"},
		{"GB-SCT", "2026-04-06", true, "no Easter Monday in Scotland"},
		{"GB-SCT", "2026-08-03", false, "Summer (first Monday of August)"},
		{"GB-SCT", "2026-08-31", true, "English summer holiday"},
		{"GB-SCT", "2026-11-30", false, "St Andrew's Day"},
		{"GB-SCT", "2025-12-01", false, "St Andrew's Day (Sunday) substitute"},
		{"GB-SCT", "2022-09-19", false, "State Funeral"},
		{"GB-NIR", "2026-03-17", false, "St Patrick's Day"},
		{"GB-NIR", "2024-03-18", false, "St Patrick's (Sunday) substitute"},
		{"GB-NIR", "2026-07-13", false, "Battle of the Boyne (Sunday) substitute"},
		{"GB-NIR", "2025-07-14", false, "Battle of the Boyne (Saturday) substitute"},
		{"GB-NIR", "2026-04-06", false, "Easter Monday"},
		{"GB-NIR", "2022-09-19", false, "State Funeral"},
		{"IE", "2026-02-02", false, "St Brigid's Day"},
		{"IE", "2030-02-01", false, "St Brigid's Day on 1 Feb when a Friday"},
		{"IE", "2026-03-17", false, "St Patrick's Day"},
		{"IE", "2024-03-18", false, "St Patrick's (Sunday) bank holiday"},
		{"IE", "2026-04-03", true, "Good Friday is not a public holiday in Ireland"},
		{"IE", "2026-04-06", false, "Easter Monday"},
		{"IE", "2026-06-01", false, "June bank holiday"},
		{"IE", "2026-10-26", false, "October bank holiday"},
		{"IE", "2026-12-28", false, "St Stephen's (Saturday) bank holiday"},
		{"IE", "2021-12-27", false, "Christmas (Saturday) bank holiday"},
		{"IE", "2021-12-28", false, "St Stephen's (Sunday) bank holiday"},
		{"IE", "2022-01-03", false, "New Year (Saturday) bank holiday"},
		{"IE", "2022-03-18", false, "2022 day of remembrance"},
		{"IE", "2022-09-19", true, "UK only"},
		{"AU-NSW", "2026-01-26", false, "Australia Day"},
		{"AU-NSW", "2025-01-27", false, "Australia Day (Sunday) substitute"},
		{"AU-NSW", "2026-04-03", false, "Good Friday"},
		{"AU-NSW", "2026-04-06", false, "Easter Monday"},
		{"AU-NSW", "2026-04-27", false, "Anzac Day (Saturday) additional day"},
		{"AU-NSW", "2027-04-26", false, "Anzac Day (Sunday) additional day"},
		{"AU-NSW", "2020-04-27", true, "no Anzac substitute in 2020"},
		{"AU-NSW", "2021-04-26", true, "no Anzac substitute in 2021"},
		{"AU-NSW", "2026-06-08", false, "King's Birthday"},
		{"AU-NSW", "2026-10-05", false, "Labour Day"},
		{"AU-NSW", "2026-08-03", true, "NSW Bank Holiday is for banks only"},
		{"AU-NSW", "2026-11-03", true, "Melbourne Cup is Victorian"},
		{"AU-NSW", "2022-09-22", false, "National Day of Mourning"},
		{"AU-NSW", "2026-12-28", false, "Boxing Day (Saturday) additional day"},
		{"AU-NSW", "2028-01-03", false, "New Year (Saturday) additional day"},
		{"AU-VIC", "2026-03-09", false, "Labour Day (second Monday of March)"},
		{"AU-VIC", "2026-04-27", true, "Victoria has no Anzac substitute"},
		{"AU-VIC", "2026-09-25", false, "Friday before the AFL Grand Final"},
		{"AU-VIC", "2026-11-03", false, "Melbourne Cup"},
		{"AU-VIC", "2026-10-05", true, "NSW Labour Day"},
		{"AU-VIC", "2022-09-22", false, "National Day of Mourning"},
		{"AU-QLD", "2026-05-04", false, "Labour Day (first Monday of May)"},
		{"AU-QLD", "2026-10-05", false, "King's Birthday (first Monday of October)"},
		{"AU-QLD", "2026-06-08", true, "NSW King's Birthday"},
		{"AU-QLD", "2026-04-27", true, "Queensland: no Saturday Anzac substitute"},
		{"AU-QLD", "2027-04-26", false, "Queensland: Sunday Anzac substitute"},
		{"AU-QLD", "2021-04-26", false, "Queensland: Sunday Anzac substitute"},
		{"US", "2026-01-19", false, "Martin Luther King Jr. Day"},
		{"US", "2026-04-03", true, "Good Friday is not federal"},
		{"US", "2026-06-19", false, "Juneteenth"},
		{"US", "2026-07-03", false, "Independence Day (Saturday) observed Friday"},
		{"US", "2026-11-26", false, "Thanksgiving"},
		{"US", "2026-11-27", true, "day after Thanksgiving is not federal"},
		{"US", "2021-12-31", false, "New Year 2022 (Saturday) observed Friday"},
		{"US", "2026-12-25", false, "Christmas"},
	}
	for _, tt := range tests {
		c := mustCal(t, tt.region)
		d := MustDay(tt.day)
		if got := c.IsBusinessDay(d); got != tt.business {
			t.Errorf("%s %s (%s, %v): business = %v, want %v", tt.region, tt.day, tt.why, d.Weekday(), got, tt.business)
		}
	}
}

// TestAsOf checks that overrides and new holiday rules only apply to
// calendars built on or after the day they became known.
func TestAsOf(t *testing.T) {
	tests := []struct {
		region, asOf, day string
		business          bool
	}{
		{"GB-ENG", "2022-09-09", "2022-09-19", true},
		{"GB-ENG", "2022-09-10", "2022-09-19", false},
		{"GB-ENG", "2019-06-06", "2020-05-04", false},
		{"GB-ENG", "2019-06-06", "2020-05-08", true},
		{"GB-ENG", "2019-06-07", "2020-05-04", true},
		{"GB-ENG", "2020-11-11", "2022-05-30", false},
		{"GB-ENG", "2020-11-12", "2022-05-30", true},
		{"AU-NSW", "2026-02-14", "2026-04-27", true},
		{"AU-NSW", "2026-02-15", "2026-04-27", false},
		{"IE", "2022-01-18", "2023-02-06", true},
		{"IE", "2022-01-19", "2023-02-06", false},
	}
	for _, tt := range tests {
		c := mustCal(t, tt.region, AsOf(MustDay(tt.asOf)))
		if got := c.IsBusinessDay(MustDay(tt.day)); got != tt.business {
			t.Errorf("%s as of %s: %s business = %v, want %v", tt.region, tt.asOf, tt.day, got, tt.business)
		}
	}
}

func TestOverridesAreSourced(t *testing.T) {
	for _, o := range Overrides() {
		if o.Source == "" || o.Name == "" || o.Known == 0 || o.Known > o.Day && !o.Remove {
			t.Errorf("override %s %q: needs a name, a source and a known day before it", o.Day, o.Name)
		}
		for _, r := range o.Regions {
			if RegionName(r) == "" {
				t.Errorf("override %s names unknown region %s", o.Day, r)
			}
		}
	}
}

func TestForRegionErrors(t *testing.T) {
	_, err := ForRegion("GB-WLS")
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "GB-ENG, GB-NIR, GB-SCT, IE, US") {
		t.Fatalf("ForRegion(GB-WLS) = %v, want EINVALID listing the regions", err)
	}
	want := []string{"AU-NSW", "AU-QLD", "AU-VIC", "GB-ENG", "GB-NIR", "GB-SCT", "IE", "US"}
	if got := Regions(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Regions() = %v", got)
	}
	a, _ := ForRegion("GB-ENG")
	b, _ := ForRegion("GB-ENG")
	if a != b {
		t.Error("ForRegion does not cache")
	}
}

func TestHolidaysList(t *testing.T) {
	c := mustCal(t, "GB-ENG")
	got := c.Holidays(MustDay("2022-01-01"), MustDay("2022-12-31"))
	var days []string
	for _, h := range got {
		days = append(days, h.Day.String())
	}
	// gov.uk/bank-holidays, England and Wales, 2022.
	want := "2022-01-03 2022-04-15 2022-04-18 2022-05-02 2022-06-02 2022-06-03 2022-08-29 2022-09-19 2022-12-26 2022-12-27"
	if strings.Join(days, " ") != want {
		t.Errorf("2022 bank holidays:\n got %s\nwant %s", strings.Join(days, " "), want)
	}
}
