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

// Progress says how far Load has come: interactions written of about
// Total planned.
type Progress struct {
	Interactions, Total int
}

// historyBatch is how many interactions go into one WriteHistory
// transaction: large enough that the KPI cells a batch touches are few per
// interaction, small enough to hold in memory.
const historyBatch = 40_000

// customerBatch is how many customers go into one transaction.
const customerBatch = 5_000

// history generates a contact centre's past at scale: staff sized to the
// volume, customers with policies, then day by day the cases and their
// contacts, finished ones through the bulk path (service.WriteHistory) and
// those still open now through the service, so they get their clocks.
type history struct {
	*gen
	svc       *service.Service
	sea       *season
	pools     map[string][]int64 // agent pool → user ids
	teamOf    map[string]int64   // pool → team id
	customers []custRef
	batch     []*service.HistoryCase
	batchN    int // interactions in batch
	live      []*planned
	done      int // interactions generated (kept)
	sum       *Summary
}

type custRef struct {
	id       int64
	vuln     bool
	policies []polRef
}

type polRef struct {
	id   int64
	line string
}

// loadHistory is Load for Options.Interactions > 0.
func (g *gen) loadHistory(ctx context.Context, svc *service.Service, sum *Summary) error {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return err
	}
	h := &history{gen: g, svc: svc, sum: sum}
	h.sea = newSeason(rand.New(rand.NewPCG(g.opts.Seed, 0x570)), loc, g.now, g.opts.Months)
	if err := h.createPools(ctx); err != nil {
		return fmt.Errorf("demo staff: %w", err)
	}
	if err := h.createCustomers(ctx); err != nil {
		return fmt.Errorf("demo customers: %w", err)
	}
	total := float64(g.opts.Interactions)
	cum := 0.0
	for d := 0; d < h.sea.days && h.done < g.opts.Interactions; d++ {
		cum += h.sea.weight[d]
		target := min(int(total*cum/h.sea.total+0.5), g.opts.Interactions)
		for h.done < target {
			if err := h.add(ctx, h.plan(d)); err != nil {
				return err
			}
		}
	}
	if err := h.flush(ctx); err != nil {
		return err
	}
	return h.createLive(ctx)
}

// createPools adds agents and handlers in proportion to the volume (an
// agent takes about fifty contacts a working day) beside the named demo
// staff, in teams by line of business.
func (h *history) createPools(ctx context.Context) error {
	for _, name := range []string{"Motor Service", "Home Service", "Claims Notification"} {
		t := &care.Team{Name: name}
		if err := h.svc.CreateTeam(ctx, t); err != nil {
			return err
		}
		h.teams[name] = t.ID
		h.sum.Teams++
	}
	h.pools = map[string][]int64{
		"general":    h.staff["agent"],
		"claims":     h.staff["claims_handler"],
		"complaints": h.staff["complaints_handler"],
	}
	h.teamOf = map[string]int64{"motor": h.teams["Motor Service"], "home": h.teams["Home Service"],
		"general": h.teams["Contact Centre"], "fnol": h.teams["Claims Notification"], "claims": h.teams["Claims"],
		"complaints": h.teams["Complaints"]}
	perDay := float64(h.opts.Interactions) / float64(h.sea.days)
	agents := min(max(int(perDay/50), 12), 3000)
	shares := []struct {
		pool, role string
		share      float64
	}{{"motor", "agent", 0.28}, {"home", "agent", 0.24}, {"general", "agent", 0.14}, {"fnol", "agent", 0.12},
		{"claims", "claims_handler", 0.15}, {"complaints", "complaints_handler", 0.07}}
	var users []*care.User
	var pools []string
	for _, s := range shares {
		n := max(int(float64(agents)*s.share+0.5)-len(h.pools[s.pool]), 2)
		for k := 0; k < n; k++ {
			first, last := h.pick(firstNames), h.pick(lastNames)
			users = append(users, &care.User{Name: first + " " + last, Role: s.role, TeamID: h.teamOf[s.pool],
				Email: fmt.Sprintf("%s.%s.%d@demo.caredesk.example", strings.ToLower(first),
					strings.ToLower(strings.ReplaceAll(last, "'", "")), len(users)+1)})
			pools = append(pools, s.pool)
		}
	}
	if err := h.svc.CreateStaffBulk(ctx, users, StaffPassword); err != nil {
		return err
	}
	for k, u := range users {
		h.pools[pools[k]] = append(h.pools[pools[k]], u.ID)
	}
	h.sum.Users += len(users)
	return nil
}

// createCustomers writes the customers and their policies in batches.
func (h *history) createCustomers(ctx context.Context) error {
	h.customers = make([]custRef, 0, h.opts.Customers)
	for len(h.customers) < h.opts.Customers {
		n := min(customerBatch, h.opts.Customers-len(h.customers))
		cs, ps := make([]*care.Customer, n), make([][]*care.Policy, n)
		for k := range cs {
			cs[k] = h.customer()
			for j := 0; j < 1+h.rng.IntN(2); j++ {
				p := h.policy(0)
				// Numbered in order: random numbers would collide at scale.
				p.Number = fmt.Sprintf("%s-%08d", strings.ToUpper(p.Line[:3]), h.sum.Policies+len(ps[k])+1)
				ps[k] = append(ps[k], p)
			}
			h.sum.Policies += len(ps[k])
		}
		if err := h.svc.CreateCustomersBulk(ctx, cs, ps); err != nil {
			return err
		}
		for k, c := range cs {
			ref := custRef{id: c.ID, vuln: c.Vulnerable}
			for _, p := range ps[k] {
				ref.policies = append(ref.policies, polRef{id: p.ID, line: p.Line})
			}
			h.customers = append(h.customers, ref)
		}
		h.sum.Customers += n
	}
	return nil
}

// add queues a planned case: finished ones for the bulk path, open ones
// for the service at the end.
func (h *history) add(ctx context.Context, p *planned) error {
	h.done += len(p.contacts)
	if p.open {
		h.live = append(h.live, p)
		return nil
	}
	h.batch = append(h.batch, &service.HistoryCase{Case: p.c, Contacts: p.contacts, Surveys: p.surveys})
	h.batchN += len(p.contacts)
	if h.batchN >= historyBatch {
		return h.flush(ctx)
	}
	return nil
}

func (h *history) flush(ctx context.Context) error {
	if len(h.batch) == 0 {
		return nil
	}
	if err := h.svc.WriteHistory(ctx, h.batch); err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	h.sum.Cases += len(h.batch)
	h.sum.Interactions += h.batchN
	for _, c := range h.batch {
		h.sum.Surveys += len(c.Surveys)
	}
	h.batch, h.batchN = h.batch[:0], 0
	h.progress()
	return nil
}

func (h *history) progress() {
	if h.opts.Progress != nil {
		h.opts.Progress(Progress{Interactions: h.sum.Interactions, Total: h.opts.Interactions})
	}
}

// createLive creates the cases still open now through the service, oldest
// first, so they get their clocks, next deadlines and audit trail as live
// cases do.
func (h *history) createLive(ctx context.Context) error {
	for n, p := range h.live {
		created, err := h.svc.CreateCase(ctx, service.NewCase{Case: p.c, First: p.contacts[0]})
		if err != nil {
			return fmt.Errorf("demo open case: %w", err)
		}
		for _, i := range p.contacts[1:] {
			if _, err := h.svc.CreateInteraction(ctx, created.Reference, i); err != nil {
				return fmt.Errorf("demo open case %s: %w", created.Reference, err)
			}
		}
		h.sum.Cases++
		h.sum.Interactions += len(p.contacts)
		if p.c.Type == "complaint" {
			h.openComplaints = append(h.openComplaints, created.Reference)
		}
		if n%200 == 199 {
			h.progress()
		}
	}
	h.progress()
	return nil
}
