package service

import (
	"context"
	"errors"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/store"
)

// MailMaxAttempts is how many times a message is tried before it is marked
// failed; with the backoff below that spans about two days.
const MailMaxAttempts = 15

// mailBackoff is the wait after the n-th failed attempt: 30 s doubling, at
// most 6 hours.
func mailBackoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// DeliverMail sends the outbox messages that are due, in batches, through
// sender. A message that fails is retried with backoff, so a relay outage
// delays mail but loses none. It returns how many were sent.
func (s *Service) DeliverMail(ctx context.Context, sender mail.Sender, owner string, lease time.Duration, batch int) (int, error) {
	ctx = care.NewContextWithActor(ctx, care.SystemActor("job"))
	sent := 0
	for {
		var due []*store.OutboundMail
		err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
			due, err = tx.ClaimDueMail(ctx, owner, lease, batch)
			return err
		})
		if err != nil {
			return sent, err
		}
		for _, m := range due {
			if s.deliverOne(ctx, sender, owner, m) {
				sent++
			}
		}
		if len(due) < batch || ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
}

func (s *Service) deliverOne(ctx context.Context, sender mail.Sender, owner string, m *store.OutboundMail) bool {
	msg := &mail.Message{MessageID: m.MessageID, To: m.To, Subject: m.Subject, Text: m.Body, Headers: m.Headers}
	err := s.attachMailFiles(ctx, m, msg)
	if err == nil {
		err = sender.Send(ctx, msg)
	}
	now := s.Now()
	m.Attempts++
	var perm *mail.PermanentError
	switch {
	case err == nil:
		m.State, m.SentAt, m.LastError = "sent", now, ""
	case errors.As(err, &perm) || m.Attempts >= MailMaxAttempts:
		m.State, m.LastError = "failed", err.Error()
		s.log.Error("mail failed for good", "id", m.ID, "to", m.To, "attempts", m.Attempts, "err", err)
	default:
		m.NextAttemptAt, m.LastError = now.Add(mailBackoff(m.Attempts)), err.Error()
		s.log.Warn("mail not delivered; will retry", "id", m.ID, "attempt", m.Attempts, "next", m.NextAttemptAt, "err", err)
	}
	if werr := s.store.Write(ctx, func(tx *store.Tx) error { return tx.FinishMail(ctx, m, owner) }); werr != nil {
		// The lease expires and the message is tried again: at worst sent
		// twice with the same Message-ID, never lost.
		s.log.Error("record mail outcome", "id", m.ID, "err", werr)
	}
	return err == nil
}

// FindOutbox lists outbox messages, newest first (administrators).
func (s *Service) FindOutbox(ctx context.Context, limit int) ([]*store.OutboundMail, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	var out []*store.OutboundMail
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindMail(ctx, limit)
		return err
	})
	return out, err
}
