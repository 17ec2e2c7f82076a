package clock

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
)

// benchCase is one open case: its regime, calendar and known events.
type benchCase struct {
	reg                    *Regime
	cal                    *calendar.Calendar
	received, proof, tier2 time.Time
}

func (c *benchCase) event(name string) time.Time {
	switch name {
	case EventReceived:
		return c.received
	case EventProofOfLoss:
		return c.proof
	case EventTier2Escalated:
		return c.tier2
	}
	return time.Time{}
}

// events returns the case's known events as Schedule takes them.
func (c *benchCase) events() map[string]time.Time {
	m := map[string]time.Time{EventReceived: c.received}
	if !c.proof.IsZero() {
		m[EventProofOfLoss] = c.proof
	}
	if !c.tier2.IsZero() {
		m[EventTier2Escalated] = c.tier2
	}
	return m
}

// deadlines computes every due time the case's regime has a start for:
// the work the engine does per case in an SLA sweep.
func (c *benchCase) deadlines(dst []time.Time) []time.Time {
	dst = dst[:0]
	for _, r := range c.reg.Rules {
		if start := c.event(r.StartEvent); !start.IsZero() {
			dst = append(dst, r.DueAt(c.cal, start, 1))
		}
	}
	return dst
}

// benchCases returns n cases spread over 2020-2030, mixing every regime
// with a region of its kind.
func benchCases(b *testing.B, n int) []benchCase {
	b.Helper()
	mix := []struct{ name, variant, region string }{
		{"iso10002", "", "GB-ENG"}, {"uk-fca", "", "GB-SCT"}, {"uk-fca", "payment-services", "GB-NIR"},
		{"au-asic", "", "AU-NSW"}, {"au-asic", "superannuation", "AU-VIC"}, {"au-asic", "default-notice", "AU-QLD"},
		{"ie-cpc", "", "IE"}, {"us-ca-claims", "", ""},
	}
	type pack struct {
		reg *Regime
		cal *calendar.Calendar
	}
	packs := make([]pack, len(mix))
	for i, m := range mix {
		reg := mustRegime(b, m.name, m.variant)
		packs[i] = pack{reg, mustCalendar(b, reg, m.region)}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := make([]benchCase, n)
	for i := range cases {
		p := packs[i%len(packs)]
		recv := base.Add(time.Duration(rng.Int64N(int64(11 * 365 * 24 * time.Hour))))
		c := benchCase{reg: p.reg, cal: p.cal, received: recv}
		if p.reg.Name == "us-ca-claims" {
			c.proof = recv.Add(time.Duration(rng.IntN(10*24)) * time.Hour)
		}
		if p.reg.Name == "iso10002" && i%4 == 0 {
			c.tier2 = recv.Add(time.Duration(rng.IntN(15*24)) * time.Hour)
		}
		cases[i] = c
	}
	return cases
}

const ring = 1 << 16

// BenchmarkCaseDeadlines is the cost of one case's deadlines (2-3 rules).
func BenchmarkCaseDeadlines(b *testing.B) {
	cases := benchCases(b, ring)
	dst := make([]time.Time, 0, 8)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = cases[i&(ring-1)].deadlines(dst)
	}
}

// BenchmarkOneMillionCases computes the deadlines of 1,000,000 open cases
// per operation on one goroutine: ns/op is the DESIGN §6 budget figure.
func BenchmarkOneMillionCases(b *testing.B) {
	cases := benchCases(b, ring)
	dst := make([]time.Time, 0, 8)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 1_000_000; j++ {
			dst = cases[j&(ring-1)].deadlines(dst)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ns/case")
}

// BenchmarkOneMillionCasesParallel splits the million over GOMAXPROCS
// goroutines, as a sweep job would on the 2-core reference machine.
func BenchmarkOneMillionCasesParallel(b *testing.B) {
	cases := benchCases(b, ring)
	workers := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				dst := make([]time.Time, 0, 8)
				for j := w; j < 1_000_000; j += workers {
					dst = cases[j&(ring-1)].deadlines(dst)
				}
			}(w)
		}
		wg.Wait()
	}
}

// BenchmarkSchedule is the full public path: events map in, sorted
// milestones with their explanations out.
func BenchmarkSchedule(b *testing.B) {
	cases := benchCases(b, ring)
	events := make([]map[string]time.Time, 1024)
	for i := range events {
		events[i] = cases[i].events()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &cases[i&1023]
		if _, err := Schedule(c.reg, c.cal, events[i&1023]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendDue is the public sweep path: an events map per case.
func BenchmarkAppendDue(b *testing.B) {
	cases := benchCases(b, 1024)
	events := make([]map[string]time.Time, len(cases))
	for i := range cases {
		events[i] = cases[i].events()
	}
	dst := make([]Due, 0, 8)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &cases[i&1023]
		dst = AppendDue(dst[:0], c.reg, c.cal, events[i&1023])
	}
}

// BenchmarkSLAResolutionWithPauses is one pausable SLA clock with two
// pauses, on business hours.
func BenchmarkSLAResolutionWithPauses(b *testing.B) {
	cal, _ := calendar.ForRegion("GB-ENG")
	rule := Rule{Amount: 16, Unit: BusinessHours, Pausable: true}
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	pauses := []Pause{{start.Add(2 * time.Hour), start.Add(20 * time.Hour)}, {start.Add(26 * time.Hour), start.Add(30 * time.Hour)}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rule.DueWithPauses(cal, start, 1, pauses)
	}
}
