// Package mail sends and receives email. Sending goes through the Sender
// interface so the outbox job does not care whether mail leaves through an
// SMTP relay or, in development, the log. Receiving is an SMTP Listener for
// the firm's mail domains, or PollIMAP over an existing mailbox; both parse
// each message (Parse: MIME, charsets, HTML to text, attachments, machine
// mail recognised) and hand it to a Receiver. See docs/email.md.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/caredesk/caredesk/internal/care"
)

// Message is one plain-text email.
type Message struct {
	MessageID string // "<…@…>"; kept across retries so recipients can de-duplicate
	To        string
	Subject   string
	Text      string
	Headers   map[string]string // extra headers, e.g. In-Reply-To
	// Attachments are files sent with the message (a complaint letter's PDF).
	Attachments []Attachment
}

// Sender delivers messages. A returned error means "not delivered, try
// again later"; Permanent errors mean "never retry".
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// PermanentError marks a failure that retrying cannot fix (a recipient the
// relay refuses outright).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// LogSender writes messages to the log instead of sending them: the default
// when no relay is configured, so development never mails real people.
type LogSender struct{ Log *slog.Logger }

// Send logs the message's envelope and first line.
func (s LogSender) Send(_ context.Context, m *Message) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	first, _, _ := strings.Cut(m.Text, "\n")
	log.Info("mail (not sent: no SMTP relay configured)", "to", m.To, "subject", m.Subject, "message_id", m.MessageID, "first_line", first)
	return nil
}

// SMTPConfig names an SMTP relay.
type SMTPConfig struct {
	Host     string
	Port     int    // default 587 for starttls, 465 for tls, 25 for none
	Security string // "starttls" (default), "tls" or "none"
	Username string // empty: no authentication
	Password string
	From     string // envelope and header sender, e.g. "Acme Care <care@acme.example>"
	Timeout  time.Duration
	// InsecureSkipVerify is for tests against a relay with a self-signed
	// certificate; never set it in production.
	InsecureSkipVerify bool
}

// SMTPSender sends through an SMTP relay.
type SMTPSender struct {
	cfg  SMTPConfig
	opts []gomail.Option
}

// NewSMTPSender checks the configuration and returns a sender.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	var p care.Problems
	p.Required("smtp_host", cfg.Host)
	p.Required("mail_from", cfg.From)
	opts := []gomail.Option{gomail.WithTimeout(max(cfg.Timeout, 10*time.Second))}
	switch cfg.Security {
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory), gomail.WithPort(portOr(cfg.Port, 587)))
	case "tls":
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(portOr(cfg.Port, 465)))
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithPort(portOr(cfg.Port, 25)))
	default:
		p.Add("smtp_security", "must be one of: starttls, tls, none")
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	if cfg.InsecureSkipVerify {
		opts = append(opts, gomail.WithTLSConfig(&tls.Config{InsecureSkipVerify: true, ServerName: cfg.Host})) //nolint:gosec // tests only
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &SMTPSender{cfg: cfg, opts: opts}, nil
}

func portOr(p, def int) int {
	if p > 0 {
		return p
	}
	return def
}

// Send delivers one message, in its own SMTP session.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return &PermanentError{fmt.Errorf("sender %q: %w", s.cfg.From, err)}
	}
	if err := msg.To(m.To); err != nil {
		return &PermanentError{fmt.Errorf("recipient %q: %w", m.To, err)}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(strings.Trim(m.MessageID, "<>"))
	msg.SetDate()
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return &PermanentError{fmt.Errorf("attachment %q: %w", a.Filename, err)}
		}
	}
	client, err := gomail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return err
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", s.cfg.Host, err)
	}
	return nil
}
