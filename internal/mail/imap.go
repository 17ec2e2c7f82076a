package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/caredesk/caredesk/internal/care"
)

// IMAPConfig names a mailbox to poll for inbound mail, for a firm whose
// mail already lands in an existing mailbox rather than at caredesk's own
// SMTP listener.
type IMAPConfig struct {
	Addr            string // host:port
	Security        string // "tls" (default), "starttls" or "none"
	Username        string
	Password        string
	Mailbox         string // default INBOX
	MaxMessageBytes int64  // larger messages are marked seen and left in the mailbox; default DefaultMaxMessageBytes
	Timeout         time.Duration
	// InsecureSkipVerify is for tests against a server with a self-signed
	// certificate; never set it in production.
	InsecureSkipVerify bool
}

// Check reports every missing or invalid setting.
func (c *IMAPConfig) Check() error {
	var p care.Problems
	p.Required("imap_addr", c.Addr)
	if _, _, err := net.SplitHostPort(c.Addr); c.Addr != "" && err != nil {
		p.Add("imap_addr", "must be host:port, such as imap.example.com:993")
	}
	p.Required("imap_user", c.Username)
	switch c.Security {
	case "", "tls", "starttls", "none":
	default:
		p.Add("imap_security", "must be one of: tls, starttls, none")
	}
	return p.Err()
}

// pollBatch is how many messages one FETCH asks for.
const pollBatch = 50

// PollIMAP hands each unseen message of the mailbox to receive and marks it
// \Seen once stored, so it is fetched once; a message that cannot be
// stored stays unseen and is tried again at the next poll (the Message-ID
// check makes a repeat harmless). It returns how many messages it stored.
func PollIMAP(ctx context.Context, cfg IMAPConfig, receive Receiver, log *slog.Logger) (int, error) {
	if err := cfg.Check(); err != nil {
		return 0, err
	}
	if log == nil {
		log = slog.Default()
	}
	c, err := dialIMAP(cfg)
	if err != nil {
		return 0, fmt.Errorf("imap %s: %w", cfg.Addr, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	if err := c.Login(cfg.Username, cfg.Password).Wait(); err != nil {
		return 0, fmt.Errorf("imap %s: login as %s: %w", cfg.Addr, cfg.Username, err)
	}
	mailbox := cfg.Mailbox
	if mailbox == "" {
		mailbox = "INBOX"
	}
	if _, err := c.Select(mailbox, nil).Wait(); err != nil {
		return 0, fmt.Errorf("imap %s: select %s: %w", cfg.Addr, mailbox, err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("imap %s: search unseen: %w", cfg.Addr, err)
	}
	uids, stored := found.AllUIDs(), 0
	for start := 0; start < len(uids); start += pollBatch {
		n, err := pollUIDs(ctx, c, cfg, uids[start:min(start+pollBatch, len(uids))], receive, log)
		stored += n
		if err != nil {
			return stored, err
		}
	}
	_ = c.Logout().Wait()
	return stored, nil
}

func pollUIDs(ctx context.Context, c *imapclient.Client, cfg IMAPConfig, uids []imap.UID, receive Receiver, log *slog.Logger) (int, error) {
	limit := cfg.MaxMessageBytes
	if limit <= 0 {
		limit = DefaultMaxMessageBytes
	}
	body := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true,
		BodySection: []*imap.FetchItemBodySection{body}}).Collect()
	if err != nil {
		return 0, fmt.Errorf("imap %s: fetch: %w", cfg.Addr, err)
	}
	stored := 0
	for _, msg := range msgs {
		raw := msg.FindBodySection(body)
		var m *Inbound
		switch {
		case msg.RFC822Size > limit:
			log.Warn("mailbox message too large; marked seen and left in the mailbox", "uid", msg.UID, "size", msg.RFC822Size)
		default:
			if m, err = Parse(raw, "", false); err != nil {
				log.Warn("mailbox message unreadable; marked seen and left in the mailbox", "uid", msg.UID, "err", err)
			}
		}
		if m != nil {
			if err := receive(ctx, m); err != nil {
				return stored, fmt.Errorf("store mailbox message %d: %w", msg.UID, err)
			}
			stored++
		}
		seen := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}, Silent: true}
		if err := c.Store(imap.UIDSetNum(msg.UID), seen, nil).Close(); err != nil {
			return stored, fmt.Errorf("imap %s: mark %d seen: %w", cfg.Addr, msg.UID, err)
		}
	}
	return stored, nil
}

func dialIMAP(cfg IMAPConfig) (*imapclient.Client, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	host, _, _ := net.SplitHostPort(cfg.Addr)
	opts := &imapclient.Options{
		TLSConfig: &tls.Config{ServerName: host, InsecureSkipVerify: cfg.InsecureSkipVerify}, //nolint:gosec // tests only
		Dialer:    &net.Dialer{Timeout: timeout},
	}
	switch cfg.Security {
	case "starttls":
		return imapclient.DialStartTLS(cfg.Addr, opts)
	case "none":
		return imapclient.DialInsecure(cfg.Addr, opts)
	}
	return imapclient.DialTLS(cfg.Addr, opts)
}

// RunIMAP polls the mailbox every interval until ctx ends, logging
// failures: a mailbox outage delays mail but stops nothing.
func RunIMAP(ctx context.Context, cfg IMAPConfig, every time.Duration, receive Receiver, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := PollIMAP(ctx, cfg, receive, log); err != nil && ctx.Err() == nil {
			log.Error("mailbox poll", "mailbox", cfg.Addr, "err", err)
		} else if n > 0 {
			log.Info("mailbox poll", "stored", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
