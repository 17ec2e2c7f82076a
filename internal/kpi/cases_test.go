package kpi

import (
	"testing"
	"time"
)

func TestBacklogAgeingAndComplaints(t *testing.T) {
	u := time.UTC
	open := func(received string) Case {
		return Case{Key: Key{CaseType: "enquiry"}, ReceivedAt: at(u, received)}
	}
	resolvedCase := func(received, resolved string) Case {
		c := open(received)
		c.ResolvedAt = at(u, resolved)
		return c
	}
	complaint := resolvedCase("2026-03-02 10:00:00", "2026-03-10 15:00:00")
	complaint.Key.CaseType = "complaint"
	complaint.Deadlines = []Deadline{{Name: "fca_8_weeks", Due: at(u, "2026-04-27 23:59:59")}, {Name: "ack_3_days", Due: at(u, "2026-03-05 23:59:59")}}
	newComplaint := open("2026-03-10 11:00:00")
	newComplaint.Key.CaseType = "complaint"
	d := Data{Cases: []Case{
		open("2026-03-10 09:00:00"),                                // age 0 at the end of 10 March
		open("2026-03-08 09:00:00"),                                // age 2
		open("2026-03-07 09:00:00"),                                // age 3
		open("2026-03-01 09:00:00"),                                // age 9
		open("2026-01-01 09:00:00"),                                // age 68: over 8 weeks
		resolvedCase("2026-03-01 09:00:00", "2026-03-09 09:00:00"), // closed before the day
		complaint,    // open at the start of 10 March, resolved during it
		newComplaint, // age 0
	}}
	f := both(t, d, day(u, "2026-03-10"), Options{})[0]
	// Open at the end of 10 March: six (not the one resolved on the 9th, not
	// the complaint resolved on the 10th).
	if f.Backlog != 6 {
		t.Errorf("backlog %d, want 6", f.Backlog)
	}
	want := []int64{3, 1, 1, 0, 0, 0, 1} // 0-2, 3-5, 6-10, 11-20, 21-40, 41-56, 57+
	for i, b := range f.Ageing {
		if b.Count != want[i] {
			t.Errorf("bucket %s = %d, want %d", b.Label, b.Count, want[i])
		}
	}
	if f.Ageing[6].Label != "57+" || f.Ageing[0].Label != "0-2" || f.Ageing[6].MaxDays != -1 {
		t.Errorf("labels %+v", f.Ageing)
	}
	// Complaints: open at the start 1 (received 2 March), received 1,
	// resolved 1: resolution rate 1 / (1 + 1).
	if f.ComplaintsOpenAtStart != 1 || f.ComplaintsReceived != 1 || f.ComplaintsResolved != 1 {
		t.Errorf("complaints %d/%d/%d", f.ComplaintsOpenAtStart, f.ComplaintsReceived, f.ComplaintsResolved)
	}
	eq(t, "complaint resolution", f.ComplaintResolutionRate, 0.5)
	// Closed within 8 weeks yes, within the 3-day acknowledgement deadline no.
	if len(f.ComplaintDeadlines) != 2 || f.ComplaintDeadlines[0].Name != "ack_3_days" {
		t.Fatalf("deadlines %+v", f.ComplaintDeadlines)
	}
	eq(t, "ack within", f.ComplaintDeadlines[0].Rate, 0)
	eq(t, "8 weeks within", f.ComplaintDeadlines[1].Rate, 1)
}

func TestCaseDurations(t *testing.T) {
	u := time.UTC
	var d Data
	recv := at(u, "2026-03-10 08:00:00")
	// Ten cases resolved 1 h … 10 h after receipt, first answered after
	// 10 min … 100 min. Nearest rank: p50 = 5th value, p90 = 9th.
	for i := 1; i <= 10; i++ {
		d.Cases = append(d.Cases, Case{Key: Key{CaseType: "enquiry"}, ReceivedAt: recv,
			FirstResponseAt: recv.Add(time.Duration(i) * 10 * time.Minute), ResolvedAt: recv.Add(time.Duration(i) * time.Hour)})
	}
	// Business time: the caller's calendar; here everything before 09:00
	// is outside business hours.
	nine := at(u, "2026-03-10 09:00:00")
	opts := Options{BusinessTime: func(from, to time.Time) time.Duration {
		if from.Before(nine) {
			from = nine
		}
		return max(0, to.Sub(from))
	}}
	f := both(t, d, day(u, "2026-03-10"), opts)[0]
	eq(t, "resolution mean", f.Resolution.MeanSeconds, 5.5*3600) // (1+…+10)/10 h
	eq(t, "resolution p50", f.Resolution.P50Seconds, 5*3600)
	eq(t, "resolution p90", f.Resolution.P90Seconds, 9*3600)
	eq(t, "resolution business mean", f.ResolutionBusiness.MeanSeconds, 4.5*3600) // each 1 h less
	eq(t, "first response p50", f.FirstResponse.P50Seconds, 50*60)
	// Business first response: 10…50 min are all before 09:00 (0), then
	// 60…100 min give 0, 10, 20, 30, 40 min: mean (0+10+20+30+40)/10 = 10 min.
	eq(t, "first response business mean", f.FirstResponseBusiness.MeanSeconds, 600)
	eq(t, "first response business p90", f.FirstResponseBusiness.P90Seconds, 30*60)
	if f.Received != 10 || f.Resolved != 10 || f.FirstResponse.Count != 10 {
		t.Errorf("counts %d/%d/%d", f.Received, f.Resolved, f.FirstResponse.Count)
	}
}

func TestClocksAndChurn(t *testing.T) {
	u := time.UTC
	due := at(u, "2026-03-10 17:00:00")
	d := Data{
		Clocks: []ClockResult{
			{Clock: "first_response_4h", Due: due, Done: due},                      // met, on time exactly
			{Clock: "first_response_4h", Due: due, Done: due.Add(time.Second)},     // breached
			{Clock: "first_response_4h", Due: due},                                 // breached, never done
			{Clock: "resolution_5d", Due: due, Done: due.Add(-7 * time.Hour)},      // met, due on 10 March
			{Clock: "resolution_5d", Due: due.Add(48 * time.Hour), Done: due},      // met, but due on the 12th: not this day
			{Clock: "resolution_5d", Due: at(u, "2026-03-09 12:00:00"), Done: due}, // breached, due on the 9th: not this day
		},
		Renewals: []Renewal{{Due: due, Renewed: true}, {Due: due}, {Due: due, Renewed: true}, {Due: due, Renewed: true}},
	}
	f := both(t, d, day(u, "2026-03-10"), Options{})[0]
	if len(f.SLA) != 2 || f.SLA[0].Met != 1 || f.SLA[0].Missed != 2 || f.SLA[1].Met != 1 || f.SLA[1].Missed != 0 {
		t.Fatalf("SLA %+v", f.SLA)
	}
	eq(t, "first response attainment", f.SLA[0].Rate, 1.0/3)
	eq(t, "churn", f.ChurnRate, 0.25) // 1 not renewed of 4
}

func TestGroupingAndFilter(t *testing.T) {
	u := time.UTC
	mk := func(team int64, product string) Contact {
		c := phone(at(u, "2026-03-10 09:00:00"), time.Second)
		c.Key.TeamID, c.Key.Product = team, product
		return c
	}
	d := Data{Contacts: []Contact{mk(1, "motor"), mk(1, "home"), mk(2, "motor"), mk(2, "motor")}}
	q := day(u, "2026-03-10")
	q.GroupBy = DimTeam
	fs := both(t, d, q, Options{})
	if len(fs) != 2 || fs[0].Group.TeamID != 1 || fs[0].Offered != 2 || fs[1].Offered != 2 {
		t.Fatalf("by team: %+v", fs)
	}
	q.GroupBy, q.Filter, q.FilterDims = DimTeam, Key{Product: "motor"}, DimProduct
	fs = both(t, d, q, Options{})
	if len(fs) != 2 || fs[0].Offered != 1 || fs[1].Offered != 2 {
		t.Fatalf("motor by team: %+v", fs)
	}
	r, _ := NewRollup(DimTeam, Options{})
	if _, err := r.Report(q); err == nil {
		t.Error("a rollup without products must refuse a product filter")
	}
}

func TestRemoveCaseRestores(t *testing.T) {
	u := time.UTC
	c := Case{Key: Key{CaseType: "complaint"}, ReceivedAt: at(u, "2026-03-01 09:00:00"), FirstResponseAt: at(u, "2026-03-02 09:00:00")}
	r := rollupOf(t, Data{Cases: []Case{c}}, Options{})
	q := Query{Grain: Daily, From: at(u, "2026-03-01 00:00:00"), To: at(u, "2026-03-20 00:00:00")}
	// The case is resolved on 5 March: take the open state out, put the new in.
	if err := r.RemoveCase(c); err != nil {
		t.Fatal(err)
	}
	c.ResolvedAt = at(u, "2026-03-05 10:00:00")
	if err := r.AddCase(c); err != nil {
		t.Fatal(err)
	}
	rolled, _ := r.Report(q)
	raw, _ := Compute(Data{Cases: []Case{c}}, q, Options{})
	sameFigures(t, raw, rolled)
	if rolled[3].Backlog != 1 || rolled[4].Backlog != 0 || rolled[4].ComplaintsResolved != 1 {
		t.Errorf("4 March backlog %d, 5 March backlog %d", rolled[3].Backlog, rolled[4].Backlog)
	}
}

func TestBacklogAsOf(t *testing.T) {
	u := time.UTC
	c := Case{Key: Key{CaseType: "complaint"}, ReceivedAt: at(u, "2026-03-02 09:00:00")}
	q := Query{Grain: Monthly, From: at(u, "2026-03-01 00:00:00"), To: at(u, "2026-05-01 00:00:00")}
	fs := both(t, Data{Cases: []Case{c}}, q, Options{})
	// Without AsOf the open complaint is aged to each month's end: 29 days
	// on 31 March, 59 on 30 April (57+ bucket).
	if fs[0].Ageing[4].Count != 1 || fs[1].Ageing[6].Count != 1 || fs[1].ComplaintsOpenAtStart != 1 {
		t.Errorf("month-end ageing: %+v / %+v", fs[0].Ageing, fs[1].Ageing)
	}
	// As of 10 March, March is in progress: age 8 days (6–10 bucket), and
	// April, not begun, shows the same snapshot.
	q.AsOf = at(u, "2026-03-10 15:00:00")
	fs = both(t, Data{Cases: []Case{c}}, q, Options{})
	if fs[0].Ageing[2].Count != 1 || fs[1].Ageing[2].Count != 1 || fs[1].ComplaintsOpenAtStart != 1 {
		t.Errorf("as-of ageing: %+v / %+v", fs[0].Ageing, fs[1].Ageing)
	}
}

// TestCaseClocks counts a case's settled clocks on their due days, with the
// case's key, and takes them out again with the case.
func TestCaseClocks(t *testing.T) {
	u := time.UTC
	due := at(u, "2026-03-10 17:00:00")
	c := Case{Key: Key{Channel: "email", CaseType: "complaint"}, ReceivedAt: at(u, "2026-03-02 09:00:00"),
		Clocks: []CaseClock{
			{Name: "uk-fca/summary_resolution", Due: due, Done: due},                // met, exactly on time
			{Name: "sla/first_response", Due: due, Done: due.Add(time.Millisecond)}, // breached by a millisecond
			{Name: "sla/resolution", Due: due},                                      // breached, never done
			{Name: "sla/next_response", Due: due.Add(24 * time.Hour), Done: due},    // met, but due on the 11th
			{Name: "", Due: due, Done: due},                                         // no name: not counted
		}}
	f := both(t, Data{Cases: []Case{c}}, day(u, "2026-03-10"), Options{})[0]
	want := []Attainment{
		{Name: "sla/first_response", Met: 0, Missed: 1, Rate: Some(0)},
		{Name: "sla/resolution", Met: 0, Missed: 1, Rate: Some(0)},
		{Name: "uk-fca/summary_resolution", Met: 1, Missed: 0, Rate: Some(1)},
	}
	if len(f.SLA) != len(want) {
		t.Fatalf("SLA %+v, want %+v", f.SLA, want)
	}
	for i, w := range want {
		if f.SLA[i] != w {
			t.Errorf("SLA[%d] = %+v, want %+v", i, f.SLA[i], w)
		}
	}
	r, _ := NewRollup(AllDims, Options{})
	_ = r.AddCase(c)
	_ = r.RemoveCase(c)
	rows, _ := r.Report(day(u, "2026-03-10"))
	for _, a := range rows[0].SLA {
		if a.Met != 0 || a.Missed != 0 {
			t.Errorf("after removal %+v", a)
		}
	}
}
