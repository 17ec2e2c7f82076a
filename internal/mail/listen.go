package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/caredesk/caredesk/internal/care"
)

// DefaultMaxMessageBytes is the largest message the listener accepts
// (25 MiB, as common providers do); larger ones get "552 5.3.4".
const DefaultMaxMessageBytes = 25 << 20

// maxRecipients bounds RCPT TO per message.
const maxRecipients = 100

// Receiver stores one parsed message. An error makes the listener answer
// "451 try again later", so the sending server retries and nothing is lost;
// a *care.Error with code EINVALID is answered "554" instead, as retrying
// cannot help.
type Receiver func(ctx context.Context, m *Inbound) error

// ListenConfig configures the inbound SMTP listener.
type ListenConfig struct {
	Domains         []string // mail is accepted only for addresses at these domains
	Hostname        string   // the name the listener greets with; default the first domain
	MaxMessageBytes int64    // default DefaultMaxMessageBytes
	Timeout         time.Duration
	Log             *slog.Logger
}

// Listener is caredesk's inbound SMTP server: it accepts mail for the
// configured domains, parses it and hands it to a Receiver.
type Listener struct {
	cfg     ListenConfig
	srv     *smtp.Server
	receive Receiver
	domains map[string]bool
}

// ParseDomains reads a comma-separated list of mail domains, naming the
// first one that is not a domain.
func ParseDomains(s string) ([]string, error) {
	var out []string
	for _, d := range strings.Split(s, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		if !validDomain(d) {
			return nil, fmt.Errorf("%q is not a mail domain such as care.example.com", d)
		}
		out = append(out, d)
	}
	return out, nil
}

func validDomain(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// NewListener checks the configuration and returns a listener.
func NewListener(cfg ListenConfig, receive Receiver) (*Listener, error) {
	var p care.Problems
	if len(cfg.Domains) == 0 {
		p.Add("mail_domains", "name at least one domain to receive mail for, such as care.example.com")
	}
	l := &Listener{cfg: cfg, receive: receive, domains: map[string]bool{}}
	for _, d := range cfg.Domains {
		if !validDomain(strings.ToLower(d)) {
			p.Add("mail_domains", "%q is not a mail domain such as care.example.com", d)
		}
		l.domains[strings.ToLower(d)] = true
	}
	if cfg.MaxMessageBytes < 0 {
		p.Add("smtp_max_bytes", "must be positive")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if l.cfg.MaxMessageBytes == 0 {
		l.cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if l.cfg.Hostname == "" {
		l.cfg.Hostname = cfg.Domains[0]
	}
	if l.cfg.Timeout <= 0 {
		l.cfg.Timeout = 5 * time.Minute
	}
	if l.cfg.Log == nil {
		l.cfg.Log = slog.Default()
	}
	srv := smtp.NewServer(backend{l})
	srv.Domain = l.cfg.Hostname
	srv.MaxMessageBytes = l.cfg.MaxMessageBytes
	srv.MaxRecipients = maxRecipients
	srv.ReadTimeout, srv.WriteTimeout = l.cfg.Timeout, l.cfg.Timeout
	srv.EnableSMTPUTF8 = true
	l.srv = srv
	return l, nil
}

// Serve accepts connections on ln until Shutdown or Close.
func (l *Listener) Serve(ln net.Listener) error {
	err := l.srv.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits, until ctx ends, for the
// sessions in progress to finish; then it closes them.
func (l *Listener) Shutdown(ctx context.Context) error {
	err := l.srv.Shutdown(ctx)
	if err != nil {
		_ = l.srv.Close()
	}
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

type backend struct{ l *Listener }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{l: b.l, remote: c.Conn().RemoteAddr().String()}, nil
}

type session struct {
	l      *Listener
	remote string
	from   string
	to     []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from, s.to = from, nil
	return nil
}

// Rcpt refuses recipients outside the configured domains: the listener is
// no open relay.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	at := strings.LastIndexByte(to, '@')
	if at < 0 || !s.l.domains[strings.ToLower(to[at+1:])] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: fmt.Sprintf("Relaying denied: this server accepts mail only for %s", strings.Join(s.l.cfg.Domains, ", "))}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code == 552 {
			s.l.cfg.Log.Warn("inbound mail refused: too large", "remote", s.remote, "max_bytes", s.l.cfg.MaxMessageBytes)
			return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
				Message: fmt.Sprintf("Message too large: the limit is %d MiB", s.l.cfg.MaxMessageBytes>>20)}
		}
		return err
	}
	m, err := Parse(raw, s.from, true)
	if err != nil {
		s.l.cfg.Log.Warn("inbound mail refused: unreadable", "remote", s.remote, "err", err)
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message could not be parsed"}
	}
	m.Recipients = append([]string(nil), s.to...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.l.receive(ctx, m); err != nil {
		if care.ErrorCode(err) == care.EINVALID {
			s.l.cfg.Log.Warn("inbound mail refused", "remote", s.remote, "message_id", m.MessageID, "err", err)
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message refused: " + care.ErrorMessage(err)}
		}
		s.l.cfg.Log.Error("inbound mail not stored; the sender will retry", "remote", s.remote, "message_id", m.MessageID, "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure storing the message; try again later"}
	}
	return nil
}
