package service_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

const cdrFile = "\ufeffcall_id,queue,agent_email,caller_phone,offered_at,answered_at,ended_at,wrap_up_ended_at,abandoned,disposition\n" +
	"A1,motor,agent@example.com,+44 20 7946 0018,2026-11-02T09:00:00.125Z,2026-11-02T09:00:20.5Z,2026-11-02T09:05:00Z,2026-11-02T09:06:00Z,,resolved\n" +
	"A2,motor,,+15550100,2026-11-02T09:01:00Z,,2026-11-02T09:01:42Z,,true,\n" +
	"A3,motor,nobody@example.com,,2026-11-02T09:02:00Z,,,,,\n" +
	"A4,home,,,yesterday,,,,,\n" +
	"\n" +
	"A5,home,,,2026-11-02T09:03:00Z,2026-11-02T09:02:00Z,,,,\n" +
	"A6,home,,,2026-11-02T09:04:00Z,2026-11-02T09:04:10Z,,,true,\n"

func TestImportCDR(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		telOK(t, f.svc.CreateDispositionCode(f.admin, &care.DispositionCode{Code: "resolved", Label: "Resolved"}))
		cust := &care.Customer{Name: "Maria Garcia", Phone: "+442079460018"}
		telOK(t, f.svc.CreateCustomer(agent, cust))
		rep, err := f.svc.ImportCDR(agent, strings.NewReader(cdrFile))
		telOK(t, err)
		if rep.Rows != 6 || rep.Recorded != 2 || rep.Unchanged != 0 {
			t.Fatalf("report %+v", rep)
		}
		var got []string
		for _, e := range rep.Errors {
			got = append(got, e.Field+"@"+strconv.Itoa(e.Line))
		}
		if strings.Join(got, " ") != "agent_email@4 offered_at@5 answered_at@7 ended_at@8" {
			t.Fatalf("errors %v: %+v", got, rep.Errors)
		}
		again, err := f.svc.ImportCDR(agent, strings.NewReader(cdrFile))
		telOK(t, err)
		if again.Recorded != 0 || again.Unchanged != 2 || len(again.Errors) != 4 {
			t.Fatalf("re-import changed something: %+v", again)
		}
		// The answered call landed on a new case for the identified customer, exactly timed.
		res, err := f.svc.RecordTelephonyEvent(agent, service.TelephonyEvent{EventID: "cdr:A1:offered", Type: "call.offered",
			CallID: "A1", At: time.Date(2026, 11, 2, 9, 0, 0, 125_000_000, time.UTC)})
		telOK(t, err)
		i := res.Interaction
		if !res.Duplicate || res.Case.CustomerID != cust.ID || i.AgentID != f.users["agent"].ID ||
			!i.AnsweredAt.Equal(time.Date(2026, 11, 2, 9, 0, 20, 500_000_000, time.UTC)) || i.Disposition != "resolved" ||
			!i.WrapUpEndedAt.Equal(time.Date(2026, 11, 2, 9, 6, 0, 0, time.UTC)) {
			t.Fatalf("A1: %+v on %+v", i, res.Case)
		}
		if _, err := f.svc.ImportCDR(agent, strings.NewReader("call,offered_at\n")); care.ErrorFields(err) == nil ||
			care.ErrorFields(err)[0].Field != "header" {
			t.Fatalf("bad header: %v", err)
		}
	})
}

// A call taken by an agent who has left since still names them.
func TestImportCDRDeactivatedAgent(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		off := false
		_, err := f.svc.UpdateUser(f.admin, f.users["agent"].ID, care.UserUpdate{Active: &off})
		telOK(t, err)
		rep, err := f.svc.ImportCDR(f.as["supervisor"], strings.NewReader("call_id,agent_email,offered_at,answered_at,ended_at\n"+
			"OLD1,agent@example.com,2025-06-02T09:00:00Z,2025-06-02T09:00:05Z,2025-06-02T09:03:00Z\n"))
		telOK(t, err)
		if rep.Recorded != 1 || len(rep.Errors) != 0 {
			t.Fatalf("report %+v", rep)
		}
		res, err := f.svc.RecordTelephonyEvent(f.as["supervisor"], service.TelephonyEvent{EventID: "cdr:OLD1:offered",
			Type: "call.offered", CallID: "OLD1", At: time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)})
		telOK(t, err)
		if res.Interaction.AgentID != f.users["agent"].ID {
			t.Fatalf("agent %d, want %d", res.Interaction.AgentID, f.users["agent"].ID)
		}
	})
}
