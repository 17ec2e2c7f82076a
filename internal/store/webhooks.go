package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// Webhook is a subscription: caredesk POSTs each event of the listed types
// to URL, signed with Secret.
type Webhook struct {
	ID          int64
	URL         string
	Secret      string
	Events      []string // event types, or "*" for every type
	Description string
	CreatedBy   int64
	CreatedAt   time.Time
	DeletedAt   time.Time // set once deleted; deliveries stay readable
}

// Wants reports whether the webhook subscribes to the event type.
func (w *Webhook) Wants(eventType string) bool {
	for _, e := range w.Events {
		if e == "*" || e == eventType {
			return true
		}
	}
	return false
}

const webhookColumns = `id, url, secret, events, description, created_by, created_at, deleted_at`

func scanWebhook(row scanner) (*Webhook, error) {
	var w Webhook
	var events string
	var by, created, deleted sql.NullInt64
	if err := row.Scan(&w.ID, &w.URL, &w.Secret, &events, &w.Description, &by, &created, &deleted); err != nil {
		return nil, err
	}
	w.Events = strings.Split(events, ",")
	w.CreatedBy, w.CreatedAt, w.DeletedAt = by.Int64, fromMicros(created), fromMicros(deleted)
	return &w, nil
}

// CreateWebhook inserts w and sets its ID and creation time.
func (tx *Tx) CreateWebhook(ctx context.Context, w *Webhook) error {
	w.CreatedAt = tx.now
	var err error
	w.ID, err = tx.insert(ctx, `INSERT INTO webhooks (url, secret, events, description, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		w.URL, w.Secret, strings.Join(w.Events, ","), w.Description, nullID(w.CreatedBy), micros(tx.now))
	return err
}

// FindWebhookByID returns a webhook, deleted or not.
func (tx *Tx) FindWebhookByID(ctx context.Context, id int64) (*Webhook, error) {
	w, err := scanWebhook(tx.queryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("webhook", id)
	}
	return w, err
}

// FindWebhooks returns the webhooks not deleted, by ID.
func (tx *Tx) FindWebhooks(ctx context.Context) ([]*Webhook, error) {
	rows, err := tx.query(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE deleted_at IS NULL ORDER BY id`)
	return collect(rows, err, scanWebhook)
}

// DeleteWebhook marks a webhook deleted and cancels its pending deliveries.
func (tx *Tx) DeleteWebhook(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `UPDATE webhooks SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL`, micros(tx.now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("webhook", id)
	}
	_, err = tx.exec(ctx, `UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at = NULL
		WHERE webhook_id = $1 AND state = 'pending'`, id)
	return err
}

// WebhookDelivery is one event on its way to one webhook.
type WebhookDelivery struct {
	ID            int64
	WebhookID     int64
	EventID       string // the same for every webhook the event goes to
	EventType     string
	Payload       string // the exact body sent
	State         string // pending, delivered, failed, cancelled
	Attempts      int
	NextAttemptAt time.Time
	LastStatus    int // HTTP status of the last attempt; 0 when no answer came
	LastError     string
	CreatedAt     time.Time
	DeliveredAt   time.Time

	URL, Secret string // of the webhook, filled by ClaimDueDeliveries
}

// EnqueueDelivery adds a delivery, due now.
func (tx *Tx) EnqueueDelivery(ctx context.Context, d *WebhookDelivery) error {
	d.State, d.CreatedAt, d.NextAttemptAt = "pending", tx.now, tx.now
	var err error
	d.ID, err = tx.insert(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, state,
		next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		d.WebhookID, d.EventID, d.EventType, d.Payload, d.State, micros(tx.now), micros(tx.now))
	return err
}

// ClaimDueDeliveries leases up to n pending deliveries whose next attempt is
// due, with their webhook's URL and secret. The lease test is repeated
// outside the subquery so that, on PostgreSQL, a row another process leased
// meanwhile is skipped rather than taken twice (see ClaimDueClocks).
func (tx *Tx) ClaimDueDeliveries(ctx context.Context, owner string, lease time.Duration, n int) ([]*WebhookDelivery, error) {
	now := micros(tx.now)
	rows, err := tx.query(ctx, `UPDATE webhook_deliveries SET lease_owner = $1, lease_until = $2
		WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= $3
			AND (lease_until IS NULL OR lease_until < $3) ORDER BY next_attempt_at, id LIMIT $4)
		AND state = 'pending' AND (lease_until IS NULL OR lease_until < $3)
		RETURNING id, webhook_id, event_id, event_type, payload, attempts, created_at`,
		owner, micros(tx.now.Add(lease)), now, n)
	out, err := collect(rows, err, func(r scanner) (*WebhookDelivery, error) {
		var d WebhookDelivery
		var created sql.NullInt64
		err := r.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.EventType, &d.Payload, &d.Attempts, &created)
		d.CreatedAt, d.State = fromMicros(created), "pending"
		return &d, err
	})
	if err != nil {
		return nil, err
	}
	for _, d := range out {
		w, err := tx.FindWebhookByID(ctx, d.WebhookID)
		if err != nil {
			return nil, err
		}
		d.URL, d.Secret = w.URL, w.Secret
	}
	return out, nil
}

// FinishDelivery records the outcome of an attempt by the lease owner:
// delivered, failed for good, or pending again with the next attempt's time.
// It reports false when the lease was lost, so nothing was recorded.
func (tx *Tx) FinishDelivery(ctx context.Context, d *WebhookDelivery, owner string) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE webhook_deliveries SET state = $1, attempts = $2, next_attempt_at = $3,
		last_status = $4, last_error = $5, delivered_at = $6, lease_owner = NULL, lease_until = NULL
		WHERE id = $7 AND lease_owner = $8 AND state = 'pending'`,
		d.State, d.Attempts, micros(d.NextAttemptAt), d.LastStatus, d.LastError, micros(d.DeliveredAt), d.ID, owner)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FindDeliveries returns a webhook's deliveries, newest first, before the
// cursor, and the cursor of the next page.
func (tx *Tx) FindDeliveries(ctx context.Context, webhookID, before int64, n int) ([]*WebhookDelivery, int64, error) {
	n = limit(n, 50, 500)
	var w where
	w.add("webhook_id = ?", webhookID)
	if before > 0 {
		w.add("id < ?", before)
	}
	rows, err := tx.query(ctx, `SELECT id, webhook_id, event_id, event_type, payload, state, attempts, next_attempt_at,
		last_status, last_error, created_at, delivered_at FROM webhook_deliveries`+w.sql("ORDER BY id DESC LIMIT ?", n+1), w.args...)
	out, err := collect(rows, err, func(r scanner) (*WebhookDelivery, error) {
		var d WebhookDelivery
		var next, created, delivered sql.NullInt64
		err := r.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.EventType, &d.Payload, &d.State, &d.Attempts, &next,
			&d.LastStatus, &d.LastError, &created, &delivered)
		d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = fromMicros(next), fromMicros(created), fromMicros(delivered)
		return &d, err
	})
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(d *WebhookDelivery) int64 { return d.ID })
	return out, next, nil
}
