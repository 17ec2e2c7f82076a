package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// weekdays9to5 is the default week as calendar input.
func weekdays9to5() map[string]service.HoursInput {
	h := map[string]service.HoursInput{}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		h[d] = service.HoursInput{Open: "09:00", Close: "17:00"}
	}
	return h
}

// A closure day added to the firm's calendar moves the business-day
// deadlines of the firm's own clocks (SLA, ISO 10002) started afterwards
// past it; a regulator's clock and clocks already running are unchanged.
func TestCalendarClosureMovesBusinessDayDeadline(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)) // a Monday
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		other := service.New(s, nil, service.Config{})
		complaint := func(svc *service.Service) *care.Case {
			c, err := svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "complaint", Channel: "email",
				Subject: "Claim delay", Description: "Nobody called me back.", Regimes: []string{"uk-fca", "iso10002"}}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		before := complaint(f.svc)
		wantDue(t, f, before, "sla/first_response#1", endOfNov(17))
		complaint(other) // warms the other process's cache

		if _, err := f.svc.AddCalendarDay(f.as["supervisor"], "GB-ENG", store.DayClosed,
			service.CalendarDayInput{Day: "2026-11-17", Name: "Office move"}, 0); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("a supervisor may not change calendars: %v", err)
		}
		v, err := f.svc.AddCalendarDay(f.admin, "GB-ENG", store.DayClosed, service.CalendarDayInput{Day: "2026-11-17", Name: "Office move"}, 0)
		if err != nil || v.Revision == 0 || len(v.Closures) != 1 || v.UpdatedBy == "" {
			t.Fatalf("add closure: %+v %v", v, err)
		}
		for _, svc := range []*service.Service{f.svc, other} {
			after := complaint(svc)
			wantDue(t, f, after, "sla/first_response#1", endOfNov(18))        // Tuesday is closed
			wantDue(t, f, after, "iso10002/acknowledge#1", endOfNov(18))      // the firm's own standard too
			wantDue(t, f, after, "uk-fca/summary_resolution#1", endOfNov(19)) // DISP counts public holidays only
		}
		wantDue(t, f, before, "sla/first_response#1", endOfNov(17))

		// A second closure the next day moves it again; removing both undoes it.
		if _, err := f.svc.AddCalendarDay(f.admin, "GB-ENG", store.DayClosed, service.CalendarDayInput{Day: "2026-11-17", Name: "Twice"}, v.Revision); care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("the same day twice: %v", err)
		}
		if _, err := f.svc.RemoveCalendarDay(f.admin, "GB-ENG", "2026-11-17", 0); care.ErrorCode(err) != care.ECONFLICT {
			t.Fatalf("an edit from a stale page: %v", err)
		}
		if _, err := f.svc.RemoveCalendarDay(f.admin, "GB-ENG", "2026-11-17", v.Revision); err != nil {
			t.Fatal(err)
		}
		wantDue(t, f, complaint(other), "sla/first_response#1", endOfNov(17))
		entries, _, err := f.svc.FindAudit(f.as["auditor"], care.AuditFilter{Entity: "calendar", EntityID: "GB-ENG"})
		if err != nil || len(entries) != 2 || !strings.Contains(entries[1].Detail+entries[0].Detail, "Office move") {
			t.Fatalf("audit: %v %+v", err, entries)
		}
	})
}

func TestCalendarHoursAndPreview(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		hours := weekdays9to5()
		hours["saturday"] = service.HoursInput{Open: "09:00", Close: "13:00"}
		in := service.CalendarInput{Zone: "Europe/London", Hours: hours, Cutoff: "16:30",
			Closures:    []service.CalendarDayInput{{Day: "2026-12-24", Name: "Christmas Eve"}},
			WorkingDays: []service.CalendarDayInput{{Day: "2026-12-28", Name: "Claims surge cover"}}}
		v, err := f.svc.UpdateCalendar(f.admin, "GB-ENG", in)
		if err != nil || v.Cutoff != 16*time.Hour+30*time.Minute || v.Hours[time.Saturday].Close != 13*time.Hour || len(v.WorkingDays) != 1 {
			t.Fatalf("update: %+v %v", v, err)
		}
		days, err := f.svc.CalendarDays(f.as["agent"], "GB-ENG", calendar.MustDay("2026-12-21"), calendar.MustDay("2026-12-28"))
		if err != nil || len(days) != 8 {
			t.Fatalf("preview: %v %d", err, len(days))
		}
		var got []string
		for _, d := range days {
			got = append(got, d.Day.String()+" "+d.Kind)
		}
		want := "2026-12-21 working|2026-12-22 working|2026-12-23 working|2026-12-24 closure|2026-12-25 holiday|" +
			"2026-12-26 working|2026-12-27 closed_weekday|2026-12-28 extra_working"
		if strings.Join(got, "|") != want {
			t.Errorf("preview\n got %s\nwant %s", strings.Join(got, "|"), want)
		}
		if days[5].Close != 13*time.Hour || !days[5].Business || days[3].Business {
			t.Errorf("Saturday hours and the closure: %+v %+v", days[5], days[3])
		}

		cases := []struct {
			name   string
			edit   func(*service.CalendarInput)
			fields string
		}{
			{"bad times", func(in *service.CalendarInput) {
				in.Hours["monday"] = service.HoursInput{Open: "9am", Close: "17:00"}
				in.Hours["tuesday"] = service.HoursInput{Open: "17:00", Close: "09:00"}
				in.Hours["wednesday"] = service.HoursInput{Open: "09:00", Close: "25:00"}
				in.Hours["funday"] = service.HoursInput{Open: "09:00", Close: "17:00"}
				in.Cutoff = "5pm"
			}, "cutoff hours.funday hours.monday.open hours.tuesday.close hours.wednesday.close"},
			{"no open day", func(in *service.CalendarInput) { in.Hours = nil }, "hours"},
			{"bad zone", func(in *service.CalendarInput) { in.Zone = "Mars/Olympus" }, "zone"},
			{"overlapping days", func(in *service.CalendarInput) {
				in.Closures = []service.CalendarDayInput{{Day: "2026-12-24", Name: "Eve"}, {Day: "2026-12-24", Name: "Again"},
					{Day: "2026-12-25", Name: "Christmas"}, {Day: "2026-12-27", Name: "Sunday"}, {Day: "24/12/2026", Name: "x"}, {Day: "2026-12-29"}}
				in.WorkingDays = []service.CalendarDayInput{{Day: "2026-12-24", Name: "Open after all"}, {Day: "2026-12-23", Name: "Not a holiday"}}
			}, "closures[1].day closures[2].day closures[3].day closures[4].day closures[5].name working_days[0].day working_days[1].day"},
		}
		for _, tc := range cases {
			in := service.CalendarInput{Zone: "Europe/London", Hours: weekdays9to5(), BaseRevision: -1}
			tc.edit(&in)
			_, err := f.svc.UpdateCalendar(f.admin, "GB-ENG", in)
			if care.ErrorCode(err) != care.EINVALID || fieldsOf(err) != tc.fields {
				t.Errorf("%s: %v\n got fields %q\nwant fields %q", tc.name, err, fieldsOf(err), tc.fields)
			}
		}
		if _, err := f.svc.FindCalendar(f.admin, "XX"); care.ErrorCode(err) != care.ENOTFOUND {
			t.Errorf("unknown region: %v", err)
		}
		if _, err := f.svc.CalendarDays(f.admin, "GB-ENG", calendar.MustDay("2026-01-01"), calendar.MustDay("2027-12-31")); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("a preview of two years: %v", err)
		}
		all, err := f.svc.FindCalendars(f.as["agent"])
		if err != nil || len(all) != len(calendar.Regions()) {
			t.Fatalf("list: %v %d", err, len(all))
		}
		for _, c := range all {
			if c.Region == "GB-ENG" && (c.Revision == 0 || len(c.UsedFor) != 2) {
				t.Errorf("GB-ENG: %+v", c)
			}
			if c.Region == "IE" && (c.Revision != 0 || c.Zone != "Europe/Dublin") {
				t.Errorf("IE keeps its defaults: %+v", c)
			}
		}
	})
}
