package service_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// callEvents is one answered call with a transfer and wrap-up, timed to
// the millisecond, as a CCaaS platform would send it.
func callEvents(callID, phone, agent string, t0 time.Time) []service.TelephonyEvent {
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	return []service.TelephonyEvent{
		{EventID: callID + "-1", Type: "call.offered", CallID: callID, At: ms(0), Queue: "motor", CallerPhone: phone},
		{EventID: callID + "-2", Type: "call.queued", CallID: callID, At: ms(120), Queue: "motor"},
		{EventID: callID + "-3", Type: "call.answered", CallID: callID, At: ms(17_250), AgentEmail: agent},
		{EventID: callID + "-4", Type: "call.transferred", CallID: callID, At: ms(60_000), Queue: "claims", AgentEmail: agent},
		{EventID: callID + "-5", Type: "call.ended", CallID: callID, At: ms(245_500)},
		{EventID: callID + "-6", Type: "call.wrap_up_ended", CallID: callID, At: ms(305_001), Disposition: "resolved"},
	}
}

func TestTelephonyEventsBuildOneInteraction(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		telOK(t, f.svc.CreateDispositionCode(f.admin, &care.DispositionCode{Code: "resolved", Label: "Resolved"}))
		cust := &care.Customer{Name: "Maria Garcia", Phone: "+44 20 7946 0018"}
		telOK(t, f.svc.CreateCustomer(agent, cust))
		open, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "claim", Channel: "email",
			CustomerID: cust.ID, Subject: "Windscreen"}})
		telOK(t, err)
		t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		events := callEvents("C-1", "+44 (20) 7946-0018", "agent@example.com", t0)
		var last *service.TelephonyResult
		for _, ev := range events {
			if last, err = f.svc.RecordTelephonyEvent(agent, ev); err != nil {
				t.Fatalf("%s: %v", ev.Type, err)
			}
		}
		i := last.Interaction
		if last.Case.ID != open.ID || i.CaseID != open.ID {
			t.Fatalf("call linked to case %d, want the customer's open case %d", last.Case.ID, open.ID)
		}
		want := care.Interaction{Channel: "phone", Direction: "inbound", AgentID: f.users["agent"].ID, Queue: "motor",
			Disposition: "resolved", OfferedAt: t0, AnsweredAt: t0.Add(17250 * time.Millisecond),
			EndedAt: t0.Add(245500 * time.Millisecond), WrapUpEndedAt: t0.Add(305001 * time.Millisecond), ExternalID: "C-1"}
		checkContact(t, i, want)
		// Delivered again: counted once, nothing changes.
		again, err := f.svc.RecordTelephonyEvent(agent, events[2])
		telOK(t, err)
		if !again.Duplicate || again.Interaction.ID != i.ID {
			t.Fatalf("a repeated event was not recognised: %+v", again)
		}
		list, _, err := f.svc.FindInteractions(agent, open.Reference, 0, 100)
		telOK(t, err)
		n := 0
		for _, x := range list {
			if x.ExternalID == "C-1" {
				n++
				checkContact(t, x, want)
			}
		}
		if n != 1 {
			t.Fatalf("%d interactions for one call", n)
		}
	})
}

func checkContact(t *testing.T, got *care.Interaction, want care.Interaction) {
	t.Helper()
	if got.Channel != want.Channel || got.Direction != want.Direction || got.AgentID != want.AgentID ||
		got.Queue != want.Queue || got.Disposition != want.Disposition || !got.OfferedAt.Equal(want.OfferedAt) ||
		!got.AnsweredAt.Equal(want.AnsweredAt) || !got.EndedAt.Equal(want.EndedAt) ||
		!got.WrapUpEndedAt.Equal(want.WrapUpEndedAt) || got.Abandoned != want.Abandoned || got.ExternalID != want.ExternalID {
		t.Fatalf("interaction\n got %+v\nwant %+v", *got, want)
	}
}

// Every order of delivery, with repeats, converges on the same interaction.
func TestTelephonyOutOfOrderConverges(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		telOK(t, f.svc.CreateDispositionCode(f.admin, &care.DispositionCode{Code: "resolved", Label: "Resolved"}))
		cust := &care.Customer{Name: "Maria Garcia", Phone: "+442079460018"}
		telOK(t, f.svc.CreateCustomer(agent, cust))
		t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		rng := rand.New(rand.NewPCG(1, 2))
		var first *care.Interaction
		for run := range 4 {
			id := "R" + string(rune('a'+run))
			events := callEvents(id, "+442079460018", "agent@example.com", t0)
			order := append(events, events[rng.IntN(len(events))]) // one repeat
			rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
			var last *service.TelephonyResult
			var err error
			for _, ev := range order {
				if last, err = f.svc.RecordTelephonyEvent(agent, ev); err != nil {
					t.Fatalf("run %d %s: %v", run, ev.Type, err)
				}
			}
			got := *last.Interaction
			if first == nil {
				first = &got
				if last.Case.CustomerID != cust.ID {
					t.Fatalf("the caller was not identified on the new case: %+v", last.Case)
				}
			}
			want := *first
			want.ExternalID = id
			checkContact(t, &got, want)
		}
	})
}

func TestTelephonyAbandonedAndUnknownCaller(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		t0 := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
		_, err := f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "x1", Type: "call.offered",
			CallID: "X", At: t0, Queue: "home", CallerPhone: "+15550100"})
		telOK(t, err)
		res, err := f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "x2", Type: "call.abandoned",
			CallID: "X", At: t0.Add(42 * time.Second)})
		telOK(t, err)
		if !res.Interaction.Abandoned || !res.Interaction.EndedAt.Equal(t0.Add(42*time.Second)) || res.Case.CustomerID != 0 {
			t.Fatalf("abandoned call: %+v case %+v", res.Interaction, res.Case)
		}
		if !strings.Contains(res.Case.Subject, "+15550100") || res.Case.Channel != "phone" {
			t.Fatalf("case for an unknown caller: %+v", res.Case)
		}
		// A chat event cannot join a phone call; an answer before the offer is refused.
		_, err = f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "x3", Type: "chat.ended", CallID: "X", At: t0})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "type" {
			t.Fatalf("chat event on a call: %v", err)
		}
		_, err = f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "y1", Type: "chat.started", CallID: "Y",
			At: t0, Transcript: "card 4111 1111 1111 1111 thanks"})
		telOK(t, err)
		_, err = f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "y2", Type: "chat.answered", CallID: "Y",
			At: t0.Add(-time.Second)})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "at" {
			t.Fatalf("answer before offer: %v", err)
		}
		res, err = f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "y1", Type: "chat.started", CallID: "Y", At: t0})
		telOK(t, err)
		if strings.Contains(res.Interaction.Body, "4111 1111 1111 1111") || res.Interaction.Channel != "chat" {
			t.Fatalf("chat transcript stored unmasked or wrong channel: %+v", res.Interaction)
		}
		// Missing fields are named.
		_, err = f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{Type: "call.rang"})
		fields := map[string]bool{}
		for _, fe := range care.ErrorFields(err) {
			fields[fe.Field] = true
		}
		if !fields["event_id"] || !fields["type"] || !fields["call_id"] || !fields["at"] {
			t.Fatalf("invalid event: %v", err)
		}
		if _, err := f.svc.RecordTelephonyEvent(f.as["auditor"], service.TelephonyEvent{}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("auditor recorded an event: %v", err)
		}
	})
}

func telOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
