package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// TelephonyEventTypes are the contact-centre events RecordTelephonyEvent
// accepts: "call.*" events build a phone interaction, "chat.*" events a chat
// interaction. chat.started is a chat's offered.
var TelephonyEventTypes = []string{
	"call.offered", "call.queued", "call.answered", "call.transferred", "call.abandoned", "call.ended", "call.wrap_up_ended",
	"chat.started", "chat.offered", "chat.queued", "chat.answered", "chat.transferred", "chat.abandoned", "chat.ended",
	"chat.wrap_up_ended",
}

// TelephonyEvent is one event from a telephony or CCaaS platform. CallID
// names the call (or chat session); every event of one call builds up one
// interaction whose ExternalID is the CallID.
type TelephonyEvent struct {
	EventID     string    // the source's unique id: an event delivered twice counts once
	Type        string    // TelephonyEventTypes
	CallID      string    // the call or chat session
	At          time.Time // when it happened, to the microsecond
	Queue       string
	AgentID     int64  // the agent, by caredesk user id …
	AgentEmail  string // … or by email
	CallerPhone string // the caller's identity, to find the customer
	CallerEmail string
	CustomerID  int64
	Case        string // optional: link the call to this case (id or reference)
	Direction   string // inbound (default) or outbound
	Disposition string
	Transcript  string // redacted before it is stored
}

// TelephonyResult is what recording an event did.
type TelephonyResult struct {
	Duplicate   bool // the event id was already recorded; nothing changed
	Case        *care.Case
	Interaction *care.Interaction
}

func (e *TelephonyEvent) normalize() {
	for _, p := range []*string{&e.EventID, &e.Type, &e.CallID, &e.Queue, &e.CallerEmail, &e.Case, &e.Direction, &e.Disposition} {
		*p = strings.TrimSpace(*p)
	}
	e.Type = strings.ToLower(e.Type)
	e.AgentEmail = strings.ToLower(strings.TrimSpace(e.AgentEmail))
	e.CallerEmail = strings.ToLower(e.CallerEmail)
	e.CallerPhone = care.NormalizePhone(e.CallerPhone)
	e.At = e.At.UTC().Truncate(time.Microsecond)
}

func (e *TelephonyEvent) validate(now time.Time) error {
	var p care.Problems
	p.Required("event_id", e.EventID)
	p.MaxLen("event_id", e.EventID, 200)
	p.Required("type", e.Type)
	if e.Type != "" && !slices.Contains(TelephonyEventTypes, e.Type) {
		p.Add("type", "must be one of: %s", strings.Join(TelephonyEventTypes, ", "))
	}
	p.Required("call_id", e.CallID)
	p.MaxLen("call_id", e.CallID, 200)
	switch {
	case e.At.IsZero():
		p.Add("at", "is required (an RFC 3339 time such as 2026-11-21T09:30:00.250Z)")
	case e.At.After(now.Add(5 * time.Minute)):
		p.Add("at", "must not be in the future")
	case e.At.Before(now.AddDate(-10, 0, 0)):
		p.Add("at", "must be within the last ten years")
	}
	p.MaxLen("queue", e.Queue, 100)
	if e.Direction != "" && e.Direction != "inbound" && e.Direction != "outbound" {
		p.Add("direction", "must be inbound or outbound")
	}
	if e.AgentID < 0 {
		p.Add("agent_id", "must be a user id")
	}
	if e.AgentID != 0 && e.AgentEmail != "" {
		p.Add("agent_email", "give the agent by agent_id or by agent_email, not both")
	}
	if e.CustomerID < 0 {
		p.Add("customer_id", "must be a customer id")
	}
	p.MaxLen("transcript", e.Transcript, 1_000_000)
	return p.Err()
}

// channel is the interaction channel of the event's type.
func (e *TelephonyEvent) channel() string {
	if strings.HasPrefix(e.Type, "chat.") {
		return "chat"
	}
	return "phone"
}

// RecordTelephonyEvent records one contact-centre event and folds it into
// its call's interaction, in one transaction. The first event of a call
// links it to a case: the one named by Case, else the identified caller's
// most recent open case, else a new enquiry (for the customer, or for an
// unknown caller without one). Each later event recomputes the interaction
// from every event of the call, so the order of arrival does not matter.
func (s *Service) RecordTelephonyEvent(ctx context.Context, ev TelephonyEvent) (*TelephonyResult, error) {
	return s.recordTelephony(ctx, []TelephonyEvent{ev}, "api")
}

// recordTelephony records events of one call in one transaction. A
// concurrent first event of the same call makes the interaction's insert
// conflict; the transaction is then run again and finds the call.
func (s *Service) recordTelephony(ctx context.Context, evs []TelephonyEvent, source string) (*TelephonyResult, error) {
	a := care.ActorFromContext(ctx)
	if err := a.Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	if err := a.Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	now := s.Now()
	for i := range evs {
		evs[i].normalize()
		evs[i].Transcript = s.mask(evs[i].Transcript)
		if err := evs[i].validate(now); err != nil {
			return nil, err
		}
	}
	var res *TelephonyResult
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.store.Write(ctx, func(tx *store.Tx) error {
			res = &TelephonyResult{Duplicate: true}
			for i := range evs {
				if err := s.recordEvent(ctx, tx, &evs[i], source, res); err != nil {
					return err
				}
			}
			return nil
		})
		if care.ErrorCode(err) != care.ECONFLICT {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// recordEvent stores one event and brings its call's interaction up to
// date, inside tx; res collects the outcome.
func (s *Service) recordEvent(ctx context.Context, tx *store.Tx, ev *TelephonyEvent, source string, res *TelephonyResult) error {
	row, err := resolveEvent(ctx, tx, ev, source)
	if err != nil {
		return err
	}
	inserted, err := tx.InsertTelephonyEvent(ctx, row)
	if err != nil {
		return err
	}
	if !inserted {
		// Delivered before: answer with the call as it stands, change nothing.
		callID, err := tx.TelephonyEventCallID(ctx, ev.EventID)
		if err != nil {
			return err
		}
		return loadCall(ctx, tx, callID, res)
	}
	res.Duplicate = false
	if err := tx.LockTelephonyCall(ctx, ev.CallID); err != nil {
		return err
	}
	// Read after the lock: READ COMMITTED then sees every event committed
	// by a transaction that held it before.
	call, err := tx.FindTelephonyCall(ctx, ev.CallID)
	if err != nil {
		return err
	}
	if call == nil {
		return s.startCall(ctx, tx, ev, row, res)
	}
	if call.Channel != ev.channel() {
		return care.Invalid("type", "call %s is a %s contact; a %s event cannot join it", ev.CallID, call.Channel, ev.Type)
	}
	return s.updateCall(ctx, tx, call, row, res)
}

// resolveEvent checks the event's references (agent, customer, disposition)
// and turns it into the row to store.
func resolveEvent(ctx context.Context, tx *store.Tx, ev *TelephonyEvent, source string) (*store.TelephonyEvent, error) {
	var p care.Problems
	row := &store.TelephonyEvent{EventID: ev.EventID, CallID: ev.CallID, Type: ev.Type, At: ev.At, Queue: ev.Queue,
		AgentID: ev.AgentID, Direction: ev.Direction, Disposition: ev.Disposition, Transcript: ev.Transcript, Source: source}
	if ev.AgentEmail != "" {
		u, err := tx.FindUserByEmail(ctx, ev.AgentEmail)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			p.Add("agent_email", "no user %s", ev.AgentEmail)
		case err != nil:
			return nil, err
		default:
			row.AgentID = u.ID
		}
	} else if ev.AgentID != 0 {
		// A deactivated agent is accepted: the call happened, and a CDR
		// file of last year names people who have left since.
		if _, err := tx.FindUserByID(ctx, ev.AgentID); care.ErrorCode(err) == care.ENOTFOUND {
			p.Add("agent_id", "no user %d", ev.AgentID)
		} else if err != nil {
			return nil, err
		}
	}
	if ev.Disposition != "" {
		d, err := tx.FindDispositionCode(ctx, ev.Disposition)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			p.Add("disposition", "no disposition code %q", ev.Disposition)
		case err != nil:
			return nil, err
		case !d.Active:
			p.Add("disposition", "disposition code %q is retired", ev.Disposition)
		}
	}
	customer, err := identifyCaller(ctx, tx, ev, &p)
	if err != nil {
		return nil, err
	}
	row.CustomerID = customer
	return row, p.Err()
}

// identifyCaller finds the customer an event names: by customer_id, else by
// the caller's phone number, else by email. A number or address that
// several customers share identifies nobody, rather than the wrong person.
func identifyCaller(ctx context.Context, tx *store.Tx, ev *TelephonyEvent, p *care.Problems) (int64, error) {
	if ev.CustomerID != 0 {
		if _, err := tx.FindCustomerByID(ctx, ev.CustomerID); care.ErrorCode(err) == care.ENOTFOUND {
			p.Add("customer_id", "no customer %d", ev.CustomerID)
			return 0, nil
		} else if err != nil {
			return 0, err
		}
		return ev.CustomerID, nil
	}
	for _, f := range []care.CustomerFilter{{Phone: ev.CallerPhone}, {Email: ev.CallerEmail}} {
		if f.Phone == "" && f.Email == "" {
			continue
		}
		f.Limit = 2
		found, _, err := tx.FindCustomers(ctx, f)
		if err != nil {
			return 0, err
		}
		if len(found) == 1 {
			return found[0].ID, nil
		}
	}
	return 0, nil
}

// loadCall fills res with a call's case and interaction.
func loadCall(ctx context.Context, tx *store.Tx, callID string, res *TelephonyResult) error {
	call, err := tx.FindTelephonyCall(ctx, callID)
	if err != nil || call == nil {
		return err
	}
	if res.Interaction, err = tx.FindInteractionByID(ctx, call.InteractionID); err != nil {
		return err
	}
	res.Case, err = tx.FindCaseByID(ctx, call.CaseID)
	return err
}
