package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/store"
)

// mailLoss reads a new email from a known customer as a first notice of
// loss on one of their own policies (care.ReadMailLoss); nil when it is
// not one, or the sender is not a customer with policies.
func (s *Service) mailLoss(ctx context.Context, tx *store.Tx, cust *care.Customer, first *care.Interaction) (*care.MailLoss, error) {
	if cust == nil {
		return nil, nil
	}
	pols, err := tx.FindPoliciesByCustomer(ctx, cust.ID)
	if err != nil || len(pols) == 0 {
		return nil, err
	}
	return care.ReadMailLoss(first.Subject, first.Body, pols), nil
}

// mailClaim makes the case of an email that reports a loss a claim case
// on the named policy, before it is opened, and returns its claim record
// to write once the case exists (recordMailClaim). The loss is taken to
// have happened when the email arrived (the message gives no date staff
// can rely on) and its type is the one the policy line usually claims for,
// as on the portal; staff correct both at the completeness review.
func (s *Service) mailClaim(ctx context.Context, tx *store.Tx, c *care.Case, l *care.MailLoss) (*care.Claim, error) {
	pol := l.Policy
	lossType := care.LossTypeForLine(pol.Line)
	n := care.NewClaim{LossType: lossType, Injuries: l.Injuries, TotalLoss: l.TotalLoss}
	complexity, why := care.ClaimComplexity(&n, s.cfg.SimpleMotorLimit)
	if complexity == "simple" {
		why = "reported by email, which named no injuries and no total loss"
	}
	c.Type, c.PolicyID, c.Regimes = "claim", pol.ID, s.claimRegimesFor(lossType, complexity)
	if c.CustomerID == 0 {
		c.CustomerID = pol.CustomerID
	}
	said := c.Description // the customer's words
	c.Description = mail.TruncateRunes(fmt.Sprintf("First notice of loss (email)\nPolicy number: %s (%s)\n"+
		"Loss: %s, date not given: taken as when the email arrived; confirm it with the policyholder\n"+
		"Registered as a claim because %s.\n\n%s", pol.Number, pol.Line, strings.ReplaceAll(lossType, "_", " "), l.Why(),
		c.Description), maxMailDescription)
	k := &care.Claim{PolicyID: pol.ID, LossAt: c.ReceivedAt.UTC(), ReportedAt: c.ReceivedAt.UTC(), LossType: lossType,
		Description: mail.TruncateRunes(said, 20_000), Channel: "email", Stage: care.ClaimIntake,
		CoverProblems: care.CheckCover(pol, lossType, c.ReceivedAt), Currency: pol.Currency,
		Complexity: complexity, ComplexityNote: why}
	return k, nil
}

// recordMailClaim writes the claim record of an email's claim case just
// opened, with why the email was taken as a notice of loss in the audit
// trail. The claim number goes in the email's acknowledgement (claimAck).
func (s *Service) recordMailClaim(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, l *care.MailLoss) error {
	if _, err := s.recordClaimTelling(ctx, tx, c, k, 0, false); err != nil {
		return err
	}
	return audit(ctx, tx, "update", "claim", c.ID, map[string]any{"source": "email", "reason": l.Why(),
		"loss_words": l.Words})
}

// claimAck turns the acknowledgement of an email into the acknowledgement
// of the claim it reported: the subject and the first paragraph give the
// claim number.
func claimAck(subject, body string, c *care.Case, number string) (string, string) {
	subject = fmt.Sprintf("[%s] Your claim number is %s", c.Reference, number)
	para := fmt.Sprintf("We have registered your email as a claim. Your claim number is %s (reference %s); "+
		"please quote it whenever you contact us about this claim.", number, c.Reference)
	if greeting, rest, ok := strings.Cut(body, "\n\n"); ok {
		return subject, greeting + "\n\n" + para + "\n\n" + rest
	}
	return subject, para + "\n\n" + body
}
