package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// Milestones an outbound contact with the customer satisfies: replying,
// acknowledging and keeping the customer updated.
var metByOutboundContact = []string{"acknowledge", clock.SLAFirstResponse, clock.SLANextResponse, "update", "status_update"}

// regimeSpec splits "uk-fca" or "uk-fca/payment-services" into name and variant.
func regimeSpec(s string) (name, variant string) {
	name, variant, _ = strings.Cut(strings.TrimSpace(s), "/")
	return name, variant
}

// checkRegimes validates a case's regimes, naming each bad one.
func checkRegimes(regimes []string) error {
	var p care.Problems
	seen := map[string]bool{}
	for i, r := range regimes {
		name, variant := regimeSpec(r)
		field := "regimes[" + itoa(i) + "]"
		if name == care.SLARegime {
			p.Add(field, "SLA clocks always run; list only regulatory regimes (%s)", strings.Join(clock.RegimeNames(), ", "))
		} else if _, err := clock.FindRegime(name, variant); err != nil {
			p.Add(field, "%s", care.ErrorMessage(err))
		} else if seen[name] {
			p.Add(field, "regime %s is listed twice", name)
		}
		seen[name] = true
	}
	return p.Err()
}

// clockSource is a regime (or the SLA policy) resolved for one case: the
// rules to run and the calendar to count them on.
type clockSource struct {
	regime, variant string
	rules           []clock.Rule
	cal             *calendar.Calendar
}

// clockSources resolves every regime of the case plus the SLA policy: the
// active (admin-saved) SLA policy, and the firm's edited calendar for the
// SLA and ISO 10002 clocks (sla_cache.go).
func (s *Service) clockSources(ctx context.Context, tx *store.Tx, c *care.Case, vulnerable bool) ([]clockSource, error) {
	cc, err := s.clockConfig(ctx, tx)
	if err != nil {
		return nil, err
	}
	var out []clockSource
	for _, spec := range c.Regimes {
		name, variant := regimeSpec(spec)
		// The rules in force when the case was first received govern it,
		// so a deadline computed today matches the one computed then.
		reg, err := clock.FindRegimeAsOf(name, variant, calendar.DayFromTime(c.ReceivedAt.UTC()))
		if err != nil {
			return nil, err
		}
		region := s.cfg.RegimeCalendars[name]
		if region == "" && (name == "iso10002" || name == "claims") {
			region = s.cfg.Calendar // ISO 10002 and the claims standards count on the firm's own calendar
		}
		cal, err := reg.Calendar(region)
		if err == nil && firmRegime(reg.Name) && cc.firm[cal.Region()] != nil {
			cal = cc.firm[cal.Region()]
		}
		if err != nil {
			return nil, err
		}
		out = append(out, clockSource{regime: reg.Name, variant: reg.Variant, rules: reg.Rules, cal: cal})
	}
	rules, err := cc.sla.Rules(c.Type, c.Channel, c.Priority, vulnerable)
	if err != nil {
		return nil, err
	}
	cal, err := cc.calendar(s.cfg.Calendar)
	if err != nil {
		return nil, err
	}
	return append(out, clockSource{regime: care.SLARegime, rules: rules, cal: cal}), nil
}

// startClocksFor starts, on every source of the case, the rules that count
// from event, as of at. Clocks that already exist are left alone, so
// calling it twice is harmless.
func (s *Service) startClocksFor(ctx context.Context, tx *store.Tx, c *care.Case, event string, at time.Time) error {
	vulnerable, err := customerVulnerable(ctx, tx, c.CustomerID)
	if err != nil {
		return err
	}
	srcs, err := s.clockSources(ctx, tx, c, vulnerable)
	if err != nil {
		return err
	}
	var started []*care.Clock
	for _, src := range srcs {
		for _, r := range src.rules {
			if r.StartEvent != event {
				continue
			}
			k, err := s.createClock(ctx, tx, c.ID, src, r, at, 1)
			if err != nil {
				return err
			}
			if k != nil {
				started = append(started, k)
			}
		}
	}
	if err := auditClocks(ctx, tx, c.ID, "clocks_started", started); err != nil {
		return err
	}
	return tx.RefreshCaseNextDue(ctx, c.ID)
}

// auditClocks records, in one entry on the case, which clocks an action
// started or met: one line an auditor can read instead of one per clock.
func auditClocks(ctx context.Context, tx *store.Tx, caseID int64, what string, clocks []*care.Clock) error {
	if len(clocks) == 0 {
		return nil
	}
	list := make([]map[string]any, len(clocks))
	for i, k := range clocks {
		list[i] = map[string]any{"id": k.ID, "regime": k.Regime, "name": k.Name, "occurrence": k.Occurrence, "due": k.DueAt}
	}
	return audit(ctx, tx, "update", "case", caseID, map[string]any{what: list})
}

func (s *Service) createClock(ctx context.Context, tx *store.Tx, caseID int64, src clockSource, r clock.Rule, start time.Time, occurrence int) (*care.Clock, error) {
	due := r.DueAt(src.cal, start, 1)
	k := &care.Clock{CaseID: caseID, Regime: src.regime, Variant: src.variant, Calendar: src.cal.Region(),
		Zone: src.cal.Location().String(), Name: r.Name, Occurrence: occurrence, StartEvent: r.StartEvent,
		StartedAt: start, DueAt: due, WarnAt: clock.WarnAt(start, due, s.cfg.WarnFraction), State: care.ClockRunning,
		Rule: toClockRule(r), Basis: r.Basis(src.cal, start, 1)}
	k.FireAt = k.WarnAt
	created, err := tx.CreateClock(ctx, k)
	if err != nil || !created {
		return nil, err
	}
	return k, nil
}

func toClockRule(r clock.Rule) care.ClockRule {
	return care.ClockRule{Amount: r.Amount, FirstAmount: r.FirstAmount, Unit: string(r.Unit), Recurring: r.Recurring,
		Pausable: r.Pausable, RollForward: r.RollForward, Source: r.Source, OnBreach: r.OnBreach}
}

// ruleOf rebuilds the rule a clock was started with, and its calendar: for
// SLA and ISO 10002 clocks the firm's calendar as it is now (so a resumed
// clock skips closures added meanwhile), else the region's in the clock's zone.
func (s *Service) ruleOf(ctx context.Context, tx *store.Tx, k *care.Clock) (clock.Rule, *calendar.Calendar, error) {
	r := clock.Rule{Name: k.Name, Amount: k.Rule.Amount, FirstAmount: k.Rule.FirstAmount, Unit: clock.Unit(k.Rule.Unit),
		StartEvent: k.StartEvent, Recurring: k.Rule.Recurring, Pausable: k.Rule.Pausable, RollForward: k.Rule.RollForward,
		Source: k.Rule.Source, OnBreach: k.Rule.OnBreach}
	if firmRegime(k.Regime) {
		cc, err := s.clockConfig(ctx, tx)
		if err != nil {
			return r, nil, err
		}
		if cal := cc.firm[k.Calendar]; cal != nil {
			return r, cal, nil
		}
	}
	cal, err := calendar.New(k.Calendar, calendar.WithZoneName(k.Zone))
	return r, cal, err
}

func customerVulnerable(ctx context.Context, tx *store.Tx, customerID int64) (bool, error) {
	if customerID == 0 {
		return false, nil
	}
	cust, err := tx.FindCustomerByID(ctx, customerID)
	if err != nil {
		return false, err
	}
	return cust.Vulnerable, nil
}

// meetClocks marks the case's active clocks that match as met at at; a met
// recurring clock starts its next occurrence from at.
func (s *Service) meetClocks(ctx context.Context, tx *store.Tx, c *care.Case, at time.Time, match func(*care.Clock) bool) error {
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return err
	}
	var met, late, next []*care.Clock
	for _, k := range clocks {
		if !k.Outstanding() || !match(k) {
			continue
		}
		if k.State == care.ClockBreached {
			// Done late: it stays breached for the record but is no longer owed.
			k.MetAt = at
			if _, err := tx.UpdateClock(ctx, k, ""); err != nil {
				return err
			}
			late = append(late, k)
			continue
		}
		k.State, k.MetAt, k.FireAt, k.PausedAt = care.ClockMet, at, time.Time{}, time.Time{}
		if _, err := tx.UpdateClock(ctx, k, ""); err != nil {
			return err
		}
		met = append(met, k)
		if k.Rule.Recurring && !care.IsClosedStatus(c.Status) {
			n, err := s.nextOccurrence(ctx, tx, k, at)
			if err != nil {
				return err
			}
			next = append(next, n)
		}
	}
	if err := auditClocks(ctx, tx, c.ID, "clocks_met", met); err != nil {
		return err
	}
	if err := auditClocks(ctx, tx, c.ID, "clocks_done_late", late); err != nil {
		return err
	}
	if err := auditClocks(ctx, tx, c.ID, "clocks_started", next); err != nil {
		return err
	}
	if len(met)+len(late) > 0 {
		if err := s.kpiCase(ctx, tx, c.ID); err != nil { // KPI rollups: SLA attainment
			return err
		}
	}
	return tx.RefreshCaseNextDue(ctx, c.ID)
}

// nextOccurrence starts the next occurrence of a recurring clock from start,
// skipping occurrences that would already be over (a case found long
// overdue records one breach, not one per missed interval).
func (s *Service) nextOccurrence(ctx context.Context, tx *store.Tx, k *care.Clock, start time.Time) (*care.Clock, error) {
	r, cal, err := s.ruleOf(ctx, tx, k)
	if err != nil {
		return nil, err
	}
	r.FirstAmount = 0 // later occurrences run at the plain interval
	now := tx.Now()
	for i := 0; i < 10_000 && !r.DueAt(cal, start, 1).After(now); i++ {
		start = r.DueAt(cal, start, 1)
	}
	src := clockSource{regime: k.Regime, variant: k.Variant, cal: cal}
	return s.createClock(ctx, tx, k.CaseID, src, r, start, k.Occurrence+1)
}

// pauseClocks stops the case's pausable running clocks (waiting on the
// customer); regulatory clocks are never pausable.
func (s *Service) pauseClocks(ctx context.Context, tx *store.Tx, c *care.Case) error {
	return s.pauseMatching(ctx, tx, c, func(*care.Clock) bool { return true })
}

// pauseMatching pauses the case's pausable running clocks that match (a
// catastrophe event pauses only the inspection milestone).
func (s *Service) pauseMatching(ctx context.Context, tx *store.Tx, c *care.Case, match func(*care.Clock) bool) error {
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return err
	}
	now := tx.Now()
	for _, k := range clocks {
		if !match(k) || !k.Rule.Pausable || (k.State != care.ClockRunning && k.State != care.ClockWarning) || !now.Before(k.DueAt) {
			continue
		}
		k.State, k.PausedAt, k.FireAt = care.ClockPaused, now, time.Time{}
		if _, err := tx.UpdateClock(ctx, k, ""); err != nil {
			return err
		}
	}
	return tx.RefreshCaseNextDue(ctx, c.ID)
}

// resumeClocks restarts paused clocks, pushing their due time back by the
// time lost while paused, counted in each rule's own unit. A claim's
// inspection milestone held by an active catastrophe event stays paused:
// only the event's end (or unlinking the claim) restarts it.
func (s *Service) resumeClocks(ctx context.Context, tx *store.Tx, c *care.Case) error {
	held, err := catastropheHolds(ctx, tx, c)
	if err != nil {
		return err
	}
	return s.resumeMatching(ctx, tx, c, func(k *care.Clock) bool { return !held || !catastrophePausable(k) })
}

// resumeMatching restarts the case's paused clocks that match.
func (s *Service) resumeMatching(ctx context.Context, tx *store.Tx, c *care.Case, match func(*care.Clock) bool) error {
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return err
	}
	now := tx.Now()
	for _, k := range clocks {
		if k.State != care.ClockPaused || !match(k) {
			continue
		}
		r, cal, err := s.ruleOf(ctx, tx, k)
		if err != nil {
			return err
		}
		k.Pauses = append(k.Pauses, care.ClockPause{From: k.PausedAt, To: now})
		pauses := make([]clock.Pause, len(k.Pauses))
		for i, p := range k.Pauses {
			pauses[i] = clock.Pause{From: p.From, To: p.To}
		}
		k.DueAt = r.DueWithPauses(cal, k.StartedAt, 1, pauses)
		k.WarnAt = clock.WarnAt(k.StartedAt, k.DueAt, s.cfg.WarnFraction)
		k.State, k.PausedAt, k.FireAt = care.ClockRunning, time.Time{}, k.WarnAt
		if !k.WarnAt.After(now) {
			k.FireAt = now // let the next sweep raise the warning or breach
		}
		if _, err := tx.UpdateClock(ctx, k, ""); err != nil {
			return err
		}
	}
	return tx.RefreshCaseNextDue(ctx, c.ID)
}

// FindCaseClocks returns a case's clocks, by due time. Reading a case's
// clocks is part of reading the case, which callers audit.
func (s *Service) FindCaseClocks(ctx context.Context, caseID int64) ([]*care.Clock, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out []*care.Clock
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindClocksByCase(ctx, caseID)
		return err
	})
	return out, err
}

// RecordCaseEvent records that an event happened on a case (for example
// "acknowledged" or "proof_of_loss") and starts the clocks that count from
// it. The first record of an event stands; repeating it changes nothing.
func (s *Service) RecordCaseEvent(ctx context.Context, caseKey, event string, at time.Time) (*care.Case, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	event = strings.TrimSpace(event)
	if !slices.Contains(CaseEvents, event) {
		return nil, care.Invalid("name", "must be one of: %s", strings.Join(CaseEvents, ", "))
	}
	now := s.Now()
	if at.IsZero() {
		at = now
	} else if at.After(now.Add(5 * time.Minute)) {
		return nil, care.Invalid("at", "must not be in the future")
	}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, caseKey); err != nil {
			return err
		}
		if at.Before(c.ReceivedAt) {
			return care.Invalid("at", "must not be before the case was received (%s)", c.ReceivedAt.Format(time.RFC3339))
		}
		return s.recordCaseEvent(ctx, tx, c, event, at)
	})
	return c, err
}

// recordCaseEvent records event on c inside tx, meets the clocks it
// satisfies and starts those that count from it. A repeat changes nothing.
func (s *Service) recordCaseEvent(ctx context.Context, tx *store.Tx, c *care.Case, event string, at time.Time) error {
	stood, fresh, err := tx.RecordCaseEvent(ctx, c.ID, event, at)
	if err != nil || !fresh {
		return err
	}
	if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"event": event, "at": stood}); err != nil {
		return err
	}
	if event == clock.EventAcknowledged {
		if err := s.meetClocks(ctx, tx, c, at, named("acknowledge")); err != nil {
			return err
		}
	}
	return s.startClocksFor(ctx, tx, c, event, stood)
}

// CaseEvents are the events that may be recorded on a case by hand.
var CaseEvents = []string{clock.EventAcknowledged, clock.EventProofOfLoss}

func named(names ...string) func(*care.Clock) bool {
	return func(k *care.Clock) bool { return slices.Contains(names, k.Name) }
}

func itoa(n int) string { return idString(int64(n)) }
