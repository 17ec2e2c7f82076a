package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

var london, _ = time.LoadLocation("Europe/London")

// endOfDay is 23:59:59 London time on the given November 2026 day.
func endOfNov(day int) time.Time { return time.Date(2026, 11, day, 23, 59, 59, 0, london) }

func newEmailCase(t *testing.T, f *fixture, svc *service.Service) *care.Case {
	t.Helper()
	c, err := svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
		Subject: "Where is my renewal?", Description: "Please send my renewal documents."}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantDue(t *testing.T, f *fixture, c *care.Case, key string, want time.Time) {
	t.Helper()
	k, ok := clocksByKey(t, f, c.ID)[key]
	if !ok {
		t.Fatalf("case %s has no clock %s", c.Reference, key)
	}
	if !k.DueAt.Equal(want) {
		t.Errorf("case %s %s due %s, want %s", c.Reference, key, k.DueAt.In(london), want)
	}
}

func fieldsOf(err error) string {
	var out []string
	for _, fe := range care.ErrorFields(err) {
		out = append(out, fe.Field)
	}
	return strings.Join(out, " ")
}

// An edited SLA target applies to clocks started after the edit, in this
// process and in another one sharing the database, while a running clock
// keeps its deadline.
func TestEditedSLAPolicyAppliesToNewClocksOnly(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)) // a Monday
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		other := service.New(s, nil, service.Config{}) // a second process on the same database
		before := newEmailCase(t, f, f.svc)
		wantDue(t, f, before, "sla/first_response#1", endOfNov(17)) // 1 business day
		newEmailCase(t, f, other)                                   // warms the other process's cache

		cur, err := f.svc.FindSLAPolicy(f.as["agent"])
		if err != nil || cur.Version != 0 || !cur.Active {
			t.Fatalf("default policy: %+v %v", cur, err)
		}
		if _, err := f.svc.UpdateSLAPolicy(f.as["supervisor"], cur.Policy, "", 0); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("a supervisor may not change the SLA policy: %v", err)
		}
		p := cur.Policy
		p.FirstResponse["email"] = clock.Target{Amount: 3, Unit: clock.BusinessDays}
		v1, err := f.svc.UpdateSLAPolicy(f.admin, p, "Email backlog: 3 days until January", 0)
		if err != nil || v1.Version != 1 {
			t.Fatalf("update: %+v %v", v1, err)
		}
		after := newEmailCase(t, f, f.svc)
		wantDue(t, f, after, "sla/first_response#1", endOfNov(19))
		wantDue(t, f, before, "sla/first_response#1", endOfNov(17)) // running clocks keep their deadline
		elsewhere := newEmailCase(t, f, other)
		wantDue(t, f, elsewhere, "sla/first_response#1", endOfNov(19))

		// A save based on a stale version is refused, not merged.
		if _, err := f.svc.UpdateSLAPolicy(f.admin, p, "", 0); care.ErrorCode(err) != care.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}
		// Saving the same policy again makes no version.
		if same, err := f.svc.UpdateSLAPolicy(f.admin, p, "", 1); err != nil || same.Version != 1 {
			t.Fatalf("unchanged save: %+v %v", same, err)
		}
		entries, _, err := f.svc.FindAudit(f.as["auditor"], care.AuditFilter{Entity: "sla_policy"})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, "first_response.email: 1 business day → 3 business days") {
			t.Fatalf("audit: %v %+v", err, entries)
		}

		versions, err := f.svc.FindSLAPolicyVersions(f.admin)
		if err != nil || len(versions) != 2 || versions[0].Version != 1 || versions[1].Version != 0 || !versions[0].Active {
			t.Fatalf("versions: %v %+v", err, versions)
		}
		if versions[0].ActivatedBy == "" || versions[0].Note == "" {
			t.Errorf("version 1 should say who saved it and why: %+v", versions[0])
		}
		v2, err := f.svc.RestoreSLAPolicy(f.admin, 0, 1)
		if err != nil || v2.Version != 2 || v2.Policy.FirstResponse["email"].Amount != 1 {
			t.Fatalf("restore the default: %+v %v", v2, err)
		}
		wantDue(t, f, newEmailCase(t, f, other), "sla/first_response#1", endOfNov(17))
	})
}

func TestSLAPolicyValidationNamesFields(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		p := clock.DefaultSLAPolicy()
		p.Name = " "
		p.FirstResponse["fax"] = clock.Target{Amount: 1, Unit: clock.BusinessDays}
		delete(p.NextResponse, "post")
		p.Resolution["claim"] = clock.Target{Amount: 0, Unit: clock.BusinessDays}
		p.Resolution["complaint"] = clock.Target{Amount: 5, Unit: "fortnights"}
		p.Ladder[3], p.Ladder[4] = p.Ladder[4], p.Ladder[3]
		p.PriorityShift["critical"] = -3
		delete(p.PriorityShift, "low")
		p.VulnerableShift = 1
		_, err := f.svc.UpdateSLAPolicy(f.admin, p, "", -1)
		want := "first_response.fax ladder[4] name next_response.post priority_shift.critical priority_shift.low " +
			"resolution.claim.amount resolution.complaint.unit vulnerable_shift"
		if care.ErrorCode(err) != care.EINVALID || fieldsOf(err) != want {
			t.Fatalf("got %v\nfields %q\nwant   %q", err, fieldsOf(err), want)
		}
		if v, _ := f.svc.FindSLAPolicy(f.admin); v.Version != 0 {
			t.Fatalf("a refused policy must not be saved: version %d", v.Version)
		}
	})
}
