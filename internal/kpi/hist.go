package kpi

import (
	"math"
	"slices"
	"sort"
)

// Histogram counts durations in fixed log-spaced buckets so that rollups
// can merge percentiles: bucket 0 holds [0, 1 s); bucket i ≥ 1 holds
// [2^((i−1)/16), 2^(i/16)) seconds, sixteen buckets per doubling. A
// percentile read from it is the bucket's geometric midpoint, which is
// within 2^(1/32) − 1 < 2.2 % of the exact nearest-rank percentile (0.5 s
// absolute below 1 s): the rank is counted exactly, so the exact value lies
// in the chosen bucket. Only buckets in use are stored, sorted by index.
type Histogram struct {
	Bins []Bin
}

// Bin is one histogram bucket in use.
type Bin struct {
	Index int32
	Count int64
}

// bucketsPerDoubling and maxBucket define the fixed bucket layout; changing
// them changes persisted rollups.
const (
	bucketsPerDoubling = 16
	maxBucket          = 1 + bucketsPerDoubling*40 // 2^40 s: beyond any case's life
)

// HistogramErrorBound is the largest relative error of a histogram
// percentile at or above 1 s: 2^(1/32) − 1, half a bucket in log terms
// (checked against math.Exp2 by TestHistogramBuckets).
const HistogramErrorBound = 0.021897148654116678

// bucketOf returns the bucket of a duration in milliseconds.
func bucketOf(ms int64) int32 {
	if ms < 1000 {
		return 0
	}
	i := 1 + int32(math.Floor(bucketsPerDoubling*math.Log2(float64(ms)/1000)))
	return min(i, maxBucket)
}

// bucketMid returns the representative value of bucket i in seconds.
func bucketMid(i int32) float64 {
	if i == 0 {
		return 0.5
	}
	return math.Exp2((float64(i) - 0.5) / bucketsPerDoubling)
}

// add counts n more (or fewer, when n < 0) durations of ms milliseconds.
func (h *Histogram) add(ms, n int64) {
	h.addBin(bucketOf(ms), n)
}

func (h *Histogram) addBin(idx int32, n int64) {
	i := sort.Search(len(h.Bins), func(i int) bool { return h.Bins[i].Index >= idx })
	if i < len(h.Bins) && h.Bins[i].Index == idx {
		h.Bins[i].Count += n
		return
	}
	h.Bins = slices.Insert(h.Bins, i, Bin{Index: idx, Count: n})
}

// merge adds o's counts into h.
func (h *Histogram) merge(o Histogram) {
	if len(o.Bins) == 0 {
		return
	}
	if len(h.Bins) == 0 {
		h.Bins = slices.Clone(o.Bins)
		return
	}
	out := make([]Bin, 0, len(h.Bins)+len(o.Bins))
	a, b := h.Bins, o.Bins
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0].Index < b[0].Index:
			out, a = append(out, a[0]), a[1:]
		case a[0].Index > b[0].Index:
			out, b = append(out, b[0]), b[1:]
		default:
			out = append(out, Bin{Index: a[0].Index, Count: a[0].Count + b[0].Count})
			a, b = a[1:], b[1:]
		}
	}
	out = append(append(out, a...), b...)
	h.Bins = out
}

// denseHistogram adds up many sparse histograms in one fixed array, so a
// report merging thousands of cells allocates nothing per cell.
type denseHistogram [maxBucket + 1]int64

// add adds h's counts.
func (d *denseHistogram) add(h *Histogram) {
	for _, b := range h.Bins {
		d[b.Index] += b.Count
	}
}

// quantiles returns the nearest-rank p50 and p90 in seconds, undefined when
// empty, and clears d for reuse.
func (d *denseHistogram) quantiles() (p50, p90 Maybe) {
	var total int64
	for _, n := range d {
		total += n
	}
	if total > 0 {
		r50, r90 := nearestRank(50, total), nearestRank(90, total)
		var seen int64
		for i, n := range d {
			seen += n
			if !p50.Valid && seen >= r50 {
				p50 = Some(bucketMid(int32(i)))
			}
			if seen >= r90 {
				p90 = Some(bucketMid(int32(i)))
				break
			}
		}
	}
	*d = denseHistogram{}
	return p50, p90
}

// nearestRank returns the 1-based rank of percentile pct among n values:
// ⌈pct·n/100⌉, at least 1, in integers so 90 % of 10 is exactly rank 9.
func nearestRank(pct int, n int64) int64 {
	return max(1, (int64(pct)*n+99)/100)
}

// exactQuantile returns the nearest-rank percentile of sorted millisecond
// values, in seconds.
func exactQuantile(sorted []int64, pct int) Maybe {
	if len(sorted) == 0 {
		return Maybe{}
	}
	return Some(float64(sorted[nearestRank(pct, int64(len(sorted)))-1]) / 1000)
}
