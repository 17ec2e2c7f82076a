// Package jobs runs caredesk's background work: the clock sweep (warnings,
// breaches, escalations), the policy pass (renewal reminders, lapses,
// missed instalments) and outbox delivery. The work lives in database
// rows claimed under a lease, so any number of caredesk processes on one
// PostgreSQL run each job exactly once, and work that fell due while no
// process ran is done when one starts.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/service"
)

// Runner runs the background loops until its context ends.
type Runner struct {
	Svc   *service.Service
	Mail  mail.Sender   // nil: outbox delivery is not run
	Every time.Duration // how often to sweep (default 10 s)
	Lease time.Duration // how long a claim holds (default 2 min)
	Batch int           // rows claimed at a time (default 200)
	Log   *slog.Logger
	Owner string // lease owner name; default host-pid-random

	// Webhooks posts webhook deliveries; use service.NewWebhookClient(). nil: they are not run.
	Webhooks *http.Client
}

func (r *Runner) defaults() {
	if r.Every <= 0 {
		r.Every = 10 * time.Second
	}
	if r.Lease <= 0 {
		r.Lease = 2 * time.Minute
	}
	if r.Batch <= 0 {
		r.Batch = 200
	}
	if r.Log == nil {
		r.Log = slog.Default()
	}
	if r.Owner == "" {
		r.Owner = OwnerName()
	}
}

// OwnerName returns a name unique to this process, for leases.
func OwnerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + itoa(os.Getpid()) + "-" + hex.EncodeToString(b)
}

// Run sweeps at once (catching up on anything that fell due while no process
// ran), then every Every, until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	r.defaults()
	t := time.NewTicker(r.Every)
	defer t.Stop()
	for {
		r.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick runs each job once. Errors are logged, not returned: a failing sweep
// must not stop the loop, and the work is still in the database next time.
func (r *Runner) Tick(ctx context.Context) {
	r.defaults()
	if n, err := r.Svc.SweepClocks(ctx, r.Owner, r.Lease, r.Batch); err != nil && ctx.Err() == nil {
		r.Log.Error("clock sweep", "err", err)
	} else if n > 0 {
		r.Log.Info("clock sweep", "fired", n)
	}
	r.remindPolicies(ctx)
	r.deliverWebhooks(ctx)
	if r.Mail == nil {
		return
	}
	if n, err := r.Svc.DeliverMail(ctx, r.Mail, r.Owner, r.Lease, r.Batch); err != nil && ctx.Err() == nil {
		r.Log.Error("mail delivery", "err", err)
	} else if n > 0 {
		r.Log.Info("mail delivery", "sent", n)
	}
}

// remindPolicies runs the policy servicing pass: renewal reminders through
// the outbox (delivered later in the same tick), lapses and missed
// instalments.
func (r *Runner) remindPolicies(ctx context.Context) {
	rep, err := r.Svc.RemindPolicies(ctx, r.Batch)
	if err != nil && ctx.Err() == nil {
		r.Log.Error("policy reminders", "err", err)
	}
	if rep.Sent+rep.Lapsed+rep.Missed+rep.Stopped > 0 {
		r.Log.Info("policy reminders", "sent", rep.Sent, "lapsed", rep.Lapsed, "missed", rep.Missed, "stopped", rep.Stopped)
	}
}

// deliverWebhooks sends the webhook deliveries that are due.
func (r *Runner) deliverWebhooks(ctx context.Context) {
	if r.Webhooks == nil {
		return
	}
	if n, err := r.Svc.DeliverWebhooks(ctx, r.Webhooks, r.Owner, r.Lease, r.Batch); err != nil && ctx.Err() == nil {
		r.Log.Error("webhook delivery", "err", err)
	} else if n > 0 {
		r.Log.Info("webhook delivery", "delivered", n)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
