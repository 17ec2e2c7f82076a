package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// claimWrite runs fn on a claim inside one transaction, after checking
// perm, and returns the claim's view as it stands after fn.
func (s *Service) claimWrite(ctx context.Context, key string, perm care.Permission,
	fn func(tx *store.Tx, c *care.Case, k *care.Claim) error) (*ClaimView, error) {
	if err := care.ActorFromContext(ctx).Require(perm); err != nil {
		return nil, err
	}
	var v *ClaimView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := claimFor(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := fn(tx, c, k); err != nil {
			return err
		}
		v, err = loadClaimView(ctx, tx, c, k)
		return err
	})
	return v, err
}

func refuseClosedClaim(k *care.Claim, what string) error {
	if !k.Open() {
		return care.Errorf(care.EPRECONDITION, "Claim %s is closed: reopen it before you %s.", k.Number, what)
	}
	return nil
}

func needStage(k *care.Claim, stage, what string) error {
	if k.Stage != stage {
		return care.Errorf(care.EPRECONDITION, "Claim %s is at stage %s (%s); %s happens at stage %s (%s).",
			k.Number, k.Stage, care.StageInfo(k.Stage).Label, what, stage, care.StageInfo(stage).Label)
	}
	return nil
}

// caseStatusFor is the status of a claim's case at each stage.
func caseStatusFor(stage string) string {
	switch stage {
	case care.ClaimIntake:
		return "new"
	case care.ClaimClosed:
		return "closed"
	}
	return "open"
}

// TransitionClaim moves a claim to another stage. Only the role that works
// the claim's current stage may move it on (care.ClaimStageInfos); the
// settlement and the policyholder's decision have their own requests,
// because each carries more than a stage.
func (s *Service) TransitionClaim(ctx context.Context, key, to, note string) (*ClaimView, error) {
	to, note = strings.TrimSpace(to), s.mask(strings.TrimSpace(note))
	if to == "" || !slices.Contains(care.ClaimStageList(), to) {
		return nil, care.Invalid("to", "must be one of: %s", strings.Join(care.ClaimStageList(), ", "))
	}
	if len(note) > 5000 {
		return nil, care.Invalid("note", "must be at most 5000 characters")
	}
	return s.claimWrite(ctx, key, care.PermClaimRead, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		info := care.StageInfo(k.Stage)
		if err := care.ActorFromContext(ctx).Require(info.Perm); err != nil {
			return care.Errorf(care.EFORBIDDEN, "Claim %s is at stage %s: only %s (%s) may move it on. %s",
				k.Number, info.Label, info.Who, info.Perm, care.ErrorMessage(err))
		}
		switch {
		case k.Stage == care.ClaimClosed:
			return care.Errorf(care.EPRECONDITION, "Claim %s is closed: reopen it (POST /api/v1/claims/%s/reopen).", k.Number, k.Number)
		case to == care.ClaimOffer && k.Stage == care.ClaimSettlement:
			return care.Errorf(care.EPRECONDITION, "Approve a settlement amount first (POST /api/v1/claims/%s/settlement): the offer is that amount.", k.Number)
		case to == care.ClaimPaying && k.Stage == care.ClaimDecision:
			return care.Errorf(care.EPRECONDITION, "Record the policyholder's decision (POST /api/v1/claims/%s/decision): payment follows an acceptance.", k.Number)
		case !care.CanMoveClaim(k.Stage, to):
			return care.Invalid("to", "a claim at stage %s may move to: %s", k.Stage, strings.Join(care.ClaimMoves(k.Stage), ", "))
		case to == care.ClaimClosed && note == "":
			return care.Invalid("note", "is required to close a claim without payment: say why (declined, withdrawn, duplicate)")
		}
		return s.moveClaim(ctx, tx, c, k, to, note)
	})
}

// moveClaim records a stage change with its audit entry, keeps the case's
// status in step, and tells the policyholder.
func (s *Service) moveClaim(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, to, note string) error {
	actor := care.ActorFromContext(ctx)
	from := k.Stage
	t := &care.ClaimTransition{CaseID: c.ID, From: from, To: to, ActorID: actor.UserID, ActorName: actor.Name, Note: note}
	if err := tx.CreateClaimTransition(ctx, t); err != nil {
		return err
	}
	if err := audit(ctx, tx, "update", "claim", c.ID, map[string]any{"transition": t.ID, "stage": []string{from, to},
		"note": note}); err != nil {
		return err
	}
	k.Stage = to
	switch {
	case to == care.ClaimClosed:
		k.ClosedAt = tx.Now()
		if k.ReserveMinor != 0 { // nothing more is expected to be paid
			if err := s.setReserve(ctx, tx, c, k, 0, "Released at closure"); err != nil {
				return err
			}
		}
	case from == care.ClaimClosed:
		k.ClosedAt = time.Time{}
	}
	if err := tx.UpdateClaim(ctx, k); err != nil {
		return err
	}
	if st := caseStatusFor(to); st != c.Status {
		if err := s.setCaseStatus(ctx, tx, c, st); err != nil {
			return err
		}
	}
	return s.claimStageChanged(ctx, tx, c, k, from, note)
}

// ApproveSettlement approves the amount a claim settles for, within the
// actor's settlement authority, and moves the claim on to the offer. An
// amount above the actor's limit is refused with the limit named, so a
// claims manager with more authority can approve it instead.
func (s *Service) ApproveSettlement(ctx context.Context, key string, amount int64, note string) (*ClaimView, error) {
	note = s.mask(strings.TrimSpace(note))
	if amount <= 0 {
		return nil, care.Invalid("amount", "must be more than zero")
	}
	return s.claimWrite(ctx, key, care.PermClaimSettle, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if err := needStage(k, care.ClaimSettlement, "approving a settlement"); err != nil {
			return err
		}
		actor := care.ActorFromContext(ctx)
		limit, unlimited := int64(0), actor.Role == "system"
		if !unlimited {
			var found bool
			var err error
			if limit, found, err = tx.SettlementLimit(ctx, actor.Role, actor.UserID, k.Currency); err != nil {
				return err
			}
			if !found || amount > limit {
				return &care.Error{Code: care.EFORBIDDEN, Message: "Settlement of " + k.Currency + " " + care.FormatMoney(amount) +
					" is above your settlement authority (" + authorityWords(k.Currency, limit, found) +
					"): a claims manager with higher authority must approve it.",
					Fields: []care.FieldError{{Field: "amount", Message: "above your settlement limit of " + authorityWords(k.Currency, limit, found)}}}
			}
		}
		k.SettledMinor, k.SettledBy, k.Decision = amount, actor.UserID, ""
		detail := map[string]any{"settlement": amount, "currency": k.Currency}
		if !unlimited {
			detail["authority_limit"] = limit
		}
		if err := audit(ctx, tx, "update", "claim", c.ID, detail); err != nil {
			return err
		}
		words := "Settlement of " + k.Currency + " " + care.FormatMoney(amount) + " approved"
		if note != "" {
			words += ": " + note
		}
		return s.moveClaim(ctx, tx, c, k, care.ClaimOffer, words)
	})
}

func authorityWords(currency string, limit int64, found bool) string {
	if !found {
		return "none in " + currency
	}
	return currency + " " + care.FormatMoney(limit)
}

// Claim decisions the policyholder may give on an offer.
const (
	ClaimAccept  = "accept"
	ClaimDispute = "dispute"
)

// ClaimDecisionInput is the policyholder's answer to an offer, as recorded
// by customer service.
type ClaimDecisionInput struct {
	Decision string // ClaimAccept or ClaimDispute
	Note     string // required for a dispute: what the policyholder disputes
	Channel  string // how the answer came in (default phone)
}

// DecideClaim records the policyholder's decision on the offer. An
// acceptance moves the claim to payment and meets the settlement
// milestone; a dispute opens a complaint linked to the claim (with its own
// clocks and tiers) and sends the claim back to settlement evaluation.
func (s *Service) DecideClaim(ctx context.Context, key string, in ClaimDecisionInput) (*ClaimView, error) {
	in.Decision, in.Note, in.Channel = strings.TrimSpace(in.Decision), s.mask(strings.TrimSpace(in.Note)), strings.TrimSpace(in.Channel)
	if in.Channel == "" {
		in.Channel = "phone"
	}
	var p care.Problems
	if in.Decision != ClaimAccept && in.Decision != ClaimDispute {
		p.Add("decision", "must be accept or dispute")
	}
	if in.Decision == ClaimDispute && in.Note == "" {
		p.Add("note", "is required for a dispute: what does the policyholder disagree with?")
	}
	p.MaxLen("note", in.Note, 20_000)
	if !slices.Contains(care.ChannelList(), in.Channel) {
		p.Add("channel", "must be one of: %s", strings.Join(care.ChannelList(), ", "))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.claimWrite(ctx, key, care.PermClaimIntake, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if err := needStage(k, care.ClaimDecision, "recording the policyholder's decision"); err != nil {
			return err
		}
		if in.Decision == ClaimAccept {
			k.Decision = "accepted"
			if err := s.meetClocks(ctx, tx, c, tx.Now(), named("settlement")); err != nil {
				return err
			}
			return s.moveClaim(ctx, tx, c, k, care.ClaimPaying, joinNote("Offer accepted", in.Note))
		}
		comp, err := s.openDisputeComplaint(ctx, tx, c, k, in)
		if err != nil {
			return err
		}
		k.Decision, k.ComplaintID = "disputed", comp.ID
		return s.moveClaim(ctx, tx, c, k, care.ClaimSettlement, "Offer disputed: complaint "+comp.Reference+" opened. "+in.Note)
	})
}

func joinNote(head, note string) string {
	if note == "" {
		return head
	}
	return head + ": " + note
}

// openDisputeComplaint opens a complaint case for a disputed offer, linked
// to the claim both ways (the complaint records the claim number; the
// claim the complaint's case), with the complaint regimes' clocks.
func (s *Service) openDisputeComplaint(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, in ClaimDecisionInput) (*care.Case, error) {
	comp := care.Case{Type: "complaint", Channel: in.Channel, CustomerID: c.CustomerID, PolicyID: c.PolicyID,
		ReceivedAt: tx.Now(), Regimes: s.cfg.DefaultRegimes["complaint"], AssigneeID: 0,
		Subject: "Dispute of the settlement offer on claim " + k.Number,
		Description: "The policyholder disputes the offer of " + k.Currency + " " + care.FormatMoney(k.SettledMinor) +
			" on claim " + k.Number + " (case " + c.Reference + "):\n\n" + in.Note}
	comp.Normalize()
	if err := comp.Validate(tx.Now()); err != nil {
		return nil, err
	}
	first := &care.Interaction{Channel: in.Channel, Direction: "inbound", Subject: comp.Subject, Body: comp.Description}
	if err := s.openCase(ctx, tx, &comp, first, "claim_dispute"); err != nil {
		return nil, err
	}
	rec := &care.Complaint{CaseID: comp.ID, Stage: care.StageReceived, ClaimNumber: k.Number}
	if _, err := tx.CreateComplaint(ctx, rec); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, "create", "complaint", comp.ID, map[string]any{"claim_number": k.Number,
		"claim_case_id": c.ID, "source": "claim_dispute"}); err != nil {
		return nil, err
	}
	return &comp, nil
}

// AddClaimPayment records a payment on a claim at the payment stage; it
// may not exceed what is still owed of the approved settlement. Paid in
// full, the claim closes.
func (s *Service) AddClaimPayment(ctx context.Context, key string, p *care.ClaimPayment) (*ClaimView, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Payee, p.Reference = s.mask(p.Payee), s.mask(p.Reference)
	return s.claimWrite(ctx, key, care.PermClaimPay, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if err := needStage(k, care.ClaimPaying, "paying"); err != nil {
			return err
		}
		if out := k.OutstandingMinor(); p.AmountMinor > out {
			return care.Invalid("amount", "must be at most %s %s, what is still owed of the settlement", k.Currency, care.FormatMoney(out))
		}
		actor := care.ActorFromContext(ctx)
		p.CaseID, p.ActorID, p.ActorName = c.ID, actor.UserID, actor.Name
		if err := tx.CreateClaimPayment(ctx, p); err != nil {
			return err
		}
		k.PaidMinor += p.AmountMinor
		if err := tx.UpdateClaim(ctx, k); err != nil {
			return err
		}
		if err := audit(ctx, tx, "update", "claim", c.ID, map[string]any{"payment": p.ID, "amount": p.AmountMinor,
			"method": p.Method, "paid_total": k.PaidMinor}); err != nil {
			return err
		}
		if k.OutstandingMinor() > 0 {
			return nil
		}
		return s.moveClaim(ctx, tx, c, k, care.ClaimClosed, "Paid in full: "+k.Currency+" "+care.FormatMoney(k.PaidMinor))
	})
}

// SetClaimReserve sets a claim's reserve: what the insurer now expects to
// pay on it. Every change is kept with who made it and why.
func (s *Service) SetClaimReserve(ctx context.Context, key string, amount int64, note string) (*ClaimView, error) {
	note = s.mask(strings.TrimSpace(note))
	if amount < 0 {
		return nil, care.Invalid("amount", "must not be negative")
	}
	if len(note) > 2000 {
		return nil, care.Invalid("note", "must be at most 2000 characters")
	}
	return s.claimWrite(ctx, key, care.PermClaimHandle, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if err := refuseClosedClaim(k, "change its reserve"); err != nil {
			return err
		}
		if err := s.setReserve(ctx, tx, c, k, amount, note); err != nil {
			return err
		}
		return tx.UpdateClaim(ctx, k)
	})
}

func (s *Service) setReserve(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, amount int64, note string) error {
	actor := care.ActorFromContext(ctx)
	r := &care.ClaimReserve{CaseID: c.ID, AmountMinor: amount, PrevMinor: k.ReserveMinor, Note: note,
		ActorID: actor.UserID, ActorName: actor.Name}
	if err := tx.CreateClaimReserve(ctx, r); err != nil {
		return err
	}
	k.ReserveMinor = amount
	return audit(ctx, tx, "update", "claim", c.ID, map[string]any{"reserve": amount, "previous": r.PrevMinor, "note": note})
}

// ScheduleInspection records the inspection appointment of a claim, meets
// the inspection milestone and tells the policyholder.
func (s *Service) ScheduleInspection(ctx context.Context, key string, at time.Time, inspector string) (*ClaimView, error) {
	inspector = s.mask(strings.TrimSpace(inspector))
	var p care.Problems
	if at.IsZero() {
		p.Add("at", "is required: when the inspection takes place (RFC 3339)")
	}
	p.Required("inspector", inspector)
	p.MaxLen("inspector", inspector, 200)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.claimWrite(ctx, key, care.PermClaimHandle, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if err := refuseClosedClaim(k, "schedule an inspection"); err != nil {
			return err
		}
		if at.Before(k.LossAt) {
			return care.Invalid("at", "must not be before the loss (%s)", k.LossAt.Format(time.RFC3339))
		}
		k.InspectionAt, k.Inspector = at.UTC(), inspector
		if err := tx.UpdateClaim(ctx, k); err != nil {
			return err
		}
		if err := audit(ctx, tx, "update", "claim", c.ID, map[string]any{"inspection_at": k.InspectionAt, "inspector": inspector}); err != nil {
			return err
		}
		if err := s.meetClocks(ctx, tx, c, tx.Now(), named("inspection")); err != nil {
			return err
		}
		return s.notifyInspection(ctx, tx, c, k)
	})
}

// ReopenClaim reopens a closed claim for review (a late invoice, new
// damage found, a complaint upheld).
func (s *Service) ReopenClaim(ctx context.Context, key, note string) (*ClaimView, error) {
	note = s.mask(strings.TrimSpace(note))
	if note == "" {
		return nil, care.Invalid("note", "is required: why is the claim reopened?")
	}
	return s.claimWrite(ctx, key, care.PermClaimReview, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		if k.Open() {
			return care.Errorf(care.EPRECONDITION, "Claim %s is open (stage %s): only a closed claim can be reopened.", k.Number, k.Stage)
		}
		k.Reopened++
		return s.moveClaim(ctx, tx, c, k, care.ClaimReview, "Reopened: "+note)
	})
}

// RequestClaimDocuments asks the policyholder by email for the documents
// the completeness review found missing (a repair estimate, photos, a
// police report): the email goes through the case's reply path, so it is
// on the timeline, threaded, and counts as a contact. The claim must be
// open; the request is audited on the claim.
func (s *Service) RequestClaimDocuments(ctx context.Context, key string, documents []string, note string) (*ClaimView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimReview); err != nil {
		return nil, err
	}
	var docs []string
	for _, d := range documents {
		if d = strings.TrimSpace(d); d != "" {
			docs = append(docs, d)
		}
	}
	var p care.Problems
	if len(docs) == 0 {
		p.Add("documents", "name at least one document to ask for")
	} else if len(docs) > 20 {
		p.Add("documents", "at most 20 documents at a time")
	}
	p.MaxLen("note", note, 5000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var number, ref string
	if err := s.store.Read(ctx, func(tx *store.Tx) error {
		c, k, err := claimFor(ctx, tx, key)
		if err != nil {
			return err
		}
		number, ref = k.Number, c.Reference
		return refuseClosedClaim(k, "ask for documents")
	}); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("Hello,\n\nTo progress your claim " + number + " we need the following from you:\n\n")
	for _, d := range docs {
		b.WriteString("  - " + d + "\n")
	}
	if note = strings.TrimSpace(note); note != "" {
		b.WriteString("\n" + note + "\n")
	}
	b.WriteString("\nPlease reply to this email with them attached, or send them on our website's status page with your " +
		"claim number and email address.\n")
	if _, _, err := s.ReplyByEmail(ctx, ref, "Documents needed for your claim "+number, b.String()); err != nil {
		return nil, err
	}
	return s.claimWrite(ctx, number, care.PermClaimReview, func(tx *store.Tx, c *care.Case, k *care.Claim) error {
		return audit(ctx, tx, "update", "claim", c.ID, map[string]any{"documents_requested": docs})
	})
}
