package service

import (
	"context"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// PolicyTransition asks for a policy to move to another status.
type PolicyTransition struct {
	To           string
	Reason       string
	PremiumMinor int64 // renewed: the new term's annual premium (0: the offer's, else unchanged)
}

// TransitionPolicy moves a policy along its lifecycle (application →
// in_force → renewed | lapsed | cancelled), in one transaction with its
// lifecycle event and audit entry. Renewing starts the next term; renewing,
// lapsing or cancelling a policy in force records its renewal outcome,
// which stops the reminders and counts towards churn.
func (s *Service) TransitionPolicy(ctx context.Context, key string, in PolicyTransition) (*care.Policy, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyWrite); err != nil {
		return nil, err
	}
	in.To, in.Reason = strings.TrimSpace(in.To), strings.TrimSpace(in.Reason)
	var pr care.Problems
	pr.Required("to", in.To)
	pr.MaxLen("reason", in.Reason, 1000)
	if in.PremiumMinor < 0 {
		pr.Add("premium", "must not be negative")
	}
	if (in.To == "cancelled" || in.To == "lapsed") && in.Reason == "" {
		pr.Add("reason", "is required when a policy is %s", in.To)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	var p *care.Policy
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if p, err = lockPolicy(ctx, tx, key); err != nil {
			return err
		}
		return s.transition(ctx, tx, p, in)
	})
	return p, err
}

// lockPolicy finds a policy by ID or number and locks its row for the
// transaction, so changes to one policy happen one after the other.
func lockPolicy(ctx context.Context, tx *store.Tx, key string) (*care.Policy, error) {
	id, number := parseKey(key)
	if id == 0 {
		p, err := tx.FindPolicyByNumber(ctx, strings.ToUpper(number))
		if err != nil {
			return nil, err
		}
		id = p.ID
	}
	return tx.LockPolicy(ctx, id)
}

// transition is TransitionPolicy inside tx, for the reminder job's lapse
// too: p must be locked.
func (s *Service) transition(ctx context.Context, tx *store.Tx, p *care.Policy, in PolicyTransition) error {
	if err := care.CheckPolicyTransition(p.Status, in.To); err != nil {
		return err
	}
	before := *p
	var outcome *care.PolicyRenewal
	if care.PolicyActive(p.Status) {
		r, err := tx.EnsureRenewal(ctx, p)
		if err != nil {
			return err
		}
		if r.Outcome != "" { // the term already ended with an outcome; cannot happen while p is on it
			return care.Errorf(care.ECONFLICT, "The renewal of the term ending %s was already recorded as %s.",
				r.TermEnd.Format(time.DateOnly), r.Outcome)
		}
		expect := r.NextReminderAt
		r.Outcome, r.OutcomeReason, r.OutcomeBy, r.OutcomeAt = in.To, in.Reason, care.ActorFromContext(ctx).Name, tx.Now()
		r.NextReminderAt = time.Time{} // the reminders stop
		if ok, err := tx.UpdateRenewal(ctx, r, expect); err != nil {
			return err
		} else if !ok {
			return care.Errorf(care.ECONFLICT, "The renewal of policy %s changed while it was being recorded; try again.", p.Number)
		}
		outcome = r
	}
	p.Status = in.To
	if in.To == "renewed" {
		p.Start, p.End = care.NextTerm(before.Start, before.End)
		switch {
		case in.PremiumMinor > 0:
			p.PremiumMinor = in.PremiumMinor
		case outcome.PremiumMinor > 0:
			p.PremiumMinor = outcome.PremiumMinor
		}
	}
	if err := tx.UpdatePolicy(ctx, p); err != nil {
		return err
	}
	ev := &care.PolicyEvent{PolicyID: p.ID, From: before.Status, To: p.Status, Reason: in.Reason,
		Actor: care.ActorFromContext(ctx).Name, TermStart: p.Start, TermEnd: p.End}
	if err := tx.CreatePolicyEvent(ctx, ev); err != nil {
		return err
	}
	detail := map[string]any{"number": p.Number, "status": [2]string{before.Status, p.Status}}
	if in.Reason != "" {
		detail["reason"] = in.Reason
	}
	if !p.End.Equal(before.End) {
		detail["term"] = [2]string{before.End.Format(time.DateOnly), p.End.Format(time.DateOnly)}
	}
	if p.PremiumMinor != before.PremiumMinor {
		detail["premium_minor"] = [2]int64{before.PremiumMinor, p.PremiumMinor}
	}
	if err := audit(ctx, tx, "transition", "policy", p.ID, detail); err != nil {
		return err
	}
	if err := emit(ctx, tx, "policy.status_changed", map[string]any{"policy": policyData(p), "from": before.Status,
		"to": p.Status, "reason": in.Reason}); err != nil {
		return err
	}
	if outcome != nil {
		return kpiRenewal(ctx, tx, outcome) // churn, in the transaction of the outcome
	}
	return nil
}

// RenewalOffer is the renewal terms put to the policyholder.
type RenewalOffer struct {
	PremiumMinor int64
}

// OfferRenewal records the renewal premium offered for a policy's current
// term (an offer may be revised until the outcome is recorded).
func (s *Service) OfferRenewal(ctx context.Context, key string, in RenewalOffer) (*care.PolicyRenewal, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyWrite); err != nil {
		return nil, err
	}
	if in.PremiumMinor <= 0 {
		return nil, care.Invalid("premium", "must be more than 0")
	}
	var r *care.PolicyRenewal
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := lockPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if !care.PolicyActive(p.Status) {
			return care.Invalid("policy", "a %s policy cannot be offered a renewal; only a policy in force can", p.Status)
		}
		if r, err = tx.EnsureRenewal(ctx, p); err != nil {
			return err
		}
		before := r.PremiumMinor
		r.PremiumMinor, r.OfferedAt = in.PremiumMinor, tx.Now()
		if ok, err := tx.UpdateRenewal(ctx, r, r.NextReminderAt); err != nil || !ok {
			return orConflict(err, ok, "The renewal changed while the offer was being recorded; try again.")
		}
		return audit(ctx, tx, "offer", "policy", p.ID, map[string]any{"number": p.Number,
			"term_end": r.TermEnd.Format(time.DateOnly), "premium_minor": [2]int64{before, r.PremiumMinor}})
	})
	return r, err
}

func orConflict(err error, ok bool, msg string) error {
	if err != nil || ok {
		return err
	}
	return care.Errorf(care.ECONFLICT, "%s", msg)
}

// PolicyFile is everything the policy page and GET routes show of one
// policy: its lifecycle, renewals, reminders, changes and money.
type PolicyFile struct {
	Policy      *care.Policy
	Customer    *care.Customer
	Events      []*care.PolicyEvent
	Renewals    []*care.PolicyRenewal // latest term first
	Reminders   []*care.PolicyReminder
	Changes     []*care.PolicyChange
	Instalments []*care.Instalment
	Payments    []*care.Payment
}

// Renewal returns the renewal of the current term, or nil.
func (f *PolicyFile) Renewal() *care.PolicyRenewal {
	for _, r := range f.Renewals {
		if r.TermEnd.Equal(f.Policy.End) {
			return r
		}
	}
	return nil
}

// PaidMinor is the total of the payments received.
func (f *PolicyFile) PaidMinor() int64 {
	var n int64
	for _, p := range f.Payments {
		n += p.AmountMinor
	}
	return n
}

// FindPolicyFile returns a policy with its servicing history; the read is
// audited.
func (s *Service) FindPolicyFile(ctx context.Context, key string) (*PolicyFile, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	f := &PolicyFile{}
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if f.Policy, err = findPolicy(ctx, tx, key); err != nil {
			return err
		}
		id := f.Policy.ID
		if f.Customer, err = tx.FindCustomerByID(ctx, f.Policy.CustomerID); err != nil {
			return err
		}
		if f.Events, err = tx.FindPolicyEvents(ctx, id); err != nil {
			return err
		}
		if f.Renewals, err = tx.FindRenewals(ctx, id); err != nil {
			return err
		}
		if f.Reminders, err = tx.FindReminders(ctx, id); err != nil {
			return err
		}
		if f.Changes, err = tx.FindPolicyChanges(ctx, id); err != nil {
			return err
		}
		if f.Instalments, err = tx.FindInstalments(ctx, id); err != nil {
			return err
		}
		if f.Payments, err = tx.FindPayments(ctx, id); err != nil {
			return err
		}
		return audit(ctx, tx, "read", "policy", id, map[string]any{"file": true, "customer_id": f.Policy.CustomerID})
	})
	return f, err
}

func findPolicy(ctx context.Context, tx *store.Tx, key string) (*care.Policy, error) {
	id, number := parseKey(key)
	if id != 0 {
		return tx.FindPolicyByID(ctx, id)
	}
	return tx.FindPolicyByNumber(ctx, strings.ToUpper(number))
}

// policyData is a policy as webhook events carry it: no personal data
// beyond the customer's id.
func policyData(p *care.Policy) map[string]any {
	return map[string]any{"id": p.ID, "number": p.Number, "line": p.Line, "customer_id": p.CustomerID,
		"start": p.Start.Format(time.DateOnly), "end": p.End.Format(time.DateOnly), "premium": care.FormatMoney(p.PremiumMinor),
		"currency": p.Currency, "status": p.Status}
}
