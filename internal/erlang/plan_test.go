package erlang

import (
	"math"
	"testing"
	"time"
)

// dayCurve is a typical inbound day in 48 half-hours: quiet overnight, a
// morning peak and a smaller afternoon one, up to 300 contacts per interval.
func dayCurve() []float64 {
	v := make([]float64, 48)
	for i := range v {
		h := float64(i) / 2
		v[i] = math.Round(20 + 280*math.Exp(-(h-10)*(h-10)/6) + 150*math.Exp(-(h-15)*(h-15)/8))
	}
	return v
}

func TestPlan(t *testing.T) {
	vols := dayCurve()
	vols[0] = 0 // a closed interval needs nobody
	tg := Target{ServiceLevel: 0.8, Within: 20 * time.Second}
	for _, pat := range []time.Duration{0, 2 * time.Minute} {
		plan, err := Plan(Forecast(vols, 180*time.Second, 30*time.Minute, pat), tg, 0.3)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan) != 48 || plan[0].Agents != 0 || plan[0].Gross != 0 {
			t.Fatalf("plan[0] = %+v", plan[0])
		}
		for i, s := range plan {
			r, _ := Required(Params{Volume: vols[i], AHT: 180 * time.Second, Interval: 30 * time.Minute, Patience: pat}, tg)
			g, _ := Gross(r.Agents, 0.3)
			if s.Agents != r.Agents || s.Gross != g || !tg.Met(s.Result) {
				t.Errorf("interval %d: %+v, want %d/%d", i, s, r.Agents, g)
			}
		}
	}
	if _, err := Plan(Forecast([]float64{1, -1}, time.Minute, time.Hour, 0), tg, 0); err == nil {
		t.Error("negative volume accepted")
	}
}

func BenchmarkPlan48(b *testing.B) {
	tg := Target{ServiceLevel: 0.8, Within: 20 * time.Second}
	for _, bc := range []struct {
		name     string
		patience time.Duration
	}{{"erlangC", 0}, {"erlangA", 2 * time.Minute}} {
		ps := Forecast(dayCurve(), 180*time.Second, 30*time.Minute, bc.patience)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Plan(ps, tg, 0.3); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestRequiredABisectionMatchesScan(t *testing.T) {
	for _, vol := range []float64{3, 40, 100, 450} {
		for _, pat := range []time.Duration{20 * time.Second, 2 * time.Minute, 20 * time.Minute} {
			for _, tg := range []Target{
				{ServiceLevel: 0.8, Within: 20 * time.Second},
				{ServiceLevel: 0.95, Within: 10 * time.Second, MaxAbandon: 0.02},
				{ASA: 15 * time.Second},
				{ServiceLevel: 0.5, Within: 60 * time.Second, MaxOccupancy: 0.8},
			} {
				p := Params{Volume: vol, AHT: 240 * time.Second, Interval: 30 * time.Minute, Patience: pat}
				got, err := Required(p, tg)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for ; ; n++ {
					r, _ := Evaluate(p, n, tg.Within)
					if tg.Met(r) {
						break
					}
				}
				if got.Agents != n {
					t.Errorf("volume %v patience %v target %+v: bisection %d, scan %d", vol, pat, tg, got.Agents, n)
				}
			}
		}
	}
}
