package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/mail/mailtest"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// startListener runs the inbound SMTP listener on loopback, storing mail
// through svc, until the test ends.
func startListener(t *testing.T, svc *service.Service, maxBytes int64) string {
	t.Helper()
	opts := service.MailOptions{Domains: []string{"care.example.com", "claims.example.com"}}
	l, err := mail.NewListener(mail.ListenConfig{Domains: opts.Domains, MaxMessageBytes: maxBytes},
		func(ctx context.Context, m *mail.Inbound) error {
			_, err := svc.ReceiveMail(ctx, m, opts)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// send delivers raw through a real SMTP client session.
func send(addr, from, to, raw string) error {
	return smtp.SendMail(addr, nil, from, []string{to}, []byte(strings.ReplaceAll(raw, "\n", "\r\n")))
}

func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func message(headers, body string) string {
	return headers + "\nDate: Mon, 02 Nov 2026 09:00:00 +0000\nMIME-Version: 1.0\n\n" + body
}

func TestMailThroughTheListener(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		addr := startListener(t, f.svc, 64<<10)
		agent := f.as["agent"]

		// A new mail opens a case with the sender as customer and queues
		// an acknowledgement threaded to it.
		first := message("From: Maria Garcia <Maria@Example.org>\nTo: care@care.example.com\nSubject: Windscreen cracked\n"+
			"Message-ID: <m1@example.org>\nContent-Type: text/plain; charset=utf-8", "My windscreen cracked on the M4.\nPolicy MP-1.")
		if err := send(addr, "maria@example.org", "care@care.example.com", first); err != nil {
			t.Fatal(err)
		}
		cases, _, err := f.svc.FindCases(agent, care.CaseFilter{})
		if err != nil || len(cases) != 1 {
			t.Fatalf("cases after the first mail: %v %d", err, len(cases))
		}
		c := cases[0]
		if c.Channel != "email" || c.Type != "enquiry" || c.Subject != "Windscreen cracked" || c.CustomerID == 0 {
			t.Fatalf("case: %+v", c)
		}
		cust, _ := f.svc.FindCustomerByID(agent, c.CustomerID)
		if cust.Email != "maria@example.org" || cust.Name != "Maria Garcia" {
			t.Fatalf("customer: %+v", cust)
		}
		out, _ := f.svc.FindOutbox(f.admin, 10)
		if len(out) != 1 {
			t.Fatalf("outbox: %d messages", len(out))
		}
		ack := out[0]
		if ack.To != "maria@example.org" || ack.Subject != "["+c.Reference+"] We have received your message" ||
			ack.Headers["In-Reply-To"] != "<m1@example.org>" || ack.Headers["References"] != "<m1@example.org>" ||
			ack.Headers["Auto-Submitted"] != "auto-replied" || ack.CaseID != c.ID || !strings.Contains(ack.Body, c.Reference) {
			t.Fatalf("acknowledgement: %+v", ack)
		}

		// A reply to the acknowledgement threads into the case.
		clk.Advance(time.Hour)
		reply := message("From: maria@example.org\nTo: care@care.example.com\nSubject: Re: "+ack.Subject+
			"\nMessage-ID: <m2@example.org>\nIn-Reply-To: "+ack.MessageID+"\nReferences: <m1@example.org> "+ack.MessageID,
			"Here is a photo.")
		if err := send(addr, "maria@example.org", "care@care.example.com", reply); err != nil {
			t.Fatal(err)
		}
		// A message naming the reference only in its subject threads too.
		clk.Advance(time.Hour)
		byRef := message("From: maria@example.org\nTo: claims@claims.example.com\nSubject: about case "+
			strings.ToLower(c.Reference)+"\nMessage-ID: <m3@example.org>", "Any news?")
		if err := send(addr, "maria@example.org", "claims@claims.example.com", byRef); err != nil {
			t.Fatal(err)
		}
		// The same message delivered twice is stored once.
		if err := send(addr, "maria@example.org", "claims@claims.example.com", byRef); err != nil {
			t.Fatal(err)
		}
		items, _, _ := f.svc.FindInteractions(agent, c.Reference, 0, 0)
		if len(items) != 3 || items[1].Body != "Here is a photo." || items[2].Body != "Any news?" ||
			items[1].ExternalID != "<m2@example.org>" || items[0].Direction != "inbound" {
			t.Fatalf("interactions: %d %+v", len(items), items)
		}
		if cases, _, _ := f.svc.FindCases(agent, care.CaseFilter{}); len(cases) != 1 {
			t.Fatalf("replies opened cases: %d", len(cases))
		}
		if out, _ := f.svc.FindOutbox(f.admin, 10); len(out) != 1 {
			t.Fatalf("replies were acknowledged: %d outbox messages", len(out))
		}

		// An agent's reply goes out threaded to the latest message and meets
		// the response clock.
		_, ri, err := f.svc.ReplyByEmail(agent, c.Reference, "", "We have booked a repair for Tuesday. Card 4111 1111 1111 1111.")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ri.Subject, c.Reference) || ri.Direction != "outbound" || ri.AgentID != f.users["agent"].ID ||
			strings.Contains(ri.Body, "4111 1111") {
			t.Fatalf("reply: %+v", ri)
		}
		out, _ = f.svc.FindOutbox(f.admin, 10)
		if out[0].Kind != "reply" || out[0].Headers["In-Reply-To"] != "<m3@example.org>" || out[0].MessageID != ri.ExternalID ||
			!strings.HasPrefix(out[0].Headers["References"], "<m1@example.org> "+ack.MessageID) || strings.Contains(out[0].Body, "4111 1111") {
			t.Fatalf("reply in outbox: %+v", out[0])
		}
		clocks, _ := f.svc.FindCaseClocks(agent, c.ID)
		met := false
		for _, k := range clocks {
			if k.Name == "first_response" && k.State == care.ClockMet {
				met = true
			}
		}
		if !met {
			t.Fatalf("the reply did not meet the first-response clock: %+v", clocks)
		}
		// The customer's answer to the agent's reply threads back.
		again := message("From: maria@example.org\nTo: care@care.example.com\nSubject: Re: thanks\nMessage-ID: <m4@example.org>\n"+
			"In-Reply-To: "+ri.ExternalID, "Tuesday suits me.")
		if err := send(addr, "maria@example.org", "care@care.example.com", again); err != nil {
			t.Fatal(err)
		}
		if items, _, _ := f.svc.FindInteractions(agent, c.Reference, 0, 0); len(items) != 5 || items[4].Body != "Tuesday suits me." {
			t.Fatalf("answer to the reply: %d", len(items))
		}
	})
}

func TestMailThatMustNotBecomeACase(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		addr := startListener(t, f.svc, 64<<10)
		agent := f.as["agent"]
		if err := send(addr, "ann@example.org", "care@care.example.com", message(
			"From: ann@example.org\nSubject: Help\nMessage-ID: <a1@example.org>", "Please call me.")); err != nil {
			t.Fatal(err)
		}
		cases, _, _ := f.svc.FindCases(agent, care.CaseFilter{})
		out, _ := f.svc.FindOutbox(f.admin, 10)
		if len(cases) != 1 || len(out) != 1 {
			t.Fatalf("setup: %d cases, %d outbox", len(cases), len(out))
		}
		ackID := out[0].MessageID
		for name, raw := range map[string]string{
			"out of office": message("From: bob@example.org\nSubject: Out of office\nMessage-ID: <o1@example.org>\nAuto-Submitted: auto-replied", "I am away."),
			"x-autoreply":   message("From: bob@example.org\nSubject: Away\nMessage-ID: <o2@example.org>\nX-Autoreply: yes", "Away."),
			"bulk":          message("From: news@example.org\nSubject: Offers\nMessage-ID: <o3@example.org>\nPrecedence: bulk", "Buy."),
			"list":          message("From: list@example.org\nSubject: Digest\nMessage-ID: <o4@example.org>\nList-Id: <x.example.org>", "Digest."),
			"postmaster":    message("From: postmaster@example.org\nSubject: Undeliverable\nMessage-ID: <o5@example.org>", "Failed."),
			"own message":   message("From: care@care.example.com\nSubject: loop\nMessage-ID: "+ackID, "Echo."),
		} {
			if err := send(addr, "bob@example.org", "care@care.example.com", raw); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		// A delivery status notification for the acknowledgement: no case,
		// the outbox message is marked bounced and the case gets a note.
		dsn := "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: care@care.example.com\nSubject: Undelivered Mail\n" +
			"Message-ID: <b1@mx.example.org>\nMIME-Version: 1.0\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n" +
			"--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n" +
			"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n" +
			"Final-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n\n" +
			"--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: " + ackID + "\nSubject: x\n\n--B--\n"
		if err := send(addr, "", "care@care.example.com", dsn); err != nil {
			t.Fatal(err)
		}
		if cases, _, _ := f.svc.FindCases(agent, care.CaseFilter{}); len(cases) != 1 {
			t.Fatalf("machine mail opened cases: %d", len(cases))
		}
		out, _ = f.svc.FindOutbox(f.admin, 10)
		if len(out) != 1 || out[0].State != "bounced" || !strings.Contains(out[0].LastError, "5.1.1") {
			t.Fatalf("outbox after bounce: %+v", out)
		}
		items, _, _ := f.svc.FindInteractions(agent, cases[0].Reference, 0, 0)
		if len(items) != 2 || items[1].Channel != "note" || !strings.Contains(items[1].Body, "could not be delivered") {
			t.Fatalf("bounce note: %+v", items)
		}
	})
}

func TestListenerRefusals(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	s := storetest.Open(t, store.SQLite, clk.Now)
	f := setup(t, s, clk)
	addr := startListener(t, f.svc, 64<<10)
	err := send(addr, "x@example.org", "someone@elsewhere.example.com", message("From: x@example.org\nSubject: relay", "hi"))
	if smtpCode(err) != 550 || !strings.Contains(err.Error(), "care.example.com") {
		t.Fatalf("unknown domain: %v", err)
	}
	big := message("From: x@example.org\nSubject: big", strings.Repeat("0123456789abcdef\n", 70<<10/17))
	if err := send(addr, "x@example.org", "care@care.example.com", big); smtpCode(err) != 552 || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("oversize: %v", err)
	}
	if cases, _, _ := f.svc.FindCases(f.as["agent"], care.CaseFilter{}); len(cases) != 0 {
		t.Fatalf("refused mail opened %d cases", len(cases))
	}
}

func TestMailContentHTMLCharsetsAttachments(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	dsn := storetest.DSN(t, store.SQLite)
	st, err := store.Open(context.Background(), dsn, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := setup(t, st, clk)
	addr := startListener(t, f.svc, 1<<20)
	agent := f.as["agent"]
	const card = "4111 1111 1111 1111"
	htmlOnly := message("From: =?ISO-8859-1?Q?Jos=E9_N=FA=F1ez?= <jose@example.org>\nSubject: =?UTF-8?B?w4Fnb3N0byBwYXltZW50?=\n"+
		"Message-ID: <h1@example.org>\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable",
		"<html><body><p>Se=F1or, please charge my card "+card+".</p><p>Gracias <b>Jos=E9</b></p></body></html>")
	if err := send(addr, "jose@example.org", "care@care.example.com", htmlOnly); err != nil {
		t.Fatal(err)
	}
	multi := message("From: jose@example.org\nSubject: Documents\nMessage-ID: <h2@example.org>\n"+
		"Content-Type: multipart/mixed; boundary=\"M\"",
		"--M\nContent-Type: text/plain; charset=utf-8\n\nAttached, card 4111-1111-1111-1111.\n"+
			"--M\nContent-Type: text/plain; name=\"notes.txt\"\nContent-Disposition: attachment; filename=\"notes.txt\"\n\n"+
			"card "+card+" in a file\n"+
			"--M\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"setup.exe\"\n"+
			"Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n"+
			"--M\nContent-Type: image/png\nContent-Disposition: inline; filename=\"dent.png\"\nContent-ID: <img1>\n"+
			"Content-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==\n--M--\n")
	if err := send(addr, "jose@example.org", "care@care.example.com", multi); err != nil {
		t.Fatal(err)
	}
	cases, _, _ := f.svc.FindCases(agent, care.CaseFilter{})
	if len(cases) != 2 {
		t.Fatalf("%d cases", len(cases))
	}
	html, docs := cases[1], cases[0]
	items, _, _ := f.svc.FindInteractions(agent, html.Reference, 0, 0)
	body := items[0].Body
	if html.Subject != "Ágosto payment" || strings.Contains(body, "<") || !strings.Contains(body, "Señor") ||
		!strings.Contains(body, "José") || strings.Contains(body, "4111 1111") || !strings.Contains(body, "1111]") {
		t.Fatalf("HTML-only mail: subject %q body %q", html.Subject, body)
	}
	cust, _ := f.svc.FindCustomerByID(agent, html.CustomerID)
	if cust.Name != "José Núñez" {
		t.Fatalf("customer name %q", cust.Name)
	}
	files, _ := f.svc.FindAttachments(agent, docs.Reference)
	if len(files) != 2 || files[0].Filename != "notes.txt" || files[1].Filename != "dent.png" || files[1].ContentType != "image/png" {
		t.Fatalf("attachments: %+v", files)
	}
	if _, data, _ := f.svc.FindAttachment(agent, files[0].ID); strings.Contains(string(data), "4111") {
		t.Fatalf("text attachment kept unmasked: %q", data)
	}
	items, _, _ = f.svc.FindInteractions(agent, docs.Reference, 0, 0)
	if len(items) != 2 || !strings.Contains(items[1].Body, "setup.exe") || items[0].Body == "" {
		t.Fatalf("refused program not noted: %+v", items)
	}
	st.Close()
	_, path, _ := store.ParseDSN(dsn)
	for _, file := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, raw := range []string{"4111111111111111", card, "4111-1111-1111-1111"} {
			if bytes.Contains(b, []byte(raw)) {
				t.Fatalf("%s holds %q", file, raw)
			}
		}
	}
}

// The acknowledgement leaves through a real SMTP relay, with its threading
// headers, once the relay's outage ends.
func TestAcknowledgementSurvivesRelayOutage(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	s := storetest.Open(t, store.SQLite, clk.Now)
	f := setup(t, s, clk)
	addr := startListener(t, f.svc, 1<<20)
	if err := send(addr, "kim@example.org", "care@care.example.com", message(
		"From: kim@example.org\nSubject: Hello\nMessage-ID: <k1@example.org>", "Hello there.")); err != nil {
		t.Fatal(err)
	}
	relay := mailtest.Start(t)
	relay.SetDown(true)
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: relay.Host, Port: relay.Port, Security: "none", From: "Care <care@care.example.com>"})
	if err != nil {
		t.Fatal(err)
	}
	deliver := func() int {
		n, err := f.svc.DeliverMail(context.Background(), sender, "t", time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := deliver(); n != 0 {
		t.Fatalf("delivered %d during the outage", n)
	}
	relay.SetDown(false)
	clk.Advance(time.Minute) // past the first backoff
	if n := deliver(); n != 1 {
		t.Fatalf("delivered %d after the outage", n)
	}
	if n := deliver(); n != 0 {
		t.Fatalf("delivered again: %d", n)
	}
	got := relay.Messages()
	h := got[0].Header
	if len(got) != 1 || h.Get("In-Reply-To") != "<k1@example.org>" || h.Get("References") != "<k1@example.org>" ||
		h.Get("Auto-Submitted") != "auto-replied" || h.Get("Subject") != "[CD-2026-000001] We have received your message" {
		t.Fatalf("delivered: %d, headers %v", len(got), h)
	}
}

// The acknowledgement is the written acknowledgement regimes time: it meets
// the acknowledge milestone of a complaint opened by email.
func TestMailAcknowledgementMeetsTheAcknowledgeClock(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		m, err := mail.Parse([]byte("From: Ola <ola@example.org>\r\nSubject: Complaint\r\nMessage-ID: <c1@example.org>\r\n\r\nUnacceptable."), "ola@example.org", true)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.ReceiveMail(context.Background(), m, service.MailOptions{CaseType: "complaint"})
		if err != nil || r.Kind != "case" || !r.Acknowledged {
			t.Fatalf("receive: %+v %v", r, err)
		}
		again, err := f.svc.ReceiveMail(context.Background(), m, service.MailOptions{CaseType: "complaint"})
		if err != nil || !again.Duplicate || again.Reference != r.Reference {
			t.Fatalf("duplicate: %+v %v", again, err)
		}
		clocks, _ := f.svc.FindCaseClocks(f.as["complaints_handler"], r.CaseID)
		found := false
		for _, k := range clocks {
			if k.Name == "acknowledge" {
				found = true
				if k.State != care.ClockMet {
					t.Fatalf("acknowledge clock %s", k.State)
				}
			}
		}
		if !found {
			t.Fatalf("no acknowledge clock on an ISO 10002 complaint: %+v", clocks)
		}
	})
}

// Guards against loops and stale threads: at most three acknowledgements an
// hour to one address, none to our own domains, and a reply to a closed case
// opens a new one.
func TestMailLoopGuardsAndClosedCases(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		opts := service.MailOptions{Domains: []string{"care.example.com"}}
		receive := func(from, headers string) *service.MailReceipt {
			t.Helper()
			m, err := mail.Parse([]byte(strings.ReplaceAll(message("From: "+from+"\n"+headers, "text"), "\n", "\r\n")), from, true)
			if err != nil {
				t.Fatal(err)
			}
			r, err := f.svc.ReceiveMail(context.Background(), m, opts)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for i := range 4 {
			r := receive("bot@example.org", fmt.Sprintf("Subject: Ticket %d\nMessage-ID: <bot-%d@example.org>", i, i))
			if r.Kind != "case" || r.Acknowledged != (i < 3) {
				t.Fatalf("mail %d: %+v", i, r)
			}
		}
		clk.Advance(61 * time.Minute)
		if r := receive("bot@example.org", "Subject: Later\nMessage-ID: <bot-9@example.org>"); !r.Acknowledged {
			t.Fatalf("an hour later: %+v", r)
		}
		if r := receive("staff@care.example.com", "Subject: Internal\nMessage-ID: <int-1@care.example.com>"); r.Acknowledged {
			t.Fatalf("mail from our own domain acknowledged: %+v", r)
		}
		first := receive("ann@example.org", "Subject: Question\nMessage-ID: <q1@example.org>")
		st := "closed"
		if _, err := f.svc.UpdateCase(f.as["supervisor"], first.Reference, care.CaseUpdate{Status: &st}); err != nil {
			t.Fatal(err)
		}
		r := receive("ann@example.org", "Subject: Re: ["+first.Reference+"] Question\nMessage-ID: <q2@example.org>\nIn-Reply-To: <q1@example.org>")
		if r.Kind != "case" || r.CaseID == first.CaseID {
			t.Fatalf("a reply to a closed case: %+v", r)
		}
		items, _, _ := f.svc.FindInteractions(f.as["agent"], r.Reference, 0, 0)
		if !strings.Contains(items[0].Body, "answers case "+first.Reference+", which is closed") {
			t.Fatalf("the new case does not name the closed one: %q", items[0].Body)
		}
	})
}
