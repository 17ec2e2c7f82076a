package erlang

import (
	"fmt"
	"math"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// Target is what a staffing level must achieve. Zero fields do not
// constrain; at least one of ServiceLevel or ASA must be set.
type Target struct {
	ServiceLevel float64       // fraction answered within Within, e.g. 0.8
	Within       time.Duration // the service-level threshold, e.g. 20 s
	ASA          time.Duration // the highest acceptable mean wait of answered contacts
	MaxAbandon   float64       // the highest acceptable abandonment probability (Erlang A)
	MaxOccupancy float64       // the highest acceptable occupancy, e.g. 0.85, to avoid burn-out
}

// Validate reports every invalid field of t.
func (t Target) Validate() error {
	var pr care.Problems
	if t.ServiceLevel < 0 || t.ServiceLevel >= 1 || math.IsNaN(t.ServiceLevel) {
		pr.Add("service_level", "must be a fraction from 0 up to but excluding 1")
	}
	if t.Within < 0 {
		pr.Add("within", "must be zero or more")
	}
	if t.ServiceLevel > 0 && t.Within == 0 {
		pr.Add("within", "is required with a service-level target")
	}
	if t.ASA < 0 {
		pr.Add("asa", "must be zero or more")
	}
	if t.MaxAbandon < 0 || t.MaxAbandon >= 1 || math.IsNaN(t.MaxAbandon) {
		pr.Add("max_abandon", "must be a fraction from 0 up to but excluding 1")
	}
	if t.MaxOccupancy < 0 || t.MaxOccupancy > 1 || math.IsNaN(t.MaxOccupancy) {
		pr.Add("max_occupancy", "must be a fraction from 0 to 1")
	}
	if t.ServiceLevel == 0 && t.ASA == 0 {
		pr.Add("service_level", "a service-level or an ASA target is required")
	}
	return pr.Err()
}

// Met reports whether r achieves every constraint of t.
func (t Target) Met(r Result) bool {
	if !r.Stable {
		return false
	}
	if t.ServiceLevel > 0 && r.ServiceLevel < t.ServiceLevel {
		return false
	}
	if t.ASA > 0 && r.ASA > t.ASA {
		return false
	}
	if t.MaxAbandon > 0 && r.PAbandon > t.MaxAbandon {
		return false
	}
	return t.MaxOccupancy == 0 || r.Occupancy <= t.MaxOccupancy
}

// Required returns the smallest number of agents that meets t for p, with
// that staffing's predicted performance. A zero volume needs zero agents.
func Required(p Params, t Target) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	a := p.Intensity()
	if a == 0 {
		return Result{ServiceLevel: 1, Stable: true}, nil
	}
	n := searchStart(p, t, a)
	if p.Patience > 0 {
		return requiredA(p, t, n)
	}
	b := ErlangB(n, a)
	// A hard ceiling keeps a target no staffing can meet from looping.
	limit := n + int(10*a) + 1000
	for ; n <= limit; n++ {
		if r := evalC(p, n, t.Within, b); t.Met(r) {
			return r, nil
		}
		// Carry the Erlang B recursion one agent forward: each step is O(1).
		b = a * b / (float64(n+1) + a*b)
	}
	return Result{}, care.Errorf(care.EINVALID, "no staffing up to %d agents meets the target", limit)
}

// requiredA finds the least n ≥ lo meeting t under Erlang A by galloping
// then bisection. Every constraint is monotone in n (more agents: higher
// SL, lower ASA, abandonment and occupancy), so this finds the same n as a
// linear scan (TestRequiredABisectionMatchesScan) in O(log n) evaluations;
// each evaluation costs far more than an Erlang C one.
func requiredA(p Params, t Target, lo int) (Result, error) {
	a := p.Intensity()
	eval := func(n int) Result { return evalA(p, n, t.Within, ErlangB(n, a)) }
	limit := lo + int(10*a) + 1000
	if r := eval(lo); t.Met(r) {
		return r, nil
	}
	hi, step := lo, 1
	var best Result
	for {
		lo, hi = hi, min(hi+step, limit)
		if best = eval(hi); t.Met(best) {
			break
		}
		if hi == limit {
			return Result{}, care.Errorf(care.EINVALID, "no staffing up to %d agents meets the target", limit)
		}
		step *= 2
	}
	// Invariant: lo fails, hi meets.
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if r := eval(mid); t.Met(r) {
			hi, best = mid, r
		} else {
			lo = mid
		}
	}
	return best, nil
}

// searchStart returns a number of agents no larger than the answer, so the
// linear search skips hopeless staffing. Erlang C needs more agents than
// Erlangs. Under Erlang A at most nμ contacts per second are answered, so a
// service level s needs n ≥ s·a; an occupancy cap needs n ≥ a·(answered)/cap,
// which is not a lower bound under abandonment, so only Erlang C uses it.
func searchStart(p Params, t Target, a float64) int {
	if p.Patience == 0 {
		n := int(math.Floor(a)) + 1
		if t.MaxOccupancy > 0 {
			n = max(n, int(math.Ceil(a/t.MaxOccupancy)))
		}
		return n
	}
	return max(1, int(math.Floor(t.ServiceLevel*a)))
}

// Gross returns the agents to schedule so that net remain after shrinkage
// (the fraction of paid time not available for contacts: breaks, training,
// absence): ⌈net / (1 − shrinkage)⌉.
func Gross(net int, shrinkage float64) (int, error) {
	if shrinkage < 0 || shrinkage >= 1 || math.IsNaN(shrinkage) {
		return 0, care.Invalid("shrinkage", "must be a fraction from 0 up to but excluding 1")
	}
	// The small tolerance keeps 10/(1−0.2) = 12.500000000000002 style
	// rounding noise from adding a whole agent.
	return int(math.Ceil(float64(net)/(1-shrinkage) - 1e-9)), nil
}

// Staffing is the requirement of one interval of a plan.
type Staffing struct {
	Result     // the net requirement and its predicted performance
	Gross  int // agents to schedule after shrinkage
}

// Forecast builds the interval parameters of a plan from a volume forecast
// with one AHT, interval length and patience for every interval.
func Forecast(volumes []float64, aht, interval, patience time.Duration) []Params {
	ps := make([]Params, len(volumes))
	for i, v := range volumes {
		ps[i] = Params{Volume: v, AHT: aht, Interval: interval, Patience: patience}
	}
	return ps
}

// Plan returns the agents required in each interval (e.g. 48 half-hours of a
// day) to meet t, grossed up for shrinkage. Intervals are independent: the
// models assume a steady state within each, the standard simplification of
// interval staffing.
func Plan(intervals []Params, t Target, shrinkage float64) ([]Staffing, error) {
	if _, err := Gross(0, shrinkage); err != nil {
		return nil, err
	}
	out := make([]Staffing, len(intervals))
	for i, p := range intervals {
		r, err := Required(p, t)
		if err != nil {
			return nil, fmt.Errorf("interval %d: %w", i, err)
		}
		g, _ := Gross(r.Agents, shrinkage)
		out[i] = Staffing{Result: r, Gross: g}
	}
	return out, nil
}
