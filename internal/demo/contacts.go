package demo

import (
	"math"
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// contactPlan draws one case's contacts: the first on its channel (calls
// and chats queue, and some callers give up, a few within seconds), then
// the follow-ups its type needs until it is resolved.
type contactPlan struct {
	h        *history
	p        *planned
	load     float64 // the day's volume relative to an average day
	typ      string
	queue    string
	handler  int64 // who owns the case after the first contact (claims, complaints)
	last     time.Time
	answered bool // an agent has spoken or written to the customer
}

var dispositionMix = map[string]struct {
	codes   []string
	weights []int
}{
	"enquiry": {[]string{"information_given", "resolved_first_contact", "transferred", "callback_promised"},
		[]int{60, 30, 5, 5}},
	"service_request": {[]string{"resolved_first_contact", "payment_taken", "documents_requested", "callback_promised"},
		[]int{45, 20, 20, 15}},
	"claim": {[]string{"documents_requested", "information_given", "callback_promised", "transferred", "escalated"},
		[]int{35, 30, 25, 5, 5}},
	"complaint": {[]string{"complaint_logged", "information_given", "callback_promised", "escalated"},
		[]int{40, 25, 20, 15}},
}

func (ct *contactPlan) add(i *care.Interaction) {
	h := ct.h
	if i.AgentID != 0 && i.Disposition == "" {
		m := dispositionMix[ct.typ]
		i.Disposition = h.weighted(m.codes, m.weights)
	}
	for _, t := range []time.Time{i.OfferedAt, i.AnsweredAt, i.EndedAt, i.WrapUpEndedAt} {
		if t.After(ct.last) {
			ct.last = t
		}
	}
	i.OfferedAt, i.AnsweredAt, i.EndedAt, i.WrapUpEndedAt = utc(i.OfferedAt), utc(i.AnsweredAt), utc(i.EndedAt), utc(i.WrapUpEndedAt)
	ct.p.contacts = append(ct.p.contacts, i)
}

// utc returns t in UTC to the millisecond, as telephony reports it (and
// as the database keeps it, so KPI facts match what a rebuild reads).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

func (ct *contactPlan) exp(mean time.Duration) time.Duration {
	return time.Duration(ct.h.rng.ExpFloat64() * float64(mean))
}

// first draws the contact that opened the case, and the reply to a
// written one.
func (ct *contactPlan) first(at time.Time, ch, front, body string) {
	ct.queue = queueOf[front]
	switch ch {
	case "phone":
		if !ct.call(at, front, body) {
			// Gave up on the phone: wrote in instead, later that day.
			ct.written(at.Add(ct.exp(3*time.Hour)+10*time.Minute), "email", front, body)
		}
	case "chat":
		if !ct.chat(at, front, body) {
			ct.written(at.Add(ct.exp(2*time.Hour)+5*time.Minute), "email", front, body)
		}
	case "in_person":
		ans := at.Add(ct.exp(6 * time.Minute))
		end := ans.Add(logNormal(ct.h.rng, medianTalk[ct.typ]*2, 0.4))
		ct.add(&care.Interaction{Channel: ch, Direction: "inbound", OfferedAt: at, AnsweredAt: ans, EndedAt: end,
			WrapUpEndedAt: end.Add(time.Duration(30+ct.h.rng.IntN(120)) * time.Second), AgentID: ct.h.agent(front),
			Queue: ct.queue, Subject: ct.p.c.Subject, Body: body})
		ct.answered = true
	default:
		ct.written(at, ch, front, body)
	}
}

// call is an inbound call that queues; a caller who gives up tries again
// most of the time. It reports whether an agent answered.
func (ct *contactPlan) call(at time.Time, pool, body string) bool {
	h := ct.h
	for attempt := 0; attempt < 3; attempt++ {
		// Queues grow with the square of the day's load: seconds on a
		// quiet day, minutes on a storm day.
		wait := min(ct.exp(time.Duration(9*math.Pow(ct.load, 2)*float64(time.Second))), 25*time.Minute)
		patience := ct.exp(200 * time.Second)
		if h.rng.IntN(100) < 5 {
			patience = ct.exp(3 * time.Second) // dialled by mistake, or heard the queue message and hung up
		}
		i := &care.Interaction{Channel: "phone", Direction: "inbound", OfferedAt: at, Queue: ct.queue}
		if wait > patience {
			i.Abandoned, i.EndedAt = true, at.Add(patience)
			ct.add(i)
			if h.rng.IntN(100) >= 70 {
				return false
			}
			at = i.EndedAt.Add(time.Duration(2+h.rng.IntN(40)) * time.Minute)
			continue
		}
		i.AnsweredAt = at.Add(wait)
		i.EndedAt = i.AnsweredAt.Add(logNormal(h.rng, medianTalk[ct.typ], 0.5))
		i.WrapUpEndedAt = i.EndedAt.Add(time.Duration(20+h.rng.IntN(130)) * time.Second)
		i.AgentID = h.agent(pool)
		if len(ct.p.contacts) == 0 || !ct.answered {
			i.Subject, i.Body = ct.p.c.Subject, body
		} else {
			i.Body = h.pick(followUps)
		}
		ct.add(i)
		ct.answered = true
		return true
	}
	return false
}

// chat is a web chat: shorter queues, longer conversations.
func (ct *contactPlan) chat(at time.Time, pool, body string) bool {
	h := ct.h
	wait := ct.exp(time.Duration(20 * ct.load * ct.load * float64(time.Second)))
	patience := ct.exp(150 * time.Second)
	if h.rng.IntN(100) < 5 {
		patience = ct.exp(4 * time.Second)
	}
	i := &care.Interaction{Channel: "chat", Direction: "inbound", OfferedAt: at, Queue: ct.queue, Subject: ct.p.c.Subject, Body: body}
	if wait > patience {
		i.Abandoned, i.EndedAt = true, at.Add(patience)
		ct.add(i)
		return false
	}
	i.AnsweredAt = at.Add(wait)
	i.EndedAt = i.AnsweredAt.Add(logNormal(h.rng, 7*time.Minute, 0.5))
	i.WrapUpEndedAt = i.EndedAt.Add(time.Duration(15+h.rng.IntN(60)) * time.Second)
	i.AgentID = h.agent(pool)
	ct.add(i)
	ct.answered = true
	return true
}

// written is an email, web form, social message or letter, and the
// agent's reply some hours later, in working hours.
func (ct *contactPlan) written(at time.Time, ch, pool, body string) {
	h := ct.h
	ct.add(&care.Interaction{Channel: ch, Direction: "inbound", OfferedAt: at, Queue: ct.queue, Subject: ct.p.c.Subject, Body: body})
	median := 5 * time.Hour
	reply := ch
	switch ch {
	case "post":
		median = 3 * 24 * time.Hour
	case "web":
		reply = "email"
	case "social":
		median = 2 * time.Hour
	}
	t := ct.working(at.Add(logNormal(h.rng, median, 0.8)))
	ct.add(&care.Interaction{Channel: reply, Direction: "outbound", OfferedAt: t, AgentID: h.agent(pool), Queue: ct.queue,
		Body: h.pick(followUps)})
	ct.answered = true
}

// working moves t into staffed hours: 9:00–18:59 Monday to Saturday.
func (ct *contactPlan) working(t time.Time) time.Time {
	t = t.In(ct.h.sea.loc)
	for t.Weekday() == time.Sunday || t.Hour() >= 19 {
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 9, ct.h.rng.IntN(60), 0, 0, t.Location())
	}
	if t.Hour() < 9 {
		t = time.Date(t.Year(), t.Month(), t.Day(), 9, ct.h.rng.IntN(60), 0, 0, t.Location())
	}
	return t
}

// followUps draws the contacts after the first until the case is
// resolved, and returns when it is.
func (ct *contactPlan) followUps(owner string) time.Time {
	h := ct.h
	switch ct.typ {
	case "enquiry", "service_request":
		fcr := map[string]int{"enquiry": 74, "service_request": 55}[ct.typ]
		if ct.answered && h.rng.IntN(100) < fcr {
			return ct.last
		}
		for n := 1 + h.rng.IntN(2); n > 0; n-- {
			at := ct.working(ct.last.Add(logNormal(h.rng, 20*time.Hour, 0.9)))
			ct.outbound(at, h.agent(owner), h.weighted([]string{"phone", "email"}, []int{55, 45}))
		}
		return ct.last.Add(time.Duration(h.rng.IntN(4)) * time.Hour)
	case "claim":
		ct.handler = h.agent("claims")
		span := min(logNormal(h.rng, 12*24*time.Hour, 0.8), 150*24*time.Hour)
		ct.spread(span, 2+h.rng.IntN(7), []int{45, 20, 25, 10})
		return ct.working(ct.p.c.ReceivedAt.Add(span).Add(time.Hour))
	default: // complaint: acknowledged within a day or two, final response within eight weeks mostly
		ct.handler = h.agent("complaints")
		ct.outbound(ct.working(ct.last.Add(logNormal(h.rng, 20*time.Hour, 0.5))), ct.handler, "email")
		span := min(logNormal(h.rng, 18*24*time.Hour, 0.55), 75*24*time.Hour)
		ct.spread(span, 1+h.rng.IntN(4), []int{40, 25, 25, 10})
		final := ct.working(ct.p.c.ReceivedAt.Add(span))
		if final.Before(ct.last) {
			final = ct.working(ct.last.Add(2 * time.Hour))
		}
		ct.outbound(final, ct.handler, "email")
		return ct.last
	}
}

// spread draws n contacts over span after receipt: outbound calls,
// inbound calls (the customer chasing), outbound and inbound emails.
func (ct *contactPlan) spread(span time.Duration, n int, mix []int) {
	h := ct.h
	at := make([]time.Time, n)
	for k := range at {
		at[k] = ct.p.c.ReceivedAt.Add(time.Duration(h.rng.Float64() * float64(span)))
	}
	slices.SortFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	for _, t := range at {
		if t.Before(ct.last) {
			t = ct.last.Add(time.Duration(10+h.rng.IntN(600)) * time.Minute)
		}
		switch h.weighted([]string{"out_call", "in_call", "out_email", "in_email"}, mix) {
		case "out_call":
			ct.outbound(ct.working(t), ct.handler, "phone")
		case "in_call":
			ct.queue = queueOf[map[string]string{"claim": "claims", "complaint": "complaints"}[ct.typ]]
			ct.call(ct.working(t), map[string]string{"claim": "claims", "complaint": "complaints"}[ct.typ], "")
		case "out_email":
			ct.outbound(ct.working(t), ct.handler, "email")
		default:
			ct.add(&care.Interaction{Channel: "email", Direction: "inbound", OfferedAt: t, Queue: ct.queue, Body: h.pick(followUps)})
		}
	}
}

// outbound is a call or email from an agent; a fifth of calls go unanswered.
func (ct *contactPlan) outbound(at time.Time, agent int64, ch string) {
	h := ct.h
	i := &care.Interaction{Channel: ch, Direction: "outbound", OfferedAt: at, AgentID: agent, Queue: ct.queue, Body: h.pick(followUps)}
	if ch == "phone" {
		if h.rng.IntN(100) < 20 {
			i.EndedAt, i.Disposition = at.Add(time.Duration(20+h.rng.IntN(25))*time.Second), "callback_promised"
			i.Body = "No answer; left a voicemail asking the customer to call back."
		} else {
			i.AnsweredAt = at.Add(time.Duration(5+h.rng.IntN(20)) * time.Second)
			i.EndedAt = i.AnsweredAt.Add(logNormal(h.rng, medianTalk[ct.typ]*2/3, 0.5))
			i.WrapUpEndedAt = i.EndedAt.Add(time.Duration(20+h.rng.IntN(100)) * time.Second)
		}
	}
	ct.add(i)
	ct.answered = true
}
