package kpi

import (
	"reflect"
	"testing"
	"time"
)

// TestCodecRoundTrip encodes every cell of a random rollup (counts,
// histograms, tallies, lags) and decodes it to the same totals, and refuses
// damaged encodings rather than misreading them.
func TestCodecRoundTrip(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	r := rollupOf(t, randomData(42, 400), Options{Location: london})
	n := 0
	for c, tot := range r.Cells() {
		var got Totals
		if err := got.UnmarshalBinary(tot.AppendBinary(nil)); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		lags, err := ParseLags(AppendLags(nil, tot.Lags))
		if err != nil {
			t.Fatal(err)
		}
		if len(lags) > 0 {
			got.Lags = lags
		}
		want := *tot
		normalise(&want)
		normalise(&got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%v:\n got %+v\nwant %+v", c, got, want)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d cells", n)
	}
	var tot Totals
	tot.Clocks = map[string]Tally{"sla/first_response": {Met: 3, Missed: -1}}
	tot.FirstResponse.Hist.Bins = []Bin{{Index: 7, Count: 2}}
	b := tot.AppendBinary(nil)
	for _, bad := range [][]byte{nil, {9}, b[:len(b)-1], append(append([]byte{}, b...), 0)} {
		var x Totals
		if err := x.UnmarshalBinary(bad); err == nil {
			t.Errorf("accepted a damaged encoding %v", bad)
		}
	}
	if _, err := ParseLags([]byte{1, 5}); err == nil {
		t.Error("accepted truncated lags")
	}
}

// normalise makes empty and nil slices and maps compare equal.
func normalise(t *Totals) {
	for _, s := range t.spans() {
		if len(s.Hist.Bins) == 0 {
			s.Hist.Bins = nil
		}
	}
	if len(t.Clocks) == 0 {
		t.Clocks = nil
	}
	if len(t.ComplaintDeadlines) == 0 {
		t.ComplaintDeadlines = nil
	}
	if len(t.Lags) == 0 {
		t.Lags = nil
	}
}

// TestLoadOwnedEqualsLoad loads the same cells, twice each, by Load and by
// LoadOwned: the reports agree.
func TestLoadOwnedEqualsLoad(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	src := rollupOf(t, randomData(7, 300), Options{Location: london})
	a, _ := NewRollup(DimChannel|DimCaseType, src.Options())
	b, _ := NewRollup(DimChannel|DimCaseType, src.Options())
	for range 2 {
		for c, tot := range src.Cells() {
			a.Load(c, tot)
			var own Totals
			if err := own.UnmarshalBinary(tot.AppendBinary(nil)); err != nil {
				t.Fatal(err)
			}
			own.Lags = append([]Lag(nil), tot.Lags...)
			b.LoadOwned(c, &own)
		}
	}
	q := Query{Grain: Monthly, From: at(london, "2026-02-01 00:00:00"), To: at(london, "2026-06-01 00:00:00"), GroupBy: DimChannel}
	ra, err := a.Report(q)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := b.Report(q)
	if !reflect.DeepEqual(ra, rb) {
		t.Fatalf("Load and LoadOwned differ:\n%+v\n%+v", ra, rb)
	}
}
