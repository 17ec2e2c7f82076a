package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// WebhookEventTypes are the events a webhook may subscribe to ("*" takes
// them all). Each is emitted inside the transaction of the change it
// reports, so a delivery exists exactly when the change was committed.
var WebhookEventTypes = []string{
	"case.created",          // a case was opened (any channel)
	"case.updated",          // status, priority, team, assignee, subject or type changed
	"case.escalated",        // a breach moved the case up a review tier
	"complaint.closed",      // a complaint was resolved or closed
	"complaint.letter_sent", // a complaint letter was emailed or marked for post (a print house subscribes to the latter)
	"clock.warning",         // a deadline passed its warning point
	"clock.breached",        // a deadline passed unmet
	"interaction.created",   // a contact or note was logged
	"interaction.updated",   // a contact-centre event changed a call's or chat's interaction
	"claim.stage_changed",   // a claim was opened or moved stage (an SMS gateway subscribes: the payload has the message and phone)
	"policy.status_changed", // a policy moved along its lifecycle (renewed, lapsed, cancelled, in force); see policies_lifecycle.go
}

// event is the envelope every webhook receives.
type event struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	CreatedAt string `json:"created_at"`
	Data      any    `json:"data"`
}

// emit queues the event for every webhook subscribed to its type, inside
// tx: when the transaction rolls back, nothing is sent. data must carry no
// secret and as little personal data as the receiver needs.
func emit(ctx context.Context, tx *store.Tx, eventType string, data any) error {
	hooks, err := tx.FindWebhooks(ctx)
	if err != nil || len(hooks) == 0 {
		return err
	}
	ev := event{ID: newEventID(), Type: eventType, CreatedAt: tx.Now().Format(time.RFC3339Nano), Data: data}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		if !h.Wants(eventType) {
			continue
		}
		d := &store.WebhookDelivery{WebhookID: h.ID, EventID: ev.ID, EventType: eventType, Payload: string(body)}
		if err := tx.EnqueueDelivery(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

func newEventID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "evt_" + hex.EncodeToString(b)
}

// stamp formats a time for an event payload; nil when unset.
func stamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// caseData is a case in an event payload: identifiers and state, not the
// customer's details or the description (receivers read those through the
// API, where the read is audited).
func caseData(c *care.Case) map[string]any {
	return map[string]any{"id": c.ID, "reference": c.Reference, "type": c.Type, "channel": c.Channel,
		"status": c.Status, "priority": c.Priority, "tier": c.Tier, "customer_id": c.CustomerID,
		"team_id": c.TeamID, "assignee_id": c.AssigneeID, "subject": c.Subject, "regimes": c.Regimes,
		"received_at": stamp(c.ReceivedAt), "updated_at": stamp(c.UpdatedAt), "closed_at": stamp(c.ClosedAt),
		"version": c.Version}
}

// emitCaseCreated reports a new case.
func emitCaseCreated(ctx context.Context, tx *store.Tx, c *care.Case) error {
	return emit(ctx, tx, "case.created", map[string]any{"case": caseData(c)})
}

// emitCaseUpdated reports a case update with its before/after changes, and
// a complaint's closure as complaint.closed too.
func emitCaseUpdated(ctx context.Context, tx *store.Tx, c *care.Case, ch changes) error {
	fields := map[string]any{}
	for k, v := range ch {
		fields[k] = map[string]any{"from": v[0], "to": v[1]}
	}
	if err := emit(ctx, tx, "case.updated", map[string]any{"case": caseData(c), "changes": fields}); err != nil {
		return err
	}
	if st, ok := ch["status"]; ok && c.Type == "complaint" && care.IsClosedStatus(c.Status) &&
		!care.IsClosedStatus(st[0].(string)) {
		return emit(ctx, tx, "complaint.closed", map[string]any{"case": caseData(c)})
	}
	return nil
}

// emitClockChange reports a clock's warning or breach.
func emitClockChange(ctx context.Context, tx *store.Tx, c *care.Case, k *care.Clock) error {
	var t string
	switch k.State {
	case care.ClockWarning:
		t = "clock.warning"
	case care.ClockBreached:
		t = "clock.breached"
	default:
		return nil
	}
	return emit(ctx, tx, t, map[string]any{"case": caseData(c), "clock": map[string]any{"id": k.ID,
		"regime": k.Regime, "name": k.Name, "occurrence": k.Occurrence, "state": k.State, "due_at": stamp(k.DueAt),
		"warn_at": stamp(k.WarnAt), "breached_at": stamp(k.BreachedAt), "on_breach": k.Rule.OnBreach}})
}

// emitEscalated reports a move up the review tiers.
func emitEscalated(ctx context.Context, tx *store.Tx, c *care.Case, from, reason string) error {
	return emit(ctx, tx, "case.escalated", map[string]any{"case": caseData(c), "from_tier": from,
		"to_tier": c.Tier, "reason": reason})
}

// interactionData is an interaction in an event payload, without its body.
func interactionData(i *care.Interaction) map[string]any {
	return map[string]any{"id": i.ID, "case_id": i.CaseID, "channel": i.Channel, "direction": i.Direction,
		"agent_id": i.AgentID, "queue": i.Queue, "disposition": i.Disposition, "offered_at": stamp(i.OfferedAt),
		"answered_at": stamp(i.AnsweredAt), "ended_at": stamp(i.EndedAt), "wrap_up_ended_at": stamp(i.WrapUpEndedAt),
		"abandoned": i.Abandoned, "external_id": i.ExternalID}
}

// emitInteraction reports a new or changed interaction
// ("interaction.created" or "interaction.updated").
func emitInteraction(ctx context.Context, tx *store.Tx, eventType string, i *care.Interaction) error {
	return emit(ctx, tx, eventType, map[string]any{"interaction": interactionData(i)})
}
