package kpi

import (
	"testing"
	"time"
)

func phone(offered time.Time, wait time.Duration) Contact {
	return Contact{Key: Key{Channel: "phone", TeamID: 1, AgentID: 7}, OfferedAt: offered, AnsweredAt: offered.Add(wait)}
}

func TestQueueFigures(t *testing.T) {
	u := time.UTC
	c1 := phone(at(u, "2026-03-10 09:00:00"), 10*time.Second) // within 20 s
	c1.EndedAt = c1.AnsweredAt.Add(300 * time.Second)
	c1.WrapUpEndedAt = c1.EndedAt.Add(60 * time.Second)
	c1.Hold = 30 * time.Second                                // handle 300 + 30 + 60 = 390 s
	c2 := phone(at(u, "2026-03-10 09:10:00"), 30*time.Second) // too slow
	c2.EndedAt = c2.AnsweredAt.Add(240 * time.Second)         // handle 240 s, no wrap-up
	c6 := phone(at(u, "2026-03-10 09:20:00"), 20*time.Second) // exactly at the threshold: within
	c6.EndedAt = c6.AnsweredAt.Add(60 * time.Second)
	c6.WrapUpEndedAt = c6.EndedAt.Add(30 * time.Second) // handle 90 s
	short := Contact{Key: c1.Key, OfferedAt: at(u, "2026-03-10 09:30:00"), Abandoned: true}
	short.EndedAt = short.OfferedAt.Add(3 * time.Second) // under 5 s: short
	long := short
	long.EndedAt = long.OfferedAt.Add(40 * time.Second)
	noEnd := short
	noEnd.EndedAt = time.Time{} // unknown wait: counted as a long abandon
	email := Contact{Key: Key{Channel: "email"}, OfferedAt: at(u, "2026-03-10 10:00:00"), AnsweredAt: at(u, "2026-03-10 10:00:00"), EndedAt: at(u, "2026-03-10 10:10:00")}
	outbound := Contact{Key: c1.Key, Direction: "outbound", AnsweredAt: at(u, "2026-03-10 11:00:00"), EndedAt: at(u, "2026-03-10 11:02:00")}
	note := Contact{Key: Key{Channel: "note"}, OfferedAt: at(u, "2026-03-10 12:00:00")}
	d := Data{Contacts: []Contact{c1, c2, c6, short, long, noEnd, email, outbound, note}}
	f := both(t, d, day(u, "2026-03-10"), Options{})[0]
	// Offered: the six inbound phone contacts; email is not a queue channel,
	// outbound calls and notes never queue.
	if f.Offered != 6 || f.Answered != 3 || f.Abandoned != 3 || f.ShortAbandoned != 1 {
		t.Errorf("counts %d/%d/%d/%d, want 6/3/3/1", f.Offered, f.Answered, f.Abandoned, f.ShortAbandoned)
	}
	eq(t, "ASA", f.ASASeconds, 20)               // (10 + 30 + 20) / 3
	eq(t, "abandonment", f.AbandonmentRate, 0.4) // (3 − 1) / (6 − 1)
	eq(t, "service level", f.ServiceLevel, 0.4)  // 2 within / (3 answered + 2 long abandons)
	eq(t, "AHT", f.AHTSeconds, 288)              // (390 + 240 + 90 + 600 email + 120 outbound) / 5
	if f.Handled != 5 {
		t.Errorf("handled %d, want 5", f.Handled)
	}
	// Chat's default threshold is 60 s: a 45 s wait is within.
	chat := phone(at(u, "2026-03-10 13:00:00"), 45*time.Second)
	chat.Key.Channel = "chat"
	f = both(t, Data{Contacts: []Contact{chat}}, day(u, "2026-03-10"), Options{})[0]
	eq(t, "chat service level", f.ServiceLevel, 1)
	// A per-channel threshold of 30 s makes it late.
	f = both(t, Data{Contacts: []Contact{chat}}, day(u, "2026-03-10"), Options{ServiceLevel: map[string]time.Duration{"chat": 30 * time.Second}})[0]
	eq(t, "chat service level at 30 s", f.ServiceLevel, 0)
}

func TestZeroAnsweredAndEmptyPeriods(t *testing.T) {
	u := time.UTC
	ab := Contact{Key: Key{Channel: "phone"}, OfferedAt: at(u, "2026-03-10 09:00:00"), Abandoned: true}
	ab.EndedAt = ab.OfferedAt.Add(time.Minute)
	shortOnly := Contact{Key: Key{Channel: "phone"}, OfferedAt: at(u, "2026-03-12 09:00:00"), Abandoned: true}
	shortOnly.EndedAt = shortOnly.OfferedAt.Add(2 * time.Second)
	q := Query{Grain: Daily, From: at(u, "2026-03-10 00:00:00"), To: at(u, "2026-03-13 00:00:00")}
	fs := both(t, Data{Contacts: []Contact{ab, shortOnly}}, q, Options{})
	if len(fs) != 3 {
		t.Fatalf("%d periods, want 3 (empty day included)", len(fs))
	}
	// Day 1: one long abandon, nothing answered. ASA has no answered call to
	// average: undefined, not 0. SL is 0 answered / (0 + 1): a real 0.
	undefined(t, "ASA day 1", fs[0].ASASeconds)
	eq(t, "SL day 1", fs[0].ServiceLevel, 0)
	eq(t, "abandonment day 1", fs[0].AbandonmentRate, 1)
	// Day 2: empty. Every rate undefined, every count 0.
	for name, m := range map[string]Maybe{"ASA": fs[1].ASASeconds, "SL": fs[1].ServiceLevel, "abandonment": fs[1].AbandonmentRate,
		"AHT": fs[1].AHTSeconds, "FCR": fs[1].FCRRate, "CSAT": fs[1].CSAT, "NPS": fs[1].NPS, "CES": fs[1].CES, "churn": fs[1].ChurnRate,
		"first response mean": fs[1].FirstResponse.MeanSeconds, "resolution p90": fs[1].Resolution.P90Seconds} {
		undefined(t, name+" day 2", m)
	}
	if fs[1].Offered != 0 || fs[1].Backlog != 0 {
		t.Errorf("day 2 not empty: %+v", fs[1])
	}
	// Day 3: only a short abandon: counted raw (offered 1, abandoned 1) but
	// left out of the rates, which become undefined (0 / 0).
	if fs[2].Offered != 1 || fs[2].Abandoned != 1 || fs[2].ShortAbandoned != 1 {
		t.Errorf("day 3 counts: %+v", fs[2])
	}
	undefined(t, "abandonment day 3", fs[2].AbandonmentRate)
	undefined(t, "SL day 3", fs[2].ServiceLevel)
	if s := fs[1].ASASeconds.String(); s != "n/a" {
		t.Errorf("undefined prints %q, want n/a", s)
	}
}

func TestDSTDaysInLondon(t *testing.T) {
	mk := func(s string) Contact {
		return Contact{Key: Key{Channel: "phone"}, OfferedAt: at(london, s), AnsweredAt: at(london, s)}
	}
	d := Data{Contacts: []Contact{
		mk("2026-03-29 00:30:00"), // GMT, before the clocks go forward at 01:00
		mk("2026-03-29 23:30:00"), // BST: 22:30 UTC, still 29 March in London
		mk("2026-03-30 00:30:00"), // BST: 23:30 UTC on the 29th, but 30 March in London
		mk("2026-10-25 01:30:00"), // the first 01:30 (BST) of the autumn change
		mk("2026-10-25 23:59:59"), // GMT
	}}
	// The second 01:30 on 25 October, an hour after the first, GMT.
	d.Contacts = append(d.Contacts, Contact{Key: Key{Channel: "phone"}, OfferedAt: at(london, "2026-10-25 01:30:00").Add(time.Hour), AnsweredAt: at(london, "2026-10-25 01:30:00").Add(time.Hour)})
	opts := Options{Location: london}
	fs := both(t, d, Query{Grain: Daily, From: at(london, "2026-03-29 00:00:00"), To: at(london, "2026-03-31 00:00:00")}, opts)
	if len(fs) != 2 || fs[0].Offered != 2 || fs[1].Offered != 1 {
		t.Fatalf("spring: %d rows, offered %d and %d, want 2 and 1", len(fs), fs[0].Offered, fs[1].Offered)
	}
	if h := fs[0].End.Sub(fs[0].Start); h != 23*time.Hour {
		t.Errorf("29 March lasts %v, want 23h", h)
	}
	fs = both(t, d, day(london, "2026-10-25"), opts)
	if fs[0].Offered != 3 || fs[0].End.Sub(fs[0].Start) != 25*time.Hour {
		t.Errorf("autumn: offered %d over %v, want 3 over 25h", fs[0].Offered, fs[0].End.Sub(fs[0].Start))
	}
}

func TestWeeksAndMonths(t *testing.T) {
	u := time.UTC
	mk := func(s string) Contact {
		return Contact{Key: Key{Channel: "phone"}, OfferedAt: at(u, s), AnsweredAt: at(u, s)}
	}
	// 2026-01-01 is a Thursday: ISO week 1 of 2026 runs Mon 29 Dec 2025 to
	// Sun 4 Jan 2026.
	d := Data{Contacts: []Contact{mk("2025-12-29 08:00:00"), mk("2026-01-04 23:59:59"), mk("2026-01-05 00:00:00"), mk("2026-12-31 12:00:00")}}
	fs := both(t, d, Query{Grain: Weekly, From: at(u, "2026-01-01 00:00:00"), To: at(u, "2026-01-06 00:00:00")}, Options{})
	if len(fs) != 2 || !fs[0].Start.Equal(at(u, "2025-12-29 00:00:00")) || fs[0].Offered != 2 || fs[1].Offered != 1 {
		t.Errorf("weeks: %d rows, first starts %v with %d offered", len(fs), fs[0].Start, fs[0].Offered)
	}
	fs = both(t, d, Query{Grain: Monthly, From: at(u, "2025-12-15 00:00:00"), To: at(u, "2027-01-01 00:00:00")}, Options{})
	if len(fs) != 13 || fs[0].Offered != 1 || fs[1].Offered != 2 || fs[12].Offered != 1 || !fs[12].End.Equal(at(u, "2027-01-01 00:00:00")) {
		t.Errorf("months: %d rows: Dec %d, Jan %d, Dec %d", len(fs), fs[0].Offered, fs[1].Offered, fs[12].Offered)
	}
}

func TestSurveysAndNPSRounding(t *testing.T) {
	u := time.UTC
	var d Data
	add := func(kind SurveyKind, scores ...int) {
		for _, s := range scores {
			d.Surveys = append(d.Surveys, Survey{At: at(u, "2026-03-10 12:00:00"), Kind: kind, Score: s})
		}
	}
	// NPS: 5 promoters, 6 passives, 1 detractor of 12. Exact:
	// 100·(5 − 1)/12 = 33.33 → 33. Rounding the parts first would give
	// 42 % − 8 % = 34: the figure is rounded once, at display.
	add(NPS, 10, 10, 9, 9, 9, 8, 8, 7, 7, 8, 7, 6)
	add(CSAT, 5, 4, 3, 1) // 2 of 4 satisfied: 0.5
	add(CES, 7, 5, 2, 4)  // mean 18/4 = 4.5; effortless (5–7) 2 of 4
	add(CSAT, 0, 6)       // out of scale: refused by the rollup, skipped by Compute
	f := both(t, d, day(u, "2026-03-10"), Options{})[0]
	eq(t, "NPS", f.NPS, 100.0*4/12)
	if s := f.NPS.Format(0); s != "33" {
		t.Errorf("NPS prints %q, want 33", s)
	}
	eq(t, "CSAT", f.CSAT, 0.5)
	eq(t, "CES", f.CES, 4.5)
	eq(t, "CES effortless", f.CESEffortlessRate, 0.5)
	if f.NPSResponses != 12 || f.CSATResponses != 4 || f.CESResponses != 4 {
		t.Errorf("responses %d/%d/%d", f.NPSResponses, f.CSATResponses, f.CESResponses)
	}
	// Halves round away from zero: 37.5 → 38, −37.5 → −38 (strconv alone
	// would round half to even).
	for v, want := range map[float64]string{37.5: "38", -37.5: "-38", 36.5: "37", -0.4: "0"} {
		if s := Some(v).Format(0); s != want {
			t.Errorf("Format(%v) = %q, want %q", v, s, want)
		}
	}
	if (Maybe{}).Format(1) != NotApplicable {
		t.Error("undefined must print n/a")
	}
}

func TestFCRRepeatOnDay7And8(t *testing.T) {
	u := time.UTC
	first := at(u, "2026-01-01 10:00:00")
	resolved := first.Add(5 * time.Minute)
	mk := func(contacts ...time.Time) Case {
		return Case{Key: Key{CaseType: "enquiry"}, ReceivedAt: first, ResolvedAt: resolved, Contacts: append([]time.Time{first}, contacts...)}
	}
	repeat7 := mk(at(u, "2026-01-08 23:00:00")) // day 7 after 1 Jan: a repeat
	repeat8 := mk(at(u, "2026-01-09 00:00:00")) // day 8: a new matter
	flagged := mk(at(u, "2026-01-03 09:00:00")) // a repeat, but the agent's flag says resolved
	flagged.FCR = FCRYes
	twoBefore := mk(at(u, "2026-01-12 09:00:00")) // needed a second contact to resolve
	twoBefore.ResolvedAt = at(u, "2026-01-12 09:30:00")
	alone := mk()
	alone.FCR = FCRNo // a survey said the customer's issue was not resolved
	d := Data{Cases: []Case{repeat7, repeat8, flagged, twoBefore, alone}}
	f := both(t, d, Query{Grain: Monthly, From: first, To: first.Add(time.Hour)}, Options{})[0]
	// Resolved 5; first-contact resolved: repeat8 and flagged → 2/5.
	if f.Resolved != 5 {
		t.Fatalf("resolved %d, want 5", f.Resolved)
	}
	eq(t, "FCR", f.FCRRate, 0.4)
	o := Options{}.normalized()
	dc := &dayCache{loc: u}
	if firstContactResolved(&repeat7, &o, dc) || !firstContactResolved(&repeat8, &o, dc) {
		t.Error("day 7 must be a repeat, day 8 must not")
	}
}
