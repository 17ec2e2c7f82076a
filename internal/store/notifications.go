package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// CreateNotification stores an in-app notification.
func (tx *Tx) CreateNotification(ctx context.Context, n *care.Notification) error {
	n.CreatedAt = tx.now
	var err error
	n.ID, err = tx.insert(ctx, `INSERT INTO notifications (user_id, case_id, kind, title, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		n.UserID, nullID(n.CaseID), n.Kind, n.Title, n.Body, micros(tx.now))
	return err
}

// FindNotifications returns a user's notifications, newest first.
func (tx *Tx) FindNotifications(ctx context.Context, userID int64, unreadOnly bool, n int) ([]*care.Notification, error) {
	q := `SELECT id, user_id, case_id, kind, title, body, created_at, read_at FROM notifications WHERE user_id = $1`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	rows, err := tx.query(ctx, q+` ORDER BY id DESC LIMIT $2`, userID, limit(n, 50, 500))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*care.Notification
	for rows.Next() {
		var x care.Notification
		var caseID, created, read sql.NullInt64
		if err := rows.Scan(&x.ID, &x.UserID, &caseID, &x.Kind, &x.Title, &x.Body, &created, &read); err != nil {
			return nil, err
		}
		x.CaseID, x.CreatedAt, x.ReadAt = caseID.Int64, fromMicros(created), fromMicros(read)
		out = append(out, &x)
	}
	return out, rows.Err()
}

// MarkNotificationsRead marks a user's notifications read (all when ids is empty).
func (tx *Tx) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64) error {
	if len(ids) == 0 {
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, micros(tx.now), userID)
		return err
	}
	for _, id := range ids {
		if _, err := tx.exec(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL`,
			micros(tx.now), userID, id); err != nil {
			return err
		}
	}
	return nil
}

// FindSupervisors returns the active supervisors of a team, or of every
// team when teamID is 0 or the team has none.
func (tx *Tx) FindSupervisors(ctx context.Context, teamID int64) ([]*care.User, error) {
	if teamID != 0 {
		rows, err := tx.query(ctx, `SELECT `+userColumns+` FROM users WHERE role = 'supervisor' AND active = $1
			AND team_id = $2 ORDER BY id`, true, teamID)
		if us, err := collect(rows, err, scanUser); err != nil || len(us) > 0 {
			return us, err
		}
	}
	rows, err := tx.query(ctx, `SELECT `+userColumns+` FROM users WHERE role = 'supervisor' AND active = $1 ORDER BY id LIMIT 50`, true)
	return collect(rows, err, scanUser)
}

// OutboundMail is one message in the outbox.
type OutboundMail struct {
	ID            int64
	MessageID     string // RFC 5322 Message-ID, unique: the relay and recipients can de-duplicate on it
	To            string
	Subject       string
	Body          string
	Kind          string
	CaseID        int64
	Headers       map[string]string // extra headers (In-Reply-To, References, Auto-Submitted), stored as JSON
	State         string            // pending, sent, failed
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time
}

// EnqueueMail adds a message to the outbox, due now.
func (tx *Tx) EnqueueMail(ctx context.Context, m *OutboundMail) error {
	m.State, m.CreatedAt, m.NextAttemptAt = "pending", tx.now, tx.now
	headers, err := encodeHeaders(m.Headers)
	if err != nil {
		return err
	}
	m.ID, err = tx.insert(ctx, `INSERT INTO mail_outbox (message_id, to_addr, subject, body, kind, case_id, state,
		next_attempt_at, created_at, headers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		m.MessageID, m.To, m.Subject, m.Body, m.Kind, nullID(m.CaseID), m.State, micros(tx.now), micros(tx.now), headers)
	return err
}

// ClaimDueMail leases up to n pending messages whose next attempt is due.
// See ClaimDueClocks for why the lease test is repeated.
func (tx *Tx) ClaimDueMail(ctx context.Context, owner string, lease time.Duration, n int) ([]*OutboundMail, error) {
	now := micros(tx.now)
	rows, err := tx.query(ctx, `UPDATE mail_outbox SET lease_owner = $1, lease_until = $2
		WHERE id IN (SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= $3
			AND (lease_until IS NULL OR lease_until < $3) ORDER BY next_attempt_at LIMIT $4)
		AND state = 'pending' AND (lease_until IS NULL OR lease_until < $3)
		RETURNING id, message_id, to_addr, subject, body, kind, case_id, attempts, created_at, headers`,
		owner, micros(tx.now.Add(lease)), now, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OutboundMail
	for rows.Next() {
		var m OutboundMail
		var caseID, created sql.NullInt64
		var headers string
		if err := rows.Scan(&m.ID, &m.MessageID, &m.To, &m.Subject, &m.Body, &m.Kind, &caseID, &m.Attempts, &created, &headers); err != nil {
			return nil, err
		}
		m.CaseID, m.CreatedAt, m.State = caseID.Int64, fromMicros(created), "pending"
		if m.Headers, err = decodeHeaders(headers); err != nil {
			return nil, fmt.Errorf("outbox message %d: %w", m.ID, err)
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

// FinishMail records the outcome of a delivery attempt by the lease owner:
// sent, failed for good, or pending again with the next attempt's time.
func (tx *Tx) FinishMail(ctx context.Context, m *OutboundMail, owner string) error {
	_, err := tx.exec(ctx, `UPDATE mail_outbox SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4,
		sent_at = $5, lease_owner = NULL, lease_until = NULL WHERE id = $6 AND lease_owner = $7`,
		m.State, m.Attempts, micros(m.NextAttemptAt), m.LastError, micros(m.SentAt), m.ID, owner)
	return err
}

// FindMail returns outbox messages, newest first (for admins and tests).
func (tx *Tx) FindMail(ctx context.Context, n int) ([]*OutboundMail, error) {
	rows, err := tx.query(ctx, `SELECT id, message_id, to_addr, subject, body, kind, case_id, state, attempts,
		next_attempt_at, last_error, created_at, sent_at, headers FROM mail_outbox ORDER BY id DESC LIMIT $1`, limit(n, 100, 1000))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OutboundMail
	for rows.Next() {
		var m OutboundMail
		var caseID, next, created, sent sql.NullInt64
		var headers string
		if err := rows.Scan(&m.ID, &m.MessageID, &m.To, &m.Subject, &m.Body, &m.Kind, &caseID, &m.State, &m.Attempts,
			&next, &m.LastError, &created, &sent, &headers); err != nil {
			return nil, err
		}
		m.CaseID, m.NextAttemptAt, m.CreatedAt, m.SentAt = caseID.Int64, fromMicros(next), fromMicros(created), fromMicros(sent)
		if m.Headers, err = decodeHeaders(headers); err != nil {
			return nil, fmt.Errorf("outbox message %d: %w", m.ID, err)
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}
