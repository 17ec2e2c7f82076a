package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// DeclareCatastrophe declares a catastrophe event (storm, flood, wildfire).
// Claims linked to it have their inspection milestone paused until it ends.
func (s *Service) DeclareCatastrophe(ctx context.Context, e *care.CatastropheEvent) error {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermClaimAdmin); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	now := s.Now()
	if e.StartedAt.IsZero() {
		e.StartedAt = now
	} else if e.StartedAt.After(now.Add(5 * time.Minute)) {
		return care.Invalid("started_at", "must not be in the future")
	}
	e.StartedAt, e.EndedAt, e.DeclaredBy = e.StartedAt.UTC(), time.Time{}, actor.UserID
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCatastrophe(ctx, e); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "catastrophe", e.ID, map[string]any{"name": e.Name, "started_at": e.StartedAt})
	})
}

// EndCatastrophe ends a catastrophe event and resumes the inspection
// milestones of its open claims, their due times pushed back by the pause.
func (s *Service) EndCatastrophe(ctx context.Context, id int64) (*care.CatastropheEvent, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimAdmin); err != nil {
		return nil, err
	}
	var e *care.CatastropheEvent
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if e, err = tx.FindCatastrophe(ctx, id); err != nil {
			return err
		}
		if !e.Active() {
			return care.Errorf(care.EPRECONDITION, "Catastrophe event %d (%s) already ended on %s.", e.ID, e.Name,
				e.EndedAt.Format(time.RFC3339))
		}
		e.EndedAt = tx.Now()
		if err := tx.EndCatastrophe(ctx, e); err != nil {
			return err
		}
		open := true
		var rows []*store.ClaimRow
		for f := (care.ClaimFilter{CatastropheID: e.ID, Open: &open, Limit: 500}); ; { // every claim, however many
			page, next, err := tx.FindClaims(ctx, f)
			if err != nil {
				return err
			}
			rows = append(rows, page...)
			if next == nil {
				break
			}
			f.After = next
		}
		for _, r := range rows {
			c, err := tx.FindCaseByID(ctx, r.Claim.CaseID)
			if err != nil {
				return err
			}
			if c.Status == "waiting_customer" {
				continue // still paused for the customer; resumes when the case leaves waiting
			}
			if err := s.resumeMatching(ctx, tx, c, catastrophePausable); err != nil {
				return err
			}
		}
		return audit(ctx, tx, "update", "catastrophe", e.ID, map[string]any{"ended_at": e.EndedAt, "claims_resumed": len(rows)})
	})
	return e, err
}

// FindCatastrophes lists catastrophe events, newest first.
func (s *Service) FindCatastrophes(ctx context.Context) ([]*care.CatastropheEvent, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimRead); err != nil {
		return nil, err
	}
	var out []*care.CatastropheEvent
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindCatastrophes(ctx)
		return err
	})
	return out, err
}

// LinkClaimCatastrophe links a claim to a catastrophe event (0 unlinks it).
// While the event is active, the claim's inspection milestone stands still.
func (s *Service) LinkClaimCatastrophe(ctx context.Context, key string, id int64) (*ClaimView, error) {
	if id < 0 {
		return nil, care.Invalid("catastrophe_id", "must be an event id, or 0 to unlink")
	}
	return s.claimWrite(ctx, key, care.PermClaimHandle, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if err := refuseClosedClaim(k, "link it to a catastrophe event"); err != nil {
			return err
		}
		if id == 0 {
			k.CatastropheID = 0
			if err := tx.UpdateClaim(ctx, k); err != nil {
				return err
			}
			if err := audit(ctx, tx, "update", "claim", c.ID, map[string]any{"catastrophe_id": 0}); err != nil {
				return err
			}
			if c.Status == "waiting_customer" {
				return nil // still paused for the customer
			}
			return s.resumeMatching(ctx, tx, c, catastrophePausable)
		}
		if _, err := tx.FindCatastrophe(ctx, id); care.ErrorCode(err) == care.ENOTFOUND {
			return care.Invalid("catastrophe_id", "no catastrophe event %d", id)
		} else if err != nil {
			return err
		}
		return s.linkCatastrophe(ctx, tx, c, k, id)
	})
}

// linkCatastrophe links the claim to an event inside tx and, while the
// event is active, pauses the claim's inspection milestone.
func (s *Service) linkCatastrophe(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, id int64) error {
	e, err := tx.FindCatastrophe(ctx, id)
	if err != nil {
		return err
	}
	k.CatastropheID = id
	if err := tx.UpdateClaim(ctx, k); err != nil {
		return err
	}
	if err := audit(ctx, tx, "update", "claim", c.ID, map[string]any{"catastrophe_id": id}); err != nil {
		return err
	}
	if !e.Active() {
		return nil
	}
	return s.pauseMatching(ctx, tx, c, catastrophePausable)
}

// catastrophePausable is the milestone a catastrophe event holds: the
// claim's inspection. The claims standards are the firm's own; regulatory
// and SLA clocks never stand still for a storm.
func catastrophePausable(k *care.Clock) bool { return k.Regime == "claims" && k.Name == "inspection" }

// catastropheHolds reports whether the case is a claim linked to an active
// catastrophe event, which holds its inspection milestone paused whatever
// else happens to the case (a generic resume leaves it alone).
func catastropheHolds(ctx context.Context, tx *store.Tx, c *care.Case) (bool, error) {
	if c.Type != "claim" {
		return false, nil
	}
	k, err := tx.FindClaim(ctx, c.ID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return false, nil // a claim case not (yet) registered as a claim
	} else if err != nil || k.CatastropheID == 0 {
		return false, err
	}
	e, err := tx.FindCatastrophe(ctx, k.CatastropheID)
	if err != nil {
		return false, err
	}
	return e.Active(), nil
}

// FindSettlementAuthorities lists the settlement limits: role defaults and
// per-user overrides.
func (s *Service) FindSettlementAuthorities(ctx context.Context) ([]*care.SettlementAuthority, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimRead); err != nil {
		return nil, err
	}
	var out []*care.SettlementAuthority
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindSettlementAuthorities(ctx)
		return err
	})
	return out, err
}

// SetSettlementAuthority sets how much a role, or one user, may approve as
// a settlement (a user's own limit overrides the role's).
func (s *Service) SetSettlementAuthority(ctx context.Context, a *care.SettlementAuthority) error {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimAdmin); err != nil {
		return err
	}
	var p care.Problems
	switch {
	case (a.Role == "") == (a.UserID == 0):
		p.Add("role", "give either a role or a user_id")
	case a.Role != "" && !care.ValidRole(a.Role):
		p.Add("role", "must be one of the roles")
	}
	if a.LimitMinor < 0 {
		p.Add("limit", "must not be negative")
	}
	if a.Currency != "" && !care.ValidCurrency(a.Currency) {
		p.Add("currency", "must be an ISO 4217 code caredesk accepts, or empty for every currency")
	}
	if err := p.Err(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if a.UserID != 0 {
			if err := checkUser(ctx, tx, "user_id", a.UserID); err != nil {
				return err
			}
		}
		if err := tx.SetSettlementAuthority(ctx, a); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "settlement_authority", a.ID, map[string]any{"role": a.Role, "user_id": a.UserID,
			"limit": a.LimitMinor, "currency": a.Currency})
	})
}

// MySettlementLimit returns how much the actor may approve as a settlement
// in a currency; found is false when they have no authority in it, and
// unlimited is true for the system.
func (s *Service) MySettlementLimit(ctx context.Context, currency string) (limit int64, found, unlimited bool, err error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermClaimSettle); err != nil {
		return 0, false, false, err
	}
	if actor.Role == "system" {
		return 0, true, true, nil
	}
	err = s.store.Read(ctx, func(tx *store.Tx) (err error) {
		limit, found, err = tx.SettlementLimit(ctx, actor.Role, actor.UserID, currency)
		return err
	})
	return limit, found, false, err
}
