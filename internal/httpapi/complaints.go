package httpapi

import (
	"net/http"
	"net/url"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

type handlerDTO struct {
	Tier   string  `json:"tier"`
	UserID int64   `json:"user_id"`
	Since  *string `json:"since"`
}

type transitionDTO struct {
	ID         int64   `json:"id"`
	Kind       string  `json:"kind"` // stage, tier or reviewer
	From       string  `json:"from"`
	To         string  `json:"to"`
	ActorID    *int64  `json:"actor_id"`
	ActorName  string  `json:"actor_name"`
	ReviewerID *int64  `json:"reviewer_id"`
	ReferredTo string  `json:"referred_to"`
	Note       string  `json:"note"`
	At         *string `json:"at"`
}

type referralBodyDTO struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Regime string `json:"regime"`
}

// complaintDTO is the complaint view: the case, the lifecycle and intake,
// who handled each tier, every transition, the clocks, the investigation
// and the outcome.
type complaintDTO struct {
	Case              caseDTO           `json:"case"`
	Stage             string            `json:"stage"`
	Tier              string            `json:"tier"`
	ClaimNumber       string            `json:"claim_number"`
	RemedySought      string            `json:"remedy_sought"`
	Severity          string            `json:"severity"`
	Complexity        string            `json:"complexity"`
	Impact            string            `json:"impact"`
	ImmediateAction   bool              `json:"immediate_action"`
	Vulnerable        bool              `json:"vulnerable"`
	VulnerabilityNote string            `json:"vulnerability_note"`
	ReferredTo        string            `json:"referred_to"`
	Outcome           string            `json:"outcome"`
	OutcomeReasoning  string            `json:"outcome_reasoning"`
	RootCause         string            `json:"root_cause"`
	CustomerResponse  string            `json:"customer_response"`
	ResponseIssuedAt  *string           `json:"response_issued_at"`
	ClosedAt          *string           `json:"closed_at"`
	Handlers          []handlerDTO      `json:"handlers"`
	Transitions       []transitionDTO   `json:"transitions"`
	Clocks            []clockDTO        `json:"clocks"`
	Evidence          []evidenceDTO     `json:"evidence"`
	Requests          []requestDTO      `json:"requests"`
	Redress           []redressDTO      `json:"redress"`
	CAPA              []capaDTO         `json:"capa"`
	ReferralBodies    []referralBodyDTO `json:"referral_bodies"`
}

func toComplaint(v *service.ComplaintView, now time.Time) complaintDTO {
	k := v.Complaint
	return complaintDTO{Case: toCase(v.Case), Stage: k.Stage, Tier: v.Case.Tier, ClaimNumber: k.ClaimNumber,
		RemedySought: k.RemedySought, Severity: k.Severity, Complexity: k.Complexity, Impact: k.Impact,
		ImmediateAction: k.ImmediateAction, Vulnerable: k.Vulnerable, VulnerabilityNote: k.VulnerabilityNote,
		ReferredTo: k.ReferredTo, Outcome: k.Outcome, OutcomeReasoning: k.OutcomeReasoning, RootCause: k.RootCause,
		CustomerResponse: k.CustomerResponse, ResponseIssuedAt: stamp(k.ResponseIssuedAt), ClosedAt: stamp(k.ClosedAt),
		Handlers: mapAll(v.Handlers, func(h care.TierHandler) handlerDTO {
			return handlerDTO{Tier: h.Tier, UserID: h.UserID, Since: stamp(h.Since)}
		}),
		Transitions: mapAll(v.Transitions, toTransition),
		Clocks:      mapAll(v.Clocks, func(k *care.Clock) clockDTO { return toClock(k, now) }),
		Evidence:    mapAll(v.Evidence, toEvidence),
		Requests:    mapAll(v.Requests, func(t *care.TeamRequest) requestDTO { return toRequest(t, now) }),
		Redress:     mapAll(v.Redress, toRedress),
		CAPA:        mapAll(v.CAPA, toCAPA),
		ReferralBodies: mapAll(v.ReferralBodies, func(b care.ReferralBody) referralBodyDTO {
			return referralBodyDTO{Code: b.Code, Name: b.Name, Regime: b.Regime}
		})}
}

func toTransition(t *care.ComplaintTransition) transitionDTO {
	return transitionDTO{ID: t.ID, Kind: t.Kind, From: t.From, To: t.To, ActorID: ref(t.ActorID), ActorName: t.ActorName,
		ReviewerID: ref(t.ReviewerID), ReferredTo: t.ReferredTo, Note: t.Note, At: stamp(t.At)}
}

// complaintLocation is a complaint's canonical URL, by its reference.
func complaintLocation(c *care.Case) string {
	return "/api/v1/complaints/" + url.PathEscape(c.Reference)
}

func (a *API) writeComplaint(w http.ResponseWriter, status int, v *service.ComplaintView) error {
	setETag(w, v.Case)
	if status == http.StatusCreated {
		return created(w, complaintLocation(v.Case), toComplaint(v, a.svc.Now()))
	}
	return writeJSON(w, status, toComplaint(v, a.svc.Now()))
}

// intakeInput holds a complaint's intake fields; absent fields stay as
// they are on PATCH.
type intakeInput struct {
	ClaimNumber       optional[string] `json:"claim_number"`
	RemedySought      optional[string] `json:"remedy_sought"`
	Severity          optional[string] `json:"severity"`
	Complexity        optional[string] `json:"complexity"`
	Impact            optional[string] `json:"impact"`
	ImmediateAction   optional[bool]   `json:"immediate_action"`
	Vulnerable        optional[bool]   `json:"vulnerable"`
	VulnerabilityNote optional[string] `json:"vulnerability_note"`
}

func (in intakeInput) intake() care.ComplaintIntake {
	return care.ComplaintIntake{ClaimNumber: in.ClaimNumber.ptr(), RemedySought: in.RemedySought.ptr(),
		Severity: in.Severity.ptr(), Complexity: in.Complexity.ptr(), Impact: in.Impact.ptr(),
		ImmediateAction: in.ImmediateAction.ptr(), Vulnerable: in.Vulnerable.ptr(), VulnerabilityNote: in.VulnerabilityNote.ptr()}
}

// complaintInput is a new complaint: the case's fields (description is the
// customer's statement, verbatim) and the intake assessment.
type complaintInput struct {
	Channel     string            `json:"channel"`
	CustomerID  int64             `json:"customer_id"`
	PolicyID    int64             `json:"policy_id"`
	TeamID      int64             `json:"team_id"`
	AssigneeID  int64             `json:"assignee_id"`
	Priority    string            `json:"priority"`
	Subject     string            `json:"subject"`
	Description string            `json:"description"`
	ReceivedAt  timestamp         `json:"received_at"`
	Regimes     []string          `json:"regimes"`
	Interaction *interactionInput `json:"interaction"`
	intakeInput
}

func (a *API) createComplaint(w http.ResponseWriter, r *http.Request) error {
	var in complaintInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	nc := service.NewComplaint{Case: care.Case{Channel: in.Channel, CustomerID: in.CustomerID, PolicyID: in.PolicyID,
		TeamID: in.TeamID, AssigneeID: in.AssigneeID, Priority: in.Priority, Subject: in.Subject,
		Description: in.Description, ReceivedAt: in.ReceivedAt.Time, Regimes: in.Regimes}, Intake: in.intake()}
	if in.Interaction != nil {
		nc.First = in.Interaction.interaction()
	}
	v, err := a.svc.CreateComplaint(r.Context(), nc)
	if err != nil {
		return err
	}
	return a.writeComplaint(w, http.StatusCreated, v)
}

func (a *API) getComplaint(w http.ResponseWriter, r *http.Request) error {
	v, err := a.svc.FindComplaint(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return a.writeComplaint(w, http.StatusOK, v)
}

func (a *API) updateComplaint(w http.ResponseWriter, r *http.Request) error {
	var in intakeInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.UpdateComplaintIntake(r.Context(), r.PathValue("key"), in.intake())
	if err != nil {
		return err
	}
	return a.writeComplaint(w, http.StatusOK, v)
}

type transitionInput struct {
	To               string `json:"to"`
	ReviewerID       int64  `json:"reviewer_id"`
	ReferredTo       string `json:"referred_to"`
	CustomerResponse string `json:"customer_response"`
	Note             string `json:"note"`
}

func (a *API) transitionComplaint(w http.ResponseWriter, r *http.Request) error {
	var in transitionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.TransitionComplaint(r.Context(), r.PathValue("key"), care.TransitionRequest{To: in.To,
		ReviewerID: in.ReviewerID, ReferredTo: in.ReferredTo, CustomerResponse: in.CustomerResponse, Note: in.Note})
	if err != nil {
		return err
	}
	return a.writeComplaint(w, http.StatusOK, v)
}

type reviewerInput struct {
	ReviewerID int64  `json:"reviewer_id"`
	Note       string `json:"note"`
}

func (a *API) assignComplaintReviewer(w http.ResponseWriter, r *http.Request) error {
	var in reviewerInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.AssignComplaintReviewer(r.Context(), r.PathValue("key"), in.ReviewerID, in.Note)
	if err != nil {
		return err
	}
	return a.writeComplaint(w, http.StatusOK, v)
}

type signalDecisionInput struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

type signalDecisionDTO struct {
	ID            int64   `json:"id"`
	InteractionID int64   `json:"interaction_id"`
	CaseID        int64   `json:"case_id"`
	CaseReference string  `json:"case_reference"`
	CaseType      string  `json:"case_type"`
	Score         float64 `json:"score"`
	Reasons       any     `json:"reasons"`
	Decision      string  `json:"decision"`
	Note          string  `json:"note"`
	DecidedBy     *int64  `json:"decided_by"`
	DecidedAt     *string `json:"decided_at"`
}

// decideSignal confirms or dismisses the complaint signal on an
// interaction; confirming makes its case a complaint.
func (a *API) decideSignal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in signalDecisionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	d, c, err := a.svc.DecideSignal(r.Context(), id, in.Decision, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, signalDecisionDTO{ID: d.ID, InteractionID: d.InteractionID, CaseID: c.ID,
		CaseReference: c.Reference, CaseType: c.Type, Score: d.Score, Reasons: rawJSON(d.Reasons), Decision: d.Decision,
		Note: d.Note, DecidedBy: ref(d.DecidedBy), DecidedAt: stamp(d.DecidedAt)})
}

type complaintSummaryDTO struct {
	Case    caseDTO `json:"case"`
	Stage   string  `json:"stage"`
	Tier    string  `json:"tier"`
	NextDue *string `json:"next_due"`
}

// listComplaints answers the complaints handler's queue: complaints by
// nearest deadline, filtered by stage, tier, assignee ("me") and open.
func (a *API) listComplaints(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := store.ComplaintQueueFilter{Stage: q.str("stage"), Tier: q.str("tier"), Open: q.flag("open"),
		Offset: int(q.cursor()), Limit: q.limit()}
	if q.str("assignee") == "me" {
		f.AssigneeID = care.ActorFromContext(r.Context()).UserID
	} else {
		f.AssigneeID = q.id("assignee")
	}
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.svc.FindComplaints(r.Context(), f)
	if err != nil {
		return err
	}
	out := page[complaintSummaryDTO]{Items: make([]complaintSummaryDTO, len(items)), NextCursor: encodeCursor(int64(next))}
	for i, it := range items {
		out.Items[i] = complaintSummaryDTO{Case: toCase(it.Case), Stage: it.Stage, Tier: it.Case.Tier, NextDue: stamp(it.NextDue)}
	}
	return writeJSON(w, http.StatusOK, out)
}
