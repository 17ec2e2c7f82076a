package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// fireChunk is how many claimed clocks are fired in one transaction: one
// commit per clock made a PostgreSQL sweep of 10,000 breaches take 15 s.
const fireChunk = 50

// SweepClocks fires every clock whose warning or due time has come, in
// batches, and returns how many changed state. Several processes may sweep
// at once: each clock is leased to one of them and its state change is
// written only while that lease holds, so each warning and breach happens
// once.
func (s *Service) SweepClocks(ctx context.Context, owner string, lease time.Duration, batch int) (int, error) {
	ctx = care.NewContextWithActor(ctx, care.SystemActor("job"))
	fired := 0
	for {
		var ids []int64
		err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
			ids, err = tx.ClaimDueClocks(ctx, owner, lease, batch)
			return err
		})
		if err != nil {
			return fired, err
		}
		for start := 0; start < len(ids); start += fireChunk {
			n, err := s.fireClocks(ctx, ids[start:min(start+fireChunk, len(ids))], owner)
			fired += n
			if err != nil {
				return fired, err
			}
		}
		if len(ids) < batch || ctx.Err() != nil {
			return fired, ctx.Err()
		}
	}
}

// fireClocks fires a chunk of leased clocks in one transaction. If the
// chunk fails, each clock is retried in a transaction of its own, so one bad
// clock delays only itself; its error is returned after the others fired.
func (s *Service) fireClocks(ctx context.Context, ids []int64, owner string) (int, error) {
	fired := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		fired = 0
		for _, id := range ids {
			changed, err := s.fireClock(ctx, tx, id, owner)
			if err != nil {
				return err
			}
			if changed {
				fired++
			}
		}
		return nil
	})
	if err == nil || len(ids) == 1 {
		return fired, err
	}
	fired = 0
	var firstErr error
	for _, id := range ids {
		n, err := s.fireClocks(ctx, []int64{id}, owner)
		fired += n
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("fire clock %d: %w", id, err)
		}
	}
	return fired, firstErr
}

// fireClock moves one leased clock on, inside tx: to warning, to breached
// (running its escalation), or just to its next fire time. It reports
// whether the state changed. A clock whose lease another process took over
// is left alone: nothing is written for it before the lease-guarded update.
func (s *Service) fireClock(ctx context.Context, tx *store.Tx, id int64, owner string) (bool, error) {
	k, err := tx.FindLeasedClock(ctx, id, owner)
	if err != nil || k == nil {
		return false, err
	}
	c, err := tx.FindCaseByID(ctx, k.CaseID)
	if err != nil {
		return false, err
	}
	now, before := tx.Now(), k.State
	switch {
	case k.State != care.ClockRunning && k.State != care.ClockWarning:
		k.FireAt = time.Time{}
	case !now.Before(k.DueAt) && k.Lapses():
		k.State, k.FireAt = care.ClockLapsed, time.Time{}
	case !now.Before(k.DueAt):
		k.State, k.BreachedAt, k.FireAt = care.ClockBreached, k.DueAt, time.Time{}
	case !now.Before(k.WarnAt):
		k.State, k.FireAt = care.ClockWarning, k.DueAt
	default:
		k.FireAt = k.WarnAt
	}
	if ok, err := tx.UpdateClock(ctx, k, owner); err != nil || !ok {
		return false, err
	}
	if k.State == before {
		return false, nil
	}
	if err := audit(ctx, tx, "update", "clock", k.ID, map[string]any{"case_id": c.ID, "name": k.Name,
		"regime": k.Regime, "state": [2]string{before, k.State}}); err != nil {
		return false, err
	}
	if err := s.afterClockChange(ctx, tx, c, k); err != nil {
		return false, err
	}
	if k.State == care.ClockBreached {
		if err := s.kpiCase(ctx, tx, c.ID); err != nil { // KPI rollups: SLA attainment
			return false, err
		}
	}
	return true, tx.RefreshCaseNextDue(ctx, c.ID)
}

// afterClockChange notifies people and runs the rule's escalation.
func (s *Service) afterClockChange(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Clock) error {
	if err := emitClockChange(ctx, tx, c, k); err != nil {
		return err
	}
	label := clockLabel(k)
	switch k.State {
	case care.ClockWarning:
		return s.notify(ctx, tx, c, "clock.warning", false,
			fmt.Sprintf("%s: %s due %s", c.Reference, label, k.DueAt.UTC().Format("Mon 2 Jan 15:04 MST")),
			fmt.Sprintf("The %s deadline on case %s (%s) falls due at %s. %s", label, c.Reference, c.Subject,
				k.DueAt.UTC().Format(time.RFC1123), k.Basis))
	case care.ClockBreached:
		err := s.notify(ctx, tx, c, "clock.breached", true,
			fmt.Sprintf("%s: %s BREACHED", c.Reference, label),
			fmt.Sprintf("The %s deadline on case %s (%s) passed at %s without being met. %s", label, c.Reference,
				c.Subject, k.DueAt.UTC().Format(time.RFC1123), k.Basis))
		if err != nil {
			return err
		}
		if k.Rule.Recurring && !care.IsClosedStatus(c.Status) {
			n, err := s.nextOccurrence(ctx, tx, k, k.DueAt)
			if err != nil {
				return err
			}
			if err := auditClocks(ctx, tx, c.ID, "clocks_started", []*care.Clock{n}); err != nil {
				return err
			}
		}
		return s.escalate(ctx, tx, c, k.Rule.OnBreach)
	}
	return nil
}

// escalate moves a case up the ISO 10002 review tiers as a breached rule
// says, records the escalation event (which starts the review clocks) and
// tells the supervisors. A case never moves down or sideways.
func (s *Service) escalate(ctx context.Context, tx *store.Tx, c *care.Case, action string) error {
	return s.escalateWith(ctx, tx, c, action, escalation{why: "because a deadline was breached"})
}

// escalation says why a case moves up a tier and, when moved by hand, who
// reviews it next and the handler's note.
type escalation struct {
	why        string
	reviewerID int64
	note       string
}

// escalateWith is escalate for both paths, by breach and by hand, so both
// start the same review clocks and leave the same trail.
func (s *Service) escalateWith(ctx context.Context, tx *store.Tx, c *care.Case, action string, esc escalation) error {
	var tier, event string
	switch action {
	case clock.ActionEscalateTier2:
		tier, event = "tier2", clock.EventTier2Escalated
	case clock.ActionEscalateExecutive:
		tier, event = "executive", clock.EventExecutiveEscalated
	default:
		return nil
	}
	order := map[string]int{"frontline": 0, "tier2": 1, "executive": 2, "referred": 3}
	if order[c.Tier] >= order[tier] || care.IsClosedStatus(c.Status) {
		return nil
	}
	before, handler := c.Tier, c.AssigneeID
	c.Tier = tier
	if c.Priority == "low" || c.Priority == "normal" {
		c.Priority = "high"
	}
	if esc.reviewerID != 0 {
		c.AssigneeID = esc.reviewerID
	}
	if err := tx.UpdateCase(ctx, c); err != nil {
		return err
	}
	detail := map[string]any{"tier": [2]string{before, tier}, "reason": action}
	if handler != c.AssigneeID {
		detail["assignee_id"] = [2]int64{handler, c.AssigneeID}
	}
	if err := audit(ctx, tx, "update", "case", c.ID, detail); err != nil {
		return err
	}
	if err := s.complaintEscalated(ctx, tx, c, before, handler, esc); err != nil {
		return err
	}
	if err := emitEscalated(ctx, tx, c, before, action); err != nil {
		return err
	}
	now := tx.Now()
	if _, _, err := tx.RecordCaseEvent(ctx, c.ID, event, now); err != nil {
		return err
	}
	if err := s.startClocksFor(ctx, tx, c, event, now); err != nil {
		return err
	}
	return s.notify(ctx, tx, c, "case.escalated", true, fmt.Sprintf("%s escalated to %s review", c.Reference, tierLabel(tier)),
		fmt.Sprintf("Case %s (%s) was escalated from %s to %s review %s. "+
			"The reviewer must not be the handler of the previous tier.", c.Reference, c.Subject, tierLabel(before), tierLabel(tier), esc.why))
}

// notify tells the case's assignee (or, when there is none, the team's
// supervisors) in the app and by email; withSupervisors adds the
// supervisors in any case.
func (s *Service) notify(ctx context.Context, tx *store.Tx, c *care.Case, kind string, withSupervisors bool, title, body string) error {
	var to []*care.User
	if c.AssigneeID != 0 {
		if u, err := tx.FindUserByID(ctx, c.AssigneeID); err == nil && u.Active {
			to = append(to, u)
		}
	}
	if withSupervisors || len(to) == 0 {
		sups, err := tx.FindSupervisors(ctx, c.TeamID)
		if err != nil {
			return err
		}
		for _, u := range sups {
			if u.ID != c.AssigneeID {
				to = append(to, u)
			}
		}
	}
	link := ""
	if s.cfg.BaseURL != "" {
		link = "\n\nOpen the case: " + strings.TrimRight(s.cfg.BaseURL, "/") + "/cases/" + c.Reference
	}
	for _, u := range to {
		n := &care.Notification{UserID: u.ID, CaseID: c.ID, Kind: kind, Title: title, Body: body}
		if err := tx.CreateNotification(ctx, n); err != nil {
			return err
		}
		m := &store.OutboundMail{MessageID: newMessageID(), To: u.Email, Subject: "[caredesk] " + title,
			Body: "Hello " + u.Name + ",\n\n" + body + link + "\n\n-- caredesk", Kind: kind, CaseID: c.ID}
		if err := tx.EnqueueMail(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func newMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "<" + hex.EncodeToString(b) + "@caredesk>"
}

func clockLabel(k *care.Clock) string {
	name := strings.ReplaceAll(k.Name, "_", " ")
	if k.Regime == care.SLARegime {
		return "SLA " + name
	}
	return k.Regime + " " + name
}

func tierLabel(t string) string {
	switch t {
	case "tier2":
		return "specialist (tier 2)"
	case "executive":
		return "executive"
	case "referred":
		return "external"
	}
	return "frontline"
}

// FindNotifications returns the caller's notifications, newest first.
func (s *Service) FindNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*care.Notification, error) {
	a := care.ActorFromContext(ctx)
	if a.UserID == 0 {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Sign in to see your notifications.")
	}
	var out []*care.Notification
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindNotifications(ctx, a.UserID, unreadOnly, limit)
		return err
	})
	return out, err
}

// MarkNotificationsRead marks the caller's notifications read (all when ids
// is empty).
func (s *Service) MarkNotificationsRead(ctx context.Context, ids []int64) error {
	a := care.ActorFromContext(ctx)
	if a.UserID == 0 {
		return care.Errorf(care.EUNAUTHORIZED, "Sign in to see your notifications.")
	}
	return s.store.Write(ctx, func(tx *store.Tx) error { return tx.MarkNotificationsRead(ctx, a.UserID, ids) })
}
