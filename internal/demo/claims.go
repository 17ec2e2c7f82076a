package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// demoClaim is one claim of the demo and how far it has come.
type demoClaim struct {
	name, line, lossType, place, description string
	ago                                      time.Duration // reported this long before now
	stage                                    string        // how far to take it
	settle                                   int64         // settlement in pence, from settlement on
	reserve                                  int64
	dispute                                  string // a dispute at the decision, when set
	catastrophe                              bool   // linked to the active storm
}

var demoClaims = []demoClaim{
	{"Grace Holloway", "motor", "motor", "A36 Warminster Road, Bath", "Reversed into at the petrol station; rear bumper and tail light broken.",
		40 * time.Minute, care.ClaimIntake, 0, 0, "", false},
	{"Owen Pritchard", "home", "property", "12 Mill Lane, Frome", "Tree came down on the garage roof in the night; tiles and a rafter broken.",
		30 * time.Hour, care.ClaimAssessment, 0, 420000, "", true},
	{"Leila Haddad", "home", "property", "Flat 3, 8 Quay Street, Bristol", "Water from the flat above came through the bathroom ceiling.",
		20 * time.Hour, care.ClaimReview, 0, 0, "", false},
	{"Marcus Webb", "motor", "motor", "M5 junction 18", "Stone chip cracked the windscreen across the driver's view.",
		6 * 24 * time.Hour, care.ClaimDecision, 38000, 40000, "", false},
	{"Sofia Marin", "home", "property", "27 Orchard Close, Keynsham", "Kitchen flooded by a burst pipe under the sink.",
		9 * 24 * time.Hour, care.ClaimSettlement, 310000, 450000, "The offer does not cover replacing the kitchen units, only drying out.", false},
	{"Daniel Osei", "motor", "motor", "Tesco car park, Chippenham", "Car hit while parked; the other driver left a note and insurer details.",
		15 * 24 * time.Hour, care.ClaimClosed, 126000, 150000, "", false},
}

// claims takes a few claims through their workflow to different stages,
// through the service as the system actor, so the claims list, the claim
// page, the customer 360 and the portal have something to show: a fresh
// FNOL, claims in review and assessment (one paused by a declared storm),
// an offer awaiting the policyholder, a disputed offer with its complaint
// and a claim paid and closed.
func (g *gen) claims(ctx context.Context, svc *service.Service, sum *Summary) error {
	storm := &care.CatastropheEvent{Name: "Storm Bert", Region: "South West England",
		Description: "Named storm: gales and flooding across Somerset and Wiltshire.", StartedAt: g.now.Add(-36 * time.Hour)}
	if err := svc.DeclareCatastrophe(ctx, storm); err != nil {
		return err
	}
	for i, dc := range demoClaims {
		pol, err := g.claimPolicy(ctx, svc, dc, i)
		if err != nil {
			return err
		}
		sum.Customers, sum.Policies = sum.Customers+1, sum.Policies+1
		in := care.NewClaim{PolicyNumber: pol.Number, LossAt: g.now.Add(-dc.ago - 3*time.Hour), ReportedAt: g.now.Add(-dc.ago),
			LossType: dc.lossType, Place: dc.place, Description: dc.description, Channel: g.pick([]string{"phone", "email", "web"})}
		if dc.catastrophe {
			in.CatastropheID = storm.ID
		}
		if dc.lossType == "motor" && dc.stage != care.ClaimIntake {
			in.Parties = []care.ClaimParty{{Role: "third_party", Name: g.pick(firstNames) + " " + g.pick(lastNames), Contact: fmt.Sprintf("07700 900%03d", i)}}
		}
		v, err := svc.CreateClaim(ctx, in)
		if err != nil {
			return err
		}
		sum.Cases, sum.Interactions = sum.Cases+1, sum.Interactions+1 // the claim case and its first notice
		if dc.dispute != "" {
			sum.Cases, sum.Interactions = sum.Cases+1, sum.Interactions+1 // the complaint the dispute opens
		}
		if err := g.advanceClaim(ctx, svc, v.Claim.Number, dc); err != nil {
			return err
		}
	}
	return nil
}

// claimPolicy creates the claimant and the policy the claim is made on.
func (g *gen) claimPolicy(ctx context.Context, svc *service.Service, dc demoClaim, i int) (*care.Policy, error) {
	c := &care.Customer{Kind: "policyholder", Name: dc.name, Email: fmt.Sprintf("claimant%03d@example.net", i),
		Phone: fmt.Sprintf("+447700901%03d", i), Address: dc.place}
	if err := svc.CreateCustomer(ctx, c); err != nil {
		return nil, err
	}
	start := time.Date(g.now.Year(), g.now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -4, 0)
	p := &care.Policy{CustomerID: c.ID, Line: dc.line, Status: "in_force", Start: start, End: start.AddDate(1, 0, -1),
		Number: "CLM-" + map[string]string{"motor": "MOT", "home": "HOM"}[dc.line] + "-" + fmt.Sprintf("%03d", 100+i), PremiumMinor: 48000, Currency: "GBP"}
	return p, svc.CreatePolicy(ctx, p)
}

// advanceClaim moves a claim on to dc.stage the way the teams would.
func (g *gen) advanceClaim(ctx context.Context, svc *service.Service, number string, dc demoClaim) error {
	at := slices.Index(care.ClaimStageList(), dc.stage)
	step := func(to string) error {
		_, err := svc.TransitionClaim(ctx, number, to, "")
		return err
	}
	path := []string{care.ClaimReview, care.ClaimAssessment, care.ClaimCoverage, care.ClaimSettlement}
	for _, to := range path {
		if slices.Index(care.ClaimStageList(), to) > at {
			return nil
		}
		if to == care.ClaimAssessment && dc.reserve > 0 {
			if _, err := svc.SetClaimReserve(ctx, number, dc.reserve, "Adjuster's first estimate"); err != nil {
				return err
			}
		}
		if err := step(to); err != nil {
			return err
		}
		if to == care.ClaimAssessment && dc.lossType == "property" && !dc.catastrophe {
			if _, err := svc.ScheduleInspection(ctx, number, g.now.Add(26*time.Hour), "Pat Surveyor (Loss Assessors Ltd)"); err != nil {
				return err
			}
		}
	}
	if dc.settle == 0 {
		return nil
	}
	if _, err := svc.ApproveSettlement(ctx, number, dc.settle, "Repair estimate"); err != nil {
		return err
	}
	if err := step(care.ClaimDecision); err != nil || dc.stage == care.ClaimDecision {
		return err
	}
	if dc.dispute != "" {
		_, err := svc.DecideClaim(ctx, number, service.ClaimDecisionInput{Decision: service.ClaimDispute, Note: dc.dispute, Channel: "phone"})
		return err
	}
	if _, err := svc.DecideClaim(ctx, number, service.ClaimDecisionInput{Decision: service.ClaimAccept}); err != nil {
		return err
	}
	_, err := svc.AddClaimPayment(ctx, number, &care.ClaimPayment{AmountMinor: dc.settle, Payee: dc.name,
		Method: "bank_transfer", Reference: "BACS-" + number})
	return err
}
