package demo

import (
	"math"
	"math/rand/v2"
	"time"
)

// The shape of a UK insurer's contact volume: a January peak (renewals,
// burst pipes, New Year claims), storm season from October to February,
// quiet summer and Christmas weeks; Mondays busiest, weekends light; a
// morning and an early-afternoon peak within the day.
var (
	monthFactor   = [13]float64{0, 1.30, 1.12, 1.02, 0.95, 0.92, 0.90, 0.95, 0.88, 1.00, 1.08, 1.10, 0.85}
	weekdayFactor = [7]float64{0.22, 1.32, 1.12, 1.03, 1.00, 0.94, 0.45} // Sunday first, as time.Weekday
	// hourWeight is the share of a weekday's contacts in each local hour.
	hourWeight = [24]float64{0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 5, 9.5, 10, 9, 7.5, 8.5, 9, 8, 7, 5.5, 3.5, 2.5, 1.8, 1.2, 0.7, 0.4}
)

// storm is a named storm: on its day and the days after, home and motor
// claims surge.
type storm struct {
	day  time.Time // local midnight
	size float64   // extra volume on the first day, as a share of normal
}

// season draws the storms of the period and weighs each day's volume.
type season struct {
	loc    *time.Location
	start  time.Time // first local day
	days   int
	storms []storm
	weight []float64 // per day
	total  float64
}

func newSeason(rng *rand.Rand, loc *time.Location, now time.Time, months int) *season {
	end := now.In(loc)
	start := time.Date(end.Year(), end.Month()-time.Month(months), end.Day(), 0, 0, 0, 0, loc)
	s := &season{loc: loc, start: start}
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		s.days++
	}
	// Two to four storms each storm season (October to February).
	for d := 0; d < s.days; d++ {
		day := s.day(d)
		if m := day.Month(); (m >= 10 || m <= 2) && rng.IntN(1000) < 20 {
			s.storms = append(s.storms, storm{day: day, size: 0.6 + rng.Float64()*1.4})
			d += 10 // storms come at least ten days apart
		}
	}
	s.weight = make([]float64, s.days)
	for d := range s.weight {
		day := s.day(d)
		// Volume grows about 4 % a year as the book grows.
		growth := 1 + 0.04*float64(d)/365
		w := monthFactor[day.Month()] * weekdayFactor[day.Weekday()] * growth * (1 + s.surge(day))
		if day.Month() == 12 && (day.Day() == 25 || day.Day() == 26) || day.Month() == 1 && day.Day() == 1 {
			w *= 0.15 // bank holidays: digital channels only, mostly
		}
		if day.Month() == 1 && day.Day() >= 2 && day.Day() <= 9 && day.Weekday() != time.Sunday {
			w *= 1.25 // the first working week of January
		}
		s.weight[d] = w
		s.total += w
	}
	return s
}

// day returns local midnight of the d-th day.
func (s *season) day(d int) time.Time { return s.start.AddDate(0, 0, d) }

// surge is the extra volume a storm brings on a day: the most on the day
// it hits, decaying over the following week.
func (s *season) surge(day time.Time) float64 {
	extra := 0.0
	for _, st := range s.storms {
		after := int(math.Round(day.Sub(st.day).Hours() / 24))
		if after >= 0 && after < 8 {
			extra += st.size * math.Pow(0.55, float64(after))
		}
	}
	return extra
}

// load is a day's volume relative to the average day: queues wait longer
// on busy days.
func (s *season) load(d int) float64 { return s.weight[d] * float64(s.days) / s.total }

// at draws a time of day on day d for a contact on channel ch: phone and
// in-person contacts only in opening hours (Monday to Friday 8–20,
// Saturday 9–17), digital ones at any hour, mostly in the day.
func (s *season) at(rng *rand.Rand, d int, ch string) time.Time {
	day := s.day(d)
	open, closeAt := 0, 24
	if ch == "phone" || ch == "in_person" || ch == "chat" {
		switch day.Weekday() {
		case time.Sunday:
			open, closeAt = 10, 16 // chat and an emergency claims line only
		case time.Saturday:
			open, closeAt = 9, 17
		default:
			open, closeAt = 8, 20
		}
	}
	total := 0.0
	for h := open; h < closeAt; h++ {
		total += hourWeight[h]
	}
	r := rng.Float64() * total
	h := open
	for ; h < closeAt-1; h++ {
		if r < hourWeight[h] {
			break
		}
		r -= hourWeight[h]
	}
	return time.Date(day.Year(), day.Month(), day.Day(), h, rng.IntN(60), rng.IntN(60), 0, s.loc)
}

// stormy reports whether day d is within three days of a storm.
func (s *season) stormy(d int) bool { return s.surge(s.day(d)) > 0.2 }

// channelMix is the share of first contacts per channel, moving from
// phone to chat and web over the period (share is 0 at the start, 1 now).
func channelMix(share float64) []int {
	return []int{
		int(480 - 80*share), // phone
		260,                 // email
		int(80 + 60*share),  // chat
		int(90 + 25*share),  // web form
		int(22 - 8*share),   // post
		10,                  // in person
		int(25 + 10*share),  // social
	}
}

// logNormal draws a duration with the given median; sigma spreads it.
func logNormal(rng *rand.Rand, median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(sigma*rng.NormFloat64()))
}
