package erlang

import (
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"
)

// freeAt is a min-heap of the times agents become free.
type freeAt []float64

func (h freeAt) Len() int           { return len(h) }
func (h freeAt) Less(i, j int) bool { return h[i] < h[j] }
func (h freeAt) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *freeAt) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *freeAt) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// simulate runs an M/M/n+M FCFS queue for count arrivals and returns the
// fraction answered within `within`, the fraction abandoned and the mean
// wait of answered callers. Under FCFS a caller's start is the earliest
// time an agent frees after everyone answered before it, so callers can be
// processed in arrival order: it is an independent check on the analytic
// Erlang A, written without any of its algebra.
func simulate(p Params, n, count int, within time.Duration, seed uint64) (sl, ab, asa float64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	lambda := p.arrivalRate()
	h := make(freeAt, n)
	var now, waitSum float64
	var answeredIn, abandoned, answered int
	for range count {
		now += rng.ExpFloat64() / lambda
		start := max(now, h[0])
		wait := start - now
		if wait > rng.ExpFloat64()*p.Patience.Seconds() {
			abandoned++
			continue
		}
		answered++
		waitSum += wait
		if wait <= within.Seconds() {
			answeredIn++
		}
		h[0] = start + rng.ExpFloat64()*p.AHT.Seconds()
		heap.Fix(&h, 0)
	}
	return float64(answeredIn) / float64(count), float64(abandoned) / float64(count), waitSum / float64(answered)
}

func TestErlangAMatchesSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	for _, c := range []struct {
		n        int
		patience time.Duration
	}{{11, time.Minute}, {12, time.Minute}, {9, 10 * time.Minute}, {13, 10 * time.Minute}} {
		p := classic
		p.Patience = c.patience
		r, _ := Evaluate(p, c.n, 20*time.Second)
		sl, ab, asa := simulate(p, c.n, 400_000, 20*time.Second, uint64(c.n))
		// 400,000 callers: sampling error of each fraction is under 0.005.
		near(t, "SL vs sim", r.ServiceLevel, sl, 0.01)
		near(t, "abandon vs sim", r.PAbandon, ab, 0.01)
		near(t, "ASA vs sim (s)", r.ASA.Seconds(), asa, 0.05*asa+0.3)
	}
}
