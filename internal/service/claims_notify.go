package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// Outbox kinds of the policyholder's claim updates.
const (
	mailKindClaimStage      = "claim.stage"
	mailKindClaimInspection = "claim.inspection"
)

// ClaimStageWords is what the policyholder is told about a stage, in
// plain words (emails, SMS webhook, portal).
func ClaimStageWords(stage string) string {
	switch stage {
	case care.ClaimIntake:
		return "We have registered your claim."
	case care.ClaimReview:
		return "We are checking that we have everything we need for your claim; if we need documents from you we will ask."
	case care.ClaimAssessment:
		return "A loss adjuster is investigating and assessing your claim."
	case care.ClaimCoverage:
		return "We are confirming what your policy covers for this loss."
	case care.ClaimSettlement:
		return "We are working out the settlement of your claim."
	case care.ClaimOffer:
		return "Our settlement offer is ready; we will contact you shortly to explain it."
	case care.ClaimDecision:
		return "We have made you a settlement offer and are waiting for your answer."
	case care.ClaimPaying:
		return "You accepted our offer; we are arranging payment."
	case care.ClaimClosed:
		return "Your claim is closed."
	}
	return "Your claim has moved on."
}

// claimStageChanged tells the policyholder about a new stage by email and
// emits claim.stage_changed (an SMS gateway subscribes to it). from is ""
// for a new claim, whose email gives the claim number and counts as the
// acknowledgement.
func (s *Service) claimStageChanged(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, from, note string) error {
	return s.claimStageNotice(ctx, tx, c, k, from, note, true)
}

// claimStageNotice is claimStageChanged; email false emits the event but
// sends no email (the caller tells the policyholder itself).
func (s *Service) claimStageNotice(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, from, note string, email bool) error {
	var cust *care.Customer
	if c.CustomerID != 0 {
		var err error
		if cust, err = tx.FindCustomerByID(ctx, c.CustomerID); err != nil {
			return err
		}
	}
	text := ClaimStageWords(k.Stage)
	switch {
	case k.Stage == care.ClaimDecision:
		text = fmt.Sprintf("We offer %s %s to settle your claim. Please tell us whether you accept it or dispute it.",
			k.Currency, care.FormatMoney(k.SettledMinor))
	case k.Stage == care.ClaimClosed && k.PaidMinor > 0:
		text = fmt.Sprintf("We have paid %s %s and your claim is closed.", k.Currency, care.FormatMoney(k.PaidMinor))
	case k.Stage == care.ClaimSettlement && k.Decision == "disputed" && from == care.ClaimDecision:
		text = "We have recorded that you dispute our offer. We are handling this as a complaint and reviewing the settlement."
	case from == care.ClaimClosed:
		text = "We have reopened your claim. " + ClaimStageWords(k.Stage)
	}
	data := map[string]any{"claim": claimData(c, k), "from": from, "to": k.Stage, "message": text}
	if cust != nil && cust.Phone != "" {
		data["phone"] = cust.Phone // for the SMS gateway; nothing else about the customer
	}
	if err := emit(ctx, tx, "claim.stage_changed", data); err != nil {
		return err
	}
	if !email || cust == nil || cust.Email == "" {
		return nil
	}
	subject := fmt.Sprintf("Your claim %s: %s [%s]", k.Number, strings.ToLower(care.StageInfo(k.Stage).Label), c.Reference)
	if from == "" {
		subject = fmt.Sprintf("Your claim number is %s [%s]", k.Number, c.Reference)
	}
	m := &store.OutboundMail{MessageID: newMessageID(), To: cust.Email, Subject: subject,
		Body: s.claimMailBody(cust, c, k, text), Kind: mailKindClaimStage, CaseID: c.ID}
	if err := tx.EnqueueMail(ctx, m); err != nil {
		return err
	}
	if from == "" {
		// The claim number sent at once is the acknowledgement.
		return s.recordCaseEvent(ctx, tx, c, clock.EventAcknowledged, tx.Now())
	}
	return nil
}

func (s *Service) claimMailBody(cust *care.Customer, c *care.Case, k *care.Claim, text string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n%s\n\nClaim number: %s\nReference: %s\nStage: %s\n", cust.Name, text, k.Number,
		c.Reference, care.StageInfo(k.Stage).Label)
	if len(k.CoverProblems) > 0 && k.Stage == care.ClaimIntake {
		b.WriteString("\nWe will check some details of your cover with you; this does not mean your claim is refused.\n")
	}
	b.WriteString("\nYou can follow your claim on our website with this reference and your email address")
	if s.cfg.BaseURL != "" {
		b.WriteString(": " + strings.TrimRight(s.cfg.BaseURL, "/") + "/portal/status")
	}
	b.WriteString(".\nYou can reply to this email to send us more information.\n")
	return b.String()
}

// notifyInspection tells the policyholder when the inspection is.
func (s *Service) notifyInspection(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim) error {
	if c.CustomerID == 0 {
		return nil
	}
	cust, err := tx.FindCustomerByID(ctx, c.CustomerID)
	if err != nil || cust.Email == "" {
		return err
	}
	when := k.InspectionAt.Format("Monday 2 January 2006 at 15:04 MST")
	if cal, err := calendar.New(s.cfg.Calendar); err == nil {
		when = k.InspectionAt.In(cal.Location()).Format("Monday 2 January 2006 at 15:04 MST")
	}
	text := fmt.Sprintf("We have arranged the inspection of your loss: %s, by %s.", when, k.Inspector)
	return tx.EnqueueMail(ctx, &store.OutboundMail{MessageID: newMessageID(), To: cust.Email,
		Subject: fmt.Sprintf("Your claim %s: inspection arranged [%s]", k.Number, c.Reference),
		Body:    s.claimMailBody(cust, c, k, text), Kind: mailKindClaimInspection, CaseID: c.ID})
}

// claimData is a claim in an event payload: identifiers, stage and money,
// not the loss description or the parties.
func claimData(c *care.Case, k *care.Claim) map[string]any {
	return map[string]any{"case_id": c.ID, "reference": c.Reference, "number": k.Number, "stage": k.Stage,
		"loss_type": k.LossType, "customer_id": c.CustomerID, "policy_id": k.PolicyID, "currency": k.Currency,
		"settled": care.FormatMoney(k.SettledMinor), "paid": care.FormatMoney(k.PaidMinor), "decision": k.Decision,
		"complaint_case_id": k.ComplaintID}
}

// claimPublicView adds a claim's number and stage, in plain words, to the
// portal's view of its case; other cases are left as they are.
func claimPublicView(ctx context.Context, tx *store.Tx, c *care.Case, v *PublicCaseView) error {
	if c.Type != "claim" {
		return nil
	}
	k, err := tx.FindClaim(ctx, c.ID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil // a claim the portal took without a matching policy: staff register it
	} else if err != nil {
		return err
	}
	v.ClaimNumber, v.ClaimStage = k.Number, ClaimStageWords(k.Stage)
	if k.Stage == care.ClaimDecision {
		v.ClaimStage = "We have made you an offer of " + k.Currency + " " + care.FormatMoney(k.SettledMinor) +
			" and are waiting for your answer."
		v.WaitingOnYou = true
	}
	v.ClaimStep, v.ClaimSteps = slices.Index(care.ClaimStageList(), k.Stage)+1, len(care.ClaimStageList())
	return nil
}
