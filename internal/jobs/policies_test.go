package jobs_test

import (
	"context"
	"strings"
	"sync"
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

// Renewal reminders go out by email for a policy ending in 14 days (the
// first at 14 days, a mid-cycle one at 7, a final notice at 2), each once
// even with two job processes, and stop when the policy is renewed; an
// undecided policy lapses after its end, and both outcomes count in churn.
func TestRenewalRemindersStopWhenRenewed(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		ctx := context.Background()
		svc := service.New(s, nil, service.Config{})
		sys := care.NewContextWithActor(ctx, care.SystemActor("test"))
		end := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC) // 14 days after today
		renewing := newPolicy(t, svc, sys, "Rita Renew", "rita@example.com", "MTR-1001", "motor", end)
		leaving := newPolicy(t, svc, sys, "Larry Leave", "larry@example.com", "HOM-2002", "home", end)

		relay := mailtest.Start(t)
		sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: relay.Host, Port: relay.Port, Security: "none",
			From: "caredesk <care@example.com>"})
		if err != nil {
			t.Fatal(err)
		}
		r1 := &jobs.Runner{Svc: svc, Mail: sender, Owner: "one"}
		r2 := &jobs.Runner{Svc: svc, Mail: sender, Owner: "two"}
		tickBoth := func() {
			var wg sync.WaitGroup
			for _, r := range []*jobs.Runner{r1, r2} {
				wg.Add(1)
				go func() { defer wg.Done(); r.Tick(ctx) }()
			}
			wg.Wait()
		}
		if _, err := svc.OfferRenewal(sys, "MTR-1001", service.RenewalOffer{PremiumMinor: 61250}); err != nil {
			t.Fatal(err)
		}
		tickBoth()
		tickBoth()
		want := map[string][]string{"rita@example.com": {"due for renewal"}, "larry@example.com": {"due for renewal"}}
		expectMail(t, relay, want)
		if got := relay.Messages(); !strings.Contains(got[0].Body+got[1].Body, "GBP 612.50") {
			t.Fatalf("the offered premium is not in the reminder:\n%s\n%s", got[0].Body, got[1].Body)
		}

		clk.Set(time.Date(2026, 11, 9, 8, 0, 0, 0, time.UTC)) // 7 days before the end
		tickBoth()
		tickBoth()
		want["rita@example.com"] = append(want["rita@example.com"], "due for renewal")
		want["larry@example.com"] = append(want["larry@example.com"], "due for renewal")
		expectMail(t, relay, want)

		p, err := svc.TransitionPolicy(sys, "MTR-1001", service.PolicyTransition{To: "renewed", Reason: "accepted by phone"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != "renewed" || p.Start.Format(time.DateOnly) != "2026-11-17" || p.End.Format(time.DateOnly) != "2027-11-16" ||
			p.PremiumMinor != 61250 {
			t.Fatalf("renewed policy: %+v", p)
		}
		clk.Set(time.Date(2026, 11, 14, 8, 0, 0, 0, time.UTC)) // 2 days before the end: final notices
		tickBoth()
		want["larry@example.com"] = append(want["larry@example.com"], "Final notice")
		expectMail(t, relay, want) // none for Rita: renewed

		clk.Set(time.Date(2026, 11, 17, 8, 0, 0, 0, time.UTC)) // the day after the end of cover
		tickBoth()
		want["larry@example.com"] = append(want["larry@example.com"], "has ended")
		expectMail(t, relay, want)
		if f, err := svc.FindPolicyFile(sys, "HOM-2002"); err != nil || f.Policy.Status != "lapsed" || len(f.Reminders) != 4 {
			t.Fatalf("undecided policy after its end: %v %+v", err, f)
		}
		if f, err := svc.FindPolicyFile(sys, "MTR-1001"); err != nil || len(f.Reminders) != 2 || len(f.Events) != 1 {
			t.Fatalf("renewed policy's file: %v %+v", err, f)
		}
		_, _ = renewing, leaving

		checkChurn := func(what string) {
			t.Helper()
			figs, err := svc.KPIs(sys, service.KPIRequest{From: "2026-11-01", To: "2026-11-30", By: "month"})
			if err != nil || len(figs) != 1 {
				t.Fatalf("%s: %v %d", what, err, len(figs))
			}
			if f := figs[0]; f.RenewalsDue != 2 || f.NotRenewed != 1 || !f.ChurnRate.Valid || f.ChurnRate.Value != 0.5 {
				t.Fatalf("%s: churn %d/%d %+v", what, f.NotRenewed, f.RenewalsDue, f.ChurnRate)
			}
			figs, err = svc.KPIs(sys, service.KPIRequest{From: "2026-11-01", To: "2026-11-30", By: "month", Product: "home"})
			if err != nil || figs[0].RenewalsDue != 1 || figs[0].NotRenewed != 1 {
				t.Fatalf("%s: home churn: %v %+v", what, err, figs)
			}
		}
		checkChurn("incremental")
		if _, err := svc.RebuildKPIs(sys, nil, nil); err != nil {
			t.Fatal(err)
		}
		checkChurn("rebuilt")
	})
}

func newPolicy(t *testing.T, svc *service.Service, ctx context.Context, name, email, number, line string, end time.Time) *care.Policy {
	t.Helper()
	c := &care.Customer{Name: name, Email: email}
	if err := svc.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	p := &care.Policy{CustomerID: c.ID, Number: number, Line: line, Status: "in_force", Start: end.AddDate(-1, 0, 1),
		End: end, PremiumMinor: 54000, Currency: "GBP"}
	if err := svc.CreatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// expectMail checks the relay received exactly the wanted subjects, in
// order, per recipient.
func expectMail(t *testing.T, relay *mailtest.Server, want map[string][]string) {
	t.Helper()
	got := map[string][]string{}
	for _, m := range relay.Messages() {
		got[m.To[0]] = append(got[m.To[0]], m.Header.Get("Subject"))
	}
	for to, subjects := range want {
		if len(got[to]) != len(subjects) {
			t.Fatalf("%s received %d messages, want %d: %q", to, len(got[to]), len(subjects), got[to])
		}
		for i, s := range subjects {
			if !strings.Contains(got[to][i], s) {
				t.Fatalf("%s message %d: subject %q, want it to contain %q", to, i, got[to][i], s)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("mail to %d recipients, want %d: %v", len(got), len(want), got)
	}
}
