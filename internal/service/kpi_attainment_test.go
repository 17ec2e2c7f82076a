package service_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// TestKPIBusinessHoursAttainmentAndDeadlines follows a hand-made week on
// the GB-ENG calendar (Monday–Friday 09:00–17:00; London is on UTC in early
// March 2026) through the live paths — cases opened, replied to, resolved,
// clocks swept — and checks the business-hours spans, SLA attainment and
// complaint deadlines against figures worked out by hand, then that a
// rebuild from the raw rows gives the same.
func TestKPIBusinessHoursAttainmentAndDeadlines(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.DateTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	clk := storetest.NewClock(at("2026-03-02 09:00:00")) // a Monday
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(at("2026-03-02 09:00:00"))
		f := setup(t, s, clk)
		h := f.as["complaints_handler"]
		open := func(typ string, received string, regimes ...string) *care.Case {
			t.Helper()
			c, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: typ, Channel: "email", Subject: typ,
				Description: "d", Regimes: regimes, ReceivedAt: at(received)}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		resolve := func(c *care.Case) {
			t.Helper()
			if c.Type == "complaint" {
				if _, err := f.svc.SetComplaintOutcome(h, c.Reference, care.OutcomeDecision{Outcome: "upheld", Reasoning: "r", RootCause: "payment_error"}); err != nil {
					t.Fatal(err)
				}
			}
			cur, err := f.svc.FindCase(f.admin, c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			st := "resolved"
			if _, err := f.svc.UpdateCase(f.admin, c.Reference, care.CaseUpdate{Status: &st, Version: cur.Version}); err != nil {
				t.Fatal(err)
			}
		}
		a := open("enquiry", "2026-03-02 09:00:00") // answered Mon 11:00, resolved Tue 10:00
		b := open("enquiry", "2026-03-02 09:00:00") // never answered: its first-response clock breaches
		c := open("enquiry", "2026-02-27 16:00:00") // Friday 16:00, resolved Monday 10:00: over the weekend
		d := open("complaint", "2026-03-02 09:00:00", "uk-fca")
		e := open("complaint", "2026-02-26 09:00:00", "uk-fca") // Thursday: three business days end Tuesday
		open("complaint", "2026-03-02 09:00:00", "uk-fca")      // still open at the end

		clk.Set(at("2026-03-02 10:00:00"))
		resolve(c)
		clk.Set(at("2026-03-02 11:00:00"))
		if _, err := f.svc.CreateInteraction(f.admin, a.Reference, &care.Interaction{Channel: "email", Direction: "outbound", Body: "Here you are."}); err != nil {
			t.Fatal(err)
		}
		clk.Set(at("2026-03-03 10:00:00"))
		resolve(a)
		clk.Set(at("2026-03-04 12:00:00"))
		if _, err := f.svc.SweepClocks(f.admin, "test", time.Minute, 1000); err != nil {
			t.Fatal(err)
		}
		resolve(d)
		resolve(e)

		ks := clocksByKey(t, f, b.ID)
		wantState(t, ks, "sla/first_response#1", care.ClockBreached)
		due := ks["sla/first_response#1"].DueAt
		if clocksByKey(t, f, a.ID)["sla/first_response#1"].DueAt != due {
			t.Fatal("a and b were received together: their first-response clocks must fall due together")
		}

		report := func(from, to, by string) []kpi.Figures {
			t.Helper()
			figs, err := f.svc.KPIs(f.as["supervisor"], service.KPIRequest{From: from, To: to, By: by})
			if err != nil {
				t.Fatal(err)
			}
			return figs
		}
		check := func(stage string) {
			t.Helper()
			// Monday: c resolved after 66 h, 2 of them business hours (Fri
			// 16–17, Mon 9–10); a answered after 2 h, both business hours.
			mon := report("2026-03-02", "2026-03-02", "day")[0]
			span(t, stage+" mon resolution", mon.Resolution, 1, 66*3600)
			span(t, stage+" mon resolution business", mon.ResolutionBusiness, 1, 2*3600)
			span(t, stage+" mon first response", mon.FirstResponse, 1, 2*3600)
			span(t, stage+" mon first response business", mon.FirstResponseBusiness, 1, 2*3600)
			// Tuesday: a resolved after 25 h, 9 business hours (Mon 9–17, Tue 9–10).
			tue := report("2026-03-03", "2026-03-03", "day")[0]
			span(t, stage+" tue resolution", tue.Resolution, 1, 25*3600)
			span(t, stage+" tue resolution business", tue.ResolutionBusiness, 1, 9*3600)
			// The week: c, a, d and e resolved; d (Mon 9 → Wed 12) after 51 h,
			// 8 + 8 + 3 = 19 business hours; e (Thu 9 → Wed 12) after 147 h,
			// Thu 8 + Fri 8 + Mon 8 + Tue 8 + Wed 3 = 35 business hours.
			week := report("2026-03-02", "2026-03-08", "week")[0]
			span(t, stage+" week resolution", week.Resolution, 4, (66+25+51+147)*3600/4.0)
			span(t, stage+" week resolution business", week.ResolutionBusiness, 4, (2+9+19+35)*3600/4.0)
			// Complaints: e was open at the start of the week, d and the third
			// were received in it; d and e were resolved: 2 / (1 + 2).
			if week.ComplaintsOpenAtStart != 1 || week.ComplaintsReceived != 2 || week.ComplaintsResolved != 2 {
				t.Errorf("%s: complaints %d open at start, %d received, %d resolved", stage, week.ComplaintsOpenAtStart,
					week.ComplaintsReceived, week.ComplaintsResolved)
			}
			near(t, stage+" complaint resolution rate", week.ComplaintResolutionRate, 2.0/3)
			// Both within eight weeks; d within three business days, e
			// (due at the end of Tuesday) not.
			attain(t, stage+" deadlines", week.ComplaintDeadlines, map[string][2]int64{
				"uk-fca/final_response": {2, 0}, "uk-fca/summary_resolution": {1, 1}})
			// SLA first response (one business day by email), on the day the
			// clocks of the four cases received on Monday fell due: a met; b,
			// d and the open complaint, never answered, breached.
			day := due.In(time.UTC).Format(time.DateOnly)
			sla := report(day, day, "day")[0].SLA
			got := map[string][2]int64{}
			for _, x := range sla {
				if x.Name == "sla/first_response" {
					got[x.Name] = [2]int64{x.Met, x.Missed}
					near(t, stage+" first response attainment", x.Rate, 0.25)
				}
			}
			if got["sla/first_response"] != [2]int64{1, 3} {
				t.Errorf("%s: sla/first_response on %s = %v, want 1 met 3 missed (all: %+v)", stage, day, got, sla)
			}
		}
		check("incremental")
		before := report("2026-02-23", "2026-03-31", "day")
		if _, err := f.svc.RebuildKPIs(f.admin, nil, nil); err != nil {
			t.Fatal(err)
		}
		check("rebuilt")
		if after := report("2026-02-23", "2026-03-31", "day"); !reflect.DeepEqual(before, after) {
			for i := range before {
				if !reflect.DeepEqual(before[i], after[i]) {
					t.Errorf("rebuild changed %s:\n%+v\n%+v", before[i].Start.Format(time.DateOnly), before[i], after[i])
				}
			}
		}
		set, err := f.svc.KPISettings(f.admin)
		if err != nil || set.BusinessCalendar() != "GB-ENG" || set.Calendar != "GB-ENG" {
			t.Errorf("the rebuild records the firm's calendar: %+v %v", set, err)
		}
	})
}

// span checks a duration summary: its count and exact mean, and that p50
// and p90 lie within the histogram's bound (2.19 %) of the mean when every
// span is alike, or are at least defined.
func span(t *testing.T, label string, d kpi.Durations, n int64, mean float64) {
	t.Helper()
	if d.Count != n {
		t.Errorf("%s: count %d, want %d", label, d.Count, n)
	}
	near(t, label+" mean", d.MeanSeconds, mean)
	if n == 1 {
		for _, p := range []kpi.Maybe{d.P50Seconds, d.P90Seconds} {
			if !p.Valid || math.Abs(p.Value-mean) > 0.0219*mean+0.5 {
				t.Errorf("%s: percentile %v, want %v within 2.19%%", label, p, mean)
			}
		}
	} else if !d.P50Seconds.Valid || !d.P90Seconds.Valid {
		t.Errorf("%s: percentiles undefined", label)
	}
}

func near(t *testing.T, label string, got kpi.Maybe, want float64) {
	t.Helper()
	if !got.Valid || math.Abs(got.Value-want) > 1e-6 {
		t.Errorf("%s = %v, want %v", label, got, want)
	}
}

func attain(t *testing.T, label string, got []kpi.Attainment, want map[string][2]int64) {
	t.Helper()
	have := map[string][2]int64{}
	for _, a := range got {
		have[a.Name] = [2]int64{a.Met, a.Missed}
	}
	if !reflect.DeepEqual(have, want) {
		t.Errorf("%s = %v, want %v", label, have, want)
	}
}
