package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/jobs"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/mail/mailtest"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// A breach's notification mail waits out a relay outage in the outbox and
// is delivered, once, when the relay is back.
func TestBreachMailSurvivesRelayOutage(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		svc := service.New(s, nil, service.Config{BaseURL: "https://care.example.com"})
		sys := care.NewContextWithActor(ctx, care.SystemActor("test"))
		agent := &care.User{Email: "agent@example.com", Name: "Ann Agent", Role: "agent"}
		if _, err := svc.CreateUser(sys, agent, ""); err != nil {
			t.Fatal(err)
		}
		c, err := svc.CreateCase(sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "chat",
			Subject: "Where is my refund?", AssigneeID: agent.ID}})
		if err != nil {
			t.Fatal(err)
		}
		relay := mailtest.Start(t)
		relay.SetDown(true)
		sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: relay.Host, Port: relay.Port, Security: "none",
			From: "caredesk <care@example.com>"})
		if err != nil {
			t.Fatal(err)
		}
		r := &jobs.Runner{Svc: svc, Mail: sender, Owner: "test"}
		clk.Advance(10 * 24 * time.Hour) // first response and resolution are overdue
		r.Tick(ctx)
		out, _ := svc.FindOutbox(sys, 100)
		if len(out) == 0 {
			t.Fatal("no notification mail queued")
		}
		for _, m := range out {
			if m.State != "pending" || m.Attempts != 1 || !strings.Contains(m.LastError, "421") {
				t.Fatalf("during the outage: %+v", m)
			}
		}
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("relay accepted %d messages while down", n)
		}
		relay.SetDown(false)
		r.Tick(ctx) // too early: the backoff has not passed
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("retried before the backoff: %d", n)
		}
		clk.Advance(time.Minute)
		r.Tick(ctx)
		r.Tick(ctx)
		got := relay.Messages()
		if len(got) != len(out) {
			t.Fatalf("delivered %d of %d", len(got), len(out))
		}
		ids := map[string]bool{}
		for _, m := range got {
			id := m.Header.Get("Message-Id")
			if ids[id] {
				t.Fatalf("message %s delivered twice", id)
			}
			ids[id] = true
			if m.To[0] != "agent@example.com" || !strings.Contains(m.Body, c.Reference) ||
				!strings.Contains(m.Body, "https://care.example.com/cases/"+c.Reference) {
				t.Fatalf("unexpected mail: to %v body %q", m.To, m.Body)
			}
		}
		out, _ = svc.FindOutbox(sys, 100)
		for _, m := range out {
			if m.State != "sent" || m.SentAt.IsZero() {
				t.Fatalf("after recovery: %+v", m)
			}
		}
	})
}

// Clocks that fell due while no process ran fire as soon as a runner starts.
func TestRunnerCatchesUpOnStart(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	s := storetest.Open(t, store.SQLite, clk.Now)
	svc := service.New(s, nil, service.Config{})
	sys := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
	c, err := svc.CreateCase(sys, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * 24 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { (&jobs.Runner{Svc: svc, Every: time.Hour}).Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ks, err := svc.FindCaseClocks(sys, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		breached := 0
		for _, k := range ks {
			if k.State == care.ClockBreached {
				breached++
			}
		}
		if breached == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("runner did not sweep on start: %d breached", breached)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done // Run returns when its context ends
}
