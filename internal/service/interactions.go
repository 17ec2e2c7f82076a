package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// CreateInteraction logs a contact or an internal note on a case.
func (s *Service) CreateInteraction(ctx context.Context, caseKey string, i *care.Interaction) (*care.Case, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	i.Normalize()
	i.Subject, i.Body = s.mask(i.Subject), s.mask(i.Body)
	if err := i.Validate(s.Now()); err != nil {
		return nil, err
	}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, caseKey); err != nil {
			return err
		}
		i.CaseID = c.ID
		if err := createInteraction(ctx, tx, i); err != nil {
			return err
		}
		return s.clocksAfterContact(ctx, tx, c, i)
	})
	return c, err
}

// clocksAfterContact keeps the clocks in step with a contact: a reply to the
// customer meets the response and update clocks; a message from the
// customer starts the next-response clock and, on a case waiting for them,
// reopens it.
func (s *Service) clocksAfterContact(ctx context.Context, tx *store.Tx, c *care.Case, i *care.Interaction) error {
	if care.IsClosedStatus(c.Status) {
		return nil
	}
	switch {
	case i.Direction == "outbound" && !i.Abandoned:
		return s.meetClocks(ctx, tx, c, i.OfferedAt, named(metByOutboundContact...))
	case i.Direction == "inbound":
		if c.Status == "waiting_customer" {
			c.Status = "open"
			if err := tx.UpdateCase(ctx, c); err != nil {
				return err
			}
			if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"status": [2]string{"waiting_customer", "open"},
				"reason": "customer replied"}); err != nil {
				return err
			}
			if err := s.resumeClocks(ctx, tx, c); err != nil {
				return err
			}
		}
		return s.startNextResponse(ctx, tx, c, i.OfferedAt)
	}
	return nil
}

// startNextResponse starts an SLA next-response clock from a customer's
// message, unless one is already running: the reply owed is counted from
// the earliest unanswered message.
func (s *Service) startNextResponse(ctx context.Context, tx *store.Tx, c *care.Case, at time.Time) error {
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return err
	}
	occurrence := 0
	for _, k := range clocks {
		if k.Regime != care.SLARegime || k.Name != clock.SLANextResponse {
			continue
		}
		if k.Active() {
			return nil
		}
		occurrence = max(occurrence, k.Occurrence)
	}
	vulnerable, err := customerVulnerable(ctx, tx, c.CustomerID)
	if err != nil {
		return err
	}
	srcs, err := s.clockSources(ctx, tx, c, vulnerable)
	if err != nil {
		return err
	}
	sla := srcs[len(srcs)-1]
	for _, r := range sla.rules {
		if r.Name == clock.SLANextResponse {
			k, err := s.createClock(ctx, tx, c.ID, sla, r, at, occurrence+1)
			if err != nil {
				return err
			}
			if err := auditClocks(ctx, tx, c.ID, "clocks_started", []*care.Clock{k}); err != nil {
				return err
			}
		}
	}
	return tx.RefreshCaseNextDue(ctx, c.ID)
}

// createInteraction checks an interaction's references, stores it and
// audits it, inside tx.
func createInteraction(ctx context.Context, tx *store.Tx, i *care.Interaction) error {
	return addInteraction(ctx, tx, i, true)
}

// addInteraction is createInteraction; countKPI false leaves the KPI
// recount to the caller, which counts the contact with its case in one
// delta (openCase).
func addInteraction(ctx context.Context, tx *store.Tx, i *care.Interaction, countKPI bool) error {
	var p care.Problems
	if i.Disposition != "" {
		d, err := tx.FindDispositionCode(ctx, i.Disposition)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			p.Add("disposition", "no disposition code %q", i.Disposition)
		case err != nil:
			return err
		case !d.Active:
			p.Add("disposition", "disposition code %q is retired", i.Disposition)
		}
	}
	if fe := care.ErrorFields(checkUser(ctx, tx, "agent_id", i.AgentID)); fe != nil {
		p.Add(fe[0].Field, "%s", fe[0].Message)
	}
	if err := p.Err(); err != nil {
		return err
	}
	if i.ExternalID != "" {
		// Idempotency: the same source event stored twice would be counted twice.
		// The unique index enforces it; this check gives the clearer message.
		if err := tx.CreateInteraction(ctx, i); care.ErrorCode(err) == care.ECONFLICT {
			return &care.Error{Code: care.ECONFLICT, Message: "That interaction is already recorded.",
				Fields: []care.FieldError{{Field: "external_id", Message: "an interaction with external_id " + i.ExternalID + " already exists"}}}
		} else if err != nil {
			return err
		}
	} else if err := tx.CreateInteraction(ctx, i); err != nil {
		return err
	}
	if err := audit(ctx, tx, "create", "interaction", i.ID, map[string]any{"case_id": i.CaseID, "channel": i.Channel,
		"direction": i.Direction}); err != nil {
		return err
	}
	if countKPI {
		if err := kpiInteraction(ctx, tx, i.ID); err != nil { // KPI rollups, in the transaction of the change
			return err
		}
	}
	return emitInteraction(ctx, tx, "interaction.created", i)
}

// FindInteractions returns a case's interactions, oldest first; the read is
// audited.
func (s *Service) FindInteractions(ctx context.Context, caseKey string, after int64, limit int) ([]*care.Interaction, int64, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermInteractionRead); err != nil {
		return nil, 0, err
	}
	var out []*care.Interaction
	var next int64
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, caseKey)
		if err != nil {
			return err
		}
		if out, next, err = tx.FindInteractionsByCase(ctx, c.ID, after, limit); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "interaction", "", map[string]any{"case_id": c.ID,
			"ids": ids(out, func(i *care.Interaction) int64 { return i.ID })})
	})
	return out, next, err
}

// FindAudit returns audit entries, newest first. Reading the trail is itself
// recorded, so an auditor's own access is visible.
func (s *Service) FindAudit(ctx context.Context, f care.AuditFilter) ([]*care.AuditEntry, int64, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermAuditRead); err != nil {
		return nil, 0, err
	}
	var out []*care.AuditEntry
	var next int64
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if out, next, err = tx.FindAudit(ctx, f); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "audit", "", map[string]any{"entity": f.Entity, "entity_id": f.EntityID, "count": len(out)})
	})
	return out, next, err
}

// VerifyAudit checks the whole audit chain; see store.VerifyAudit.
func (s *Service) VerifyAudit(ctx context.Context) (*care.AuditBreak, int64, error) {
	return s.store.VerifyAudit(ctx)
}
