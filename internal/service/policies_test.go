package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// Four processes' worth of policy jobs running at once send each reminder
// and each missed-payment notice exactly once; a customer without an email
// address gets the reminder recorded as not sent.
func TestPolicyJobSendsOnce(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		svc := service.New(s, nil, service.Config{})
		sys := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
		end := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
		const n, noEmail = 24, 4
		for i := range n {
			c := &care.Customer{Name: fmt.Sprintf("Holder %d", i)}
			if i >= noEmail {
				c.Email = fmt.Sprintf("holder%d@example.com", i)
			}
			if err := svc.CreateCustomer(sys, c); err != nil {
				t.Fatal(err)
			}
			p := &care.Policy{CustomerID: c.ID, Number: fmt.Sprintf("HOM-%04d", i), Line: "home", Start: end.AddDate(-1, 0, 1),
				End: end, PremiumMinor: 36000}
			if err := svc.CreatePolicy(sys, p); err != nil {
				t.Fatal(err)
			}
			if i == n-1 { // monthly from the start: all 12 instalments already past due
				if _, err := svc.SetInstalments(sys, p.Number, service.InstalmentRequest{Count: 12, FirstDue: p.Start}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := svc.SetInstalments(sys, "HOM-0000", service.InstalmentRequest{Count: 13, FirstDue: end}); care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("13 instalments: %v", err)
		}
		runAll := func() service.PolicyJobReport {
			var wg sync.WaitGroup
			var mu sync.Mutex
			var sum service.PolicyJobReport
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rep, err := svc.RemindPolicies(context.Background(), 5) // small batches: the passes interleave
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					sum.Opened, sum.Sent, sum.Missed = sum.Opened+rep.Opened, sum.Sent+rep.Sent, sum.Missed+rep.Missed
					mu.Unlock()
				}()
			}
			wg.Wait()
			return sum
		}
		if rep := runAll(); rep.Opened != n || rep.Sent != n || rep.Missed != 12 {
			t.Fatalf("first passes: %+v", rep)
		}
		if rep := runAll(); rep.Opened != 0 || rep.Sent != 0 || rep.Missed != 0 {
			t.Fatalf("repeated passes did something: %+v", rep)
		}
		mail, err := svc.FindOutbox(sys, 1000)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, m := range mail {
			kinds[m.Kind]++
		}
		if kinds["policy.renewal_first"] != n-noEmail || kinds["policy.missed_payment"] != 12 || len(mail) != n-noEmail+12 {
			t.Fatalf("outbox: %v", kinds)
		}
		rems, err := svc.FindPolicyReminders(sys, "HOM-0000")
		if err != nil || len(rems) != 1 || !strings.Contains(rems[0].Note, "no email address") || rems[0].MailID != 0 {
			t.Fatalf("reminder without an email address: %v %+v", err, rems)
		}
		items, err := svc.FindInstalments(sys, fmt.Sprintf("HOM-%04d", n-1))
		if err != nil || items[0].Status != "missed" || items[11].Status != "missed" {
			t.Fatalf("instalments: %v %+v", err, items)
		}
		// Paying a missed instalment settles it (the earliest missed first).
		pay := &care.Payment{AmountMinor: 3000, Method: "card", ReceivedOn: care.DateOf(clk.Now())}
		if err := svc.RecordPayment(sys, fmt.Sprintf("HOM-%04d", n-1), pay, 0); err != nil || pay.InstalmentSeq != 1 {
			t.Fatalf("payment: %v %+v", err, pay)
		}
	})
}

// A change request is a service-request case with clocks, linked to the
// policy; a change cannot be applied to a lapsed policy, and a decision
// by someone else first is a conflict, not a double application.
func TestPolicyChangeIsAServiceRequest(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		c := &care.Customer{Name: "Ines Ortega", Email: "ines@example.com"}
		if err := f.svc.CreateCustomer(f.admin, c); err != nil {
			t.Fatal(err)
		}
		p := &care.Policy{CustomerID: c.ID, Number: "MTR-5005", Line: "motor", Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
			End: time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC), PremiumMinor: 70000}
		if err := f.svc.CreatePolicy(f.admin, p); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RequestPolicyChange(f.as["auditor"], p.Number, service.NewPolicyChange{Kind: "add_driver",
			EffectiveDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("auditor raised a change: %v", err)
		}
		x, err := f.svc.RequestPolicyChange(f.as["agent"], p.Number, service.NewPolicyChange{Kind: "add_driver",
			Details: "Add spouse as a named driver", EffectiveDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			PremiumAdjustmentMinor: 8000, Channel: "email"})
		if err != nil {
			t.Fatal(err)
		}
		cs, err := f.svc.FindCase(f.admin, x.CaseReference)
		if err != nil || cs.Type != "service_request" || cs.PolicyID != p.ID || cs.CustomerID != c.ID || cs.Channel != "email" {
			t.Fatalf("the change's case: %v %+v", err, cs)
		}
		clocks, err := f.svc.FindCaseClocks(f.admin, cs.ID)
		if err != nil || len(clocks) == 0 {
			t.Fatalf("the service request runs no clock: %v %d", err, len(clocks))
		}
		if _, err := f.svc.DecidePolicyChange(f.as["supervisor"], p.Number, x.ID, service.PolicyChangeDecision{Status: "rejected"}); !hasField(err, "reason") {
			t.Fatalf("rejecting without a reason: %v", err)
		}
		if _, err := f.svc.DecidePolicyChange(f.as["supervisor"], p.Number, x.ID, service.PolicyChangeDecision{Status: "approved"}); err != nil {
			t.Fatal(err)
		}
		hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: "https://pas.example.com/hooks",
			Secret: "a-shared-secret-of-some-length", Events: []string{"policy.status_changed"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.TransitionPolicy(f.as["supervisor"], p.Number, service.PolicyTransition{To: "lapsed", Reason: "premium unpaid"}); err != nil {
			t.Fatal(err)
		}
		log, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 10)
		if err != nil || len(log) != 1 || log[0].EventType != "policy.status_changed" ||
			!strings.Contains(log[0].Payload, `"from":"in_force"`) || !strings.Contains(log[0].Payload, `"to":"lapsed"`) ||
			!strings.Contains(log[0].Payload, `"number":"MTR-5005"`) {
			t.Fatalf("webhook deliveries: %v %+v", err, log)
		}
		if _, err := f.svc.DecidePolicyChange(f.as["supervisor"], p.Number, x.ID, service.PolicyChangeDecision{Status: "applied"}); !hasField(err, "status") {
			t.Fatalf("applied to a lapsed policy: %v", err)
		}
		got, _ := f.svc.FindPolicy(f.admin, p.Number)
		if got.PremiumMinor != 70000 || got.Status != "lapsed" {
			t.Fatalf("policy: %+v", got)
		}
	})
}

func hasField(err error, field string) bool {
	for _, fe := range care.ErrorFields(err) {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// A policy found in force long after its cover ended lapses without a
// letter out of the blue; one that ended yesterday gets the lapse notice.
func TestStaleLapseSendsNoNotice(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		svc := service.New(s, nil, service.Config{})
		sys := care.NewContextWithActor(context.Background(), care.SystemActor("test"))
		for i, ended := range []time.Time{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)} {
			c := &care.Customer{Name: "Late Holder", Email: fmt.Sprintf("late%d@example.com", i)}
			if err := svc.CreateCustomer(sys, c); err != nil {
				t.Fatal(err)
			}
			if err := svc.CreatePolicy(sys, &care.Policy{CustomerID: c.ID, Number: fmt.Sprintf("PET-%d", i), Line: "pet",
				Start: ended.AddDate(-1, 0, 1), End: ended, PremiumMinor: 12000}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := svc.RemindPolicies(sys, 0)
		if err != nil || rep.Lapsed != 2 || rep.Sent != 2 {
			t.Fatalf("pass: %v %+v", err, rep)
		}
		mail, _ := svc.FindOutbox(sys, 10)
		if len(mail) != 1 || mail[0].To != "late1@example.com" || mail[0].Kind != "policy.renewal_lapsed" {
			t.Fatalf("outbox: %+v", mail)
		}
		rems, _ := svc.FindPolicyReminders(sys, "PET-0")
		if len(rems) != 1 || rems[0].Kind != care.ReminderLapse || !strings.Contains(rems[0].Note, "too long ago") {
			t.Fatalf("stale lapse: %+v", rems)
		}
		if p, _ := svc.FindPolicy(sys, "PET-0"); p.Status != "lapsed" {
			t.Fatalf("stale policy: %+v", p)
		}
	})
}
