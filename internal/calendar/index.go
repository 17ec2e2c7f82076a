package calendar

import (
	"time"
)

// Calendar is a region's holidays plus a firm's business hours, cut-off,
// closure days and time zone, with a precomputed business-day index. It is
// immutable and safe for concurrent use.
type Calendar struct {
	cfg      config
	holidays map[Day]string // holidays (and closures) by day, for explanations
	first    Day            // first day of the index window
	count    []int32        // count[i]: business days in [first, first+i)
	bdays    []Day          // the business days of the window, ascending
	bsecs    []int64        // bsecs[i]: business seconds in [first, first+i)
	eod      []int64        // eod[i]: Unix time of 23:59:59 local on first+i
}

// build computes the holiday set and the prefix arrays of the window.
func build(cfg config) (*Calendar, error) {
	c := &Calendar{cfg: cfg, first: windowFirst}
	c.holidays = holidaySet(&cfg, windowFirst.Year()-1, windowLast.Year()+1)
	n := int(windowLast-windowFirst) + 1
	c.count = make([]int32, n+1)
	c.bsecs = make([]int64, n+1)
	c.eod = make([]int64, n)
	c.bdays = make([]Day, 0, n*5/7)
	for i := 0; i < n; i++ {
		d := windowFirst + Day(i)
		sp := c.spanOf(d)
		c.count[i+1] = c.count[i]
		c.bsecs[i+1] = c.bsecs[i] + int64(sp.close-sp.open)
		if sp.close > sp.open {
			c.count[i+1]++
			c.bdays = append(c.bdays, d)
		}
		y, m, dd := d.Date()
		c.eod[i] = time.Date(y, m, dd, 23, 59, 59, 0, cfg.loc).Unix()
	}
	return c, nil
}

// holidaySet returns the region's holidays, overrides and the firm's
// closures for the years from..to, as known on the configured as-of day.
func holidaySet(cfg *config, from, to int) map[Day]string {
	set := make(map[Day]string, (to-from+1)*12)
	for y := from; y <= to; y++ {
		for _, e := range cfg.region.holidays {
			if cfg.hasAsOf && e.known > cfg.asOf {
				continue
			}
			if _, obs := e.h.Calc(y); !obs.IsZero() {
				set[DayFromTime(obs)] = e.h.Name
			}
		}
	}
	for _, o := range overrides {
		if (cfg.hasAsOf && o.Known > cfg.asOf) || !hasRegion(o.Regions, cfg.region.code) {
			continue
		}
		if o.Remove {
			delete(set, o.Day)
		} else {
			set[o.Day] = o.Name
		}
	}
	for _, d := range cfg.openDays {
		delete(set, d)
	}
	for _, d := range cfg.closures {
		set[d] = "firm closure"
	}
	return set
}

func hasRegion(list []string, code string) bool {
	for _, r := range list {
		if r == code {
			return true
		}
	}
	return false
}

// spanOf returns d's business hours: its weekday's hours, or none on a
// holiday or closure. Outside the window it computes the holidays of d's
// year on the spot (slow, but correct).
func (c *Calendar) spanOf(d Day) span {
	sp := c.cfg.hours[d.Weekday()]
	if sp.close <= sp.open {
		return span{}
	}
	if c.holidays != nil && d >= windowFirst && d <= windowLast {
		if _, hol := c.holidays[d]; hol {
			return span{}
		}
		return sp
	}
	y := d.Year()
	if _, hol := holidaySet(&c.cfg, y-1, y+1)[d]; hol {
		return span{}
	}
	return sp
}

// idx returns d's position in the index window and whether it is inside.
func (c *Calendar) idx(d Day) (int, bool) {
	i := int(d - c.first)
	return i, i >= 0 && i < len(c.eod)
}
