package erlang

import (
	"math"
	"time"
)

// logEpsilon is where the queue-length distribution is cut: states less
// likely than e^logEpsilon (about 1e-17) times the most likely queue length
// are dropped. Past the mode the terms decay at least geometrically, and
// impatience makes them decay faster, so the cut costs well under 1e-12 of
// probability.
const logEpsilon = -39.0

// maxQueue bounds the states kept, so that an absurd input (a patience of
// years on an overloaded queue) costs memory in megabytes, not gigabytes.
const maxQueue = 2_000_000

// evalA applies the Erlang A (M/M/n+M, Palm 1943) model given B(n, a).
//
// The number in system is a birth–death chain with birth rate λ and death
// rate kμ below n and nμ + jθ with j callers queued. Its stationary law is,
// relative to state n, a/k-ratios below n (the Erlang B shape, summed by B)
// and q_j = Π_{i=1..j} λ/(nμ + iθ) above. Arrivals see time averages
// (PASTA), which gives P(wait), P(abandon) = θ·E[queue]/λ, and the wait of
// a caller who finds j ahead.
func evalA(p Params, n int, within time.Duration, b float64) Result {
	a := p.Intensity()
	r := Result{Agents: n, Intensity: a, Stable: true}
	if a == 0 {
		r.ServiceLevel = 1
		return r
	}
	if n == 0 {
		// Nobody to answer: every caller waits and, being impatient, leaves.
		// No answered wait to average, so ASA is Infinite, not a flattering 0.
		r.PWait, r.PAbandon, r.ASA, r.Stable = 1, 1, Infinite, false
		return r
	}
	lambda := p.arrivalRate()
	nmu := float64(n) / p.AHT.Seconds()
	theta := 1 / p.Patience.Seconds()
	q, logScale := queueTail(lambda, nmu, theta)
	var sum float64
	for _, v := range q {
		sum += v
	}
	// With q_j = e^logScale·q̂_j, π_{n+j} = q_j·B / (1 − B + S·B)
	// = q̂_j·B / ((1 − B)·e^−logScale + Ŝ·B). Scaling keeps an overloaded
	// queue (q_j growing like (λ/nμ)^j for thousands of j) from overflowing,
	// and the B-multiplied form stays finite when B underflows for n ≫ a.
	norm := b / ((1-b)*math.Exp(-logScale) + sum*b)
	pi := q // reuse: π_{n+j} overwrites q_j
	var queueMean float64
	for j := range pi {
		pi[j] *= norm
		queueMean += float64(j) * pi[j]
	}
	r.PWait = sum * norm
	r.PAbandon = math.Min(1, theta*queueMean/lambda)
	served := 1 - r.PAbandon
	r.Occupancy = a * served / float64(n)
	r.ASA = Infinite // nobody answered: no wait to average
	if served > 0 {
		r.ASA = seconds(answeredWait(pi, nmu, theta) / served)
	}
	r.ServiceLevel = (1 - r.PWait) + servedWithin(pi, nmu, theta, within.Seconds())
	return r
}

// queueTail returns q_j = Π_{i=1..j} λ/(nμ + iθ), q_0 = 1, divided by
// their maximum, and the log of that maximum, up to the point where the
// terms stop mattering. Logs are summed because the unscaled terms overflow
// when λ > nμ and patience is long.
func queueTail(lambda, nmu, theta float64) ([]float64, float64) {
	logs := []float64{0}
	top, lv := 0.0, 0.0
	for j := 1; j < maxQueue; j++ {
		lv += math.Log(lambda / (nmu + float64(j)*theta))
		top = max(top, lv)
		// Only cut past the mode of the tail, where the terms decrease.
		if nmu+float64(j)*theta > lambda && lv < top+logEpsilon {
			break
		}
		logs = append(logs, lv)
	}
	for j, l := range logs {
		logs[j] = math.Exp(l - top)
	}
	return logs, top
}

// answeredWait returns E[W · 1{answered}] in seconds. A tagged caller with i
// others ahead leaves that state at rate r_i = nμ + (i+1)θ: to i−1 (or to an
// agent when i = 0) at rate nμ + iθ, or by its own abandonment at rate θ.
// With m_i = E[W·1{answered} | i ahead]:
// m_i = s_i/r_i + ((nμ + iθ)/r_i)·m_{i−1}, m_{−1} = 0, s_i = nμ/r_i,
// where s_i is the probability of being answered (the product telescopes).
func answeredWait(pi []float64, nmu, theta float64) float64 {
	var m, total float64
	for i, w := range pi {
		ri := nmu + float64(i+1)*theta
		m = (nmu/ri)/ri + (nmu+float64(i)*theta)/ri*m
		total += w * m
	}
	return total
}

// servedWithin returns P(wait ≤ t and answered) for callers who queue, by
// uniformisation of the tagged caller's chain (see answeredWait): with a
// rate Λ ≥ every r_i, the chain becomes a discrete one observed at Poisson(Λt)
// jumps, and v_k(i) = P(answered within k jumps | i ahead) obeys
// v_{k+1}(i) = ((nμ+iθ)/Λ)·v_k(i−1) + (1 − r_i/Λ)·v_k(i), v_k(−1) = 1.
// Every term is a probability, so there is no cancellation, unlike the
// closed form of a hypoexponential sum.
func servedWithin(pi []float64, nmu, theta, t float64) float64 {
	if t <= 0 {
		return 0
	}
	last := len(pi) - 1
	big := nmu + float64(last+1)*theta
	lt := big * t
	v := make([]float64, len(pi))
	var total, weightSum float64
	// Past 12 standard deviations above the mean the Poisson weights are
	// below 1e-30; the bound also stops rounding in weightSum looping for ever.
	kmax := int(math.Ceil(lt + 12*math.Sqrt(lt) + 30))
	for k := 0; k <= kmax; k++ {
		// Poisson weight in log space: e^{−Λt} underflows for Λt > 745.
		lg, _ := math.Lgamma(float64(k + 1))
		w := math.Exp(-lt + float64(k)*math.Log(lt) - lg)
		var mass float64
		for i, pv := range pi {
			mass += pv * v[i]
		}
		total += w * mass
		weightSum += w
		if float64(k) > lt && 1-weightSum < 1e-13 {
			break
		}
		// Downwards, so v[i−1] still holds step k when v[i] is updated.
		for i := last; i >= 0; i-- {
			below := 1.0
			if i > 0 {
				below = v[i-1]
			}
			ri := nmu + float64(i+1)*theta
			v[i] = (nmu+float64(i)*theta)/big*below + (1-ri/big)*v[i]
		}
	}
	return total
}
