package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// InstalmentRequest asks for a policy's premium to be split into monthly
// instalments from FirstDue.
type InstalmentRequest struct {
	Count    int
	FirstDue time.Time
}

// SetInstalments writes a policy's instalment schedule, splitting its
// annual premium exactly. A schedule with a payment or a missed instalment
// is history and is not replaced.
func (s *Service) SetInstalments(ctx context.Context, key string, in InstalmentRequest) ([]*care.Instalment, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyWrite); err != nil {
		return nil, err
	}
	var items []*care.Instalment
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := lockPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if p.Status == "lapsed" || p.Status == "cancelled" || p.Status == "expired" {
			return care.Invalid("policy", "a %s policy takes no instalment schedule", p.Status)
		}
		if items, err = care.InstalmentPlan(p.PremiumMinor, in.Count, in.FirstDue); err != nil {
			return err
		}
		if last := items[len(items)-1].DueDate; last.After(p.End) {
			return care.Invalid("first_due", "the last instalment would fall due on %s, after the term ends on %s",
				last.Format(time.DateOnly), p.End.Format(time.DateOnly))
		}
		old, err := tx.FindInstalments(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, it := range old {
			if it.Status != "due" {
				return care.Errorf(care.ECONFLICT, "Instalment %d of policy %s is %s; a schedule with payments or missed "+
					"instalments cannot be replaced.", it.Seq, p.Number, it.Status)
			}
		}
		if err := tx.ReplaceInstalments(ctx, p.ID, items); err != nil {
			return err
		}
		return audit(ctx, tx, "schedule", "policy", p.ID, map[string]any{"number": p.Number, "count": in.Count,
			"first_due": in.FirstDue.Format(time.DateOnly), "replaced": len(old)})
	})
	return items, err
}

// FindInstalments returns a policy's instalment schedule.
func (s *Service) FindInstalments(ctx context.Context, key string) ([]*care.Instalment, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	var out []*care.Instalment
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := findPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if out, err = tx.FindInstalments(ctx, p.ID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "policy_instalment", "", map[string]any{"policy_id": p.ID})
	})
	return out, err
}

// RecordPayment records a premium payment. It settles instalment seq when
// given, else the earliest unpaid (missed first, then due) instalment of
// at most the amount paid.
func (s *Service) RecordPayment(ctx context.Context, key string, pay *care.Payment, seq int) error {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermPolicyWrite); err != nil {
		return err
	}
	if err := pay.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := lockPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		items, err := tx.FindInstalments(ctx, p.ID)
		if err != nil {
			return err
		}
		target, err := settles(items, pay.AmountMinor, seq)
		if err != nil {
			return err
		}
		pay.PolicyID, pay.RecordedBy = p.ID, actor.Name
		if err := tx.CreatePayment(ctx, pay); err != nil {
			return err
		}
		detail := map[string]any{"number": p.Number, "payment_id": pay.ID, "amount_minor": pay.AmountMinor, "method": pay.Method}
		if target != nil {
			if ok, err := tx.PayInstalment(ctx, target.ID, pay.ID); err != nil || !ok {
				return orConflict(err, ok, "That instalment was paid meanwhile; reload the policy.")
			}
			pay.InstalmentID, pay.InstalmentSeq = target.ID, target.Seq
			detail["instalment"] = target.Seq
		}
		return audit(ctx, tx, "payment", "policy", p.ID, detail)
	})
}

// settles picks the instalment a payment pays, or nil when it pays none.
func settles(items []*care.Instalment, amount int64, seq int) (*care.Instalment, error) {
	if seq != 0 {
		for _, it := range items {
			if it.Seq != seq {
				continue
			}
			if it.Status == "paid" {
				return nil, care.Invalid("instalment", "instalment %d is already paid", seq)
			}
			if amount < it.AmountMinor {
				return nil, care.Invalid("amount", "is less than instalment %d (%s)", seq, care.FormatMoney(it.AmountMinor))
			}
			return it, nil
		}
		return nil, care.Invalid("instalment", "the policy has no instalment %d", seq)
	}
	for _, status := range []string{"missed", "due"} {
		for _, it := range items {
			if it.Status == status && it.AmountMinor <= amount {
				return it, nil
			}
		}
	}
	return nil, nil
}

// FindPayments returns a policy's payments, newest first.
func (s *Service) FindPayments(ctx context.Context, key string) ([]*care.Payment, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	var out []*care.Payment
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := findPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if out, err = tx.FindPayments(ctx, p.ID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "policy_payment", "", map[string]any{"policy_id": p.ID})
	})
	return out, err
}
