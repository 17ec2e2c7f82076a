package demo

import (
	"math"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// planned is one generated case with its contacts and survey answers;
// open says it is not finished now (it goes through the service).
type planned struct {
	c        care.Case
	contacts []*care.Interaction
	surveys  []service.HistorySurvey
	open     bool
}

// The case mix at scale: complaints are a few per cent of cases, as at a
// UK insurer; storms triple the claims.
var (
	scaleTypeWeights = []int{52, 30, 15, 3}
	stormTypeWeights = []int{40, 22, 45, 3}
	// medianTalk is the median talk time of a call about each case type.
	medianTalk = map[string]time.Duration{"enquiry": 4 * time.Minute, "service_request": 6 * time.Minute,
		"claim": 13 * time.Minute, "complaint": 11 * time.Minute}
	queueOf = map[string]string{"motor": "motor_service", "home": "home_service", "general": "general_service",
		"fnol": "claims_fnol", "claims": "claims", "complaints": "complaints"}
)

// plan draws one case first contacted on day d.
func (h *history) plan(d int) *planned {
	storm := h.sea.stormy(d)
	weights := scaleTypeWeights
	if storm {
		weights = stormTypeWeights
	}
	typ := h.weighted(caseTypes, weights)
	cust := h.customers[int(float64(len(h.customers))*math.Pow(h.rng.Float64(), 1.4))] // some customers call often
	pol := cust.policies[h.rng.IntN(len(cust.policies))]
	if storm && typ == "claim" && h.rng.IntN(3) > 0 {
		for _, p := range cust.policies { // storm claims are home and motor claims
			if p.line == "home" || p.line == "motor" {
				pol = p
			}
		}
	}
	ch := h.weighted(channels, channelMix(float64(d)/float64(h.sea.days)))
	first := h.sea.at(h.rng, d, ch)
	if first.After(h.now) {
		first = h.now.Add(-time.Duration(1+h.rng.IntN(600)) * time.Second)
	}
	front := h.frontPool(typ, pol.line)
	owner := map[string]string{"claim": "claims", "complaint": "complaints"}[typ]
	if owner == "" {
		owner = front
	}
	p := &planned{c: care.Case{Type: typ, Channel: ch, Priority: h.weighted(priorities, prioWeights), CustomerID: cust.id,
		PolicyID: pol.id, TeamID: h.teamOf[owner], Regimes: regimeByType[typ], ReceivedAt: utc(first)}}
	if cust.vuln && p.c.Priority == "normal" || storm && typ == "claim" && h.rng.IntN(10) == 0 {
		p.c.Priority = "high"
	}
	subject, body := h.text(typ, &care.Policy{Number: policyNumber(pol)})
	p.c.Subject, p.c.Description = subject, body
	ct := contactPlan{h: h, p: p, load: h.sea.load(d), typ: typ}
	ct.first(first, ch, front, body)
	resolved := ct.followUps(owner)
	h.finish(p, resolved, ct.handler)
	return p
}

// policyNumber is a stable display number for a policy reference.
func policyNumber(p polRef) string { return "POL-" + itoa(p.id) }

func itoa(n int64) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b[i:])
}

// frontPool is the pool whose agents take a case's first contact.
func (h *history) frontPool(typ, line string) string {
	switch {
	case typ == "claim":
		return "fnol"
	case line == "motor":
		return "motor"
	case line == "home" || line == "pet":
		return "home"
	}
	return "general"
}

func (h *history) agent(pool string) int64 {
	ids := h.pools[pool]
	return ids[h.rng.IntN(len(ids))]
}

// finish sets the case's status, assignee and closing time, and draws its
// survey answers; a case not resolved by now stays open.
func (h *history) finish(p *planned, resolved time.Time, handler int64) {
	c := &p.c
	// Keep only what has happened by now.
	kept := p.contacts[:0]
	for _, i := range p.contacts {
		if !i.OfferedAt.After(h.now) && !i.EndedAt.After(h.now) && !i.WrapUpEndedAt.After(h.now) && !i.AnsweredAt.After(h.now) {
			kept = append(kept, i)
		}
	}
	p.contacts = kept
	c.AssigneeID = handler
	for _, i := range p.contacts {
		if i.AgentID != 0 && handler == 0 {
			c.AssigneeID = i.AgentID // whoever dealt with it last
		}
	}
	if resolved.After(h.now) || len(p.contacts) == 0 {
		p.open = true
		h.openStatus(p)
		return
	}
	c.Status, c.ClosedAt = "closed", utc(resolved)
	c.UpdatedAt = c.ClosedAt
	if h.now.Sub(resolved) < 10*24*time.Hour {
		c.Status = "resolved" // closed after a quiet period
	}
	h.surveys(p, resolved)
}

// openStatus sets a still-open case's status: new (nobody has taken it) or
// in progress, waiting on the customer or a third party.
func (h *history) openStatus(p *planned) {
	c := &p.c
	if len(p.contacts) == 0 {
		// Its first contact lies in the future: make it arrive a moment ago.
		at := utc(h.now.Add(-time.Duration(1+h.rng.IntN(3600)) * time.Second))
		c.ReceivedAt = at
		p.contacts = []*care.Interaction{{Channel: c.Channel, Direction: "inbound", OfferedAt: at, Subject: c.Subject,
			Body: c.Description, Queue: queueOf[h.frontPool(c.Type, "")]}}
	}
	answered := false
	for _, i := range p.contacts {
		answered = answered || i.AgentID != 0
	}
	switch {
	case !answered && c.Type != "claim" && c.Type != "complaint":
		c.Status, c.AssigneeID = "new", 0
	case c.Type == "claim":
		c.Status = h.weighted([]string{"open", "waiting_customer", "waiting_third_party"}, []int{50, 20, 30})
	default:
		c.Status = h.weighted([]string{"open", "waiting_customer"}, []int{75, 25})
	}
}

// surveys: about one resolved case in seven gets an answer, about the
// last contact an agent had; CSAT always, NPS and CES often. Complaints,
// abandoned calls and long waits pull scores down.
func (h *history) surveys(p *planned, resolved time.Time) {
	if h.rng.IntN(100) >= 14 {
		return
	}
	last := -1
	penalty := 0.0
	for k, i := range p.contacts {
		if i.AgentID != 0 {
			last = k
		}
		if i.Abandoned {
			penalty += 0.5
		}
		if !i.AnsweredAt.IsZero() && i.AnsweredAt.Sub(i.OfferedAt) > 3*time.Minute {
			penalty += 0.4
		}
	}
	if last < 0 {
		return
	}
	if p.c.Type == "complaint" {
		penalty += 1.5
	}
	if resolved.Sub(p.c.ReceivedAt) > 21*24*time.Hour {
		penalty += 0.5
	}
	at := resolved.Add(logNormal(h.rng, 5*time.Hour, 1))
	if at.After(h.now) {
		return
	}
	add := func(kind string, score int) {
		p.surveys = append(p.surveys, service.HistorySurvey{Contact: last, Kind: kind, Score: score, At: utc(at)})
	}
	add("csat", h.score([]int{8, 6, 10, 28, 48}, 1, penalty))
	if h.rng.IntN(100) < 60 {
		add("nps", h.score([]int{4, 2, 3, 3, 4, 7, 8, 12, 17, 20, 20}, 0, penalty))
	}
	if h.rng.IntN(100) < 40 {
		add("ces", h.score([]int{4, 4, 7, 10, 17, 28, 30}, 1, penalty))
	}
}

// score draws from a distribution over the scale (lowest first), moved
// down by about penalty points.
func (h *history) score(weights []int, lowest int, penalty float64) int {
	k := 0
	r := h.rng.IntN(sum(weights))
	for ; k < len(weights)-1 && r >= weights[k]; k++ {
		r -= weights[k]
	}
	drop := int(penalty)
	if h.rng.Float64() < penalty-float64(drop) {
		drop++
	}
	return lowest + max(k-drop*len(weights)/5, 0)
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
