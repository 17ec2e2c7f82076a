package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// TelephonyEvent is one accepted contact-centre event (see
// service.RecordTelephonyEvent). Transcript is stored already redacted.
type TelephonyEvent struct {
	EventID     string
	CallID      string
	Type        string // "call.answered", "chat.ended", …
	At          time.Time
	Queue       string
	AgentID     int64
	Direction   string
	Disposition string
	Transcript  string
	CustomerID  int64 // the caller, when the event identified one
	Source      string
	RecordedAt  time.Time
}

// InsertTelephonyEvent stores e unless an event with its id is already
// stored, and reports whether it was new. ON CONFLICT DO NOTHING makes a
// concurrent duplicate a no-op rather than an error on both databases.
func (tx *Tx) InsertTelephonyEvent(ctx context.Context, e *TelephonyEvent) (bool, error) {
	e.RecordedAt = tx.now
	res, err := tx.exec(ctx, `INSERT INTO telephony_events (event_id, call_id, type, at, queue, agent_id, direction,
		disposition, transcript, customer_id, source, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (event_id) DO NOTHING`,
		e.EventID, e.CallID, e.Type, micros(e.At), e.Queue, nullID(e.AgentID), e.Direction, e.Disposition,
		e.Transcript, nullID(e.CustomerID), e.Source, micros(tx.now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FindTelephonyEvents returns a call's events in the order they happened
// (ties broken by event id, so every replay folds them the same way).
func (tx *Tx) FindTelephonyEvents(ctx context.Context, callID string) ([]*TelephonyEvent, error) {
	rows, err := tx.query(ctx, `SELECT event_id, call_id, type, at, queue, agent_id, direction, disposition, transcript,
		customer_id, source, recorded_at FROM telephony_events WHERE call_id = $1 ORDER BY at, event_id`, callID)
	return collect(rows, err, func(r scanner) (*TelephonyEvent, error) {
		var e TelephonyEvent
		var at, recorded, agent, customer sql.NullInt64
		err := r.Scan(&e.EventID, &e.CallID, &e.Type, &at, &e.Queue, &agent, &e.Direction, &e.Disposition,
			&e.Transcript, &customer, &e.Source, &recorded)
		e.At, e.RecordedAt, e.AgentID, e.CustomerID = fromMicros(at), fromMicros(recorded), agent.Int64, customer.Int64
		return &e, err
	})
}

// TelephonyEventCallID returns the call of a stored event, or "" when the
// event id is unknown.
func (tx *Tx) TelephonyEventCallID(ctx context.Context, eventID string) (string, error) {
	var call string
	err := tx.queryRow(ctx, `SELECT call_id FROM telephony_events WHERE event_id = $1`, eventID).Scan(&call)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return call, err
}

// TelephonyCall links a call or chat session to its interaction and case.
type TelephonyCall struct {
	CallID        string
	Channel       string
	InteractionID int64
	CaseID        int64
	CaseCreated   bool // caredesk opened the case for this call
	CreatedAt     time.Time
}

// FindTelephonyCall returns the call's link, or nil when the call is new.
func (tx *Tx) FindTelephonyCall(ctx context.Context, callID string) (*TelephonyCall, error) {
	var c TelephonyCall
	var created sql.NullInt64
	err := tx.queryRow(ctx, `SELECT call_id, channel, interaction_id, case_id, case_created, created_at
		FROM telephony_calls WHERE call_id = $1`, callID).Scan(&c.CallID, &c.Channel, &c.InteractionID, &c.CaseID,
		&c.CaseCreated, &created)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	c.CreatedAt = fromMicros(created)
	return &c, err
}

// LockTelephonyCall takes the write lock on a known call's row until the
// transaction ends, so events of one call are folded one transaction at a
// time: on PostgreSQL two events arriving together would otherwise each
// fold without the other and the later write would lose the earlier. A
// no-op UPDATE is the portable way to take the lock (SQLite has one writer
// anyway and no FOR UPDATE).
func (tx *Tx) LockTelephonyCall(ctx context.Context, callID string) error {
	_, err := tx.exec(ctx, `UPDATE telephony_calls SET call_id = call_id WHERE call_id = $1`, callID)
	return err
}

// CreateTelephonyCall stores a call's link.
func (tx *Tx) CreateTelephonyCall(ctx context.Context, c *TelephonyCall) error {
	c.CreatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO telephony_calls (call_id, channel, interaction_id, case_id, case_created, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.CallID, c.Channel, c.InteractionID, c.CaseID, c.CaseCreated, micros(tx.now))
	return err
}

// FindInteractionByID returns an interaction.
func (tx *Tx) FindInteractionByID(ctx context.Context, id int64) (*care.Interaction, error) {
	i, err := scanInteraction(tx.queryRow(ctx, `SELECT `+interactionColumns+` FROM interactions WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("interaction", id)
	}
	return i, err
}

// UpdateInteractionContact writes the fields a contact's events decide: its
// times, agent, queue, direction, disposition, abandonment and body.
func (tx *Tx) UpdateInteractionContact(ctx context.Context, i *care.Interaction) error {
	_, err := tx.exec(ctx, `UPDATE interactions SET direction = $1, agent_id = $2, queue = $3, disposition = $4,
		body = $5, offered_at = $6, answered_at = $7, ended_at = $8, wrap_up_ended_at = $9, abandoned = $10
		WHERE id = $11`,
		i.Direction, nullID(i.AgentID), i.Queue, nullString(i.Disposition), i.Body, micros(i.OfferedAt),
		micros(i.AnsweredAt), micros(i.EndedAt), micros(i.WrapUpEndedAt), i.Abandoned, i.ID)
	return err
}

// SetCaseCustomer sets the customer of a case that has none yet, and
// reports whether it did.
func (tx *Tx) SetCaseCustomer(ctx context.Context, caseID, customerID int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE cases SET customer_id = $1, updated_at = $2, version = version + 1
		WHERE id = $3 AND customer_id IS NULL`, customerID, micros(tx.now), caseID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
