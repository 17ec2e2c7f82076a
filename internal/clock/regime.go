package clock

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
)

// StandardVariant is the variant name of a regime's main rule set; an
// empty variant means the same.
const StandardVariant = "standard"

// Regime is one version of a rule pack: the milestones a regulator (or a
// standard) sets for a kind of case, with the calendar they are counted on
// by default and the sources they come from.
type Regime struct {
	Name            string // e.g. "uk-fca"
	Variant         string // StandardVariant or e.g. "payment-services"
	DefaultCalendar string // calendar region used when the firm names none
	DefaultZone     string // IANA zone for DefaultCalendar when not the region's own ("" = the region's)
	Rules           []Rule
	Sources         []string
	// Effective is the first day of receipt this version applies to (zero:
	// always); a later version of the same name and variant replaces it.
	Effective calendar.Day
	// Aliases are other accepted names for Variant (e.g. "hardship").
	Aliases []string
	// NoWrittenResponseWithin, when set, is the window within which a
	// complaint closed needs no written final response (ASIC RG 271.57).
	NoWrittenResponseWithin *Rule
}

// RegimeNames returns the names of the shipped regimes, sorted.
func RegimeNames() []string {
	var out []string
	for _, r := range regimes {
		if !slices.Contains(out, r.Name) {
			out = append(out, r.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Variants returns the variant names of a regime (StandardVariant first),
// or nil for an unknown regime.
func Variants(name string) []string {
	var out []string
	for _, r := range regimes {
		if r.Name == name && !slices.Contains(out, r.Variant) {
			out = append(out, r.Variant)
		}
	}
	return out
}

// FindRegime returns the current version of a regime's variant ("" means
// StandardVariant). An unknown name or variant is an EINVALID error that
// lists the valid ones. The result is a copy the caller may change.
func FindRegime(name, variant string) (*Regime, error) {
	return find(name, variant, 0, false)
}

// FindRegimeAsOf returns the version of a regime's variant in force for a
// case received on day received, so an old deadline can be recomputed under
// the rules of its time. It is an EINVALID error when no version applied
// then (e.g. payment-services complaints before PSD2).
func FindRegimeAsOf(name, variant string, received calendar.Day) (*Regime, error) {
	return find(name, variant, received, true)
}

func find(name, variant string, asOf calendar.Day, hasAsOf bool) (*Regime, error) {
	variants := Variants(name)
	if variants == nil {
		return nil, care.Errorf(care.EINVALID, "unknown regime %q; valid regimes: %s",
			name, strings.Join(RegimeNames(), ", "))
	}
	if variant == "" {
		variant = StandardVariant
	}
	var best *Regime
	known := false
	for _, r := range regimes {
		if r.Name != name || (r.Variant != variant && !slices.Contains(r.Aliases, variant)) {
			continue
		}
		known = true
		if hasAsOf && r.Effective > asOf {
			continue
		}
		if best == nil || r.Effective > best.Effective {
			best = r
		}
	}
	if !known {
		return nil, care.Errorf(care.EINVALID, "unknown variant %q of regime %s; valid variants: %s",
			variant, name, strings.Join(withAliases(name, variants), ", "))
	}
	if best == nil {
		return nil, care.Errorf(care.EINVALID, "regime %s variant %s was not in force on %s", name, variant, asOf)
	}
	cp := *best
	cp.Rules = slices.Clone(best.Rules)
	cp.Sources = slices.Clone(best.Sources)
	cp.Aliases = slices.Clone(best.Aliases)
	if best.NoWrittenResponseWithin != nil {
		w := *best.NoWrittenResponseWithin
		cp.NoWrittenResponseWithin = &w
	}
	return &cp, nil
}

// withAliases appends "(also: …)" to the variants that have aliases.
func withAliases(name string, variants []string) []string {
	out := slices.Clone(variants)
	for i, v := range out {
		for _, r := range regimes {
			if r.Name == name && r.Variant == v && len(r.Aliases) > 0 {
				out[i] = v + " (also: " + strings.Join(r.Aliases, ", ") + ")"
				break
			}
		}
	}
	return out
}

// Rule returns the regime's rule with the given milestone name.
func (reg *Regime) Rule(name string) (Rule, bool) {
	for _, r := range reg.Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// Calendar returns the calendar to count the regime on: region, or the
// regime's default when region is "". The regime's default zone applies to
// its default region (us-ca-claims keeps US holidays in Los Angeles time).
func (reg *Regime) Calendar(region string, opts ...calendar.Option) (*calendar.Calendar, error) {
	if region == "" {
		region = reg.DefaultCalendar
	}
	if region == reg.DefaultCalendar && reg.DefaultZone != "" {
		opts = append([]calendar.Option{calendar.WithZoneName(reg.DefaultZone)}, opts...)
	}
	return calendar.New(region, opts...)
}

// NeedsWrittenResponse reports whether a complaint received at received and
// closed at closed needs a written final response under reg: not when the
// regime waives it for complaints closed within a short window (ASIC RG 271:
// by the end of the 5th business day) and the complaint closed in time. The
// complainant may still ask for one; that choice is the caller's.
func NeedsWrittenResponse(reg *Regime, cal *calendar.Calendar, received, closed time.Time) bool {
	if reg == nil || reg.NoWrittenResponseWithin == nil {
		return true
	}
	return closed.After(reg.NoWrittenResponseWithin.DueAt(cal, received, 1))
}
