package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// The queue orders by nearest deadline, pages on (next_due_at, id) without
// losing or repeating a case, puts cases with no clock last, and audits
// the IDs it shows.
func TestQueueByDeadline(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		team := &care.Team{Name: "Complaints"}
		if err := f.svc.CreateTeam(f.admin, team); err != nil {
			t.Fatal(err)
		}
		agent := f.users["agent"].ID
		sup := f.as["supervisor"]
		var want []string
		// Older receipts have nearer SLA deadlines; a closed case has none.
		for i, age := range []time.Duration{1, 9, 4, 16, 2} {
			c, err := f.svc.CreateCase(sup, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
				Subject: "case " + itoa(int64(i)), TeamID: team.ID, AssigneeID: agent, ReceivedAt: clk.Now().Add(-age * 24 * time.Hour)}})
			if err != nil {
				t.Fatal(err)
			}
			_ = c
		}
		unassigned, err := f.svc.CreateCase(sup, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone",
			Subject: "nobody holds me", TeamID: team.ID, ReceivedAt: clk.Now().Add(-3 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		closed := "closed"
		noClock, err := f.svc.CreateCase(sup, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone",
			Subject: "logged after the fact", Status: "open", TeamID: team.ID, AssigneeID: agent}})
		if err != nil {
			t.Fatal(err)
		}
		// Meet every clock (close and reopen): it stays open with no deadline.
		if _, err := f.svc.UpdateCase(sup, noClock.Reference, care.CaseUpdate{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		reopen := "open"
		if _, err := f.svc.UpdateCase(sup, noClock.Reference, care.CaseUpdate{Status: &reopen}); err != nil {
			t.Fatal(err)
		}
		want = []string{"case 3", "case 1", "case 2", "case 0", "case 4", "logged after the fact"} // 0 and 4 fall due together (a weekend): by ID
		_ = unassigned

		var got []string
		var cur care.QueueCursor
		var prevDue time.Time
		for pages := 0; ; pages++ {
			items, next, err := f.svc.FindQueue(f.as["agent"], care.QueueFilter{AssigneeID: agent, After: cur, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				got = append(got, it.Case.Subject)
				if it.Clock != nil {
					if it.Clock.DueAt.Before(prevDue) {
						t.Errorf("%s due %s before the previous %s", it.Case.Subject, it.Clock.DueAt, prevDue)
					}
					prevDue = it.Clock.DueAt
				}
			}
			if next.IsZero() || pages > 10 {
				break
			}
			cur = next
		}
		if len(got) != len(want) {
			t.Fatalf("queue %q, want %q", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("queue %q, want %q", got, want)
			}
		}
		items, _, err := f.svc.FindQueue(sup, care.QueueFilter{TeamID: team.ID, Unassigned: true})
		if err != nil || len(items) != 1 || items[0].Case.ID != unassigned.ID || items[0].Clock == nil {
			t.Fatalf("unassigned team queue: %v %+v", err, items)
		}
		if _, _, err := f.svc.FindQueue(f.as["agent"], care.QueueFilter{}); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("a queue with no owner: %v", err)
		}
		if _, _, err := f.svc.FindQueue(f.as["workforce_planner"], care.QueueFilter{TeamID: team.ID}); err != nil {
			t.Errorf("case:read is enough for a queue: %v", err)
		}
		entries, _, err := f.svc.FindAudit(f.as["auditor"], care.AuditFilter{Entity: "case", Action: "list", Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].ActorName != "workforce_planner@example.com" {
			t.Fatalf("queue read not audited: %v %+v", err, entries)
		}
	})
}

// Bulk reassignment moves every case or none, audits each, and needs
// case:assign.
func TestBulkAssign(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		var ids []int64
		for i := 0; i < 3; i++ {
			c, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "bulk"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		to := f.users["complaints_handler"].ID
		if _, err := f.svc.BulkAssign(f.as["agent"], care.BulkAssignment{CaseIDs: ids, AssigneeID: &to}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("agent bulk-assigned: %v", err)
		}
		if _, err := f.svc.BulkAssign(f.as["supervisor"], care.BulkAssignment{CaseIDs: append(ids, 999999), AssigneeID: &to}); care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("a missing case: %v", err)
		}
		items, _, err := f.svc.FindQueue(f.admin, care.QueueFilter{AssigneeID: to})
		if err != nil || len(items) != 0 {
			t.Fatalf("a failed bulk move moved something: %v %d", err, len(items))
		}
		n, err := f.svc.BulkAssign(f.as["supervisor"], care.BulkAssignment{CaseIDs: append(ids, ids[0]), AssigneeID: &to})
		if err != nil || n != 3 {
			t.Fatalf("bulk: %d %v", n, err)
		}
		items, _, err = f.svc.FindQueue(f.admin, care.QueueFilter{AssigneeID: to})
		if err != nil || len(items) != 3 {
			t.Fatalf("after bulk: %v %d", err, len(items))
		}
		entries, _, err := f.svc.FindAudit(f.as["auditor"], care.AuditFilter{Entity: "case", EntityID: itoa(ids[1]), Action: "update"})
		if err != nil || len(entries) != 2 || !strings.Contains(entries[0].Detail, `"bulk_of":3`) {
			t.Fatalf("bulk update audit: %v %+v", err, entries)
		}
		if n, err := f.svc.BulkAssign(f.as["supervisor"], care.BulkAssignment{CaseIDs: ids, AssigneeID: &to}); err != nil || n != 0 {
			t.Fatalf("a repeat changes nothing: %d %v", n, err)
		}
	})
}
