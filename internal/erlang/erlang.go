// Package erlang sizes contact-centre staffing with queueing models: Erlang C
// (M/M/n, callers wait for ever) and Erlang A (M/M/n+M, callers abandon after
// an exponentially distributed patience). It is pure arithmetic: no I/O, no
// clock, standard library only. docs/erlang.md gives every formula and its
// source.
//
// Numerical stability: nothing here computes a factorial or a power of the
// traffic intensity. Both models start from the Erlang B recursion
// B(k) = a·B(k−1) / (k + a·B(k−1)), which stays in [0, 1] for any number of
// agents, so thousands of agents are as safe as ten.
package erlang

import (
	"math"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// Params describes the offered load of one interval.
type Params struct {
	Volume   float64       // contacts arriving in the interval (a forecast, may be fractional)
	AHT      time.Duration // mean handling time: talk + hold + wrap-up
	Interval time.Duration // length of the interval, e.g. 30 minutes
	// Patience is the mean time a caller waits before abandoning. Zero means
	// callers never abandon: the model is Erlang C. A positive value selects
	// Erlang A.
	Patience time.Duration
}

// Validate reports every invalid field of p.
func (p Params) Validate() error {
	var pr care.Problems
	if p.Volume < 0 || math.IsNaN(p.Volume) || math.IsInf(p.Volume, 0) {
		pr.Add("volume", "must be a finite number of contacts, zero or more")
	}
	if p.AHT <= 0 {
		pr.Add("aht", "must be positive")
	}
	if p.Interval <= 0 {
		pr.Add("interval", "must be positive")
	}
	if p.Patience < 0 {
		pr.Add("patience", "must be zero (never abandon) or positive")
	}
	return pr.Err()
}

// Intensity returns the traffic intensity in Erlangs: arrivals per second
// times the handling time in seconds, i.e. how many agents would be busy all
// the time if there were no queueing at all.
func (p Params) Intensity() float64 {
	return p.Volume * p.AHT.Seconds() / p.Interval.Seconds()
}

// arrivalRate returns λ in contacts per second.
func (p Params) arrivalRate() float64 { return p.Volume / p.Interval.Seconds() }

// ErlangB returns the blocking probability of n servers offered a Erlangs
// with no queue (Erlang's loss formula), by the recursion
// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
func ErlangB(n int, a float64) float64 {
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the probability that a contact has to wait when n agents
// are offered a Erlangs and callers never abandon. It is 1 when n ≤ a: the
// queue then grows without bound.
func ErlangC(n int, a float64) float64 {
	if a <= 0 {
		return 0
	}
	if float64(n) <= a {
		return 1
	}
	return erlangCFromB(n, a, ErlangB(n, a))
}

// erlangCFromB converts Erlang B to Erlang C: C = B / (1 − ρ(1 − B)), ρ = a/n.
func erlangCFromB(n int, a, b float64) float64 {
	rho := a / float64(n)
	return b / (1 - rho*(1-b))
}

// Infinite is the ASA reported when the queue is unstable (Erlang C with no
// more agents than Erlangs): the wait grows without bound.
const Infinite = time.Duration(math.MaxInt64)

// Result is the predicted performance of one interval with a given number of
// agents.
type Result struct {
	Agents    int     // agents on the phones (net of shrinkage)
	Intensity float64 // traffic intensity in Erlangs
	// PWait is the probability that a contact waits at all.
	PWait float64
	// ServiceLevel is the fraction of all arriving contacts answered within
	// the target time. Under Erlang A abandoned contacts count against it.
	ServiceLevel float64
	// ASA is the mean wait of answered contacts (those answered at once
	// count as zero). Infinite when Stable is false.
	ASA time.Duration
	// Occupancy is the fraction of agents' time spent handling contacts.
	Occupancy float64
	// PAbandon is the probability that a contact abandons (0 under Erlang C).
	PAbandon float64
	// Stable is false when contacts cannot be served in a steady state: an
	// Erlang C queue with agents ≤ Erlangs grows for ever, and with no agents
	// nobody is answered. SL is then 0, PWait 1 and ASA Infinite. Erlang A
	// with agents is always stable because impatience drains the queue.
	Stable bool
}

// Evaluate predicts the performance of n agents for p, counting contacts
// answered within `within` as in service level. Patience selects the model:
// zero gives Erlang C, positive gives Erlang A.
func Evaluate(p Params, n int, within time.Duration) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if n < 0 {
		return Result{}, care.Invalid("agents", "must be zero or more")
	}
	if within < 0 {
		return Result{}, care.Invalid("within", "must be zero or more")
	}
	if p.Patience == 0 {
		return evalC(p, n, within, ErlangB(n, p.Intensity())), nil
	}
	return evalA(p, n, within, ErlangB(n, p.Intensity())), nil
}

// evalC applies the Erlang C formulas given B(n, a), so that a search over n
// can carry the recursion forward instead of restarting it.
func evalC(p Params, n int, within time.Duration, b float64) Result {
	a := p.Intensity()
	r := Result{Agents: n, Intensity: a}
	if a == 0 {
		// No traffic: nobody waits; an idle agent is 0 % occupied.
		r.ServiceLevel, r.Stable = 1, true
		return r
	}
	if float64(n) <= a {
		r.PWait, r.ASA = 1, Infinite
		r.Occupancy = 1
		return r
	}
	c := erlangCFromB(n, a, b)
	aht := p.AHT.Seconds()
	spare := float64(n) - a
	r.PWait = c
	// Waits of queued callers are exponential with rate (n − a)/AHT.
	r.ServiceLevel = 1 - c*math.Exp(-spare*within.Seconds()/aht)
	r.ASA = seconds(c * aht / spare)
	r.Occupancy = a / float64(n)
	r.Stable = true
	return r
}

// seconds converts a float number of seconds to a Duration, rounding to the
// nanosecond; a value too large (or not a number) is Infinite rather than a
// wrapped-around negative Duration.
func seconds(s float64) time.Duration {
	if math.IsNaN(s) || s >= Infinite.Seconds() {
		return Infinite
	}
	return time.Duration(math.Round(s * 1e9))
}
