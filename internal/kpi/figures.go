package kpi

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Figures are the KPIs of one period and one group, in the shape the CLI
// and the API print (field names map to snake_case JSON: ASASeconds →
// asa_seconds). Rates are fractions from 0 to 1, NPS runs from −100 to 100,
// durations are in seconds, counts are raw. Undefined figures (a zero
// denominator) are Maybe{} and print as "n/a" or JSON null.
type Figures struct {
	Start time.Time // first instant of the period, local midnight
	End   time.Time // first instant of the next period
	Group Key       // the grouped dimensions; the others are zero

	Offered        int64
	Answered       int64
	Abandoned      int64 // short abandons included
	ShortAbandoned int64
	// ASASeconds: mean wait of answered contacts.
	ASASeconds Maybe
	// AbandonmentRate: (abandoned − short) / (offered − short).
	AbandonmentRate Maybe
	// ServiceLevel: answered within threshold / (answered + abandoned − short).
	ServiceLevel Maybe
	Handled      int64
	// AHTSeconds: mean talk + hold + wrap-up of handled contacts.
	AHTSeconds Maybe

	Received int64 // cases received
	Resolved int64 // cases resolved
	// FCRRate: cases resolved at first contact / cases resolved.
	FCRRate               Maybe
	FirstResponse         Durations // calendar time, counted in the period of the response
	FirstResponseBusiness Durations // business hours
	Resolution            Durations // calendar time, counted in the period of resolution
	ResolutionBusiness    Durations

	// Backlog: cases open at the end of the period (or of Query.AsOf's day
	// when earlier), by age in days.
	Backlog int64
	Ageing  []AgeBucket
	// SLA: attainment per clock, met / (met + breached).
	SLA []Attainment

	ComplaintsReceived    int64
	ComplaintsResolved    int64
	ComplaintsOpenAtStart int64
	// ComplaintResolutionRate: resolved / (open at start + received).
	ComplaintResolutionRate Maybe
	// ComplaintDeadlines: complaints resolved in the period within each
	// regulatory deadline / complaints resolved with that deadline.
	ComplaintDeadlines []Attainment

	CSAT              Maybe // share of 4 and 5 among 1–5 answers
	CSATResponses     int64
	NPS               Maybe // % promoters (9–10) − % detractors (0–6); round once, at display
	NPSResponses      int64
	CES               Maybe // mean of 1–7 answers
	CESEffortlessRate Maybe // share of 5–7
	CESResponses      int64

	RenewalsDue int64
	NotRenewed  int64
	ChurnRate   Maybe // not renewed / up for renewal
}

// Durations summarise a set of spans in seconds.
type Durations struct {
	Count       int64
	MeanSeconds Maybe
	P50Seconds  Maybe
	P90Seconds  Maybe
}

// AgeBucket counts open cases whose age in days is in [MinDays, MaxDays];
// MaxDays is −1 for the open-ended last bucket.
type AgeBucket struct {
	Label   string // e.g. "0-2", "57+"
	MinDays int
	MaxDays int
	Count   int64
}

// Attainment is a met/missed tally with its rate.
type Attainment struct {
	Name   string
	Met    int64
	Missed int64
	Rate   Maybe // met / (met + missed)
}

// backlog is the open-case snapshot of one period and group.
type backlog struct {
	open            int64
	ageing          []int64
	complaintsStart int64
}

// quantiles gives p50 and p90 of one of the four case spans, in the order
// of Totals.spans.
type quantiles func(span int) (p50, p90 Maybe)

// figures turns totals into KPIs.
func figures(t *Totals, p period, group Key, b *backlog, ageing []int, q quantiles) Figures {
	long := t.Abandoned - t.ShortAbandoned
	f := Figures{
		Start: p.start, End: p.end, Group: group,
		Offered: t.Offered, Answered: t.Answered, Abandoned: t.Abandoned, ShortAbandoned: t.ShortAbandoned,
		ASASeconds:      perThousand(t.WaitMillis, t.Answered),
		AbandonmentRate: ratio(long, t.Offered-t.ShortAbandoned),
		ServiceLevel:    ratio(t.AnsweredWithin, t.Answered+long),
		Handled:         t.Handled,
		AHTSeconds:      perThousand(t.HandleMillis, t.Handled),
		Received:        t.Received, Resolved: t.Resolved,
		FCRRate: ratio(t.ResolvedFirstContact, t.Resolved),
		Backlog: b.open,
		Ageing:  ageBuckets(ageing, b.ageing),
		SLA:     attainments(t.Clocks),

		ComplaintsReceived: t.ComplaintsReceived, ComplaintsResolved: t.ComplaintsResolved,
		ComplaintsOpenAtStart:   b.complaintsStart,
		ComplaintResolutionRate: ratio(t.ComplaintsResolved, b.complaintsStart+t.ComplaintsReceived),
		ComplaintDeadlines:      attainments(t.ComplaintDeadlines),

		RenewalsDue: t.RenewalsDue, NotRenewed: t.NotRenewed,
		ChurnRate: ratio(t.NotRenewed, t.RenewalsDue),
	}
	outs := []*Durations{&f.FirstResponse, &f.FirstResponseBusiness, &f.Resolution, &f.ResolutionBusiness}
	for i, s := range t.spans() {
		*outs[i] = Durations{Count: s.Count, MeanSeconds: perThousand(s.Millis, s.Count)}
		if s.Count > 0 {
			outs[i].P50Seconds, outs[i].P90Seconds = q(i)
		}
	}
	surveyFigures(t, &f)
	return f
}

// perThousand returns a mean in seconds from a sum of milliseconds.
func perThousand(ms, n int64) Maybe {
	if n == 0 {
		return Maybe{}
	}
	return Some(float64(ms) / float64(n) / 1000)
}

// surveyFigures computes CSAT, NPS and CES from score counts. NPS is
// computed from counts in one division, never from rounded percentages.
func surveyFigures(t *Totals, f *Figures) {
	var csatN, csatTop int64
	for i, n := range t.CSAT {
		csatN += n
		if i+1 >= 4 {
			csatTop += n
		}
	}
	f.CSAT, f.CSATResponses = ratio(csatTop, csatN), csatN
	var npsN, promoters, detractors int64
	for score, n := range t.NPS {
		npsN += n
		switch {
		case score >= 9:
			promoters += n
		case score <= 6:
			detractors += n
		}
	}
	f.NPSResponses = npsN
	if npsN > 0 {
		f.NPS = Some(100 * float64(promoters-detractors) / float64(npsN))
	}
	var cesN, cesSum, cesEasy int64
	for i, n := range t.CES {
		cesN += n
		cesSum += int64(i+1) * n
		if i+1 >= 5 {
			cesEasy += n
		}
	}
	f.CES, f.CESEffortlessRate, f.CESResponses = ratio(cesSum, cesN), ratio(cesEasy, cesN), cesN
}

// ageBuckets labels the backlog counts by the ageing bounds.
func ageBuckets(bounds []int, counts []int64) []AgeBucket {
	out := make([]AgeBucket, len(bounds)+1)
	lo := 0
	for i := range out {
		b := AgeBucket{MinDays: lo, MaxDays: -1, Label: strconv.Itoa(lo) + "+"}
		if i < len(bounds) {
			b.MaxDays = bounds[i]
			b.Label = strconv.Itoa(lo) + "-" + strconv.Itoa(bounds[i])
			lo = bounds[i] + 1
		}
		if i < len(counts) {
			b.Count = counts[i]
		}
		out[i] = b
	}
	return out
}

// ageBucket returns the index of the bucket holding an age in days.
func ageBucket(bounds []int, age int) int {
	for i, b := range bounds {
		if age <= b {
			return i
		}
	}
	return len(bounds)
}

// attainments lists tallies by name.
func attainments(m map[string]Tally) []Attainment {
	out := make([]Attainment, 0, len(m))
	for name, t := range m {
		out = append(out, Attainment{Name: name, Met: t.Met, Missed: t.Missed, Rate: ratio(t.Met, t.Met+t.Missed)})
	}
	slices.SortFunc(out, func(a, b Attainment) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
