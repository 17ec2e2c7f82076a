package calendar

import (
	"time"
)

// AddBusinessTime returns the instant when d of business time has passed
// after t, counting only business hours. A t outside business hours starts
// at the next opening; a deadline that lands exactly on a closing time stays
// there rather than moving to the next opening. Inside the index window it
// costs one binary search; sub-second parts of t are dropped.
func (c *Calendar) AddBusinessTime(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		// Nothing to add: the answer is t or the next opening, which the
		// day walk finds in a step or two (the index would answer with the
		// previous closing time, the same business position).
		return c.addBusinessTimeSlow(t, 0)
	}
	if p, ok := c.position(t); ok {
		if u, ok := c.instant(p + int64(d/time.Second)); ok {
			return u
		}
	}
	return c.addBusinessTimeSlow(t, int64(d/time.Second))
}

// AddBusinessHours returns the instant n business hours after t.
func (c *Calendar) AddBusinessHours(t time.Time, n int) time.Time {
	return c.AddBusinessTime(t, time.Duration(n)*time.Hour)
}

// BusinessTimeBetween returns the business time from a to b (negative when b
// is before a): what a paused SLA clock has lost.
func (c *Calendar) BusinessTimeBetween(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.BusinessTimeBetween(b, a)
	}
	pa, ok1 := c.position(a)
	pb, ok2 := c.position(b)
	if ok1 && ok2 {
		return time.Duration(pb-pa) * time.Second
	}
	return c.businessTimeBetweenSlow(a, b)
}

// businessTimeBetweenSlow walks day by day; used only outside the window.
func (c *Calendar) businessTimeBetweenSlow(a, b time.Time) time.Duration {
	var secs int64
	da, sa := c.localDaySecs(a)
	db, sb := c.localDaySecs(b)
	for d := da; d <= db; d++ {
		sp := c.spanOf(d)
		lo, hi := sp.open, sp.close
		if d == da {
			lo = max(lo, min(sa, hi))
		}
		if d == db {
			hi = min(hi, max(sb, lo))
		}
		secs += int64(hi - lo)
	}
	return time.Duration(secs) * time.Second
}

// position returns the business seconds from the window start to t.
func (c *Calendar) position(t time.Time) (int64, bool) {
	d, s := c.localDaySecs(t)
	i, ok := c.idx(d)
	if !ok {
		return 0, false
	}
	sp := span{}
	if c.count[i+1] > c.count[i] {
		sp = c.cfg.hours[d.Weekday()]
	}
	return c.bsecs[i] + int64(min(max(s, sp.open), sp.close)-sp.open), true
}

// instant is the inverse of position: the local time at which p business
// seconds from the window start have passed.
func (c *Calendar) instant(p int64) (time.Time, bool) {
	n := len(c.eod)
	if p <= 0 || p > c.bsecs[n] {
		return time.Time{}, false
	}
	// Smallest j with bsecs[j+1] >= p; since p > bsecs[j], day j has
	// business hours and p falls inside them (or on their close).
	lo, hi := 0, n-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c.bsecs[mid+1] >= p {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	d := c.first + Day(lo)
	return c.at(d, c.cfg.hours[d.Weekday()].open+int32(p-c.bsecs[lo])), true
}

// at returns the instant on local day d at secs after midnight, by the wall
// clock.
func (c *Calendar) at(d Day, secs int32) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, int(secs), 0, c.cfg.loc)
}

// addBusinessTimeSlow walks day by day; used only outside the index window.
func (c *Calendar) addBusinessTimeSlow(t time.Time, secs int64) time.Time {
	d, s := c.localDaySecs(t)
	for limit := 0; limit < 200*366; limit++ {
		sp := c.spanOf(d)
		from := max(s, sp.open)
		if from < sp.close {
			avail := int64(sp.close - from)
			if secs <= avail {
				return c.at(d, from+int32(secs))
			}
			secs -= avail
		}
		d, s = d+1, 0
	}
	return time.Time{}
}
