package mail

import (
	"strings"
	"testing"
)

func raw(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestParseClassifiesMachineMail(t *testing.T) {
	for _, tc := range []struct {
		name, headers, envFrom string
		want                   string
	}{
		{"person", "From: ann@example.org", "ann@example.org", ""},
		{"auto-submitted", "From: ann@example.org\nAuto-Submitted: auto-replied", "ann@example.org", KindAutoReply},
		{"auto-submitted no", "From: ann@example.org\nAuto-Submitted: no", "ann@example.org", ""},
		{"x-autoreply", "From: ann@example.org\nX-Autoreply: yes", "ann@example.org", KindAutoReply},
		{"null sender", "From: ann@example.org", "", KindAutoReply},
		{"precedence junk", "From: ann@example.org\nPrecedence: junk", "ann@example.org", KindList},
		{"precedence first-class", "From: ann@example.org\nPrecedence: first-class", "ann@example.org", ""},
		{"list-unsubscribe", "From: ann@example.org\nList-Unsubscribe: <mailto:u@example.org>", "ann@example.org", KindList},
		{"mailer-daemon", "From: MAILER-DAEMON@mx.example.org", "", KindBounce},
		{"postmaster", "From: Postmaster <postmaster@example.org>", "x@example.org", KindBounce},
	} {
		m, err := Parse(raw(tc.headers+"\nSubject: s\nMessage-ID: <a@b>\n\nhello\n"), tc.envFrom, true)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if m.Auto != tc.want {
			t.Errorf("%s: classified %q (%s), want %q", tc.name, m.Auto, m.AutoReason, tc.want)
		}
	}
	// Without an SMTP envelope, Return-Path: <> marks the null sender.
	m, _ := Parse(raw("Return-Path: <>\nFrom: ann@example.org\nSubject: s\n\nhi\n"), "", false)
	if !m.NullSender || m.Auto != KindAutoReply {
		t.Fatalf("Return-Path <>: %+v", m)
	}
	m, _ = Parse(raw("Return-Path: <ann@example.org>\nFrom: ann@example.org\nSubject: s\n\nhi\n"), "", false)
	if m.NullSender || m.Auto != "" {
		t.Fatalf("Return-Path with an address: %+v", m)
	}
}

func TestParseBounceFindsTheOriginal(t *testing.T) {
	m, err := Parse(raw("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nSubject: Undelivered\n"+
		"Message-ID: <b@mx>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"+
		"--B\nContent-Type: text/plain\n\nSorry.\n"+
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"+
		"Final-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 no such user\n\n"+
		"--B\nContent-Type: message/rfc822\n\nMessage-ID: <ours@caredesk>\nSubject: ack\n\nbody\n--B--\n"), "", true)
	if err != nil {
		t.Fatal(err)
	}
	if m.Auto != KindBounce || len(m.BouncedIDs) != 1 || m.BouncedIDs[0] != "<ours@caredesk>" ||
		!strings.Contains(m.BounceReason, "5.1.1") || !strings.Contains(m.BounceReason, "no such user") {
		t.Fatalf("bounce: %+v", m)
	}
}

func TestParseContent(t *testing.T) {
	m, err := Parse(raw("From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <Zoe@Example.ORG>\nSubject: =?ISO-8859-1?Q?R=E9clamation?=\n"+
		"In-Reply-To: <x@y>\nReferences: <w@y>\n <x@y>\nMIME-Version: 1.0\n"+
		"Content-Type: multipart/alternative; boundary=\"A\"\n\n"+
		"--A\nContent-Type: text/html; charset=windows-1252\nContent-Transfer-Encoding: quoted-printable\n\n"+
		"<div>Bonjour,</div><div>le sinistre du 3 ao=FBt&nbsp;&agrave; Lyon</div><script>x()</script>\n--A--\n"), "zoe@example.org", true)
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "zoe@example.org" || m.FromName != "Zoë Müller" || m.Subject != "Réclamation" {
		t.Fatalf("headers: %q %q %q", m.From, m.FromName, m.Subject)
	}
	if strings.Contains(m.Text, "<") || !strings.Contains(m.Text, "Bonjour") || !strings.Contains(m.Text, "août") ||
		!strings.Contains(m.Text, "à Lyon") {
		t.Fatalf("HTML-only text: %q", m.Text)
	}
	if len(m.InReplyTo) != 1 || len(m.References) != 2 || m.References[1] != "<x@y>" {
		t.Fatalf("threading: %v %v", m.InReplyTo, m.References)
	}
	if !strings.HasSuffix(m.MessageID, "@no-id.caredesk>") {
		t.Fatalf("a message without Message-ID gets a digest: %q", m.MessageID)
	}
	again, _ := Parse(raw("From: a@b.example\n\nsame"), "", true)
	twice, _ := Parse(raw("From: a@b.example\n\nsame"), "", true)
	if again.MessageID != twice.MessageID {
		t.Fatal("the digest of identical messages differs")
	}
}

func TestSubjectsAndDomains(t *testing.T) {
	if got := ReferenceInSubject("RE: your case cd-2026-000123 [x]"); got != "CD-2026-000123" {
		t.Errorf("ReferenceInSubject: %q", got)
	}
	if got := ReferenceInSubject("Claim CD-2026-12"); got != "" {
		t.Errorf("a short number is no reference: %q", got)
	}
	if got := ReplySubject("CD-2026-000001", "Re: Fwd: Storm damage"); got != "Re: [CD-2026-000001] Storm damage" {
		t.Errorf("ReplySubject: %q", got)
	}
	subject, body := Acknowledgement(AckData{Name: "Ann", Reference: "CD-2026-000123", Subject: "Storm"})
	if subject != "[CD-2026-000123] We have received your message" || !strings.Contains(body, "Dear Ann,") ||
		!strings.Contains(body, "[CD-2026-000123]") {
		t.Errorf("acknowledgement: %q\n%s", subject, body)
	}
	if d, err := ParseDomains(" Care.Example.com, claims.example.com ,"); err != nil || len(d) != 2 || d[0] != "care.example.com" {
		t.Errorf("ParseDomains: %v %v", d, err)
	}
	for _, bad := range []string{"localhost", "care example.com", "-x.example.com", "a..b"} {
		if _, err := ParseDomains(bad); err == nil {
			t.Errorf("ParseDomains accepted %q", bad)
		}
	}
}

// Parse never panics and always yields a storable Message-ID, whatever
// arrives on port 25.
func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@b.example\r\nSubject: hi\r\n\r\nbody"))
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\n\r\nx\r\n--B--"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b, "", true)
		if err == nil && (m.MessageID == "" || len(m.MessageID) > maxIDLen) {
			t.Fatalf("Message-ID %q", m.MessageID)
		}
	})
}
