package service

import (
	"context"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// complaintWrite runs fn on an open or closed complaint inside one audited
// transaction, for the investigation and outcome records. Closed
// complaints still take CAPA and redress updates; fn decides.
func (s *Service) complaintWrite(ctx context.Context, key string, fn func(tx *store.Tx, c *care.Case, k *care.Complaint) error) error {
	if err := care.ActorFromContext(ctx).Require(PermComplaintAct); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := complaintFor(ctx, tx, key)
		if err != nil {
			return err
		}
		return fn(tx, c, k)
	})
}

func refuseClosed(c *care.Case, k *care.Complaint, what string) error {
	if k.Stage == care.StageClosed {
		return care.Errorf(care.EPRECONDITION, "Complaint %s is closed; %s can no longer change.", c.Reference, what)
	}
	return nil
}

// AddEvidence records an investigation item: a note, or a link to one of
// the case's interactions or attachments, or to a recording elsewhere.
func (s *Service) AddEvidence(ctx context.Context, key string, e *care.Evidence) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.Note = s.mask(e.Note)
	e.CreatedBy = care.ActorFromContext(ctx).UserID
	return s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, k *care.Complaint) error {
		if err := refuseClosed(c, k, "its evidence"); err != nil {
			return err
		}
		if e.InteractionID != 0 {
			i, err := tx.FindInteractionByID(ctx, e.InteractionID)
			if care.ErrorCode(err) == care.ENOTFOUND || (err == nil && i.CaseID != c.ID) {
				return care.Invalid("interaction_id", "is not an interaction of case %s", c.Reference)
			} else if err != nil {
				return err
			}
		}
		if e.AttachmentID != 0 {
			a, _, err := tx.FindAttachment(ctx, e.AttachmentID)
			if care.ErrorCode(err) == care.ENOTFOUND || (err == nil && a.CaseID != c.ID) {
				return care.Invalid("attachment_id", "is not an attachment of case %s", c.Reference)
			} else if err != nil {
				return err
			}
		}
		e.CaseID = c.ID
		if err := tx.CreateEvidence(ctx, e); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "complaint_evidence", e.ID, map[string]any{"case_id": c.ID, "kind": e.Kind,
			"interaction_id": e.InteractionID, "attachment_id": e.AttachmentID})
	})
}

// AddTeamRequest asks another team (claims, underwriting …) for
// information or action by a due date.
func (s *Service) AddTeamRequest(ctx context.Context, key string, r *care.TeamRequest) error {
	var p care.Problems
	r.Team, r.Question, r.Status = strings.TrimSpace(r.Team), s.mask(strings.TrimSpace(r.Question)), "open"
	p.Required("team", r.Team)
	care.RequestTeams.Check(&p, "team", r.Team)
	p.Required("question", r.Question)
	p.MaxLen("question", r.Question, 10_000)
	today := dateOf(s.Now())
	if r.DueOn.IsZero() {
		p.Add("due_on", "is required (a date such as 2026-12-01)")
	} else if r.DueOn.Before(today) {
		p.Add("due_on", "must not be in the past")
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.CreatedBy = care.ActorFromContext(ctx).UserID
	return s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, k *care.Complaint) error {
		if err := refuseClosed(c, k, "its requests"); err != nil {
			return err
		}
		r.CaseID = c.ID
		if err := tx.CreateTeamRequest(ctx, r); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "complaint_request", r.ID, map[string]any{"case_id": c.ID, "team": r.Team,
			"due_on": r.DueOn.Format(time.DateOnly)})
	})
}

// TeamRequestUpdate changes a request: its status, answer or due date.
type TeamRequestUpdate struct {
	Status *string
	Answer *string
	DueOn  *time.Time
}

// UpdateTeamRequest records the other team's answer, a cancellation or a
// new due date. An answered request needs its answer.
func (s *Service) UpdateTeamRequest(ctx context.Context, key string, id int64, upd TeamRequestUpdate) (*care.TeamRequest, error) {
	var p care.Problems
	if upd.Status != nil {
		care.RequestStatuses.Check(&p, "status", *upd.Status)
		p.Required("status", *upd.Status)
	}
	if upd.Answer != nil {
		p.MaxLen("answer", *upd.Answer, 100_000)
	}
	if upd.Status == nil && upd.Answer == nil && upd.DueOn == nil {
		p.Add("body", "names no field to change (status, answer, due_on)")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var r *care.TeamRequest
	err := s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, k *care.Complaint) (err error) {
		if r, err = tx.FindTeamRequest(ctx, c.ID, id); err != nil {
			return err
		}
		ch := changes{}
		if upd.Answer != nil {
			a := s.mask(strings.TrimSpace(*upd.Answer))
			ch.note("answer", r.Answer != "", a != "")
			r.Answer = a
		}
		if upd.DueOn != nil {
			ch.note("due_on", r.DueOn.Format(time.DateOnly), upd.DueOn.Format(time.DateOnly))
			r.DueOn = *upd.DueOn
		}
		if upd.Status != nil {
			ch.note("status", r.Status, *upd.Status)
			r.Status = *upd.Status
		}
		if r.Status == "answered" && r.Answer == "" {
			return care.Invalid("answer", "is required to mark a request answered")
		}
		if r.Status == "answered" && r.AnsweredAt.IsZero() {
			r.AnsweredAt = tx.Now()
		}
		if err := tx.UpdateTeamRequest(ctx, r); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "complaint_request", r.ID, ch)
	})
	return r, err
}

// SetComplaintOutcome records (or corrects, until closure) the outcome,
// its reasoning and the root cause from the taxonomy.
func (s *Service) SetComplaintOutcome(ctx context.Context, key string, o care.OutcomeDecision) (*care.Complaint, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.Reasoning = s.mask(o.Reasoning)
	var out *care.Complaint
	err := s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, k *care.Complaint) error {
		if err := refuseClosed(c, k, "its outcome"); err != nil {
			return err
		}
		if o.RootCause != "" {
			rc, err := tx.FindRootCause(ctx, o.RootCause)
			if care.ErrorCode(err) == care.ENOTFOUND || (err == nil && !rc.Active) {
				return care.Invalid("root_cause", "is not an active root cause; see GET /api/v1/complaint-root-causes")
			} else if err != nil {
				return err
			}
		}
		ch := changes{}
		ch.note("outcome", k.Outcome, o.Outcome)
		ch.note("root_cause", k.RootCause, o.RootCause)
		k.Outcome, k.OutcomeReasoning, k.RootCause = o.Outcome, o.Reasoning, o.RootCause
		if err := tx.UpdateComplaint(ctx, k); err != nil {
			return err
		}
		out = k
		return audit(ctx, tx, "update", "complaint", c.ID, ch)
	})
	return out, err
}

// AddRedress records redress offered or paid on a complaint.
func (s *Service) AddRedress(ctx context.Context, key string, r *care.Redress) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.Note = s.mask(strings.TrimSpace(r.Note))
	r.CreatedBy = care.ActorFromContext(ctx).UserID
	return s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, k *care.Complaint) error {
		if r.Status == "paid" && r.PaidAt.IsZero() {
			r.PaidAt = tx.Now()
		}
		r.CaseID = c.ID
		if err := tx.CreateRedress(ctx, r); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "complaint_redress", r.ID, map[string]any{"case_id": c.ID, "kind": r.Kind,
			"amount_minor": r.AmountMinor, "currency": r.Currency, "status": r.Status, "payment_ref": r.PaymentRef})
	})
}

// RedressUpdate changes redress: paid (with its payment record) or declined.
type RedressUpdate struct {
	Status     *string
	PaymentRef *string
	PaidAt     *time.Time
}

// UpdateRedress records that redress was paid (linking the payment record)
// or declined. Paid redress stays paid.
func (s *Service) UpdateRedress(ctx context.Context, key string, id int64, upd RedressUpdate) (*care.Redress, error) {
	if upd.Status == nil && upd.PaymentRef == nil && upd.PaidAt == nil {
		return nil, care.Invalid("body", "names no field to change (status, payment_ref, paid_at)")
	}
	var r *care.Redress
	err := s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, _ *care.Complaint) (err error) {
		if r, err = tx.FindRedress(ctx, c.ID, id); err != nil {
			return err
		}
		if r.Status == "paid" {
			return care.Errorf(care.EPRECONDITION, "Redress %d was paid (%s); record any further payment as new redress.", r.ID, r.PaymentRef)
		}
		before := r.Status
		if upd.Status != nil {
			r.Status = strings.TrimSpace(*upd.Status)
		}
		if upd.PaymentRef != nil {
			r.PaymentRef = *upd.PaymentRef
		}
		if upd.PaidAt != nil {
			r.PaidAt = *upd.PaidAt
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if r.Status == "paid" && r.PaidAt.IsZero() {
			r.PaidAt = tx.Now()
		}
		if err := tx.UpdateRedress(ctx, r); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "complaint_redress", r.ID, map[string]any{"status": [2]string{before, r.Status},
			"payment_ref": r.PaymentRef})
	})
	return r, err
}

// dateOf is the UTC calendar date of t, as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// capaDefaultDue is CAPADefaultBusinessDays business days on the firm's
// calendar after the complaint closed (or after today while it is open).
func (s *Service) capaDefaultDue(k *care.Complaint, now time.Time) (time.Time, error) {
	cal, err := calendar.New(s.cfg.Calendar)
	if err != nil {
		return time.Time{}, err
	}
	from := now
	if !k.ClosedAt.IsZero() {
		from = k.ClosedAt
	}
	y, m, d := cal.AddBusinessDays(cal.LocalDay(from), care.CAPADefaultBusinessDays).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// AddCAPA opens a corrective or preventive action with an owner; its due
// date defaults to 10 business days after the complaint's closure.
func (s *Service) AddCAPA(ctx context.Context, key string, a *care.CAPA) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if !a.DueOn.IsZero() && a.DueOn.Before(dateOf(s.Now())) {
		return care.Invalid("due_on", "must not be in the past")
	}
	a.Description = s.mask(a.Description)
	a.CreatedBy = care.ActorFromContext(ctx).UserID
	return s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, k *care.Complaint) error {
		if err := checkUser(ctx, tx, "owner_id", a.OwnerID); err != nil {
			return err
		}
		if a.DueOn.IsZero() {
			due, err := s.capaDefaultDue(k, tx.Now())
			if err != nil {
				return err
			}
			a.DueOn = due
		}
		a.CaseID = c.ID
		if err := tx.CreateCAPA(ctx, a); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "complaint_capa", a.ID, map[string]any{"case_id": c.ID, "kind": a.Kind,
			"owner_id": a.OwnerID, "due_on": a.DueOn.Format(time.DateOnly)})
	})
}

// CAPAUpdate changes an action: owner, due date, status, and once done the
// effectiveness review.
type CAPAUpdate struct {
	OwnerID             *int64
	DueOn               *time.Time
	Status              *string
	EffectivenessReview *string
	Effective           *string
}

// UpdateCAPA moves an action on. Its effectiveness can be reviewed only
// once it is done, and the review needs its reasoning.
func (s *Service) UpdateCAPA(ctx context.Context, key string, id int64, upd CAPAUpdate) (*care.CAPA, error) {
	var p care.Problems
	if upd.Status != nil {
		p.Required("status", *upd.Status)
		care.CAPAStatuses.Check(&p, "status", *upd.Status)
	}
	if upd.Effective != nil {
		care.Effectiveness.Check(&p, "effective", *upd.Effective)
	}
	if upd.OwnerID == nil && upd.DueOn == nil && upd.Status == nil && upd.EffectivenessReview == nil && upd.Effective == nil {
		p.Add("body", "names no field to change (owner_id, due_on, status, effectiveness_review, effective)")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var a *care.CAPA
	err := s.complaintWrite(ctx, key, func(tx *store.Tx, c *care.Case, _ *care.Complaint) (err error) {
		if a, err = tx.FindCAPA(ctx, c.ID, id); err != nil {
			return err
		}
		ch := changes{}
		if upd.OwnerID != nil {
			if *upd.OwnerID <= 0 {
				return care.Invalid("owner_id", "must be a user id")
			}
			if err := checkUser(ctx, tx, "owner_id", *upd.OwnerID); err != nil {
				return err
			}
			ch.note("owner_id", a.OwnerID, *upd.OwnerID)
			a.OwnerID = *upd.OwnerID
		}
		if upd.DueOn != nil {
			ch.note("due_on", a.DueOn.Format(time.DateOnly), upd.DueOn.Format(time.DateOnly))
			a.DueOn = *upd.DueOn
		}
		if upd.Status != nil {
			ch.note("status", a.Status, *upd.Status)
			a.Status = *upd.Status
		}
		if upd.EffectivenessReview != nil {
			a.EffectivenessReview = s.mask(strings.TrimSpace(*upd.EffectivenessReview))
		}
		if upd.Effective != nil {
			ch.note("effective", a.Effective, *upd.Effective)
			a.Effective = *upd.Effective
		}
		if err := reviewable(a, upd); err != nil {
			return err
		}
		if upd.Effective != nil && a.Effective != "" {
			a.ReviewedAt = tx.Now()
		}
		if err := tx.UpdateCAPA(ctx, a); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "complaint_capa", a.ID, ch)
	})
	return a, err
}

func reviewable(a *care.CAPA, upd CAPAUpdate) error {
	var p care.Problems
	if upd.Effective != nil && a.Effective != "" {
		if a.Status != "done" {
			p.Add("effective", "an action's effectiveness is reviewed once it is done (status %s)", a.Status)
		}
		if a.EffectivenessReview == "" {
			p.Add("effectiveness_review", "is required with the verdict: what was checked and what it showed")
		}
	}
	return p.Err()
}

// FindRootCauses lists the root-cause taxonomy.
func (s *Service) FindRootCauses(ctx context.Context) ([]*care.RootCause, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out []*care.RootCause
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindRootCauses(ctx)
		return err
	})
	return out, err
}

// CreateRootCause adds a cause to the taxonomy (administrators).
func (s *Service) CreateRootCause(ctx context.Context, r *care.RootCause) error {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateRootCause(ctx, r); care.ErrorCode(err) == care.ECONFLICT {
			return care.Invalid("code", "root cause %s already exists", r.Code)
		} else if err != nil {
			return err
		}
		return audit(ctx, tx, "create", "complaint_root_cause", r.Code, map[string]any{"category": r.Category, "label": r.Label})
	})
}
