package service_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// The sweep's warnings, breaches and escalations, and a complaint's
// closure, are queued for webhooks in the transactions that make them.
func TestClockAndComplaintEventsReachWebhooks(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: "https://hooks.example.com/x", Events: []string{"*"}})
		telOK(t, err)
		c, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "complaint", Channel: "post",
			Subject: "Claim still unpaid", Regimes: []string{"uk-fca", "iso10002"},
			ReceivedAt: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}})
		telOK(t, err)
		if _, err := f.svc.SweepClocks(context.Background(), "sweeper", time.Minute, 50); err != nil {
			t.Fatal(err)
		}
		closed := "closed"
		_, err = f.svc.SetComplaintOutcome(f.admin, c.Reference, care.OutcomeDecision{Outcome: "withdrawn"})
		telOK(t, err)
		_, err = f.svc.UpdateCase(f.admin, c.Reference, care.CaseUpdate{Status: &closed})
		telOK(t, err)
		log, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 500)
		telOK(t, err)
		count := map[string]int{}
		for _, d := range log {
			count[d.EventType]++
			var ev struct {
				Type string
				Data struct {
					Case struct{ Reference string }
				}
			}
			if err := json.Unmarshal([]byte(d.Payload), &ev); err != nil || ev.Type != d.EventType || ev.Data.Case.Reference != c.Reference && ev.Data.Case.Reference != "" {
				t.Fatalf("payload %s (%v)", d.Payload, err)
			}
		}
		for _, want := range []string{"case.created", "clock.breached", "clock.warning", "case.escalated", "case.updated", "complaint.closed"} {
			if count[want] == 0 {
				t.Errorf("no %s delivery queued: %v", want, count)
			}
		}
		if count["complaint.closed"] != 1 || count["case.escalated"] != 1 {
			t.Errorf("deliveries: %v", count)
		}
	})
}

// First events of one new call arriving at once still make one interaction.
func TestTelephonyConcurrentFirstEvents(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		events := callEvents("Z", "+15550199", "agent@example.com", t0)[:5]
		var wg sync.WaitGroup
		errs := make([]error, len(events)*2)
		for n, ev := range append(events, events...) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[n] = f.svc.RecordTelephonyEvent(f.as["agent"], ev)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			telOK(t, err)
		}
		res, err := f.svc.RecordTelephonyEvent(f.as["agent"], events[0])
		telOK(t, err)
		if !res.Duplicate || !res.Interaction.EndedAt.Equal(t0.Add(245500*time.Millisecond)) ||
			!res.Interaction.AnsweredAt.Equal(t0.Add(17250*time.Millisecond)) {
			t.Fatalf("after concurrent delivery: %+v", res.Interaction)
		}
		cases, _, err := f.svc.FindCases(f.admin, care.CaseFilter{})
		telOK(t, err)
		if len(cases) != 1 {
			t.Fatalf("%d cases for one call", len(cases))
		}
	})
}
