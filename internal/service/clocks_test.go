package service_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// clocksByKey indexes a case's clocks as "regime/name#occurrence".
func clocksByKey(t *testing.T, f *fixture, caseID int64) map[string]*care.Clock {
	t.Helper()
	ks, err := f.svc.FindCaseClocks(f.admin, caseID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*care.Clock{}
	for _, k := range ks {
		out[fmt.Sprintf("%s/%s#%d", k.Regime, k.Name, k.Occurrence)] = k
	}
	return out
}

func wantState(t *testing.T, ks map[string]*care.Clock, key, state string) {
	t.Helper()
	k, ok := ks[key]
	if !ok {
		names := []string{}
		for n := range ks {
			names = append(names, n)
		}
		t.Fatalf("no clock %s; have %v", key, names)
	}
	if k.State != state {
		t.Errorf("%s: state %s, want %s (due %s)", key, k.State, state, k.DueAt)
	}
}

// A complaint received weeks ago, entered now, shows its breaches and its
// escalation after one sweep.
func TestOverdueComplaintBreachesAndEscalatesInOneSweep(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) // a Friday
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		handler := f.users["complaints_handler"]
		c, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "complaint", Channel: "post",
			Subject: "Claim still unpaid", Description: "I wrote in October and nothing has happened.",
			Regimes: []string{"uk-fca", "iso10002"}, AssigneeID: handler.ID,
			ReceivedAt: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}})
		if err != nil {
			t.Fatal(err)
		}
		ks := clocksByKey(t, f, c.ID)
		if got := ks["iso10002/final_response#1"].StateAt(clk.Now()); got != care.ClockBreached {
			t.Fatalf("before the sweep the overdue clock should already read breached, got %s", got)
		}
		n, err := f.svc.SweepClocks(context.Background(), "sweeper-1", time.Minute, 50)
		if err != nil || n == 0 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		ks = clocksByKey(t, f, c.ID)
		wantState(t, ks, "iso10002/acknowledge#1", care.ClockBreached)
		wantState(t, ks, "iso10002/final_response#1", care.ClockBreached)
		wantState(t, ks, "iso10002/update#1", care.ClockBreached)
		wantState(t, ks, "iso10002/update#2", care.ClockRunning) // the next update owed, due after now
		wantState(t, ks, "iso10002/tier2_review#1", care.ClockRunning)
		wantState(t, ks, "uk-fca/summary_resolution#1", care.ClockLapsed)
		wantState(t, ks, "uk-fca/final_response#1", care.ClockWarning) // 8 weeks: due 26 Nov, past 75%
		wantState(t, ks, "sla/first_response#1", care.ClockBreached)
		if due := ks["uk-fca/final_response#1"].DueAt; !due.Equal(time.Date(2026, 11, 26, 23, 59, 59, 0, time.UTC)) {
			t.Errorf("uk-fca final response due %s, want end of 26 Nov 2026", due)
		}
		if k := ks["iso10002/tier2_review#1"]; !k.StartedAt.Equal(clk.Now()) {
			t.Errorf("tier-2 review should count from the escalation (now), started %s", k.StartedAt)
		}
		got, err := f.svc.FindCase(f.admin, c.Reference)
		if err != nil || got.Tier != "tier2" || got.Priority != "high" {
			t.Fatalf("after escalation: tier %q priority %q %v", got.Tier, got.Priority, err)
		}
		notes, _ := f.svc.FindNotifications(f.as["complaints_handler"], false, 100)
		sup, _ := f.svc.FindNotifications(f.as["supervisor"], false, 100)
		if len(notes) == 0 || len(sup) == 0 {
			t.Fatalf("notifications: handler %d, supervisor %d", len(notes), len(sup))
		}
		mails, err := f.svc.FindOutbox(f.admin, 500)
		if err != nil || len(mails) != len(notes)+len(sup) {
			t.Fatalf("outbox: %d mails for %d notifications (%v)", len(mails), len(notes)+len(sup), err)
		}
		if n, err := f.svc.SweepClocks(context.Background(), "sweeper-1", time.Minute, 50); err != nil || n != 0 {
			t.Fatalf("second sweep fired %d (%v); everything was already handled", n, err)
		}
	})
}

// Two schedulers on one database, each with its own connection pool, fire
// every clock exactly once.
func TestTwoSchedulersFireEachClockOnce(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			clk := storetest.NewClock(start)
			dsn := storetest.DSN(t, dialect)
			open := func() *store.Store {
				s, err := store.Open(context.Background(), dsn, store.Options{Now: clk.Now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if err := s.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				return s
			}
			a, b := open(), open()
			f := setup(t, a, clk)
			const cases = 40
			for i := 0; i < cases; i++ {
				_, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
					Subject: fmt.Sprintf("Question %d", i), AssigneeID: f.users["agent"].ID}})
				if err != nil {
					t.Fatal(err)
				}
			}
			clk.Advance(60 * 24 * time.Hour) // every SLA clock is now overdue
			svcB := service.New(b, nil, service.Config{})
			var wg sync.WaitGroup
			fired := make([]int, 2)
			for i, svc := range []*service.Service{f.svc, svcB} {
				wg.Add(1)
				go func(i int, svc *service.Service) {
					defer wg.Done()
					n, err := svc.SweepClocks(context.Background(), fmt.Sprintf("proc-%d", i), time.Minute, 3)
					if err != nil {
						t.Errorf("sweeper %d: %v", i, err)
					}
					fired[i] = n
				}(i, svc)
			}
			wg.Wait()
			// Each case has first_response and resolution running: two breaches each.
			if total := fired[0] + fired[1]; total != 2*cases {
				t.Fatalf("fired %d + %d = %d state changes, want exactly %d", fired[0], fired[1], total, 2*cases)
			}
			seen := map[string]int{}
			var before int64
			for {
				entries, next, err := f.svc.FindAudit(f.admin, care.AuditFilter{Entity: "clock", Action: "update", Before: before, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					seen[e.EntityID+e.Detail]++
				}
				if next == 0 {
					break
				}
				before = next
			}
			for k, n := range seen {
				if n != 1 {
					t.Errorf("transition recorded %d times: %s", n, k)
				}
			}
			if len(seen) != 2*cases {
				t.Errorf("%d distinct transitions audited, want %d", len(seen), 2*cases)
			}
		})
	}
}

// A process that claimed clocks and died leaves them leased; once the lease
// ends another process fires them, and the first one's late write is refused.
func TestExpiredLeaseIsTakenOver(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		if _, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "chat", Subject: "Hi"}}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(30 * 24 * time.Hour)
		ctx := context.Background()
		ids, err := service.ClaimForTest(ctx, f.svc, "crashed", time.Minute)
		if err != nil || len(ids) == 0 {
			t.Fatalf("claim: %v %v", ids, err)
		}
		if n, _ := f.svc.SweepClocks(ctx, "live", time.Minute, 10); n != 0 {
			t.Fatalf("a live lease was ignored: fired %d", n)
		}
		clk.Advance(2 * time.Minute)
		if n, err := f.svc.SweepClocks(ctx, "live", time.Minute, 10); err != nil || n != len(ids) {
			t.Fatalf("after the lease expired: fired %d of %d (%v)", n, len(ids), err)
		}
		if n, err := service.FireForTest(ctx, f.svc, ids[0], "crashed"); n != 0 || err != nil {
			t.Fatalf("the crashed owner's late fire was accepted: %v %v", n, err)
		}
	})
}

func TestWaitingOnCustomerPausesOnlySLAClocks(t *testing.T) {
	monday := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(monday)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(monday)
		f := setup(t, s, clk)
		c, err := f.svc.CreateCase(f.as["complaints_handler"], service.NewCase{Case: care.Case{Type: "complaint",
			Channel: "email", Subject: "Refund", Regimes: []string{"uk-fca"}}})
		if err != nil {
			t.Fatal(err)
		}
		before := clocksByKey(t, f, c.ID)
		waiting, open := "waiting_customer", "open"
		if _, err := f.svc.UpdateCase(f.as["complaints_handler"], c.Reference, care.CaseUpdate{Status: &waiting}); err != nil {
			t.Fatal(err)
		}
		mid := clocksByKey(t, f, c.ID)
		wantState(t, mid, "sla/resolution#1", care.ClockPaused)
		wantState(t, mid, "uk-fca/final_response#1", care.ClockRunning)
		clk.Set(time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)) // Wednesday: two business days later
		if _, err := f.svc.UpdateCase(f.as["complaints_handler"], c.Reference, care.CaseUpdate{Status: &open}); err != nil {
			t.Fatal(err)
		}
		after := clocksByKey(t, f, c.ID)
		wantState(t, after, "sla/resolution#1", care.ClockRunning)
		cal, _ := calendar.New("GB-ENG")
		want := cal.EndOfDay(cal.AddBusinessDays(cal.LocalDay(before["sla/resolution#1"].DueAt), 2))
		if got := after["sla/resolution#1"].DueAt; !got.Equal(want) {
			t.Errorf("resolution due %s after a two-business-day pause, want %s", got, want)
		}
		if !after["uk-fca/final_response#1"].DueAt.Equal(before["uk-fca/final_response#1"].DueAt) {
			t.Errorf("a regulatory clock moved while the case waited on the customer")
		}
	})
}

func TestContactsMeetAndStartClocks(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
		f := setup(t, s, clk)
		h := f.as["complaints_handler"]
		c, err := f.svc.CreateCase(h, service.NewCase{Case: care.Case{Type: "complaint", Channel: "email", Subject: "Delay"}})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Hour)
		if _, err := f.svc.CreateInteraction(h, c.Reference, &care.Interaction{Channel: "email", Direction: "outbound",
			Body: "We have received your complaint."}); err != nil {
			t.Fatal(err)
		}
		ks := clocksByKey(t, f, c.ID)
		wantState(t, ks, "iso10002/acknowledge#1", care.ClockMet)
		wantState(t, ks, "sla/first_response#1", care.ClockMet)
		wantState(t, ks, "iso10002/update#1", care.ClockMet)
		wantState(t, ks, "iso10002/update#2", care.ClockRunning)
		wantState(t, ks, "iso10002/final_response#1", care.ClockRunning)
		// The customer writes back: a next-response clock starts.
		clk.Advance(time.Hour)
		if _, err := f.svc.CreateInteraction(h, c.Reference, &care.Interaction{Channel: "email", Direction: "inbound", Body: "Any news?"}); err != nil {
			t.Fatal(err)
		}
		wantState(t, clocksByKey(t, f, c.ID), "sla/next_response#1", care.ClockRunning)
		closed := "closed"
		if _, err := f.svc.SetComplaintOutcome(h, c.Reference, care.OutcomeDecision{Outcome: "withdrawn"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateCase(h, c.Reference, care.CaseUpdate{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		for key, k := range clocksByKey(t, f, c.ID) {
			if k.Active() {
				t.Errorf("%s still %s after the case closed", key, k.State)
			}
		}
	})
}

func TestReclassifiedComplaintCountsFromFirstReceipt(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 10, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		received := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
		c, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone",
			Subject: "Why was my claim declined?", ReceivedAt: received}})
		if err != nil {
			t.Fatal(err)
		}
		typ := "complaint"
		if _, err := f.svc.UpdateCase(f.as["agent"], c.Reference, care.CaseUpdate{Type: &typ}); err != nil {
			t.Fatal(err)
		}
		k := clocksByKey(t, f, c.ID)["iso10002/final_response#1"]
		if k == nil || !k.StartedAt.Equal(received) {
			t.Fatalf("complaint clock should start at first receipt %s: %+v", received, k)
		}
	})
}

// A breached milestone stays owed (and keeps the case at the top of the
// inbox) until it is done; doing it late records when, and the clock stays
// breached for the record.
func TestBreachedMilestoneOwedUntilDoneLate(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
		f := setup(t, s, clk)
		a := f.as["agent"]
		c, err := f.svc.CreateCase(a, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "Late"}})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(3 * 24 * time.Hour)
		if _, err := f.svc.SweepClocks(context.Background(), "t", time.Minute, 10); err != nil {
			t.Fatal(err)
		}
		first := clocksByKey(t, f, c.ID)["sla/first_response#1"]
		if first.State != care.ClockBreached || !first.Outstanding() {
			t.Fatalf("breached first response should still be owed: %+v", first)
		}
		clk.Advance(time.Hour)
		if _, err := f.svc.CreateInteraction(a, c.Reference, &care.Interaction{Channel: "email", Direction: "outbound", Body: "Sorry for the wait."}); err != nil {
			t.Fatal(err)
		}
		first = clocksByKey(t, f, c.ID)["sla/first_response#1"]
		if first.State != care.ClockBreached || first.Outstanding() || !first.MetAt.Equal(clk.Now()) {
			t.Fatalf("after the late reply: %+v", first)
		}
	})
}
