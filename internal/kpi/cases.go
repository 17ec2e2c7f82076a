package kpi

import (
	"slices"
	"time"
)

// visitCase calls at once for each day case c contributes to, with the
// change to apply to that day's totals, n times (n = −1 takes it out).
// Both the rollup and the raw computation go through here, so they cannot
// disagree about what a case counts as.
func visitCase(c *Case, o *Options, dc *dayCache, n int64, at func(Day, func(*Totals))) {
	if c.ReceivedAt.IsZero() {
		return
	}
	complaint := c.Key.CaseType == "complaint"
	received := dc.of(c.ReceivedAt)
	lag := int32(OpenLag)
	resolved := !c.ResolvedAt.IsZero()
	var resolvedDay Day
	if resolved {
		resolvedDay = dc.of(c.ResolvedAt)
		lag = max(0, int32(resolvedDay-received))
	}
	at(received, func(t *Totals) {
		t.Received += n
		var cn int64
		if complaint {
			t.ComplaintsReceived += n
			cn = n
		}
		t.addLag(lag, n, cn)
	})
	for _, k := range c.Clocks {
		if k.Name == "" || k.Due.IsZero() {
			continue // not a settled clock: nothing to count
		}
		at(dc.of(k.Due), func(t *Totals) { addTally(&t.Clocks, k.Name, metOnTime(k.Due, k.Done), n) })
	}
	if !c.FirstResponseAt.IsZero() {
		at(dc.of(c.FirstResponseAt), func(t *Totals) {
			t.FirstResponse.add(c.FirstResponseAt.Sub(c.ReceivedAt), n)
			t.FirstResponseBusiness.add(firstResponseBusiness(c, o), n)
		})
	}
	if !resolved {
		return
	}
	fcr := firstContactResolved(c, o, dc)
	at(resolvedDay, func(t *Totals) {
		t.Resolved += n
		t.Resolution.add(c.ResolvedAt.Sub(c.ReceivedAt), n)
		t.ResolutionBusiness.add(resolutionBusiness(c, o), n)
		if fcr {
			t.ResolvedFirstContact += n
		}
		if complaint {
			t.ComplaintsResolved += n
			for _, d := range c.Deadlines {
				addTally(&t.ComplaintDeadlines, d.Name, metOnTime(d.Due, c.ResolvedAt), n)
			}
		}
	})
}

func firstResponseBusiness(c *Case, o *Options) time.Duration {
	if o.BusinessTime != nil {
		return o.BusinessTime(c.ReceivedAt, c.FirstResponseAt)
	}
	return c.FirstResponseBusiness
}

func resolutionBusiness(c *Case, o *Options) time.Duration {
	if o.BusinessTime != nil {
		return o.BusinessTime(c.ReceivedAt, c.ResolvedAt)
	}
	return c.ResolutionBusiness
}

// firstContactResolved applies the FCR definition to a resolved case: the
// flag when one is set; otherwise exactly one customer contact up to the
// resolution, and no other contact on the first contact's calendar day or
// the RepeatDays days after it. A contact later than that is a new matter,
// not a repeat.
func firstContactResolved(c *Case, o *Options, dc *dayCache) bool {
	switch c.FCR {
	case FCRYes:
		return true
	case FCRNo:
		return false
	}
	if len(c.Contacts) == 0 {
		return true // the receipt itself was the only contact
	}
	first := slices.MinFunc(c.Contacts, func(a, b time.Time) int { return a.Compare(b) })
	windowEnd := dc.of(first) + Day(o.RepeatDays)
	var upToResolution, inWindow int
	for _, t := range c.Contacts {
		if !t.After(c.ResolvedAt) {
			upToResolution++
		}
		if dc.of(t) <= windowEnd {
			inWindow++
		}
	}
	return upToResolution <= 1 && inWindow == 1
}
