package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// InboundMail records one message the SMTP listener accepted, once per
// Message-ID, and what became of it.
type InboundMail struct {
	ID            int64
	MessageID     string // "<…>", or a digest of the raw message when it had none
	From          string
	Subject       string // redacted
	Kind          string // "case", "reply", "auto_reply", "bounce", "list", "loop"
	CaseID        int64  // 0 when it reached no case
	InteractionID int64  // 0 when no interaction was recorded
	Detail        string // why it was classified so (redacted)
	ReceivedAt    time.Time
}

// CustomerMailKinds are the outbox kinds a customer receives; a reply to one
// of them threads into its case. Staff notifications are left out, so a
// handler answering a breach alert never lands in the case as the customer.
var CustomerMailKinds = []string{"case.acknowledged", "reply", "portal.acknowledgement"}

// kindsIn returns "IN ($n, …)" over CustomerMailKinds, numbering from n,
// and the kinds as arguments.
func kindsIn(n int) (string, []any) {
	ps := make([]string, len(CustomerMailKinds))
	args := make([]any, len(CustomerMailKinds))
	for i, k := range CustomerMailKinds {
		ps[i], args[i] = "$"+strconv.Itoa(n+i), k
	}
	return "IN (" + strings.Join(ps, ", ") + ")", args
}

// CreateInboundMail records an accepted message. A second message with the
// same Message-ID fails with ECONFLICT.
func (tx *Tx) CreateInboundMail(ctx context.Context, m *InboundMail) error {
	m.ReceivedAt = tx.now
	var err error
	m.ID, err = tx.insert(ctx, `INSERT INTO inbound_mail (message_id, from_addr, subject, kind, case_id, interaction_id,
		detail, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		m.MessageID, m.From, m.Subject, m.Kind, nullID(m.CaseID), nullID(m.InteractionID), m.Detail, micros(tx.now))
	return err
}

// FindInboundMail returns the record of a message by Message-ID, or nil
// when it was never received.
func (tx *Tx) FindInboundMail(ctx context.Context, messageID string) (*InboundMail, error) {
	var m InboundMail
	var caseID, interactionID, received sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, message_id, from_addr, subject, kind, case_id, interaction_id, detail, received_at
		FROM inbound_mail WHERE message_id = $1`, messageID).Scan(&m.ID, &m.MessageID, &m.From, &m.Subject, &m.Kind,
		&caseID, &interactionID, &m.Detail, &received)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	m.CaseID, m.InteractionID, m.ReceivedAt = caseID.Int64, interactionID.Int64, fromMicros(received)
	return &m, err
}

// FindCaseByMessageIDs returns the case that one of the Message-IDs belongs
// to — an earlier inbound mail of the case, or a mail sent to the customer
// from it — trying the IDs in order; 0 when none is known.
func (tx *Tx) FindCaseByMessageIDs(ctx context.Context, ids []string) (int64, error) {
	for _, id := range ids {
		var caseID sql.NullInt64
		err := tx.queryRow(ctx, `SELECT case_id FROM inbound_mail WHERE message_id = $1 AND case_id IS NOT NULL`, id).Scan(&caseID)
		if err == nil {
			return caseID.Int64, nil
		} else if err != sql.ErrNoRows {
			return 0, err
		}
		in, kinds := kindsIn(2)
		err = tx.queryRow(ctx, `SELECT case_id FROM mail_outbox WHERE message_id = $1 AND case_id IS NOT NULL
			AND kind `+in, append([]any{id}, kinds...)...).Scan(&caseID)
		if err == nil {
			return caseID.Int64, nil
		} else if err != sql.ErrNoRows {
			return 0, err
		}
	}
	return 0, nil
}

// FindOutboundMailByMessageID returns an outbox message by Message-ID, or
// nil when caredesk never sent it.
func (tx *Tx) FindOutboundMailByMessageID(ctx context.Context, messageID string) (*OutboundMail, error) {
	var m OutboundMail
	var caseID sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, message_id, to_addr, kind, case_id, state FROM mail_outbox WHERE message_id = $1`,
		messageID).Scan(&m.ID, &m.MessageID, &m.To, &m.Kind, &caseID, &m.State)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	m.CaseID = caseID.Int64
	return &m, err
}

// MarkMailBounced records that a sent message bounced: its state becomes
// "bounced" and reason is kept as its last error.
func (tx *Tx) MarkMailBounced(ctx context.Context, id int64, reason string) error {
	_, err := tx.exec(ctx, `UPDATE mail_outbox SET state = 'bounced', last_error = $1 WHERE id = $2`, reason, id)
	return err
}

// CaseMailIDs returns the Message-IDs of a case's customer mail, inbound and
// outbound, oldest first (at most n of each), for a reply's References.
// lastInbound is the newest message from the customer, "" when none.
func (tx *Tx) CaseMailIDs(ctx context.Context, caseID int64, n int) (ids []string, lastInbound string, err error) {
	type row struct {
		id string
		at int64
	}
	var all []row
	in, kinds := kindsIn(3)
	for qi, q := range []string{
		`SELECT message_id, received_at FROM inbound_mail WHERE case_id = $1 AND kind IN ('case', 'reply') ORDER BY id DESC LIMIT $2`,
		`SELECT message_id, created_at FROM mail_outbox WHERE case_id = $1 AND kind ` + in + ` ORDER BY id DESC LIMIT $2`,
	} {
		args := []any{caseID, n}
		if qi == 1 {
			args = append(args, kinds...)
		}
		rows, err := tx.query(ctx, q, args...)
		found, err := collect(rows, err, func(sc scanner) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.at)
		})
		if err != nil {
			return nil, "", err
		}
		if qi == 0 && len(found) > 0 {
			lastInbound = found[0].id // newest first
		}
		slices.Reverse(found)
		all = append(all, found...)
	}
	// Oldest first, the order References lists them in.
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	for _, r := range all {
		ids = append(ids, r.id)
	}
	return ids, lastInbound, nil
}

// CountMailSince counts outbox messages of a kind to an address created at
// or after since: a cap on acknowledgements stops a mail loop with an
// autoresponder that does not mark its replies.
func (tx *Tx) CountMailSince(ctx context.Context, to, kind string, since time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1 AND kind = $2 AND created_at >= $3`,
		to, kind, micros(since)).Scan(&n)
	return n, err
}

func encodeHeaders(h map[string]string) (string, error) {
	if len(h) == 0 {
		return "", nil
	}
	b, err := json.Marshal(h)
	return string(b), err
}

func decodeHeaders(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var h map[string]string
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, fmt.Errorf("headers column is not a JSON object: %w", err)
	}
	return h, nil
}
