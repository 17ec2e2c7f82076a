// Package demo generates a realistic, deterministic demo dataset: teams,
// staff in every role, disposition codes, customers with policies, and cases
// with their interactions spread over past months, so a newcomer sees a
// working desk at once. The same seed always gives the same data.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// StaffPassword is the password of every demo staff account. Demo data is
// for trying caredesk out, never for production.
const StaffPassword = "caredesk-demo-2026"

// Options size the dataset.
type Options struct {
	Seed      uint64 // same seed, same data (default 1)
	Customers int    // default 200; with Interactions, one per 25 interactions
	Months    int    // how far back cases go (default 6; with Interactions, 24)
	// Interactions, when set, generates a contact centre's history of
	// about this many interactions at scale: staff sized to the volume,
	// seasonality, queues and abandons, surveys, finished cases through the
	// bulk path (service.WriteHistory) and open ones through the service.
	// Zero loads the small dataset, every record through the service.
	Interactions int
	// Progress, when set, is told how far the history has come.
	Progress func(Progress)
}

// Summary counts what Load created.
type Summary struct {
	Teams, Users, Customers, Policies, Cases, Interactions, Surveys int
	Complaints                                                      int // complaints taken through their lifecycle
	StaffEmails                                                     []string
}

// Load writes the dataset through the service, as the system actor.
func Load(ctx context.Context, svc *service.Service, opts Options) (*Summary, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	switch {
	case opts.Interactions < 0:
		return nil, care.Invalid("interactions", "must not be negative")
	case opts.Customers <= 0 && opts.Interactions > 0:
		opts.Customers = max(200, opts.Interactions/25)
	case opts.Customers <= 0:
		opts.Customers = 200
	}
	switch {
	case opts.Months <= 0 && opts.Interactions > 0:
		opts.Months = 24
	case opts.Months <= 0:
		opts.Months = 6
	case opts.Months > 120:
		return nil, care.Invalid("months", "must be at most 120 (ten years)")
	}
	g := &gen{rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed)), now: svc.Now(), opts: opts}
	ctx = care.NewContextWithActor(ctx, care.SystemActor("demo"))
	sum := &Summary{}
	if err := g.createStaff(ctx, svc, sum); err != nil {
		return nil, fmt.Errorf("demo staff: %w", err)
	}
	if opts.Interactions > 0 {
		if err := g.loadHistory(ctx, svc, sum); err != nil {
			return nil, err
		}
	} else {
		for i := 0; i < opts.Customers; i++ {
			if err := g.customerWithHistory(ctx, svc, sum); err != nil {
				return nil, fmt.Errorf("demo customer %d: %w", i+1, err)
			}
		}
	}
	if err := g.complaintOutcomes(ctx, svc, sum); err != nil {
		return nil, fmt.Errorf("demo complaints: %w", err)
	}
	if err := g.policyServicing(ctx, svc, sum); err != nil { // policies.go
		return nil, err
	}
	if err := g.claims(ctx, svc, sum); err != nil { // claims.go
		return nil, fmt.Errorf("demo claims: %w", err)
	}
	return sum, nil
}

type gen struct {
	rng   *rand.Rand
	now   time.Time
	opts  Options
	teams map[string]int64
	staff map[string][]int64 // role → user ids
	seq   int                // cases drawn so far, for stable external ids
	// openComplaints are the references of open complaint cases, oldest
	// first, for complaintOutcomes.
	openComplaints []string
}

func (g *gen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

// weighted picks a key by weight; weights are listed in a fixed order so the
// result is deterministic.
func (g *gen) weighted(keys []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := g.rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return keys[i]
		}
		r -= w
	}
	return keys[len(keys)-1]
}

func (g *gen) createStaff(ctx context.Context, svc *service.Service, sum *Summary) error {
	g.teams, g.staff = map[string]int64{}, map[string][]int64{}
	for _, name := range []string{"Contact Centre", "Complaints", "Claims", "Quality"} {
		t := &care.Team{Name: name}
		if err := svc.CreateTeam(ctx, t); err != nil {
			return err
		}
		g.teams[name] = t.ID
		sum.Teams++
	}
	for _, d := range dispositions {
		if err := svc.CreateDispositionCode(ctx, &care.DispositionCode{Code: d[0], Label: d[1]}); err != nil {
			return err
		}
	}
	for _, p := range people {
		u := &care.User{Email: p.email, Name: p.name, Role: p.role, TeamID: g.teams[p.team]}
		if _, err := svc.CreateUser(ctx, u, StaffPassword); err != nil {
			return err
		}
		g.staff[p.role] = append(g.staff[p.role], u.ID)
		sum.Users++
		sum.StaffEmails = append(sum.StaffEmails, p.email+" ("+p.role+")")
	}
	return nil
}

// customerWithHistory creates a customer, their policies and their cases
// through the service, so demo data gets the clocks, audit entries and
// validation that real data gets.
func (g *gen) customerWithHistory(ctx context.Context, svc *service.Service, sum *Summary) error {
	c := g.customer()
	if err := svc.CreateCustomer(ctx, c); err != nil {
		return err
	}
	sum.Customers++
	var policies []*care.Policy
	for j := 0; j < 1+g.rng.IntN(2); j++ {
		p := g.policy(c.ID)
		if err := svc.CreatePolicy(ctx, p); err != nil {
			return err
		}
		policies = append(policies, p)
		sum.Policies++
	}
	for j := 0; j < 1+g.rng.IntN(4); j++ {
		if err := g.caseWithContacts(ctx, svc, c, policies[g.rng.IntN(len(policies))], sum); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) customer() *care.Customer {
	first, last := g.pick(firstNames), g.pick(lastNames)
	c := &care.Customer{Kind: "policyholder", Name: first + " " + last,
		Email:   strings.ToLower(first+"."+last) + fmt.Sprintf("%d@example.net", g.rng.IntN(100)),
		Phone:   fmt.Sprintf("+447700%06d", g.rng.IntN(1_000_000)),
		Address: fmt.Sprintf("%d %s, %s", 1+g.rng.IntN(180), g.pick(streets), g.pick(towns))}
	if g.rng.IntN(100) < 7 {
		c.Vulnerable, c.VulnerabilityNote = true, g.pick(vulnerabilityNotes)
	}
	c.Normalize()
	return c
}

func (g *gen) policy(customerID int64) *care.Policy {
	line := g.weighted([]string{"motor", "home", "travel", "pet", "life", "health"}, []int{40, 30, 10, 8, 7, 5})
	start := g.now.AddDate(0, -g.rng.IntN(11), -g.rng.IntN(28))
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	p := &care.Policy{CustomerID: customerID, Line: line, Status: "in_force", Start: start, End: start.AddDate(1, 0, -1),
		Number:       fmt.Sprintf("%s-%07d", strings.ToUpper(line[:3]), g.rng.IntN(10_000_000)),
		PremiumMinor: int64(15_000 + g.rng.IntN(120_000)), Currency: "GBP"}
	if g.rng.IntN(100) < 6 {
		p.Status = "lapsed"
	}
	return p
}
