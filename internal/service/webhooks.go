package service

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// Webhook delivery settings. With a 30 s first wait doubling up to 6 h, the
// 12 attempts span about 14 hours before a delivery is given up.
const (
	WebhookMaxAttempts = 12
	WebhookTimeout     = 10 * time.Second
	SignatureHeader    = "X-Caredesk-Signature"
	EventTypeHeader    = "X-Caredesk-Event"
	EventIDHeader      = "X-Caredesk-Event-Id"
)

// webhookBackoff is the wait after the n-th failed attempt.
func webhookBackoff(n int) time.Duration { return mailBackoff(n) }

// Sign returns the signature header value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<unix seconds>.<body>" keyed by
// the secret>". Receivers recompute it and compare in constant time, and
// refuse a t too far from their clock to stop replays.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks a signature header against body and secret, and
// that its time is within tolerance of now.
func VerifySignature(secret, header string, body []byte, now time.Time, tolerance time.Duration) bool {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > tolerance {
		return false
	}
	want := Sign(secret, time.Unix(sec, 0), body)
	_, wantSig, _ := strings.Cut(want, ",v1=")
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(wantSig)) {
			return true
		}
	}
	return false
}

// NewWebhook is the input of CreateWebhook. A blank Secret is generated.
type NewWebhook struct {
	URL         string
	Events      []string
	Secret      string
	Description string
}

func (in *NewWebhook) validate() error {
	var p care.Problems
	in.URL = strings.TrimSpace(in.URL)
	p.Required("url", in.URL)
	if u, err := url.Parse(in.URL); in.URL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		p.Add("url", "must be an absolute http:// or https:// URL")
	}
	p.MaxLen("url", in.URL, 2000)
	if len(in.Events) == 0 {
		p.Add("events", "name at least one event type: *, %s", strings.Join(WebhookEventTypes, ", "))
	}
	for i, e := range in.Events {
		if e != "*" && !slices.Contains(WebhookEventTypes, e) {
			p.Add(fmt.Sprintf("events[%d]", i), "must be * or one of: %s", strings.Join(WebhookEventTypes, ", "))
		}
	}
	if in.Secret != "" && len(in.Secret) < 16 {
		p.Add("secret", "must be at least 16 characters, or left out to have one generated")
	}
	p.MaxLen("secret", in.Secret, 200)
	p.MaxLen("description", in.Description, 500)
	return p.Err()
}

// CreateWebhook subscribes a URL to event types (administrators). The
// returned webhook carries its secret; it is never shown again.
func (s *Service) CreateWebhook(ctx context.Context, in NewWebhook) (*store.Webhook, error) {
	a := care.ActorFromContext(ctx)
	if err := a.Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if in.Secret == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		in.Secret = "whsec_" + hex.EncodeToString(b)
	}
	w := &store.Webhook{URL: in.URL, Secret: in.Secret, Events: slices.Compact(slices.Sorted(slices.Values(in.Events))),
		Description: strings.TrimSpace(in.Description), CreatedBy: a.UserID}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateWebhook(ctx, w); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "webhook", w.ID, map[string]any{"url": w.URL, "events": w.Events})
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// FindWebhooks lists the webhooks not deleted (administrators).
func (s *Service) FindWebhooks(ctx context.Context) ([]*store.Webhook, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	var out []*store.Webhook
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindWebhooks(ctx)
		return err
	})
	return out, err
}

// DeleteWebhook ends a subscription and cancels its pending deliveries; its
// delivery log stays readable.
func (s *Service) DeleteWebhook(ctx context.Context, id int64) error {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteWebhook(ctx, id); err != nil {
			return err
		}
		return audit(ctx, tx, "delete", "webhook", id, nil)
	})
}

// FindWebhookDeliveries returns a webhook's delivery log, newest first
// (administrators).
func (s *Service) FindWebhookDeliveries(ctx context.Context, id, before int64, limit int) ([]*store.WebhookDelivery, int64, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, 0, err
	}
	var out []*store.WebhookDelivery
	var next int64
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		if _, err := tx.FindWebhookByID(ctx, id); err != nil {
			return err
		}
		out, next, err = tx.FindDeliveries(ctx, id, before, limit)
		return err
	})
	return out, next, err
}

// NewWebhookClient returns the HTTP client deliveries use: a timeout, and
// no redirects followed (a receiver that moved must be re-registered, so a
// signed body never lands somewhere nobody subscribed).
func NewWebhookClient() *http.Client {
	return &http.Client{Timeout: WebhookTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// DeliverWebhooks POSTs the deliveries that are due, signed, through
// client. A delivery that fails (no answer, or a status other than 2xx) is
// retried with backoff and given up after WebhookMaxAttempts. Deliveries
// are claimed a few at a time, so each is sent well within its lease. It
// returns how many were delivered.
func (s *Service) DeliverWebhooks(ctx context.Context, client *http.Client, owner string, lease time.Duration, batch int) (int, error) {
	ctx = care.NewContextWithActor(ctx, care.SystemActor("job"))
	timeout := client.Timeout
	if timeout <= 0 || timeout > WebhookTimeout {
		timeout = WebhookTimeout
	}
	n := max(1, min(batch, int(lease/(2*timeout))))
	sent := 0
	for {
		var due []*store.WebhookDelivery
		err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
			due, err = tx.ClaimDueDeliveries(ctx, owner, lease, n)
			return err
		})
		if err != nil {
			return sent, err
		}
		for _, d := range due {
			if s.deliverWebhook(ctx, client, timeout, owner, d) {
				sent++
			}
		}
		if len(due) < n || ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
}

func (s *Service) deliverWebhook(ctx context.Context, client *http.Client, timeout time.Duration, owner string, d *store.WebhookDelivery) bool {
	status, err := post(ctx, client, timeout, d, s.Now())
	now := s.Now()
	d.Attempts++
	d.LastStatus = status
	switch {
	case err == nil:
		d.State, d.DeliveredAt, d.LastError, d.NextAttemptAt = "delivered", now, "", time.Time{}
	case d.Attempts >= WebhookMaxAttempts:
		d.State, d.LastError, d.NextAttemptAt = "failed", err.Error(), time.Time{}
		s.log.Error("webhook delivery given up", "id", d.ID, "webhook", d.WebhookID, "attempts", d.Attempts, "err", err)
	default:
		d.NextAttemptAt, d.LastError = now.Add(webhookBackoff(d.Attempts)), err.Error()
		s.log.Warn("webhook not delivered; will retry", "id", d.ID, "webhook", d.WebhookID, "attempt", d.Attempts,
			"next", d.NextAttemptAt, "err", err)
	}
	var ok bool
	werr := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		ok, err = tx.FinishDelivery(ctx, d, owner)
		return err
	})
	if werr != nil || !ok {
		// The lease runs out and the delivery is tried again: at worst sent
		// twice with the same event id, which receivers de-duplicate on.
		s.log.Error("record webhook outcome", "id", d.ID, "lease_held", ok, "err", werr)
	}
	return err == nil
}

// post sends one signed delivery and returns the HTTP status (0 when none
// came back) and an error unless the receiver answered 2xx.
func post(ctx context.Context, client *http.Client, timeout time.Duration, d *store.WebhookDelivery, now time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "caredesk-webhooks/1")
	req.Header.Set(EventTypeHeader, d.EventType)
	req.Header.Set(EventIDHeader, d.EventID)
	req.Header.Set(SignatureHeader, Sign(d.Secret, now, body))
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is in the log already; keep the cause
		}
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}
