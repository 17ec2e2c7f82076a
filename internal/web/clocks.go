package web

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// clockView is one deadline as the case page shows it.
type clockView struct {
	Label       string // "Final response"
	Regime      string // "UK FCA", "ISO 10002", "SLA"
	Occurrence  int    // shown for recurring clocks after the first
	Due         time.Time
	State       string // as of now: running, warning, paused, met, breached, lapsed
	Active      bool
	WarnMinutes int // the countdown turns amber this many minutes before Due
	Basis       string
	Source      string
	MetAt       time.Time
}

var regimeLabels = map[string]string{"iso10002": "ISO 10002", "uk-fca": "UK FCA", "au-asic": "ASIC RG 271",
	"ie-cpc": "Ireland CPC", "us-ca-claims": "California claims", care.SLARegime: "SLA"}

// clockViews orders a case's clocks for reading: the ones still running by
// nearest deadline, then the finished ones, most recent first.
func clockViews(clocks []*care.Clock, now time.Time) []clockView {
	out := make([]clockView, 0, len(clocks))
	for _, k := range clocks {
		if k.State == care.ClockCancelled {
			continue
		}
		v := clockView{Label: label(k.Name), Regime: regimeLabels[k.Regime], Occurrence: k.Occurrence, Due: k.DueAt,
			State: k.StateAt(now), Active: k.State == care.ClockRunning || k.State == care.ClockWarning,
			WarnMinutes: int(k.DueAt.Sub(k.WarnAt) / time.Minute), Basis: k.Basis, Source: k.Rule.Source, MetAt: k.MetAt}
		if v.Regime == "" {
			v.Regime = strings.ToUpper(k.Regime)
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b clockView) int {
		if a.Active != b.Active {
			if a.Active {
				return -1
			}
			return 1
		}
		if a.Active {
			return a.Due.Compare(b.Due)
		}
		return cmp.Compare(b.Due.UnixNano(), a.Due.UnixNano())
	})
	return out
}
