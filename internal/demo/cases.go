package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

var (
	caseTypes    = []string{"enquiry", "service_request", "claim", "complaint"}
	caseWeights  = []int{48, 26, 16, 10}
	channels     = []string{"phone", "email", "chat", "web", "post", "in_person", "social"}
	chanWeights  = []int{44, 30, 12, 8, 3, 1, 2}
	priorities   = []string{"low", "normal", "high", "urgent"}
	prioWeights  = []int{15, 65, 15, 5}
	teamForType  = map[string]string{"enquiry": "Contact Centre", "service_request": "Contact Centre", "claim": "Claims", "complaint": "Complaints"}
	roleForType  = map[string]string{"enquiry": "agent", "service_request": "agent", "claim": "claims_handler", "complaint": "complaints_handler"}
	regimeByType = map[string][]string{"complaint": {"uk-fca", "iso10002"}}
)

func (g *gen) caseWithContacts(ctx context.Context, svc *service.Service, cust *care.Customer, pol *care.Policy, sum *Summary) error {
	typ := g.weighted(caseTypes, caseWeights)
	ch := g.weighted(channels, chanWeights)
	// Seasonality: more contacts in winter (storms, renewals) and on weekdays.
	received := g.receivedAt()
	age := g.now.Sub(received)
	status := "closed"
	switch {
	case age < 3*24*time.Hour:
		status = g.weighted([]string{"new", "open", "waiting_customer"}, []int{50, 40, 10})
	case age < 21*24*time.Hour:
		status = g.weighted([]string{"open", "waiting_customer", "waiting_third_party", "resolved", "closed"}, []int{30, 15, 10, 15, 30})
	case age < 60*24*time.Hour && typ == "complaint":
		status = g.weighted([]string{"open", "closed"}, []int{25, 75})
	}
	subject, body := g.text(typ, pol)
	c := &care.Case{Type: typ, Channel: ch, Status: status, Priority: g.weighted(priorities, prioWeights),
		CustomerID: cust.ID, PolicyID: pol.ID, TeamID: g.teams[teamForType[typ]], Subject: subject,
		Description: body, Regimes: regimeByType[typ], ReceivedAt: received}
	if cust.Vulnerable && c.Priority == "normal" {
		c.Priority = "high"
	}
	if status != "new" {
		staff := g.staff[roleForType[typ]]
		c.AssigneeID = staff[g.rng.IntN(len(staff))]
	}
	contacts := g.contacts(c, body)
	created, err := svc.CreateCase(ctx, service.NewCase{Case: *c, First: contacts[0]})
	if err != nil {
		return err
	}
	sum.Cases++
	sum.Interactions++
	if typ == "complaint" && !care.IsClosedStatus(status) {
		g.openComplaints = append(g.openComplaints, created.Reference)
	}
	for _, i := range contacts[1:] {
		if _, err := svc.CreateInteraction(ctx, created.Reference, i); err != nil {
			return err
		}
		sum.Interactions++
	}
	return nil
}

// receivedAt draws a time in the last Months months, in office hours mostly,
// weighted towards winter months and weekdays.
func (g *gen) receivedAt() time.Time {
	span := time.Duration(g.opts.Months) * 30 * 24 * time.Hour
	for {
		t := g.now.Add(-time.Duration(g.rng.Int64N(int64(span))))
		winter := t.Month() <= 2 || t.Month() >= 11
		weekend := t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
		keep := 70
		if winter {
			keep += 30
		}
		if weekend {
			keep -= 55
		}
		if g.rng.IntN(100) < keep {
			day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			tod := time.Duration(8*3600+g.rng.IntN(10*3600)) * time.Second
			if r := day.Add(tod); r.Before(g.now) {
				return r
			}
		}
	}
}

// contacts draws a case's contact history: the first contact that opened
// it, then follow-ups in both directions.
func (g *gen) contacts(c *care.Case, body string) []*care.Interaction {
	g.seq++
	var out []*care.Interaction
	at := c.ReceivedAt
	agents := g.staff[roleForType[c.Type]]
	n := 1 + g.rng.IntN(3)
	if care.IsClosedStatus(c.Status) && g.rng.IntN(100) < 70 {
		n = 1 // most closed cases were resolved at first contact
	}
	for k := 0; k < n && (k == 0 || at.Before(g.now)); k++ {
		i := &care.Interaction{Channel: c.Channel, Direction: "inbound", OfferedAt: at, Queue: c.Type}
		if k == 0 {
			i.Subject, i.Body = c.Subject, body
		} else {
			i.Direction = g.weighted([]string{"inbound", "outbound"}, []int{40, 60})
			i.Body = g.pick(followUps)
		}
		if i.Channel == "phone" || i.Channel == "chat" {
			g.timings(i, agents)
		} else if c.AssigneeID != 0 {
			i.AgentID = c.AssigneeID
		}
		if i.AgentID != 0 {
			i.Disposition = g.pick(dispositionCodes)
		}
		i.ExternalID = fmt.Sprintf("demo-%d-%d-%d", g.opts.Seed, g.seq, k)
		out = append(out, i)
		at = at.Add(time.Duration(6+g.rng.IntN(72)) * time.Hour)
	}
	return out
}

// timings fills a call's or chat's queue, talk and wrap-up times; about one
// contact in fourteen is abandoned, a few of those within five seconds.
func (g *gen) timings(i *care.Interaction, agents []int64) {
	wait := time.Duration(g.rng.ExpFloat64()*28*float64(time.Second)) + time.Second
	if g.rng.IntN(100) < 7 {
		i.Abandoned, i.EndedAt = true, i.OfferedAt.Add(wait)
		return
	}
	i.AnsweredAt = i.OfferedAt.Add(wait)
	talk := time.Duration(120+g.rng.IntN(540)) * time.Second
	i.EndedAt = i.AnsweredAt.Add(talk)
	i.WrapUpEndedAt = i.EndedAt.Add(time.Duration(20+g.rng.IntN(90)) * time.Second)
	i.AgentID = agents[g.rng.IntN(len(agents))]
}

func (g *gen) text(typ string, p *care.Policy) (string, string) {
	ts := templates[typ]
	t := ts[g.rng.IntN(len(ts))]
	return fmt.Sprintf(t[0], p.Number), fmt.Sprintf(t[1], p.Number)
}
