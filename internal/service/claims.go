package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// ClaimView is a claim with everything its page shows.
type ClaimView struct {
	Claim       *care.Claim
	Case        *care.Case
	Policy      *care.Policy
	Customer    *care.Customer // nil when the case has none
	Transitions []*care.ClaimTransition
	Reserves    []*care.ClaimReserve
	Payments    []*care.ClaimPayment
	Clocks      []*care.Clock
	Catastrophe *care.CatastropheEvent // nil when not linked
	Complaint   *care.Case             // the complaint a dispute opened; nil when none
}

// claimRegimes are the milestone regimes of a new claim: the claims pack
// variant of its loss type and whatever the firm configured for claims
// (for example us-ca-claims).
func (s *Service) claimRegimes(lossType string) []string {
	return s.claimRegimesFor(lossType, "simple")
}

// claimRegimesFor is claimRegimes for a claim of the given complexity: a
// complex motor claim owes no 10-day settlement and runs the standard
// milestones (care.ClaimComplexity).
func (s *Service) claimRegimesFor(lossType, complexity string) []string {
	variant := care.ClaimMilestoneVariant(lossType)
	if variant == "motor" && complexity == "complex" {
		variant = "standard"
	}
	out := []string{"claims/" + variant}
	for _, r := range s.cfg.DefaultRegimes["claim"] {
		if name, _ := regimeSpec(r); name != "claims" {
			out = append(out, r)
		}
	}
	return out
}

// claimFor finds a claim by claim number, case reference or case id.
func claimFor(ctx context.Context, tx *store.Tx, key string) (*care.Case, *care.Claim, error) {
	key = strings.TrimSpace(key)
	if care.LooksLikeClaimNumber(key) {
		k, err := tx.FindClaimByNumber(ctx, strings.ToUpper(key))
		if err != nil {
			return nil, nil, err
		}
		c, err := tx.FindCaseByID(ctx, k.CaseID)
		return c, k, err
	}
	id, ref := parseKey(key)
	if id == 0 && !care.LooksLikeReference(ref) {
		return nil, nil, care.Errorf(care.ENOTFOUND, "No claim %q: give a claim number such as CL-2026-000123, a case reference or a case id.", key)
	}
	c, err := findCase(ctx, tx, key)
	if err != nil {
		return nil, nil, err
	}
	k, err := tx.FindClaim(ctx, c.ID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil, care.Errorf(care.ENOTFOUND, "Case %s has no claim record: claims are opened with POST /api/v1/claims.", c.Reference)
	}
	return c, k, err
}

// loadClaimView reads everything a claim's page shows, inside tx.
func loadClaimView(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim) (*ClaimView, error) {
	v := &ClaimView{Claim: k, Case: c}
	var err error
	if v.Policy, err = tx.FindPolicyByID(ctx, k.PolicyID); err != nil {
		return nil, err
	}
	if c.CustomerID != 0 {
		if v.Customer, err = tx.FindCustomerByID(ctx, c.CustomerID); err != nil {
			return nil, err
		}
	}
	if v.Transitions, err = tx.FindClaimTransitions(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Reserves, err = tx.FindClaimReserves(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Payments, err = tx.FindClaimPayments(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Clocks, err = tx.FindClocksByCase(ctx, c.ID); err != nil {
		return nil, err
	}
	if k.CatastropheID != 0 {
		if v.Catastrophe, err = tx.FindCatastrophe(ctx, k.CatastropheID); err != nil {
			return nil, err
		}
	}
	if k.ComplaintID != 0 {
		if v.Complaint, err = tx.FindCaseByID(ctx, k.ComplaintID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// FindClaim returns a claim by number, case reference or case id, with its
// case, policy, history, money and milestones; the read is audited.
func (s *Service) FindClaim(ctx context.Context, key string) (*ClaimView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimRead); err != nil {
		return nil, err
	}
	var v *ClaimView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, k, err := claimFor(ctx, tx, key)
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, "read", "claim", c.ID, map[string]any{"number": k.Number}); err != nil {
			return err
		}
		v, err = loadClaimView(ctx, tx, c, k)
		return err
	})
	return v, err
}

// FindClaimByCase returns the claim of a case, or nil when the case is not
// a claim (or the actor may not read claims). It is for pages that show a
// case and link to its claim; the case read is audited by its caller.
func (s *Service) FindClaimByCase(ctx context.Context, caseID int64) (*care.Claim, error) {
	if !care.ActorFromContext(ctx).Can(care.PermClaimRead) {
		return nil, nil
	}
	var k *care.Claim
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		k, err = tx.FindClaim(ctx, caseID)
		if care.ErrorCode(err) == care.ENOTFOUND {
			k, err = nil, nil
		}
		return err
	})
	return k, err
}

// FindClaims lists claims by nearest running milestone, a page at a time
// (next: where the following page starts, nil on the last); the case ids
// revealed are audited.
func (s *Service) FindClaims(ctx context.Context, f care.ClaimFilter) (rows []*store.ClaimRow, next *care.ClaimKey, err error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimRead); err != nil {
		return nil, nil, err
	}
	if f.Stage != "" && !slices.Contains(care.ClaimStageList(), f.Stage) {
		return nil, nil, care.Invalid("stage", "must be one of: %s", strings.Join(care.ClaimStageList(), ", "))
	}
	err = s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if rows, next, err = tx.FindClaims(ctx, f); err != nil || len(rows) == 0 {
			return err
		}
		return audit(ctx, tx, "list", "claim", "", map[string]any{"ids": ids(rows, func(r *store.ClaimRow) int64 { return r.Claim.CaseID })})
	})
	return rows, next, err
}

// CreateClaim takes a first notice of loss from any channel: the claim
// case (timeline, first interaction, clocks, events) and the claim record
// with its number, in one transaction. The cover is checked against the
// policy and every problem is recorded and returned; none refuses the
// notice. The policyholder is sent the claim number at once.
func (s *Service) CreateClaim(ctx context.Context, in care.NewClaim) (*ClaimView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermClaimIntake); err != nil {
		return nil, err
	}
	in.Normalize()
	now := s.Now()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	if in.ReportedAt.IsZero() {
		in.ReportedAt = now
	}
	in.Description, in.Place = s.mask(in.Description), s.mask(in.Place)
	for i := range in.Parties {
		in.Parties[i].Name, in.Parties[i].Contact = s.mask(in.Parties[i].Name), s.mask(in.Parties[i].Contact)
		in.Parties[i].Note = s.mask(in.Parties[i].Note)
	}
	var v *ClaimView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		pol, err := tx.FindPolicyByNumber(ctx, in.PolicyNumber)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return care.Invalid("policy_number", "no policy %s", in.PolicyNumber)
		} else if err != nil {
			return err
		}
		complexity, why := care.ClaimComplexity(&in, s.cfg.SimpleMotorLimit)
		c := care.Case{Type: "claim", Channel: in.Channel, Priority: in.Priority, CustomerID: pol.CustomerID,
			PolicyID: pol.ID, ReceivedAt: in.ReportedAt, Regimes: s.claimRegimesFor(in.LossType, complexity),
			Subject: claimSubject(in), Description: claimText(in, pol)}
		c.Normalize()
		if err := c.Validate(now); err != nil {
			return err
		}
		k := &care.Claim{PolicyID: pol.ID, LossAt: in.LossAt.UTC(), ReportedAt: in.ReportedAt.UTC(), LossType: in.LossType,
			Place: in.Place, Description: in.Description, Channel: in.Channel, Parties: in.Parties, Stage: care.ClaimIntake,
			CoverProblems: care.CheckCover(pol, in.LossType, in.LossAt), Currency: pol.Currency,
			Complexity: complexity, ComplexityNote: why, EstimateMinor: in.EstimateMinor}
		v, err = s.openClaim(ctx, tx, &c, k, in.CatastropheID, "fnol")
		return err
	})
	return v, err
}

// openClaim opens the case of a new claim and writes its record inside tx:
// every intake path (API, staff UI, portal) goes through it. The FNOL
// capture milestone is met now; the policyholder is told the number.
func (s *Service) openClaim(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, catastrophe int64, source string) (*ClaimView, error) {
	if catastrophe != 0 {
		if _, err := tx.FindCatastrophe(ctx, catastrophe); care.ErrorCode(err) == care.ENOTFOUND {
			return nil, care.Invalid("catastrophe_id", "no catastrophe event %d", catastrophe)
		} else if err != nil {
			return nil, err
		}
	}
	first := &care.Interaction{Channel: c.Channel, Direction: "inbound", Subject: c.Subject, Body: c.Description,
		OfferedAt: c.ReceivedAt}
	if err := s.openCase(ctx, tx, c, first, source); err != nil {
		return nil, err
	}
	return s.recordClaim(ctx, tx, c, k, catastrophe)
}

// recordClaim writes the claim record of a case just opened (by openClaim,
// or by the portal's own intake) inside tx.
func (s *Service) recordClaim(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, catastrophe int64) (*ClaimView, error) {
	return s.recordClaimTelling(ctx, tx, c, k, catastrophe, true)
}

// recordClaimTelling is recordClaim; tell false leaves the claim-number
// email to the caller (mail intake puts the number in its threaded
// acknowledgement instead of sending a second message).
func (s *Service) recordClaimTelling(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Claim, catastrophe int64, tell bool) (*ClaimView, error) {
	k.CaseID = c.ID
	if err := tx.CreateClaim(ctx, k); err != nil {
		return nil, err
	}
	problems := make([]string, len(k.CoverProblems))
	for i, p := range k.CoverProblems {
		problems[i] = p.Code
	}
	if err := audit(ctx, tx, "create", "claim", c.ID, map[string]any{"number": k.Number, "policy_id": k.PolicyID,
		"loss_type": k.LossType, "loss_at": k.LossAt, "reported_at": k.ReportedAt, "channel": k.Channel,
		"cover_problems": problems}); err != nil {
		return nil, err
	}
	if err := s.meetFNOLCapture(ctx, tx, c); err != nil {
		return nil, err
	}
	if catastrophe != 0 {
		if err := s.linkCatastrophe(ctx, tx, c, k, catastrophe); err != nil {
			return nil, err
		}
	}
	if err := s.claimStageNotice(ctx, tx, c, k, "", "", tell); err != nil {
		return nil, err
	}
	return loadClaimView(ctx, tx, c, k)
}

func claimSubject(in care.NewClaim) string {
	first, _, _ := strings.Cut(in.Description, "\n")
	if r := []rune(first); len(r) > 80 {
		first = strings.TrimSpace(string(r[:80])) + "…"
	}
	kind := strings.ReplaceAll(in.LossType, "_", " ")
	return fmt.Sprintf("Claim: %s loss %s — %s", kind, in.LossAt.UTC().Format("2 Jan 2006"), first)
}

// claimText is the case description staff read: the notice in labelled
// lines, then the claimant's words.
func claimText(in care.NewClaim, pol *care.Policy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "First notice of loss (%s)\nPolicy number: %s (%s)\nLoss: %s, %s\n", in.Channel, pol.Number,
		pol.Line, strings.ReplaceAll(in.LossType, "_", " "), in.LossAt.UTC().Format(time.RFC1123))
	if in.Place != "" {
		fmt.Fprintf(&b, "Place: %s\n", in.Place)
	}
	for _, p := range in.Parties {
		fmt.Fprintf(&b, "Party (%s): %s", strings.ReplaceAll(p.Role, "_", " "), p.Name)
		if p.Contact != "" {
			fmt.Fprintf(&b, ", %s", p.Contact)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nWhat happened:\n" + in.Description)
	return b.String()
}

// meetFNOLCapture meets the FNOL capture milestone as the claim is
// recorded; recorded more than an hour after the report, it is met late
// and stays breached for the record.
func (s *Service) meetFNOLCapture(ctx context.Context, tx *store.Tx, c *care.Case) error {
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return err
	}
	now := tx.Now()
	for _, k := range clocks {
		if k.Name == "fnol_capture" && k.Active() && k.DueAt.Before(now) {
			k.State, k.BreachedAt, k.FireAt = care.ClockBreached, k.DueAt, time.Time{}
			if _, err := tx.UpdateClock(ctx, k, ""); err != nil {
				return err
			}
		}
	}
	return s.meetClocks(ctx, tx, c, now, named("fnol_capture"))
}

// portalClaim registers the claim record of a claim sent on the portal and
// matched to the customer's own policy, inside tx: the loss type is the
// one the policy line usually claims for, and the cover is checked as for
// any notice. It returns the claim number.
func (s *Service) portalClaim(ctx context.Context, tx *store.Tx, c *care.Case, pol *care.Policy, in *PortalSubmission, loss time.Time) (string, error) {
	lossType := care.LossTypeForLine(pol.Line)
	k := &care.Claim{PolicyID: pol.ID, LossAt: loss.UTC(), ReportedAt: c.ReceivedAt, LossType: lossType, Place: in.LossPlace,
		Description: in.Description, Channel: "web", Stage: care.ClaimIntake,
		CoverProblems: care.CheckCover(pol, lossType, loss), Currency: pol.Currency}
	if lossType == "motor" { // the portal form asks nothing that makes a motor claim complex
		k.Complexity, k.ComplexityNote = "simple", "reported on the portal, which asks nothing about injuries, liability or a total loss"
	}
	if _, err := s.recordClaim(ctx, tx, c, k, 0); err != nil {
		return "", err
	}
	return k.Number, nil
}
