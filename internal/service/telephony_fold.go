package service

import (
	"context"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// startCall links a call's first event to a case and creates its
// interaction.
func (s *Service) startCall(ctx context.Context, tx *store.Tx, ev *TelephonyEvent, row *store.TelephonyEvent, res *TelephonyResult) error {
	i := foldContact([]*store.TelephonyEvent{row}, ev.channel())
	if err := contactValid(i, tx.Now()); err != nil {
		return err
	}
	// createInteraction refuses a deactivated agent, as a new log entry
	// should; a call they took before leaving still names them.
	agent := i.AgentID
	if agent != 0 {
		if u, err := tx.FindUserByID(ctx, agent); err == nil && !u.Active {
			i.AgentID = 0
		}
	}
	c, created, err := s.caseForCall(ctx, tx, ev, row.CustomerID, i)
	if err != nil {
		return err
	}
	if !created { // a new case stored the call as its first interaction
		i.CaseID = c.ID
		if err := createInteraction(ctx, tx, i); err != nil {
			return err
		}
	}
	if i.AgentID != agent {
		i.AgentID = agent
		if err := tx.UpdateInteractionContact(ctx, i); err != nil {
			return err
		}
	}
	if err := tx.CreateTelephonyCall(ctx, &store.TelephonyCall{CallID: ev.CallID, Channel: i.Channel,
		InteractionID: i.ID, CaseID: c.ID, CaseCreated: created}); err != nil {
		return err
	}
	if !created {
		// As CreateInteraction does: a caller's contact reopens a case waiting
		// on them and starts the next-response clock.
		if err := s.clocksAfterContact(ctx, tx, c, i); err != nil {
			return err
		}
	}
	res.Case, res.Interaction = c, i
	return nil
}

// caseForCall finds the case a new call belongs to, or opens one; it
// reports whether it opened it.
func (s *Service) caseForCall(ctx context.Context, tx *store.Tx, ev *TelephonyEvent, customerID int64, call *care.Interaction) (*care.Case, bool, error) {
	if ev.Case != "" {
		c, err := findCase(ctx, tx, ev.Case)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return nil, false, care.Invalid("case", "no case %s", ev.Case)
		}
		return c, false, err
	}
	if customerID != 0 {
		open, _, err := tx.FindCases(ctx, care.CaseFilter{CustomerID: customerID, Open: true, Limit: 1})
		if err != nil {
			return nil, false, err
		}
		if len(open) > 0 {
			return open[0], false, nil
		}
	}
	c, err := s.openContactCase(ctx, tx, ev, customerID, call)
	return c, err == nil, err
}

// openContactCase opens an enquiry for a call no case covers. It does, in
// the caller's transaction, what CreateCase does: mask, validate, store,
// audit, start the clocks and emit case.created.
func (s *Service) openContactCase(ctx context.Context, tx *store.Tx, ev *TelephonyEvent, customerID int64, call *care.Interaction) (*care.Case, error) {
	at := call.OfferedAt
	what := "Phone call"
	if ev.channel() == "chat" {
		what = "Chat"
	}
	if ev.Direction == "outbound" {
		what = "Outbound " + strings.ToLower(what)
	}
	from := "an unknown caller"
	switch {
	case ev.CallerPhone != "":
		from = ev.CallerPhone
	case ev.CallerEmail != "":
		from = ev.CallerEmail
	case customerID != 0:
		from = "a known customer"
	}
	c := care.Case{Type: "enquiry", Channel: ev.channel(), CustomerID: customerID, ReceivedAt: at,
		Subject: what + " from " + from}
	c.Normalize()
	c.Subject = s.mask(c.Subject)
	c.Regimes = s.cfg.DefaultRegimes[c.Type]
	if err := c.Validate(tx.Now()); err != nil {
		return nil, prefixFields(err, "case.")
	}
	return &c, s.openCase(ctx, tx, &c, call, "telephony:"+ev.CallID)
}

// updateCall recomputes a known call's interaction from all its events and
// writes what changed.
func (s *Service) updateCall(ctx context.Context, tx *store.Tx, call *store.TelephonyCall, row *store.TelephonyEvent, res *TelephonyResult) error {
	cur, err := tx.FindInteractionByID(ctx, call.InteractionID)
	if err != nil {
		return err
	}
	c, err := tx.FindCaseByID(ctx, call.CaseID)
	if err != nil {
		return err
	}
	if row.CustomerID != 0 && call.CaseCreated && c.CustomerID == 0 {
		// The first event did not identify the caller and this one does.
		if ok, err := tx.SetCaseCustomer(ctx, c.ID, row.CustomerID); err != nil {
			return err
		} else if ok {
			if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"customer_id": [2]int64{0, row.CustomerID},
				"reason": "caller identified", "call_id": call.CallID}); err != nil {
				return err
			}
			if c, err = tx.FindCaseByID(ctx, c.ID); err != nil {
				return err
			}
			if err := emitCaseUpdated(ctx, tx, c, changes{"customer_id": {int64(0), row.CustomerID}}); err != nil {
				return err
			}
		}
	}
	events, err := tx.FindTelephonyEvents(ctx, call.CallID)
	if err != nil {
		return err
	}
	next := foldContact(events, call.Channel)
	next.ID, next.CaseID, next.Subject, next.ExternalID, next.CreatedAt = cur.ID, cur.CaseID, cur.Subject, cur.ExternalID, cur.CreatedAt
	if err := contactValid(next, tx.Now()); err != nil {
		return err
	}
	res.Case, res.Interaction = c, next
	ch := contactChanges(cur, next)
	if len(ch) == 0 {
		return nil
	}
	if err := tx.UpdateInteractionContact(ctx, next); err != nil {
		return err
	}
	if err := audit(ctx, tx, "update", "interaction", next.ID, ch); err != nil {
		return err
	}
	if err := kpiInteraction(ctx, tx, next.ID); err != nil { // KPI rollups, in the transaction of the change
		return err
	}
	return emitInteraction(ctx, tx, "interaction.updated", next)
}

// foldContact computes a call's interaction from its events, sorted by
// time: offered is the earliest offered/started/queued (or, until one
// arrives, the earliest event), answered the earliest answer, ended the
// latest end or abandonment, wrap-up the latest wrap-up end; the queue is
// the first named (service level counts against the queue the contact
// entered), the agent the last named (who handled it last); abandoned holds
// only while nobody answered. The result depends only on the set of events.
func foldContact(events []*store.TelephonyEvent, channel string) *care.Interaction {
	i := &care.Interaction{Channel: channel, ExternalID: events[0].CallID}
	var first, abandoned time.Time
	earliest := func(t *time.Time, at time.Time) {
		if t.IsZero() || at.Before(*t) {
			*t = at
		}
	}
	latest := func(t *time.Time, at time.Time) {
		if at.After(*t) {
			*t = at
		}
	}
	for _, e := range events {
		earliest(&first, e.At)
		switch stage := e.Type[strings.IndexByte(e.Type, '.')+1:]; stage {
		case "offered", "started", "queued":
			earliest(&i.OfferedAt, e.At)
		case "answered":
			earliest(&i.AnsweredAt, e.At)
		case "abandoned":
			latest(&i.EndedAt, e.At)
			abandoned = e.At
		case "ended":
			latest(&i.EndedAt, e.At)
		case "wrap_up_ended":
			latest(&i.WrapUpEndedAt, e.At)
		}
		if i.Queue == "" {
			i.Queue = e.Queue
		}
		if i.Direction == "" {
			i.Direction = e.Direction
		}
		if e.AgentID != 0 {
			i.AgentID = e.AgentID
		}
		if e.Disposition != "" {
			i.Disposition = e.Disposition
		}
		if e.Transcript != "" {
			i.Body = e.Transcript
		}
	}
	if i.OfferedAt.IsZero() {
		i.OfferedAt = first
	}
	if i.Direction == "" {
		i.Direction = "inbound"
	}
	i.Abandoned = !abandoned.IsZero() && i.AnsweredAt.IsZero()
	return i
}

// contactValid checks a folded interaction; a time out of order is blamed
// on the event's "at", since that is what the sender can correct.
func contactValid(i *care.Interaction, now time.Time) error {
	err := i.Validate(now)
	fields := care.ErrorFields(err)
	if fields == nil {
		return err
	}
	var p care.Problems
	for _, f := range fields {
		p.Add("at", "conflicts with the call's other events: %s %s", f.Field, f.Message)
	}
	return p.Err()
}

// contactChanges lists the fields an event changed, for the audit trail.
func contactChanges(a, b *care.Interaction) changes {
	ch := changes{}
	t := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.Format(time.RFC3339Nano)
	}
	ch.note("offered_at", t(a.OfferedAt), t(b.OfferedAt))
	ch.note("answered_at", t(a.AnsweredAt), t(b.AnsweredAt))
	ch.note("ended_at", t(a.EndedAt), t(b.EndedAt))
	ch.note("wrap_up_ended_at", t(a.WrapUpEndedAt), t(b.WrapUpEndedAt))
	ch.note("abandoned", a.Abandoned, b.Abandoned)
	ch.note("agent_id", a.AgentID, b.AgentID)
	ch.note("queue", a.Queue, b.Queue)
	ch.note("direction", a.Direction, b.Direction)
	ch.note("disposition", a.Disposition, b.Disposition)
	if a.Body != b.Body {
		ch["body"] = [2]any{len(a.Body), len(b.Body)} // lengths only: the text stays out of the trail
	}
	return ch
}
