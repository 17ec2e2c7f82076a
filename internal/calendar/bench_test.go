package calendar

import (
	"testing"
	"time"
)

func BenchmarkAddBusinessDays(b *testing.B) {
	c, _ := ForRegion("GB-ENG")
	d := MustDay("2026-03-02")
	for i := 0; i < b.N; i++ {
		c.AddBusinessDays(d+Day(i&4095), 15)
	}
}

func BenchmarkEffectiveReceiptDay(b *testing.B) {
	c, _ := ForRegion("AU-NSW")
	t := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := 0; i < b.N; i++ {
		c.EffectiveReceiptDay(t.Add(time.Duration(i&4095) * time.Hour))
	}
}

func BenchmarkAddBusinessHours(b *testing.B) {
	c, _ := ForRegion("US")
	t := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := 0; i < b.N; i++ {
		c.AddBusinessHours(t.Add(time.Duration(i&4095)*time.Hour), 20)
	}
}

// BenchmarkBuildCalendar is the one-off cost of indexing a region's
// 1990-2100 window (New caches it afterwards).
func BenchmarkBuildCalendar(b *testing.B) {
	cfg, err := newConfig(regions["GB-ENG"], nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := build(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForRegion is the lookup a request handler pays per case.
func BenchmarkForRegion(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ForRegion("GB-ENG"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewWithOptions is a cached lookup of a firm's own calendar.
func BenchmarkNewWithOptions(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := New("IE", WithClosures(MustDay("2026-12-31")), WithCutoff(16*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}
