package service

import (
	"context"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// independent refuses a user who handled the complaint at a tier below
// tier (ISO 10002: a review must be independent of the decision it
// reviews). The case's current assignee counts as the handler of the
// current tier even before acting. field names the input at fault.
func independent(ctx context.Context, tx *store.Tx, c *care.Case, tier string, userID int64, field string) error {
	if userID == 0 || care.TierRank(tier) <= 0 {
		return nil
	}
	hs, err := tx.FindTierHandlers(ctx, c.ID)
	if err != nil {
		return err
	}
	if c.AssigneeID != 0 && care.TierRank(c.Tier) < care.TierRank(tier) {
		hs = append(hs, care.TierHandler{Tier: c.Tier, UserID: c.AssigneeID})
	}
	for _, h := range hs {
		if h.UserID == userID && care.TierRank(h.Tier) < care.TierRank(tier) {
			msg := "user %d handled complaint %s at the %s tier, so cannot act at the %s tier: the review must be independent (ISO 10002)"
			if field == "to" {
				return care.Errorf(care.EPRECONDITION, "You handled complaint %s at the %s tier, so you cannot act at the %s tier: "+
					"the review must be independent (ISO 10002). Ask your supervisor to assign a reviewer.", c.Reference,
					tierLabel(h.Tier), tierLabel(tier))
			}
			return care.Invalid(field, msg, userID, c.Reference, tierLabel(h.Tier), tierLabel(tier))
		}
	}
	return nil
}

// checkReviewer checks that a reviewer exists, is active, may act on
// complaints and is independent of the earlier tiers.
func checkReviewer(ctx context.Context, tx *store.Tx, c *care.Case, tier string, id int64) error {
	u, err := tx.FindUserByID(ctx, id)
	switch {
	case care.ErrorCode(err) == care.ENOTFOUND:
		return care.Invalid("reviewer_id", "no user %d", id)
	case err != nil:
		return err
	case !u.Active:
		return care.Invalid("reviewer_id", "user %d is not active", id)
	case !care.RoleCan(u.Role, PermComplaintAct):
		return care.Invalid("reviewer_id", "user %d is a %s and cannot handle complaints", id, u.Role)
	}
	return independent(ctx, tx, c, tier, id, "reviewer_id")
}

// escalateByHand moves a complaint up a tier through the same escalation
// as a breached clock, so the same review clocks start.
func (s *Service) escalateByHand(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Complaint, req care.TransitionRequest) error {
	switch {
	case k.Stage == care.StageClosed || care.IsClosedStatus(c.Status):
		return care.Errorf(care.EPRECONDITION, "Complaint %s is closed; it can only be referred to an ombudsman or regulator.", c.Reference)
	case care.TierRank(c.Tier) >= care.TierRank(req.To):
		return care.Errorf(care.EPRECONDITION, "Complaint %s is already at the %s tier; a complaint never moves down a tier.",
			c.Reference, tierLabel(c.Tier))
	}
	if req.ReviewerID != 0 {
		if err := checkReviewer(ctx, tx, c, req.To, req.ReviewerID); err != nil {
			return err
		}
	}
	action := clock.ActionEscalateTier2
	if req.To == "executive" {
		action = clock.ActionEscalateExecutive
	}
	who := care.ActorFromContext(ctx).Name
	return s.escalateWith(ctx, tx, c, action, escalation{why: "by hand (" + who + ")", reviewerID: req.ReviewerID, note: req.Note})
}

// complaintEscalated records a complaint's move up a tier, by breach or by
// hand: who handled the tier it leaves, the transition, and the reviewer.
// A response already issued is under review again, so the stage goes back
// to investigating.
func (s *Service) complaintEscalated(ctx context.Context, tx *store.Tx, c *care.Case, before string, handler int64, esc escalation) error {
	if c.Type != "complaint" {
		return nil
	}
	k, err := ensureComplaint(ctx, tx, c)
	if err != nil {
		return err
	}
	if handler != 0 {
		if err := tx.AddTierHandler(ctx, c.ID, before, handler); err != nil {
			return err
		}
	}
	if esc.reviewerID != 0 {
		if err := tx.AddTierHandler(ctx, c.ID, c.Tier, esc.reviewerID); err != nil {
			return err
		}
	}
	note := esc.note
	if note == "" {
		note = "escalated " + esc.why
	}
	if err := recordTransition(ctx, tx, c, "tier", before, c.Tier, esc.reviewerID, "", note); err != nil {
		return err
	}
	if k.Stage != care.StageResponseIssued {
		return nil
	}
	k.Stage = care.StageInvestigating
	if err := tx.UpdateComplaint(ctx, k); err != nil {
		return err
	}
	return recordTransition(ctx, tx, c, "stage", care.StageResponseIssued, care.StageInvestigating, 0, "", "review at the "+tierLabel(c.Tier)+" tier")
}

// refer records that a complaint went to an ombudsman or regulator. It may
// happen at any stage (the customer may refer once the final response is
// issued, or when the firm's time runs out) and never starts a clock.
func (s *Service) refer(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Complaint, req care.TransitionRequest) error {
	if c.Tier == "referred" {
		return care.Errorf(care.EPRECONDITION, "Complaint %s was already referred to %s.", c.Reference, k.ReferredTo)
	}
	bodies := care.ReferralBodiesFor(c.Regimes)
	codes := make([]string, len(bodies))
	found := false
	for i, b := range bodies {
		codes[i] = b.Code
		found = found || b.Code == req.ReferredTo
	}
	if !found {
		return care.Invalid("referred_to", "must be one of: %s (for the regimes %s)", strings.Join(codes, ", "),
			strings.Join(c.Regimes, ", "))
	}
	before := c.Tier
	if c.AssigneeID != 0 {
		if err := tx.AddTierHandler(ctx, c.ID, before, c.AssigneeID); err != nil {
			return err
		}
	}
	c.Tier = "referred"
	if err := tx.UpdateCase(ctx, c); err != nil {
		return err
	}
	k.ReferredTo = req.ReferredTo
	if err := tx.UpdateComplaint(ctx, k); err != nil {
		return err
	}
	if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"tier": [2]string{before, c.Tier},
		"reason": "referred", "referred_to": req.ReferredTo}); err != nil {
		return err
	}
	if err := emitEscalated(ctx, tx, c, before, "referred"); err != nil {
		return err
	}
	return recordTransition(ctx, tx, c, "tier", before, c.Tier, 0, req.ReferredTo, req.Note)
}

// AssignComplaintReviewer assigns the reviewer at a complaint's current
// review tier (for example after a breached clock escalated it), refusing
// anyone who handled an earlier tier.
func (s *Service) AssignComplaintReviewer(ctx context.Context, key string, reviewerID int64, note string) (*ComplaintView, error) {
	if err := care.ActorFromContext(ctx).Require(PermComplaintAct); err != nil {
		return nil, err
	}
	if reviewerID <= 0 {
		return nil, care.Invalid("reviewer_id", "is required")
	}
	note = s.mask(strings.TrimSpace(note))
	var v *ComplaintView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := complaintFor(ctx, tx, key)
		if err != nil {
			return err
		}
		if c.Tier != "tier2" && c.Tier != "executive" {
			return care.Errorf(care.EPRECONDITION, "Complaint %s is at the %s tier; reviewers are assigned at tier 2 and executive review.",
				c.Reference, tierLabel(c.Tier))
		}
		if err := checkReviewer(ctx, tx, c, c.Tier, reviewerID); err != nil {
			return err
		}
		before := c.AssigneeID
		c.AssigneeID = reviewerID
		if err := tx.UpdateCase(ctx, c); err != nil {
			return err
		}
		if err := tx.AddTierHandler(ctx, c.ID, c.Tier, reviewerID); err != nil {
			return err
		}
		if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"assignee_id": [2]int64{before, reviewerID}}); err != nil {
			return err
		}
		if err := recordTransition(ctx, tx, c, "reviewer", c.Tier, c.Tier, reviewerID, "", note); err != nil {
			return err
		}
		v, err = loadView(ctx, tx, c, k)
		return err
	})
	return v, err
}
