package portal

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// limiter is a token bucket per client address, in this process's memory.
type limiter struct {
	mu      sync.Mutex
	limit   Limit
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the limiter's memory: past it, buckets that have
// refilled completely (which carry no information) are dropped.
const maxBuckets = 10_000

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{limit: l, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.limit.Burst), at: now}
		l.buckets[key] = b
	}
	b.refill(l.limit, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.limit.Every))
	return false, wait
}

func (b *bucket) refill(l Limit, now time.Time) {
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(float64(l.Burst), b.tokens+float64(elapsed)/float64(l.Every))
		b.at = now
	}
}

// prune drops full buckets; if every bucket is in use it drops them all
// rather than grow without bound (a flood of addresses resets the limits
// instead of exhausting memory).
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		b.refill(l.limit, now)
		if b.tokens >= float64(l.limit.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// limited wraps a handler in lim, answering 429 with Retry-After (in
// whole seconds, rounded up) when the client has used its share.
func (p *Portal) limited(lim *limiter, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ok, wait := lim.allow(rateKey(p.opts.ClientIP(r)))
		if !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			minutes := max(1, (secs+59)/60)
			msg := "You have sent several requests in a short time. Please wait " + strconv.Itoa(minutes) +
				" minute"
			if minutes != 1 {
				msg += "s"
			}
			msg += " and try again. If it is urgent, please phone us."
			p.renderError(w, r, http.StatusTooManyRequests, "Please wait a moment", msg)
			return
		}
		next(w, r)
	}
}

// rateKey is the bucket of a client address: the address itself for IPv4,
// and its /64 for IPv6, where one household or phone is given a whole /64
// and could otherwise step through fresh addresses.
func rateKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Is4() || a.Is4In6() {
		if err == nil {
			return a.Unmap().String()
		}
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}
