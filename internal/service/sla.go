package service

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// SLAPolicyView is a version of the SLA policy with who saved it and when.
// Version 0 is the built-in default (Config.SLA), in force until an
// administrator saves a policy.
type SLAPolicyView struct {
	Version     int64
	Policy      *clock.SLAPolicy
	Note        string
	ActivatedAt time.Time // zero for the built-in default
	ActivatedBy string
	Active      bool
}

// Limits on SLA targets: generous for any real policy, small enough to
// catch a slipped digit.
var slaMaxAmount = map[clock.Unit]int{
	clock.Hours: 24 * 366, clock.BusinessHours: 2000, clock.BusinessDays: 260,
	clock.CalendarDays: 366, clock.Weeks: 52,
}

// slaMaxShift bounds the priority and vulnerability shifts.
const slaMaxShift = 12

// ValidateSLAPolicy checks an SLA policy before it is saved, naming each bad
// field: every channel needs a first and a next response target, every case
// type a resolution target and every priority a shift, and nothing unknown
// may appear, so a case can never be refused for want of a target.
func ValidateSLAPolicy(p *clock.SLAPolicy) error {
	var pr care.Problems
	pr.Required("name", p.Name)
	pr.MaxLen("name", p.Name, 100)
	pr.MaxLen("source", p.Source, 500)
	checkTargets(&pr, "first_response", "channel", p.FirstResponse, care.ChannelList())
	checkTargets(&pr, "next_response", "channel", p.NextResponse, care.ChannelList())
	checkTargets(&pr, "resolution", "case type", p.Resolution, care.CaseTypeList())
	if len(p.Ladder) > 30 {
		pr.Add("ladder", "must have at most 30 steps")
	}
	for i, t := range p.Ladder {
		field := fmt.Sprintf("ladder[%d]", i)
		checkTarget(&pr, field, t)
		if i > 0 && !pr.Has(field) && !pr.Has(fmt.Sprintf("ladder[%d]", i-1)) && approxLength(t) <= approxLength(p.Ladder[i-1]) {
			pr.Add(field, "must be longer than the step before it (%s); list the ladder from shortest to longest", targetText(p.Ladder[i-1]))
		}
	}
	for _, k := range sortedKeys(p.PriorityShift) {
		if !slices.Contains(care.PriorityList(), k) {
			pr.Add("priority_shift."+k, "unknown priority; valid priorities: %s", strings.Join(care.PriorityList(), ", "))
		} else if v := p.PriorityShift[k]; v < -slaMaxShift || v > slaMaxShift {
			pr.Add("priority_shift."+k, "must be between %d and %d steps", -slaMaxShift, slaMaxShift)
		}
	}
	for _, k := range care.PriorityList() {
		if _, ok := p.PriorityShift[k]; !ok {
			pr.Add("priority_shift."+k, "is required (0 leaves the target as it is)")
		}
	}
	if p.VulnerableShift < -slaMaxShift || p.VulnerableShift > 0 {
		pr.Add("vulnerable_shift", "must be between %d and 0: a vulnerable customer's targets may be shorter, never longer", -slaMaxShift)
	}
	return pr.Err()
}

func checkTargets(pr *care.Problems, field, what string, m map[string]clock.Target, valid []string) {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(valid, k) {
			pr.Add(field+"."+k, "unknown %s; valid: %s", what, strings.Join(valid, ", "))
			continue
		}
		checkTarget(pr, field+"."+k, m[k])
	}
	for _, k := range valid {
		if _, ok := m[k]; !ok {
			pr.Add(field+"."+k, "is required: every %s needs a target", what)
		}
	}
}

func checkTarget(pr *care.Problems, field string, t clock.Target) {
	limit, ok := slaMaxAmount[t.Unit]
	if !ok {
		pr.Add(field+".unit", "unknown unit %q; valid units: hours, business_hours, business_days, calendar_days, weeks", t.Unit)
		return
	}
	if t.Amount < 1 || t.Amount > limit {
		pr.Add(field+".amount", "must be a whole number from 1 to %d %s", limit, strings.ReplaceAll(string(t.Unit), "_", " "))
	}
}

// approxLength orders targets of different units for the ladder check: a
// business day is taken as 8 business hours, 7 days as 5 business days.
func approxLength(t clock.Target) float64 {
	switch t.Unit {
	case clock.BusinessHours:
		return float64(t.Amount) * 24 * 7 / 5 / 8
	case clock.BusinessDays:
		return float64(t.Amount) * 24 * 7 / 5
	case clock.CalendarDays:
		return float64(t.Amount) * 24
	case clock.Weeks:
		return float64(t.Amount) * 24 * 7
	}
	return float64(t.Amount)
}

// targetText is a target in words: "1 business day", "4 business hours".
func targetText(t clock.Target) string {
	words := strings.ReplaceAll(string(t.Unit), "_", " ")
	if t.Amount == 1 {
		words = strings.TrimSuffix(words, "s")
	}
	return fmt.Sprintf("%d %s", t.Amount, words)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// slaBody is the stored form of a policy (sla_policies.body).
type slaBody struct {
	FirstResponse   map[string]slaTarget `json:"first_response"`
	NextResponse    map[string]slaTarget `json:"next_response"`
	Resolution      map[string]slaTarget `json:"resolution"`
	Ladder          []slaTarget          `json:"ladder"`
	PriorityShift   map[string]int       `json:"priority_shift"`
	VulnerableShift int                  `json:"vulnerable_shift"`
	Source          string               `json:"source"`
}

type slaTarget struct {
	Amount int    `json:"amount"`
	Unit   string `json:"unit"`
}

func encodeSLAPolicy(p *clock.SLAPolicy) string {
	conv := func(m map[string]clock.Target) map[string]slaTarget {
		out := make(map[string]slaTarget, len(m))
		for k, t := range m {
			out[k] = slaTarget{t.Amount, string(t.Unit)}
		}
		return out
	}
	b := slaBody{FirstResponse: conv(p.FirstResponse), NextResponse: conv(p.NextResponse), Resolution: conv(p.Resolution),
		PriorityShift: p.PriorityShift, VulnerableShift: p.VulnerableShift, Source: p.Source, Ladder: []slaTarget{}}
	for _, t := range p.Ladder {
		b.Ladder = append(b.Ladder, slaTarget{t.Amount, string(t.Unit)})
	}
	out, _ := json.Marshal(b)
	return string(out)
}

func decodeSLAPolicy(v *store.SLAPolicyVersion) (*clock.SLAPolicy, error) {
	var b slaBody
	if err := json.Unmarshal([]byte(v.Body), &b); err != nil {
		return nil, fmt.Errorf("SLA policy version %d: %w", v.Version, err)
	}
	conv := func(m map[string]slaTarget) map[string]clock.Target {
		out := make(map[string]clock.Target, len(m))
		for k, t := range m {
			out[k] = clock.Target{Amount: t.Amount, Unit: clock.Unit(t.Unit)}
		}
		return out
	}
	p := &clock.SLAPolicy{Name: v.Name, FirstResponse: conv(b.FirstResponse), NextResponse: conv(b.NextResponse),
		Resolution: conv(b.Resolution), PriorityShift: b.PriorityShift, VulnerableShift: b.VulnerableShift, Source: b.Source}
	if p.PriorityShift == nil {
		p.PriorityShift = map[string]int{}
	}
	for _, t := range b.Ladder {
		p.Ladder = append(p.Ladder, clock.Target{Amount: t.Amount, Unit: clock.Unit(t.Unit)})
	}
	return p, nil
}

func viewOf(v *store.SLAPolicyVersion) (*SLAPolicyView, error) {
	p, err := decodeSLAPolicy(v)
	if err != nil {
		return nil, err
	}
	return &SLAPolicyView{Version: v.Version, Policy: p, Note: v.Note, ActivatedAt: v.CreatedAt, ActivatedBy: v.CreatedByName}, nil
}

// defaultView is the built-in policy, shown as version 0.
func (s *Service) defaultView() *SLAPolicyView {
	return &SLAPolicyView{Policy: copySLAPolicy(s.cfg.SLA), Note: "Built-in default"}
}

// copySLAPolicy returns a deep copy, so a caller may change the result.
func copySLAPolicy(p *clock.SLAPolicy) *clock.SLAPolicy {
	c := *p
	c.FirstResponse, c.NextResponse, c.Resolution = maps.Clone(p.FirstResponse), maps.Clone(p.NextResponse), maps.Clone(p.Resolution)
	c.PriorityShift, c.Ladder = maps.Clone(p.PriorityShift), slices.Clone(p.Ladder)
	return &c
}

// FindSLAPolicy returns the active SLA policy: the newest saved version, or
// the built-in default (version 0) when none was saved. Anyone who reads
// cases may see the targets their work is measured against.
func (s *Service) FindSLAPolicy(ctx context.Context) (*SLAPolicyView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out *SLAPolicyView
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		v, err := tx.FindActiveSLAPolicy(ctx)
		if err != nil || v == nil {
			out = s.defaultView()
			return err
		}
		out, err = viewOf(v)
		return err
	})
	if out != nil {
		out.Active = true
	}
	return out, err
}

// FindSLAPolicyVersions returns every saved version of the SLA policy,
// newest (active) first, ending with the built-in default.
func (s *Service) FindSLAPolicyVersions(ctx context.Context) ([]*SLAPolicyView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	var out []*SLAPolicyView
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		vs, err := tx.FindSLAPolicyVersions(ctx)
		if err != nil {
			return err
		}
		for _, v := range vs {
			view, err := viewOf(v)
			if err != nil {
				return err
			}
			out = append(out, view)
		}
		out = append(out, s.defaultView())
		out[0].Active = true
		return nil
	})
	return out, err
}

// UpdateSLAPolicy saves p as a new version of the SLA policy, active at
// once: clocks started from now on count to its targets, while clocks
// already running keep the deadlines they were given. base is the version
// the edit started from (ECONFLICT when another save came first); a
// negative base skips that check. Saving a policy identical to the active
// one changes nothing and returns the active version.
func (s *Service) UpdateSLAPolicy(ctx context.Context, p *clock.SLAPolicy, note string, base int64) (*SLAPolicyView, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	p.Name, p.Source, note = strings.TrimSpace(p.Name), strings.TrimSpace(p.Source), strings.TrimSpace(note)
	if err := ValidateSLAPolicy(p); err != nil {
		return nil, err
	}
	if len([]rune(note)) > 500 {
		return nil, care.Invalid("note", "must be at most 500 characters")
	}
	var out *SLAPolicyView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		cur, err := tx.FindActiveSLAPolicy(ctx)
		if err != nil {
			return err
		}
		before := s.defaultView()
		if cur != nil {
			if before, err = viewOf(cur); err != nil {
				return err
			}
		}
		if base >= 0 && base != before.Version {
			return care.Errorf(care.ECONFLICT, "The SLA policy was changed (now version %d, by %s) since you opened version %d; reload it and make your change again.",
				before.Version, before.ActivatedBy, base)
		}
		diff := SLAChanges(before.Policy, p)
		if len(diff) == 0 {
			out = before
			return nil
		}
		v := &store.SLAPolicyVersion{Version: before.Version + 1, Name: p.Name, Body: encodeSLAPolicy(p), Note: note,
			CreatedBy: actor.UserID, CreatedByName: actor.Name}
		if err := tx.CreateSLAPolicyVersion(ctx, v); err != nil {
			return err
		}
		if out, err = viewOf(v); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "sla_policy", v.Version, map[string]any{"version": v.Version,
			"previous": before.Version, "note": note, "changes": diff})
	})
	if out != nil {
		out.Active = true
	}
	return out, err
}

// RestoreSLAPolicy saves an earlier version (0: the built-in default) again
// as the newest, active version.
func (s *Service) RestoreSLAPolicy(ctx context.Context, version, base int64) (*SLAPolicyView, error) {
	versions, err := s.FindSLAPolicyVersions(ctx)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		if v.Version == version {
			return s.UpdateSLAPolicy(ctx, v.Policy, fmt.Sprintf("Restored version %d", version), base)
		}
	}
	return nil, care.Errorf(care.ENOTFOUND, "No SLA policy version %d.", version)
}

// SLAChanges lists what differs between two policies, one readable line per
// change, for the audit trail.
func SLAChanges(a, b *clock.SLAPolicy) []string {
	var out []string
	note := func(field, before, after string) {
		if before != after {
			out = append(out, field+": "+before+" → "+after)
		}
	}
	note("name", a.Name, b.Name)
	note("source", a.Source, b.Source)
	targets := func(field string, x, y map[string]clock.Target) {
		keys := slices.Sorted(maps.Keys(y))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if _, ok := y[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			before, after := "none", "none"
			if t, ok := x[k]; ok {
				before = targetText(t)
			}
			if t, ok := y[k]; ok {
				after = targetText(t)
			}
			note(field+"."+k, before, after)
		}
	}
	targets("first_response", a.FirstResponse, b.FirstResponse)
	targets("next_response", a.NextResponse, b.NextResponse)
	targets("resolution", a.Resolution, b.Resolution)
	ladder := func(l []clock.Target) string {
		parts := make([]string, len(l))
		for i, t := range l {
			parts[i] = targetText(t)
		}
		return strings.Join(parts, ", ")
	}
	note("ladder", ladder(a.Ladder), ladder(b.Ladder))
	for _, k := range slices.Sorted(maps.Keys(b.PriorityShift)) {
		note("priority_shift."+k, fmt.Sprint(a.PriorityShift[k]), fmt.Sprint(b.PriorityShift[k]))
	}
	note("vulnerable_shift", fmt.Sprint(a.VulnerableShift), fmt.Sprint(b.VulnerableShift))
	return out
}
