package service

import (
	"context"
	"slices"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// PermComplaintAct is the permission to move a complaint through its
// lifecycle and record its investigation and outcome: complaints
// handlers, supervisors and administrators hold it; auditors only read.
const PermComplaintAct = care.PermCaseAssign

// ComplaintView is a complaint with everything its page shows.
type ComplaintView struct {
	Case           *care.Case
	Complaint      *care.Complaint
	Handlers       []care.TierHandler
	Transitions    []*care.ComplaintTransition
	Clocks         []*care.Clock
	Evidence       []*care.Evidence
	Requests       []*care.TeamRequest
	Redress        []*care.Redress
	CAPA           []*care.CAPA
	ReferralBodies []care.ReferralBody
}

// complaintFor finds a complaint case and its record, creating the record
// (stage received, or acknowledged when that event is already recorded) for
// a case that became a complaint some other way: created through
// POST /cases or reclassified.
func complaintFor(ctx context.Context, tx *store.Tx, key string) (*care.Case, *care.Complaint, error) {
	c, err := findCase(ctx, tx, key)
	if err != nil {
		return nil, nil, err
	}
	if c.Type != "complaint" {
		return nil, nil, care.Errorf(care.EPRECONDITION, "Case %s is a %s, not a complaint: reclassify it (type complaint) "+
			"or confirm its complaint signal first.", c.Reference, strings.ReplaceAll(c.Type, "_", " "))
	}
	k, err := ensureComplaint(ctx, tx, c)
	return c, k, err
}

func ensureComplaint(ctx context.Context, tx *store.Tx, c *care.Case) (*care.Complaint, error) {
	k, err := tx.FindComplaint(ctx, c.ID)
	if care.ErrorCode(err) != care.ENOTFOUND {
		return k, err
	}
	k = &care.Complaint{CaseID: c.ID, Stage: care.StageReceived}
	events, err := tx.FindCaseEvents(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if _, ok := events[clock.EventAcknowledged]; ok {
		k.Stage = care.StageAcknowledged
	}
	if _, err := tx.CreateComplaint(ctx, k); err != nil {
		return nil, err
	}
	return k, nil
}

// loadView reads everything a complaint's page shows, inside tx.
func loadView(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Complaint) (*ComplaintView, error) {
	v := &ComplaintView{Case: c, Complaint: k, ReferralBodies: care.ReferralBodiesFor(c.Regimes)}
	var err error
	if v.Handlers, err = tx.FindTierHandlers(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Transitions, err = tx.FindComplaintTransitions(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Clocks, err = tx.FindClocksByCase(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Evidence, err = tx.FindEvidence(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Requests, err = tx.FindTeamRequests(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Redress, err = tx.FindRedressByCase(ctx, c.ID); err != nil {
		return nil, err
	}
	v.CAPA, err = tx.FindCAPAByCase(ctx, c.ID)
	return v, err
}

// FindComplaint returns a complaint with its stage, tier, handlers per
// tier, transitions, clocks, investigation and outcome; the read is audited.
func (s *Service) FindComplaint(ctx context.Context, key string) (*ComplaintView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var v *ComplaintView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := complaintFor(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, "read", "complaint", c.ID, nil); err != nil {
			return err
		}
		v, err = loadView(ctx, tx, c, k)
		return err
	})
	return v, err
}

// NewComplaint is the input of CreateComplaint: the case (its description
// is the customer's statement, kept verbatim once redacted), the intake
// assessment, and optionally the first interaction.
type NewComplaint struct {
	Case   care.Case
	Intake care.ComplaintIntake
	First  *care.Interaction
}

// CreateComplaint takes a complaint in from any channel: the case with its
// clocks and the complaint record, in one transaction, with a reference at
// once. Any member of staff who takes cases may log a complaint.
func (s *Service) CreateComplaint(ctx context.Context, in NewComplaint) (*ComplaintView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	if err := in.Intake.Validate(); err != nil {
		return nil, err
	}
	in.Case.Type = "complaint"
	var v *ComplaintView
	_, err := s.CreateCase(ctx, NewCase{Case: in.Case, First: in.First,
		after: func(ctx context.Context, tx *store.Tx, c *care.Case) (err error) {
			k := &care.Complaint{CaseID: c.ID, Stage: care.StageReceived}
			s.maskIntake(&in.Intake).Apply(k)
			if _, err := tx.CreateComplaint(ctx, k); err != nil {
				return err
			}
			if err := audit(ctx, tx, "create", "complaint", c.ID, intakeDetail(k)); err != nil {
				return err
			}
			v, err = loadView(ctx, tx, c, k)
			return err
		}})
	return v, err
}

// maskIntake redacts the free text of an intake.
func (s *Service) maskIntake(in *care.ComplaintIntake) *care.ComplaintIntake {
	for _, p := range []*string{in.RemedySought, in.VulnerabilityNote, in.ClaimNumber} {
		if p != nil {
			*p = s.mask(*p)
		}
	}
	return in
}

func intakeDetail(k *care.Complaint) map[string]any {
	return map[string]any{"stage": k.Stage, "claim_number": k.ClaimNumber, "severity": k.Severity,
		"complexity": k.Complexity, "impact": k.Impact, "immediate_action": k.ImmediateAction, "vulnerable": k.Vulnerable}
}

// UpdateComplaintIntake changes a complaint's intake details, for example
// after a case was reclassified as a complaint.
func (s *Service) UpdateComplaintIntake(ctx context.Context, key string, in care.ComplaintIntake) (*ComplaintView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v *ComplaintView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := complaintFor(ctx, tx, key)
		if err != nil {
			return err
		}
		before := intakeDetail(k)
		s.maskIntake(&in).Apply(k)
		ch := changes{}
		for f, after := range intakeDetail(k) {
			ch.note(f, before[f], after)
		}
		if err := tx.UpdateComplaint(ctx, k); err != nil {
			return err
		}
		if err := audit(ctx, tx, "update", "complaint", c.ID, ch); err != nil {
			return err
		}
		v, err = loadView(ctx, tx, c, k)
		return err
	})
	return v, err
}

// TransitionComplaint moves a complaint on: to its next lifecycle stage, up
// a review tier (by hand, starting the same review clocks as escalation by
// a breached clock), or out to an ombudsman or regulator. The reviewer at a
// tier must not have handled the complaint at an earlier tier.
func (s *Service) TransitionComplaint(ctx context.Context, key string, req care.TransitionRequest) (*ComplaintView, error) {
	if err := care.ActorFromContext(ctx).Require(PermComplaintAct); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	req.Note = s.mask(strings.TrimSpace(req.Note))
	var v *ComplaintView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := complaintFor(ctx, tx, key)
		if err != nil {
			return err
		}
		switch req.To {
		case "tier2", "executive":
			err = s.escalateByHand(ctx, tx, c, k, req)
		case "referred":
			err = s.refer(ctx, tx, c, k, req)
		default:
			err = s.moveStage(ctx, tx, c, k, req)
		}
		if err != nil {
			return err
		}
		if k, err = tx.FindComplaint(ctx, c.ID); err != nil {
			return err
		}
		v, err = loadView(ctx, tx, c, k)
		return err
	})
	return v, err
}

// stageFrom lists the stages each stage may be reached from.
var stageFrom = map[string][]string{
	care.StageAcknowledged:   {care.StageReceived},
	care.StageInvestigating:  {care.StageAcknowledged},
	care.StageResponseIssued: {care.StageAcknowledged, care.StageInvestigating},
	care.StageClosed:         {care.StageResponseIssued},
}

// reviewClock names the review clock a response at a tier answers.
var reviewClock = map[string]string{"tier2": "tier2_review", "executive": "executive_review"}

func (s *Service) moveStage(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Complaint, req care.TransitionRequest) error {
	actor := care.ActorFromContext(ctx)
	from := k.Stage
	withdrawn := k.Outcome == "withdrawn" && req.To == care.StageClosed && from != care.StageClosed
	if !withdrawn && !slices.Contains(stageFrom[req.To], from) {
		return care.Errorf(care.EPRECONDITION, "Complaint %s is %s; it can move to %s only from %s.", c.Reference,
			from, req.To, strings.Join(stageFrom[req.To], " or "))
	}
	if err := independent(ctx, tx, c, c.Tier, actor.UserID, "to"); err != nil {
		return err
	}
	now := tx.Now()
	switch req.To {
	case care.StageAcknowledged:
		if err := s.recordCaseEvent(ctx, tx, c, clock.EventAcknowledged, now); err != nil {
			return err
		}
	case care.StageResponseIssued:
		k.ResponseIssuedAt = now
		names := []string{"summary_resolution", "final_response", "final_response_extended", clock.SLAResolution, reviewClock[c.Tier]}
		if err := s.meetClocks(ctx, tx, c, now, named(names...)); err != nil {
			return err
		}
	case care.StageClosed:
		if err := s.closeComplaint(ctx, tx, c, k, req); err != nil {
			return err
		}
	}
	if req.To != care.StageClosed && c.Status == "new" {
		if err := s.setCaseStatus(ctx, tx, c, "open"); err != nil {
			return err
		}
	}
	k.Stage = req.To
	if err := tx.UpdateComplaint(ctx, k); err != nil {
		return err
	}
	if actor.UserID != 0 {
		if err := tx.AddTierHandler(ctx, c.ID, c.Tier, actor.UserID); err != nil {
			return err
		}
	}
	return recordTransition(ctx, tx, c, "stage", from, req.To, 0, "", req.Note)
}

// closeComplaint checks that a complaint may close and closes its case,
// which meets every clock and tells webhooks (complaint.closed).
func (s *Service) closeComplaint(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Complaint, req care.TransitionRequest) error {
	var p care.Problems
	if k.Outcome == "" {
		p.Add("outcome", "record the outcome before closing (PUT /api/v1/complaints/%s/outcome)", c.Reference)
	}
	if req.CustomerResponse == "" && k.Outcome != "withdrawn" {
		p.Add("customer_response", "is required at closure: accepted or disagreed")
	}
	if err := p.Err(); err != nil {
		return err
	}
	k.CustomerResponse, k.ClosedAt = req.CustomerResponse, tx.Now()
	if err := audit(ctx, tx, "update", "complaint", c.ID, map[string]any{"outcome": k.Outcome,
		"root_cause": k.RootCause, "customer_response": k.CustomerResponse}); err != nil {
		return err
	}
	return s.setCaseStatus(ctx, tx, c, "closed")
}

// setCaseStatus changes the case's status as UpdateCase would, inside tx.
func (s *Service) setCaseStatus(ctx context.Context, tx *store.Tx, c *care.Case, status string) error {
	ch, err := s.applyCaseUpdate(ctx, tx, c, care.CaseUpdate{Status: &status})
	if err != nil || len(ch) == 0 {
		return err
	}
	if err := tx.UpdateCase(ctx, c); err != nil {
		return err
	}
	if err := s.kpiCase(ctx, tx, c.ID); err != nil { // KPI rollups: resolution
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

func recordTransition(ctx context.Context, tx *store.Tx, c *care.Case, kind, from, to string, reviewer int64, referredTo, note string) error {
	actor := care.ActorFromContext(ctx)
	t := &care.ComplaintTransition{CaseID: c.ID, Kind: kind, From: from, To: to, ActorID: actor.UserID,
		ActorName: actor.Name, ReviewerID: reviewer, ReferredTo: referredTo, Note: note}
	if err := tx.CreateComplaintTransition(ctx, t); err != nil {
		return err
	}
	detail := map[string]any{"transition": t.ID, "kind": kind, "from": from, "to": to}
	if reviewer != 0 {
		detail["reviewer_id"] = reviewer
	}
	if referredTo != "" {
		detail["referred_to"] = referredTo
	}
	return audit(ctx, tx, "update", "complaint", c.ID, detail)
}
