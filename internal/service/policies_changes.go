package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// NewPolicyChange is a mid-term change a policyholder asks for.
type NewPolicyChange struct {
	Kind                   string
	Details                string
	EffectiveDate          time.Time
	PremiumAdjustmentMinor int64
	Channel                string // how the request arrived (default phone)
}

// RequestPolicyChange records a mid-term change request and opens a
// service-request case for it, linked to the policy and its holder, so the
// request sits in the queues with its SLA clocks. Agents may raise one
// (case:write); deciding it needs policy:write.
func (s *Service) RequestPolicyChange(ctx context.Context, key string, in NewPolicyChange) (*care.PolicyChange, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	if err := actor.Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	in.Channel = strings.TrimSpace(in.Channel)
	if in.Channel == "" {
		in.Channel = "phone"
	}
	x := &care.PolicyChange{Kind: in.Kind, Details: s.mask(in.Details), EffectiveDate: in.EffectiveDate,
		Status: "requested", PremiumAdjustmentMinor: in.PremiumAdjustmentMinor, RequestedBy: actor.Name}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := lockPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := x.Validate(p); err != nil {
			return err
		}
		x.PolicyID = p.ID
		c := &care.Case{Type: "service_request", Channel: in.Channel, CustomerID: p.CustomerID, PolicyID: p.ID,
			Subject:     fmt.Sprintf("Policy change: %s on %s from %s", lineLabel(x.Kind), p.Number, x.EffectiveDate.Format(time.DateOnly)),
			Description: x.Details, ReceivedAt: tx.Now()}
		c.Normalize()
		c.Regimes = s.cfg.DefaultRegimes[c.Type]
		if err := c.Validate(tx.Now()); err != nil {
			return prefixFields(err, "case.")
		}
		if err := s.openCase(ctx, tx, c, nil, "policy_change"); err != nil {
			return err
		}
		x.CaseID, x.CaseReference = c.ID, c.Reference
		if err := tx.CreatePolicyChange(ctx, x); err != nil {
			return err
		}
		return audit(ctx, tx, "request_change", "policy", p.ID, map[string]any{"number": p.Number, "change_id": x.ID,
			"kind": x.Kind, "effective_date": x.EffectiveDate.Format(time.DateOnly), "case": c.Reference})
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// PolicyChangeDecision moves a change request on.
type PolicyChangeDecision struct {
	Status                 string // approved, applied or rejected
	Reason                 string // required to reject
	PremiumAdjustmentMinor *int64 // revised adjustment, until applied
}

// DecidePolicyChange approves, applies or rejects a change request.
// Applying adds its premium adjustment to the policy's annual premium. A
// change applied or rejected resolves its service-request case.
func (s *Service) DecidePolicyChange(ctx context.Context, key string, id int64, in PolicyChangeDecision) (*care.PolicyChange, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermPolicyWrite); err != nil {
		return nil, err
	}
	in.Status, in.Reason = strings.TrimSpace(in.Status), strings.TrimSpace(in.Reason)
	var pr care.Problems
	pr.Required("status", in.Status)
	pr.MaxLen("reason", in.Reason, 1000)
	if in.Status == "rejected" && in.Reason == "" {
		pr.Add("reason", "is required to reject a change")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	var x *care.PolicyChange
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		p, err := lockPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if x, err = tx.FindPolicyChange(ctx, p.ID, id); err != nil {
			return err
		}
		from := x.Status
		if err := care.CheckPolicyChangeMove(from, in.Status); err != nil {
			return err
		}
		return s.decideChange(ctx, tx, p, x, in)
	})
	return x, err
}

func (s *Service) decideChange(ctx context.Context, tx *store.Tx, p *care.Policy, x *care.PolicyChange, in PolicyChangeDecision) error {
	from, now := x.Status, tx.Now()
	detail := map[string]any{"number": p.Number, "change_id": x.ID, "status": [2]string{from, in.Status}}
	if in.PremiumAdjustmentMinor != nil && *in.PremiumAdjustmentMinor != x.PremiumAdjustmentMinor {
		detail["premium_adjustment_minor"] = [2]int64{x.PremiumAdjustmentMinor, *in.PremiumAdjustmentMinor}
		x.PremiumAdjustmentMinor = *in.PremiumAdjustmentMinor
	}
	x.Status, x.DecidedBy, x.DecidedAt = in.Status, care.ActorFromContext(ctx).Name, now
	if in.Reason != "" {
		x.Reason = in.Reason
	}
	if in.Status == "applied" {
		if !care.PolicyActive(p.Status) {
			return care.Invalid("status", "a %s policy cannot have a change applied", p.Status)
		}
		x.AppliedAt = now
		if x.PremiumAdjustmentMinor != 0 {
			before := p.PremiumMinor
			if p.PremiumMinor+x.PremiumAdjustmentMinor < 0 {
				return care.Invalid("premium_adjustment", "would make the premium negative (%s)",
					care.FormatMoney(p.PremiumMinor+x.PremiumAdjustmentMinor))
			}
			p.PremiumMinor += x.PremiumAdjustmentMinor
			if err := tx.UpdatePolicy(ctx, p); err != nil {
				return err
			}
			detail["premium_minor"] = [2]int64{before, p.PremiumMinor}
		}
	}
	if ok, err := tx.UpdatePolicyChange(ctx, x, from); err != nil || !ok {
		return orConflict(err, ok, "The change was decided by someone else meanwhile; reload it.")
	}
	if err := audit(ctx, tx, "decide_change", "policy", p.ID, detail); err != nil {
		return err
	}
	if (x.Status == "applied" || x.Status == "rejected") && x.CaseID != 0 {
		return s.resolveServiceCase(ctx, tx, x.CaseID)
	}
	return nil
}

// resolveServiceCase resolves a change's case the way a case update does
// (KPI cells, audit, events, clocks), unless it is closed already.
func (s *Service) resolveServiceCase(ctx context.Context, tx *store.Tx, caseID int64) error {
	c, err := tx.FindCaseByID(ctx, caseID)
	if err != nil || care.IsClosedStatus(c.Status) {
		return err
	}
	resolved := "resolved"
	ch, err := s.applyCaseUpdate(ctx, tx, c, care.CaseUpdate{Status: &resolved})
	if err != nil {
		return err
	}
	if err := tx.UpdateCase(ctx, c); err != nil {
		return err
	}
	if err := s.kpiCase(ctx, tx, c.ID); err != nil {
		return err
	}
	if err := audit(ctx, tx, "update", "case", c.ID, ch); err != nil {
		return err
	}
	if err := emitCaseUpdated(ctx, tx, c, ch); err != nil {
		return err
	}
	return s.clocksAfterUpdate(ctx, tx, c, ch)
}

// FindPolicyChanges returns a policy's change requests, newest first.
func (s *Service) FindPolicyChanges(ctx context.Context, key string) ([]*care.PolicyChange, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	var out []*care.PolicyChange
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := findPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if out, err = tx.FindPolicyChanges(ctx, p.ID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "policy_change", "", map[string]any{"policy_id": p.ID})
	})
	return out, err
}
