package service

import (
	"context"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// CreateInteraction logs a contact or an internal note on a case.
func (s *Service) CreateInteraction(ctx context.Context, caseKey string, i *care.Interaction) (*care.Case, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	i.Normalize()
	if err := i.Validate(s.Now()); err != nil {
		return nil, err
	}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, caseKey); err != nil {
			return err
		}
		i.CaseID = c.ID
		return createInteraction(ctx, tx, i)
	})
	return c, err
}

// createInteraction checks an interaction's references, stores it and
// audits it, inside tx.
func createInteraction(ctx context.Context, tx *store.Tx, i *care.Interaction) error {
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
			return care.Errorf(care.ECONFLICT, "An interaction with external_id %q is already recorded.", i.ExternalID)
		} else if err != nil {
			return err
		}
	} else if err := tx.CreateInteraction(ctx, i); err != nil {
		return err
	}
	return audit(ctx, tx, "create", "interaction", i.ID, map[string]any{"case_id": i.CaseID, "channel": i.Channel,
		"direction": i.Direction})
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
