package kpi

import (
	"math"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

func TestCivilDays(t *testing.T) {
	// days_from_civil must agree with the time package, before 1970 too,
	// across leap centuries (1900 is not a leap year, 2000 is).
	for d := Day(-800_000); d < 800_000; d += 97 {
		tm := time.Unix(int64(d)*86400, 0).UTC()
		if got := DayOf(tm, time.UTC); got != d {
			t.Fatalf("DayOf(%v) = %d, want %d", tm, got, d)
		}
		y, m, dd := d.Date()
		if civilToDay(y, m, dd) != d {
			t.Fatalf("round trip of %d failed", d)
		}
	}
	if s := DayOf(at(time.UTC, "2026-03-29 12:00:00"), time.UTC).String(); s != "2026-03-29" {
		t.Errorf("String = %s", s)
	}
}

func TestContactFromInteraction(t *testing.T) {
	off := at(time.UTC, "2026-03-10 09:00:00")
	i := &care.Interaction{Channel: "phone", Direction: "inbound", AgentID: 9, OfferedAt: off, AnsweredAt: off.Add(15 * time.Second),
		EndedAt: off.Add(time.Minute), WrapUpEndedAt: off.Add(2 * time.Minute)}
	c := ContactFromInteraction(i, Key{TeamID: 3, CaseType: "claim", Product: "motor", Channel: "ignored"})
	want := Key{Channel: "phone", TeamID: 3, AgentID: 9, CaseType: "claim", Product: "motor"}
	if c.Key != want || !c.WrapUpEndedAt.Equal(i.WrapUpEndedAt) || c.Direction != "inbound" {
		t.Errorf("contact %+v", c)
	}
}

func TestRollupRefusals(t *testing.T) {
	a, _ := NewRollup(DimTeam, Options{})
	b, _ := NewRollup(DimAgent, Options{})
	if care.ErrorCode(a.Merge(b)) != care.EINVALID {
		t.Error("merged rollups with different dimensions")
	}
	c, _ := NewRollup(DimTeam, Options{ShortAbandon: 10 * time.Second})
	if care.ErrorCode(a.Merge(c)) != care.EINVALID {
		t.Error("merged rollups with different short-abandon thresholds")
	}
	if _, err := NewRollup(DimTeam, Options{Ageing: []int{5, 2}}); care.ErrorCode(err) != care.EINVALID {
		t.Error("accepted decreasing ageing bounds")
	}
	if err := a.AddSurvey(Survey{At: time.Now(), Kind: NPS, Score: 11}); care.ErrorCode(err) != care.EINVALID {
		t.Error("accepted NPS 11")
	}
	if err := a.AddCase(Case{}); err == nil {
		t.Error("accepted a case with no receipt time")
	}
	if _, err := a.Report(Query{Grain: Daily, From: time.Now(), To: time.Now().Add(-time.Hour)}); err == nil {
		t.Error("accepted To before From")
	}
	if _, err := a.Report(Query{Grain: 9, From: time.Now(), To: time.Now().Add(time.Hour)}); err == nil {
		t.Error("accepted an unknown grain")
	}
}

func TestHistogramBuckets(t *testing.T) {
	// Every value from 1 s to ~12 days reads back within the bound.
	for ms := int64(1000); ms < 1_000_000_000; ms = ms*21/20 + 1 {
		mid := bucketMid(bucketOf(ms))
		exact := float64(ms) / 1000
		if d := (mid - exact) / exact; d > HistogramErrorBound+1e-12 || d < -HistogramErrorBound-1e-12 {
			t.Fatalf("%d ms reads back as %v s (%.4f)", ms, mid, d)
		}
	}
	if math.Abs(HistogramErrorBound-(math.Exp2(1.0/(2*bucketsPerDoubling))-1)) > 1e-15 {
		t.Errorf("HistogramErrorBound does not match the bucket layout")
	}
	if HistogramErrorBound > 0.022 {
		t.Errorf("bound %v above the documented 2.2 %%", HistogramErrorBound)
	}
}
