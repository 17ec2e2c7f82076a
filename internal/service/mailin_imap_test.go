package service_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// startIMAP runs an in-memory IMAP server on loopback holding msgs in the
// INBOX of user care/secret.
func startIMAP(t *testing.T, msgs ...string) (string, *imapmemserver.User) {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("care", "secret")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	for _, m := range msgs {
		if _, err := user.Append("INBOX", bytes.NewReader([]byte(strings.ReplaceAll(m, "\n", "\r\n"))), &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		InsecureAuth: true,
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), user
}

func TestMailFromAnIMAPMailbox(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		addr, user := startIMAP(t,
			message("Return-Path: <sam@example.org>\nFrom: Sam <sam@example.org>\nSubject: Flooded kitchen\nMessage-ID: <s1@example.org>",
				"Water everywhere, card 4111 1111 1111 1111."),
			message("Return-Path: <>\nFrom: sam@example.org\nSubject: Out of office\nMessage-ID: <s2@example.org>", "Away."),
		)
		opts := service.MailOptions{Domains: []string{"care.example.com"}}
		receive := func(ctx context.Context, m *mail.Inbound) error {
			_, err := f.svc.ReceiveMail(ctx, m, opts)
			return err
		}
		cfg := mail.IMAPConfig{Addr: addr, Security: "none", Username: "care", Password: "secret"}
		n, err := mail.PollIMAP(context.Background(), cfg, receive, nil)
		if err != nil || n != 2 {
			t.Fatalf("poll: %d %v", n, err)
		}
		if n, err := mail.PollIMAP(context.Background(), cfg, receive, nil); err != nil || n != 0 {
			t.Fatalf("second poll fetched again: %d %v", n, err)
		}
		cases, _, _ := f.svc.FindCases(f.as["agent"], care.CaseFilter{})
		if len(cases) != 1 || cases[0].Subject != "Flooded kitchen" || strings.Contains(cases[0].Description, "4111 1111") {
			t.Fatalf("cases from the mailbox: %+v", cases)
		}
		if out, _ := f.svc.FindOutbox(f.admin, 10); len(out) != 1 {
			t.Fatalf("acknowledgements: %d (the out-of-office must get none)", len(out))
		}
		st, err := user.Status("INBOX", &imap.StatusOptions{NumUnseen: true})
		if err != nil || st.NumUnseen == nil || *st.NumUnseen != 0 {
			t.Fatalf("messages left unseen: %+v %v", st, err)
		}
		bad := mail.IMAPConfig{Addr: addr, Security: "none", Username: "care", Password: "wrong"}
		if _, err := mail.PollIMAP(context.Background(), bad, receive, nil); err == nil || !strings.Contains(err.Error(), "login as care") {
			t.Fatalf("bad password: %v", err)
		}
	})
}
