package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/dsn"
)

// Kinds of inbound mail that must not become a case.
const (
	KindAutoReply = "auto_reply" // out-of-office and other automatic answers (RFC 3834)
	KindBounce    = "bounce"     // a delivery status notification or a mailer daemon's message
	KindList      = "list"       // list, bulk or junk mail
)

// Inbound is one received email, parsed: its threading headers, sender,
// readable text (HTML-only mail turned into text, every charset decoded to
// UTF-8) and files. Nothing in it is redacted yet.
type Inbound struct {
	EnvelopeFrom string   // SMTP MAIL FROM (or the Return-Path header)
	NullSender   bool     // MAIL FROM:<> (or Return-Path: <>): a bounce or an automatic reply
	Recipients   []string // SMTP RCPT TO
	MessageID    string   // "<…>"; a digest of the raw message when it had none
	InReplyTo    []string
	References   []string
	From         string // the sender's address, lower-cased
	FromName     string
	Subject      string
	Date         time.Time // the Date header; zero when missing or unreadable
	Text         string
	Attachments  []Attachment
	Size         int

	// Auto is KindAutoReply, KindBounce or KindList when the message was
	// sent by a machine rather than a person, with AutoReason saying why.
	Auto       string
	AutoReason string
	// BouncedIDs are the Message-IDs of the messages a bounce reports as
	// undelivered; BounceReason is the status and diagnostic it gives.
	BouncedIDs   []string
	BounceReason string
}

// Attachment is a file from a received message.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
	Inline      bool // shown inside the message (an image in an HTML body)
}

var msgIDPattern = regexp.MustCompile(`<[^<>\s]+>`)

// maxIDLen keeps a Message-ID within the interaction's external_id column.
const maxIDLen = 200

// Parse reads a raw RFC 5322 message. envelopeFrom is the SMTP sender ("" for
// the null sender); pass hasEnvelope false when the message did not arrive
// over SMTP (IMAP, a file), so the Return-Path header is read instead.
func Parse(raw []byte, envelopeFrom string, hasEnvelope bool) (*Inbound, error) {
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse message: %w", err)
	}
	m := &Inbound{EnvelopeFrom: envelopeFrom, Size: len(raw), Subject: strings.TrimSpace(env.GetHeader("Subject"))}
	m.NullSender = hasEnvelope && envelopeFrom == ""
	if !hasEnvelope {
		rp := strings.TrimSpace(env.GetHeader("Return-Path"))
		m.EnvelopeFrom, m.NullSender = strings.Trim(rp, "<>"), rp == "<>"
	}
	m.MessageID = normalizeID(env.GetHeader("Message-Id"), raw)
	m.InReplyTo = messageIDs(env.GetHeader("In-Reply-To"))
	m.References = messageIDs(env.GetHeader("References"))
	if addrs, err := env.AddressList("From"); err == nil && len(addrs) > 0 {
		m.From, m.FromName = strings.ToLower(addrs[0].Address), addrs[0].Name
	} else if a, err := mail.ParseAddress(env.GetHeader("From")); err == nil {
		m.From, m.FromName = strings.ToLower(a.Address), a.Name
	}
	if d, err := env.Date(); err == nil {
		m.Date = d
	}
	m.Text = cleanText(env.Text)
	for _, p := range env.Attachments {
		m.Attachments = append(m.Attachments, attachmentOf(p, false))
	}
	for _, p := range env.Inlines {
		m.Attachments = append(m.Attachments, attachmentOf(p, true))
	}
	classify(m, env)
	return m, nil
}

func attachmentOf(p *enmime.Part, inline bool) Attachment {
	name := p.FileName
	if name == "" {
		name = "attachment"
		if p.ContentID != "" {
			name = strings.Trim(p.ContentID, "<>")
		}
	}
	return Attachment{Filename: name, ContentType: p.ContentType, Data: p.Content, Inline: inline}
}

// normalizeID returns the message's Message-ID, or a digest of the raw
// bytes when it has none (so an identical re-delivery is still recognised),
// or of the ID when it is too long to store.
func normalizeID(header string, raw []byte) string {
	ids := messageIDs(header)
	switch {
	case len(ids) > 0 && len(ids[0]) <= maxIDLen:
		return ids[0]
	case len(ids) > 0:
		sum := sha256.Sum256([]byte(ids[0]))
		return "<" + hex.EncodeToString(sum[:]) + "@long-id.caredesk>"
	case strings.TrimSpace(header) != "" && len(header) <= maxIDLen-2 && !strings.ContainsAny(header, " \t<>"):
		return "<" + strings.TrimSpace(header) + ">"
	}
	sum := sha256.Sum256(raw)
	return "<" + hex.EncodeToString(sum[:]) + "@no-id.caredesk>"
}

// messageIDs returns the <…> tokens of a threading header, in order.
func messageIDs(s string) []string {
	var out []string
	for _, id := range msgIDPattern.FindAllString(s, 50) {
		if len(id) <= maxIDLen {
			out = append(out, id)
		}
	}
	return out
}

// cleanText normalises line ends and trims trailing space, and drops
// invalid UTF-8 so the text is safe to store.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ToValidUTF8(s, "\uFFFD")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// classify recognises mail sent by a machine: bounces, automatic replies and
// list or bulk mail. Answering any of them risks a mail loop.
func classify(m *Inbound, env *enmime.Envelope) {
	h := env.GetHeader
	local, _, _ := strings.Cut(m.From, "@")
	ct := ""
	if env.Root != nil {
		ct = env.Root.ContentType
	}
	switch {
	case ct == "multipart/report" && strings.EqualFold(env.Root.ContentTypeParams["report-type"], "delivery-status"):
		m.Auto, m.AutoReason = KindBounce, "multipart/report delivery-status"
	case local == "mailer-daemon" || local == "postmaster":
		m.Auto, m.AutoReason = KindBounce, "sender "+m.From
	case h("Auto-Submitted") != "" && !strings.EqualFold(strings.TrimSpace(h("Auto-Submitted")), "no"):
		m.Auto, m.AutoReason = KindAutoReply, "Auto-Submitted: "+h("Auto-Submitted")
	case h("X-Autoreply") != "" || h("X-Autorespond") != "" || h("X-Autoresponder") != "":
		m.Auto, m.AutoReason = KindAutoReply, "X-Autoreply header"
	case m.NullSender:
		m.Auto, m.AutoReason = KindAutoReply, "null sender (Return-Path <>)"
	case isBulk(h("Precedence")):
		m.Auto, m.AutoReason = KindList, "Precedence: "+h("Precedence")
	case h("List-Id") != "" || h("List-Unsubscribe") != "":
		m.Auto, m.AutoReason = KindList, "List-Id or List-Unsubscribe header"
	}
	if m.Auto == KindBounce || m.NullSender {
		bounceDetails(m, env)
	}
}

func isBulk(p string) bool {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "bulk", "junk", "list":
		return true
	}
	return false
}

// bounceDetails finds which of our messages bounced and why: the
// delivery-status part's Status and Diagnostic-Code, and the Message-ID of
// the returned message or headers (falling back to In-Reply-To).
func bounceDetails(m *Inbound, env *enmime.Envelope) {
	if env.Root == nil {
		return
	}
	if r, err := dsn.ParseReport(env.Root); err == nil && r != nil {
		for _, rcpt := range r.DeliveryStatus.RecipientDSNs {
			if dsn.IsFailed(rcpt) || m.BounceReason == "" {
				m.BounceReason = strings.TrimSpace(strings.Join(nonEmpty(rcpt.Get("Final-Recipient"), rcpt.Get("Status"),
					rcpt.Get("Diagnostic-Code")), " "))
			}
		}
	}
	walk(env.Root, func(p *enmime.Part) {
		switch p.ContentType {
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global", "message/global-headers":
			if id := returnedID(p.Content); id != "" {
				m.BouncedIDs = append(m.BouncedIDs, id)
			}
		}
	})
	if len(m.BouncedIDs) == 0 {
		m.BouncedIDs = append(append([]string(nil), m.InReplyTo...), m.References...)
	}
	if m.BounceReason == "" {
		m.BounceReason = firstLine(m.Text)
	}
	if r := []rune(m.BounceReason); len(r) > 500 {
		m.BounceReason = string(r[:500])
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// returnedID reads the Message-ID from a returned message or its headers.
func returnedID(b []byte) string {
	head, _, _ := bytes.Cut(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n\n"))
	msg, err := mail.ReadMessage(bytes.NewReader(append(head, '\n', '\n')))
	if err != nil {
		return ""
	}
	if ids := messageIDs(msg.Header.Get("Message-Id")); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

func walk(p *enmime.Part, fn func(*enmime.Part)) {
	for ; p != nil; p = p.NextSibling {
		fn(p)
		walk(p.FirstChild, fn)
	}
}

// TruncateRunes cuts s to at most n runes.
func TruncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
