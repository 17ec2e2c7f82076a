package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/store"
)

// MailOptions configure how inbound mail becomes cases.
type MailOptions struct {
	CaseType string   // type of a case opened by email (default "enquiry")
	Domains  []string // the domains caredesk receives mail for; mail from them is never acknowledged
	// AckLimit caps acknowledgements to one address per hour (default 3):
	// a loop with an autoresponder that does not mark its mail stops there.
	AckLimit int
}

// MailReceipt says what became of an inbound message.
type MailReceipt struct {
	Kind          string // "case", "reply", "auto_reply", "bounce", "list", "loop"
	Duplicate     bool   // the Message-ID was received before; nothing was stored again
	CaseID        int64  // 0 when the message reached no case
	Reference     string
	InteractionID int64
	Acknowledged  bool   // an acknowledgement was queued in the outbox
	ClaimNumber   string // the message reported a loss on the sender's policy and opened this claim (claims_mail.go)
}

// Outbox kinds of customer mail.
const (
	mailKindAck   = "case.acknowledged"
	mailKindReply = "reply"
)

// Interaction body limits, within care's validation limits.
const (
	maxMailBody        = 900_000
	maxMailDescription = 100_000
)

// ReceiveMail stores one inbound email in one transaction: a reply threads
// into its case (by In-Reply-To/References against earlier mail, or by the
// case reference in the subject); other mail opens a case (channel email)
// with an interaction holding the redacted text and the attachments, and
// queues an acknowledgement. Bounces, automatic replies, list mail and our
// own mail coming back are recorded but never become cases or get answers.
// The same Message-ID delivered twice is stored once.
func (s *Service) ReceiveMail(ctx context.Context, m *mail.Inbound, opts MailOptions) (*MailReceipt, error) {
	if a := care.ActorFromContext(ctx); a.Role != "system" {
		ctx = care.NewContextWithActor(ctx, care.SystemActor("smtp"))
	}
	if opts.CaseType == "" {
		opts.CaseType = "enquiry"
	}
	if opts.AckLimit == 0 {
		opts.AckLimit = 3
	}
	var r *MailReceipt
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		r, err = s.receiveMail(ctx, tx, m, opts)
		return err
	})
	if care.ErrorCode(err) == care.ECONFLICT {
		// Delivered twice at once: the other delivery committed first.
		var prev *store.InboundMail
		if rerr := s.store.Read(ctx, func(tx *store.Tx) (err error) {
			prev, err = tx.FindInboundMail(ctx, m.MessageID)
			return err
		}); rerr == nil && prev != nil {
			return &MailReceipt{Kind: prev.Kind, Duplicate: true, CaseID: prev.CaseID, InteractionID: prev.InteractionID}, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("receive mail %s: %w", m.MessageID, err)
	}
	s.log.Info("mail received", "message_id", m.MessageID, "kind", r.Kind, "case", r.Reference,
		"duplicate", r.Duplicate, "acknowledged", r.Acknowledged)
	return r, nil
}

func (s *Service) receiveMail(ctx context.Context, tx *store.Tx, m *mail.Inbound, opts MailOptions) (*MailReceipt, error) {
	if prev, err := tx.FindInboundMail(ctx, m.MessageID); err != nil || prev != nil {
		if prev == nil {
			return nil, err
		}
		r := &MailReceipt{Kind: prev.Kind, Duplicate: true, CaseID: prev.CaseID, InteractionID: prev.InteractionID}
		if prev.CaseID != 0 {
			c, err := tx.FindCaseByID(ctx, prev.CaseID)
			if err != nil {
				return nil, err
			}
			r.Reference = c.Reference
		}
		return r, nil
	}
	rec := &store.InboundMail{MessageID: m.MessageID, From: m.From, Subject: mail.TruncateRunes(s.mask(m.Subject), 300)}
	own, err := tx.FindOutboundMailByMessageID(ctx, m.MessageID)
	if err != nil {
		return nil, err
	}
	switch {
	case own != nil:
		rec.Kind, rec.Detail, rec.CaseID = "loop", "our own outgoing message came back", own.CaseID
		s.log.Warn("mail loop: our own message came back", "message_id", m.MessageID, "from", m.From)
	case m.Auto == mail.KindBounce:
		if err := s.recordBounce(ctx, tx, m, rec); err != nil {
			return nil, err
		}
	case m.Auto != "":
		rec.Kind, rec.Detail = m.Auto, s.mask(m.AutoReason)
		if rec.CaseID, err = tx.FindCaseByMessageIDs(ctx, threadIDs(m)); err != nil {
			return nil, err
		}
	}
	if rec.Kind != "" {
		if err := tx.CreateInboundMail(ctx, rec); err != nil {
			return nil, err
		}
		r := &MailReceipt{Kind: rec.Kind, CaseID: rec.CaseID}
		return r, audit(ctx, tx, "create", "inbound_mail", rec.ID, map[string]any{"kind": rec.Kind, "case_id": rec.CaseID,
			"reason": rec.Detail})
	}
	c, err := threadedCase(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	r := &MailReceipt{Kind: "reply"}
	i := s.mailInteraction(m)
	if err := i.Validate(tx.Now()); err != nil {
		return nil, err
	}
	if c == nil {
		r.Kind = "case"
		if c, r.ClaimNumber, err = s.openMailCase(ctx, tx, m, i, opts); err != nil {
			return nil, err
		}
	} else {
		i.CaseID = c.ID
		if err := createInteraction(ctx, tx, i); err != nil {
			return nil, err
		}
		if err := s.clocksAfterContact(ctx, tx, c, i); err != nil {
			return nil, err
		}
	}
	if err := s.keepMailAttachments(ctx, tx, m, i); err != nil {
		return nil, err
	}
	r.CaseID, r.Reference, r.InteractionID = c.ID, c.Reference, i.ID
	rec.Kind, rec.CaseID, rec.InteractionID = r.Kind, c.ID, i.ID
	if err := tx.CreateInboundMail(ctx, rec); err != nil {
		return nil, err
	}
	if r.Kind == "case" {
		if r.Acknowledged, err = s.acknowledge(ctx, tx, m, c, r.ClaimNumber, opts); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// threadIDs lists the Message-IDs a message answers, most recent first.
func threadIDs(m *mail.Inbound) []string {
	ids := append([]string(nil), m.InReplyTo...)
	for i := len(m.References) - 1; i >= 0; i-- {
		if !slices.Contains(ids, m.References[i]) {
			ids = append(ids, m.References[i])
		}
	}
	return ids
}

// threadedCase finds the open case a message answers: by its threading
// headers, then by a case reference in the subject. A closed case is not
// reopened by mail; the message opens a new case that names it.
func threadedCase(ctx context.Context, tx *store.Tx, m *mail.Inbound) (*care.Case, error) {
	id, err := tx.FindCaseByMessageIDs(ctx, threadIDs(m))
	if err != nil {
		return nil, err
	}
	var c *care.Case
	switch ref := mail.ReferenceInSubject(m.Subject); {
	case id != 0:
		c, err = tx.FindCaseByID(ctx, id)
	case ref != "":
		c, err = tx.FindCaseByReference(ctx, ref)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return nil, nil
		}
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if care.IsClosedStatus(c.Status) {
		m.Text = fmt.Sprintf("(This message answers case %s, which is %s.)\n\n%s", c.Reference, c.Status, m.Text)
		return nil, nil
	}
	return c, nil
}

// mailInteraction turns a message into its (redacted) inbound interaction.
func (s *Service) mailInteraction(m *mail.Inbound) *care.Interaction {
	body := m.Text
	if body == "" {
		body = fmt.Sprintf("(no text; %d attachment(s))", len(m.Attachments))
	}
	i := &care.Interaction{Channel: "email", Direction: "inbound", ExternalID: m.MessageID,
		Subject: mail.TruncateRunes(s.mask(m.Subject), 300), Body: mail.TruncateRunes(s.mask(body), maxMailBody)}
	i.Normalize()
	return i
}

// openMailCase opens a case for a new message, with the sender as its
// customer (found by address, or created), inside tx. A message reporting
// a loss on the sender's own policy opens a claim (claims_mail.go): its
// number is returned.
func (s *Service) openMailCase(ctx context.Context, tx *store.Tx, m *mail.Inbound, first *care.Interaction, opts MailOptions) (*care.Case, string, error) {
	cust, err := s.mailCustomer(ctx, tx, m)
	if err != nil {
		return nil, "", err
	}
	loss, err := s.mailLoss(ctx, tx, cust, first)
	if err != nil {
		return nil, "", err
	}
	subject := first.Subject
	if strings.TrimSpace(subject) == "" {
		subject = "(no subject)"
	}
	c := &care.Case{Type: opts.CaseType, Channel: "email", Subject: subject, ReceivedAt: tx.Now(),
		Description: mail.TruncateRunes(first.Body, maxMailDescription)}
	if cust != nil {
		c.CustomerID = cust.ID
	}
	var claim *care.Claim
	if loss != nil {
		if claim, err = s.mailClaim(ctx, tx, c, loss); err != nil {
			return nil, "", err
		}
	}
	c.Normalize()
	if len(c.Regimes) == 0 {
		c.Regimes = s.cfg.DefaultRegimes[c.Type]
	}
	if err := c.Validate(tx.Now()); err != nil {
		return nil, "", err
	}
	first.OfferedAt = c.ReceivedAt
	if err := s.openCase(ctx, tx, c, first, "email"); err != nil || claim == nil {
		return c, "", err
	}
	if err := s.recordMailClaim(ctx, tx, c, claim, loss); err != nil {
		return nil, "", err
	}
	return c, claim.Number, nil
}

// mailCustomer returns the customer with the sender's address, creating
// one (named from the From header) when there is none; nil when the
// sender's address is not usable.
func (s *Service) mailCustomer(ctx context.Context, tx *store.Tx, m *mail.Inbound) (*care.Customer, error) {
	var p care.Problems
	if care.CheckEmail(&p, "email", m.From); m.From == "" || p.Err() != nil {
		return nil, nil
	}
	found, _, err := tx.FindCustomers(ctx, care.CustomerFilter{Email: m.From, Limit: 1})
	if err != nil || len(found) > 0 {
		if len(found) > 0 {
			return found[0], nil
		}
		return nil, err
	}
	name := strings.TrimSpace(s.mask(m.FromName))
	if name == "" {
		name, _, _ = strings.Cut(m.From, "@")
	}
	c := &care.Customer{Name: mail.TruncateRunes(name, 200), Email: m.From}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return nil, nil // an odd display name must not lose the mail
	}
	if err := tx.CreateCustomer(ctx, c); err != nil {
		return nil, err
	}
	return c, audit(ctx, tx, "create", "customer", c.ID, map[string]any{"kind": c.Kind, "source": "email"})
}

// keepMailAttachments stores the message's files with the case, as
// AddAttachment would (text redacted, programs refused). A refused file is
// noted on the interaction instead of failing the whole message.
func (s *Service) keepMailAttachments(ctx context.Context, tx *store.Tx, m *mail.Inbound, i *care.Interaction) error {
	var refused []string
	for _, f := range m.Attachments {
		a, data, err := s.prepareAttachment(NewAttachment{Filename: f.Filename, ContentType: f.ContentType, Data: f.Data,
			InteractionID: i.ID}, "email")
		if err != nil {
			msg := care.ErrorMessage(err)
			if fe := care.ErrorFields(err); len(fe) > 0 {
				msg = fe[0].Message
			}
			refused = append(refused, fmt.Sprintf("%s: %s", care.CleanFilename(f.Filename), msg))
			continue
		}
		a.CaseID = i.CaseID
		if err := s.addAttachment(ctx, tx, a, data); err != nil {
			return err
		}
	}
	if len(refused) == 0 {
		return nil
	}
	note := &care.Interaction{CaseID: i.CaseID, Channel: "note", Direction: "internal", Subject: "Attachments not kept",
		Body: s.mask("Files in the customer's email that were not kept:\n" + strings.Join(refused, "\n"))}
	return createInteraction(ctx, tx, note)
}

// recordBounce marks the outbox messages a bounce reports as bounced and
// notes the failure on their case.
func (s *Service) recordBounce(ctx context.Context, tx *store.Tx, m *mail.Inbound, rec *store.InboundMail) error {
	rec.Kind = "bounce"
	reason := s.mask(m.BounceReason)
	rec.Detail = reason
	for _, id := range m.BouncedIDs {
		out, err := tx.FindOutboundMailByMessageID(ctx, id)
		if err != nil {
			return err
		}
		if out == nil {
			continue
		}
		if err := tx.MarkMailBounced(ctx, out.ID, "bounced: "+reason); err != nil {
			return err
		}
		s.log.Warn("outgoing mail bounced", "outbox_id", out.ID, "to", out.To, "reason", reason)
		if out.CaseID == 0 || rec.CaseID != 0 {
			continue
		}
		rec.CaseID = out.CaseID
		note := &care.Interaction{CaseID: out.CaseID, Channel: "note", Direction: "internal", Subject: "Email not delivered",
			Body: fmt.Sprintf("Our email to %s (%s) could not be delivered: %s", out.To, out.MessageID, reason)}
		if err := createInteraction(ctx, tx, note); err != nil {
			return err
		}
	}
	return nil
}

// acknowledge queues the acknowledgement of a new case, threaded to the
// customer's message and marked as an automatic reply. It is never sent to
// our own domains, to an unusable address, or more than AckLimit times an
// hour to one address: each guards against a mail loop.
func (s *Service) acknowledge(ctx context.Context, tx *store.Tx, m *mail.Inbound, c *care.Case, claimNumber string, opts MailOptions) (bool, error) {
	var p care.Problems
	care.CheckEmail(&p, "from", m.From)
	_, domain, _ := strings.Cut(m.From, "@")
	if p.Err() != nil || slices.Contains(opts.Domains, domain) {
		s.log.Info("no acknowledgement: sender address unusable or ours", "case", c.Reference, "from", m.From)
		return false, nil
	}
	n, err := tx.CountMailSince(ctx, m.From, mailKindAck, tx.Now().Add(-time.Hour))
	if err != nil {
		return false, err
	}
	if n >= opts.AckLimit {
		s.log.Warn("no acknowledgement: hourly limit reached for sender (possible mail loop)", "case", c.Reference, "from", m.From)
		return false, nil
	}
	name := ""
	if c.CustomerID != 0 {
		if cust, err := tx.FindCustomerByID(ctx, c.CustomerID); err == nil {
			name = cust.Name
		}
	}
	subject, body := mail.Acknowledgement(mail.AckData{Name: name, Reference: c.Reference, Subject: c.Subject})
	if claimNumber != "" {
		subject, body = claimAck(subject, body, c, claimNumber)
	}
	out := &store.OutboundMail{MessageID: newMessageID(), To: m.From, Subject: subject, Body: body, Kind: mailKindAck,
		CaseID: c.ID, Headers: threadHeaders(m.MessageID, append(append([]string(nil), m.References...), m.MessageID))}
	out.Headers["Auto-Submitted"] = "auto-replied"
	out.Headers["X-Auto-Response-Suppress"] = "All"
	if err := tx.EnqueueMail(ctx, out); err != nil {
		return false, err
	}
	if err := audit(ctx, tx, "create", "mail", out.ID, map[string]any{"case_id": c.ID, "kind": out.Kind}); err != nil {
		return false, err
	}
	return true, s.mailAcknowledged(ctx, tx, c)
}

// mailAcknowledged records that the customer was acknowledged in writing,
// meeting any regime's acknowledge milestone (ISO 10002, RG 271, CPC …)
// and starting the clocks that count from it, as the portal does.
func (s *Service) mailAcknowledged(ctx context.Context, tx *store.Tx, c *care.Case) error {
	at := tx.Now()
	stood, fresh, err := tx.RecordCaseEvent(ctx, c.ID, clock.EventAcknowledged, at)
	if err != nil || !fresh {
		return err
	}
	if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"event": clock.EventAcknowledged, "at": stood,
		"reason": "acknowledged by email on receipt"}); err != nil {
		return err
	}
	if err := s.meetClocks(ctx, tx, c, at, named("acknowledge")); err != nil {
		return err
	}
	return s.startClocksFor(ctx, tx, c, clock.EventAcknowledged, stood)
}

// threadHeaders returns In-Reply-To and References for a message answering
// inReplyTo, with refs (oldest first) capped so the header stays short.
func threadHeaders(inReplyTo string, refs []string) map[string]string {
	h := map[string]string{}
	if inReplyTo != "" {
		h["In-Reply-To"] = inReplyTo
	}
	if len(refs) > 20 {
		refs = append(refs[:1:1], refs[len(refs)-19:]...)
	}
	if len(refs) > 0 {
		h["References"] = strings.Join(refs, " ")
	}
	return h
}
