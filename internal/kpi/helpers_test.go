package kpi

import (
	"math"
	"reflect"
	"testing"
	"time"
)

var london = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at parses a local wall time "2006-01-02 15:04:05" in loc.
func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// rollupOf builds a rollup keeping every dimension from raw records.
func rollupOf(t *testing.T, d Data, opts Options) *Rollup {
	t.Helper()
	r, err := NewRollup(AllDims, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range d.Contacts {
		r.AddContact(c)
	}
	for _, c := range d.Cases {
		if err := r.AddCase(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range d.Surveys {
		_ = r.AddSurvey(s) // invalid answers are refused, as Compute skips them
	}
	for _, c := range d.Clocks {
		_ = r.AddClock(c)
	}
	for _, x := range d.Renewals {
		_ = r.AddRenewal(x)
	}
	return r
}

// both computes q from raw records and from a rollup of them, checks that
// they agree (percentiles within the histogram bound, the rest exactly) and
// returns the raw figures.
func both(t *testing.T, d Data, q Query, opts Options) []Figures {
	t.Helper()
	raw, err := Compute(d, q, opts)
	if err != nil {
		t.Fatal(err)
	}
	rolled, err := rollupOf(t, d, opts).Report(q)
	if err != nil {
		t.Fatal(err)
	}
	sameFigures(t, raw, rolled)
	return raw
}

// sameFigures asserts raw and rolled figures agree.
func sameFigures(t *testing.T, raw, rolled []Figures) {
	t.Helper()
	if len(raw) != len(rolled) {
		t.Fatalf("raw has %d rows, rollup %d", len(raw), len(rolled))
	}
	for i := range raw {
		a, b := raw[i], rolled[i]
		for _, pair := range [][2]*Durations{{&a.FirstResponse, &b.FirstResponse}, {&a.FirstResponseBusiness, &b.FirstResponseBusiness},
			{&a.Resolution, &b.Resolution}, {&a.ResolutionBusiness, &b.ResolutionBusiness}} {
			withinBound(t, pair[0].P50Seconds, pair[1].P50Seconds)
			withinBound(t, pair[0].P90Seconds, pair[1].P90Seconds)
			pair[1].P50Seconds, pair[1].P90Seconds = pair[0].P50Seconds, pair[0].P90Seconds
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("row %d differs:\nraw    %+v\nrollup %+v", i, a, b)
		}
	}
}

// withinBound asserts a histogram percentile is within the documented
// bound of the exact one: 2.2 % relative, or 0.5 s below 1 s.
func withinBound(t *testing.T, exact, approx Maybe) {
	t.Helper()
	if exact.Valid != approx.Valid {
		t.Fatalf("percentile validity: exact %v, histogram %v", exact, approx)
	}
	if !exact.Valid {
		return
	}
	tol := max(0.5, exact.Value*(HistogramErrorBound+1e-9))
	if exact.Value >= 1 {
		tol = exact.Value * (HistogramErrorBound + 1e-9)
	}
	if math.Abs(exact.Value-approx.Value) > tol {
		t.Fatalf("histogram percentile %v, exact %v: beyond the bound", approx.Value, exact.Value)
	}
}

// eq asserts a defined figure equals want within 1e-9.
func eq(t *testing.T, name string, got Maybe, want float64) {
	t.Helper()
	if !got.Valid || math.Abs(got.Value-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// undefined asserts a figure is undefined.
func undefined(t *testing.T, name string, got Maybe) {
	t.Helper()
	if got.Valid {
		t.Errorf("%s = %v, want undefined", name, got)
	}
}

// day returns a one-day query in loc.
func day(loc *time.Location, date string) Query {
	from := at(loc, date+" 00:00:00")
	return Query{Grain: Daily, From: from, To: from.Add(time.Hour)}
}
