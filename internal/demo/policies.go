package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// demoPolicy is one showcase of policy servicing.
type demoPolicy struct {
	name, email, number, line string
	endInDays                 int   // the current term ends this many days from today (negative: already ended)
	premium                   int64 // minor units
	offer                     int64 // renewal premium offered (0: none)
	outcome                   string
	reason                    string
	instalments               bool // monthly instalments from the term's start, two of them unpaid
	change                    string
}

var demoPolicies = []demoPolicy{
	{name: "Olivia Bennett", email: "olivia.bennett@example.com", number: "MOT-DEMO001", line: "motor", endInDays: 12,
		premium: 64200, offer: 67900, instalments: true, change: "add_vehicle"},
	{name: "Thomas Wright", email: "thomas.wright@example.com", number: "HOM-DEMO002", line: "home", endInDays: 5, premium: 38900},
	{name: "Grace Okafor", email: "grace.okafor@example.com", number: "MOT-DEMO003", line: "motor", endInDays: -20,
		premium: 51000, offer: 52500, outcome: "renewed", reason: "accepted the renewal by phone"},
	{name: "Daniel Hughes", email: "daniel.hughes@example.com", number: "PET-DEMO004", line: "pet", endInDays: -9, premium: 21000},
	{name: "Aisha Khan", email: "aisha.khan@example.com", number: "HOM-DEMO005", line: "home", endInDays: -40,
		premium: 44800, offer: 49900, outcome: "cancelled", reason: "moved to another insurer on price"},
}

// policyServicing adds a few policies that show servicing at work: one
// ending in 12 days with an offer, instalments (two missed) and a pending
// change; one ending in 5 days; one renewed; one that lapsed undecided; one
// cancelled at renewal. A pass of the policy job then sends the reminders
// that are due and lapses the undecided one, so the pages, the outbox and
// the churn figures have something to show.
func (g *gen) policyServicing(ctx context.Context, svc *service.Service, sum *Summary) error {
	today := care.DateOf(g.now)
	for _, d := range demoPolicies {
		if err := g.demoPolicy(ctx, svc, d, today, sum); err != nil {
			return fmt.Errorf("demo policy %s: %w", d.number, err)
		}
	}
	if _, err := svc.RemindPolicies(ctx, 0); err != nil {
		return fmt.Errorf("demo policy reminders: %w", err)
	}
	return nil
}

func (g *gen) demoPolicy(ctx context.Context, svc *service.Service, d demoPolicy, today time.Time, sum *Summary) error {
	c := &care.Customer{Kind: "policyholder", Name: d.name, Email: d.email}
	if err := svc.CreateCustomer(ctx, c); err != nil {
		return err
	}
	sum.Customers++
	end := today.AddDate(0, 0, d.endInDays)
	p := &care.Policy{CustomerID: c.ID, Number: d.number, Line: d.line, Status: "in_force", Start: end.AddDate(-1, 0, 1), End: end,
		PremiumMinor: d.premium, Currency: "GBP"}
	if err := svc.CreatePolicy(ctx, p); err != nil {
		return err
	}
	sum.Policies++
	if d.instalments {
		if err := g.demoInstalments(ctx, svc, p, today); err != nil {
			return err
		}
	}
	if d.offer > 0 {
		if _, err := svc.OfferRenewal(ctx, p.Number, service.RenewalOffer{PremiumMinor: d.offer}); err != nil {
			return err
		}
	}
	if d.outcome != "" {
		if _, err := svc.TransitionPolicy(ctx, p.Number, service.PolicyTransition{To: d.outcome, Reason: d.reason}); err != nil {
			return err
		}
	}
	if d.change != "" {
		_, err := svc.RequestPolicyChange(ctx, p.Number, service.NewPolicyChange{Kind: d.change, Channel: "phone",
			Details:       "Add a second car for the named driver: 2021 Toyota Yaris Hybrid, garaged overnight.",
			EffectiveDate: today.AddDate(0, 0, 3), PremiumAdjustmentMinor: 4650})
		if err != nil {
			return err
		}
		sum.Cases++ // the change's service request
	}
	return nil
}

// demoInstalments splits the premium monthly from the term's start and
// pays every instalment already due except the last two, which the policy
// job then marks missed.
func (g *gen) demoInstalments(ctx context.Context, svc *service.Service, p *care.Policy, today time.Time) error {
	items, err := svc.SetInstalments(ctx, p.Number, service.InstalmentRequest{Count: 12, FirstDue: p.Start})
	if err != nil {
		return err
	}
	var due []*care.Instalment
	for _, it := range items {
		if it.DueDate.Before(today) {
			due = append(due, it)
		}
	}
	for _, it := range due[:max(len(due)-2, 0)] {
		pay := &care.Payment{AmountMinor: it.AmountMinor, Method: "direct_debit", ReceivedOn: it.DueDate,
			Reference: fmt.Sprintf("DD-%s-%02d", p.Number, it.Seq)}
		if err := svc.RecordPayment(ctx, p.Number, pay, it.Seq); err != nil {
			return err
		}
	}
	return nil
}
