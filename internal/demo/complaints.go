package demo

import (
	"context"
	"fmt"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// complaintSample is how many open complaints complaintOutcomes takes
// along their lifecycle, so every stage and outcome shows in the demo.
const complaintSample = 24

// outcomeMix: what the investigation found, the root cause and the redress
// (0: none) paid to put it right.
var outcomeMix = []struct {
	outcome, reasoning, cause string
	redress                   int64
	kind                      string
}{
	{"upheld", "The claim was left without contact for five weeks; our service standard is ten working days.", "claims_delay", 15000, "compensation"},
	{"partly_upheld", "The decline was correct under the policy wording, but we did not explain it clearly.", "communication", 5000, "goodwill"},
	{"not_upheld", "The damage is gradual wear and tear, excluded in section 4 of the policy; the engineer's report confirms it.", "claims_decision", 0, ""},
	{"upheld", "A second direct debit was collected in error.", "admin_error", 4550, "refund"},
	{"partly_upheld", "The renewal price followed our pricing, but the letter did not show last year's premium.", "pricing_renewal", 2500, "goodwill"},
	{"not_upheld", "Call recordings show the handler was courteous and followed the process.", "staff_conduct", 0, ""},
}

// complaintOutcomes takes a sample of the open complaints through the
// complaints service, stage by stage: some stay received, others are
// acknowledged, under investigation, answered with an outcome and
// redress, or closed with corrective and preventive actions; one in
// eight is referred to the ombudsman after the final response.
func (g *gen) complaintOutcomes(ctx context.Context, svc *service.Service, sum *Summary) error {
	refs := g.openComplaints
	if len(refs) > complaintSample {
		refs = refs[:complaintSample]
	}
	owner := int64(0)
	if s := g.staff["supervisor"]; len(s) > 0 {
		owner = s[0]
	}
	for n, ref := range refs {
		stage := n % 6
		if stage == 0 {
			continue // just received
		}
		move := func(to string, req care.TransitionRequest) error {
			req.To = to
			if _, err := svc.TransitionComplaint(ctx, ref, req); err != nil {
				return fmt.Errorf("%s to %s: %w", ref, to, err)
			}
			return nil
		}
		if err := move(care.StageAcknowledged, care.TransitionRequest{Note: "Acknowledged by email with the complaints leaflet."}); err != nil {
			return err
		}
		sum.Complaints++
		if stage == 1 {
			continue
		}
		if err := move(care.StageInvestigating, care.TransitionRequest{Note: "Asked the claims team for the file and call recordings."}); err != nil {
			return err
		}
		if stage == 2 {
			continue
		}
		o := outcomeMix[(n/6+stage)%len(outcomeMix)]
		if _, err := svc.SetComplaintOutcome(ctx, ref, care.OutcomeDecision{Outcome: o.outcome, Reasoning: o.reasoning, RootCause: o.cause}); err != nil {
			return fmt.Errorf("%s outcome: %w", ref, err)
		}
		if o.redress > 0 {
			status := "offered"
			if stage >= 4 {
				status = "paid"
			}
			r := &care.Redress{Kind: o.kind, AmountMinor: o.redress, Currency: "GBP", Status: status,
				PaymentRef: map[string]string{"paid": fmt.Sprintf("PAY-%06d", 100000+n)}[status]}
			if err := svc.AddRedress(ctx, ref, r); err != nil {
				return fmt.Errorf("%s redress: %w", ref, err)
			}
		}
		if err := move(care.StageResponseIssued, care.TransitionRequest{Note: "Final response sent by email with the ombudsman leaflet."}); err != nil {
			return err
		}
		if stage == 3 {
			continue
		}
		answer := "accepted"
		if o.outcome == "not_upheld" {
			answer = "disagreed"
		}
		if err := move(care.StageClosed, care.TransitionRequest{CustomerResponse: answer}); err != nil {
			return err
		}
		if o.outcome != "not_upheld" && owner != 0 {
			if err := svc.AddCAPA(ctx, ref, &care.CAPA{Kind: "corrective", OwnerID: owner,
				Description: "Review similar cases from the last three months for the same failing (" + o.cause + ")."}); err != nil {
				return fmt.Errorf("%s capa: %w", ref, err)
			}
		}
		if stage == 5 && n%12 == 11 {
			if err := move("referred", care.TransitionRequest{ReferredTo: "FOS", Note: "The customer referred the complaint to the Financial Ombudsman Service."}); err != nil {
				return err
			}
		}
	}
	return nil
}
