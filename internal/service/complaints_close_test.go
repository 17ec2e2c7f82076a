package service_test

import (
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// A complaint closed through the generic case routes (UpdateCase,
// CloseCase) is refused until its outcome is recorded, naming "outcome",
// and leaves nothing behind; with the outcome it closes the complaint
// record too, recording the move. Other cases close as before.
func TestComplaintClosesThroughTheCaseOnlyWithAnOutcome(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		h := f.as["complaints_handler"]
		newComplaint := func(subject string) string {
			v, err := f.svc.CreateComplaint(f.as["agent"], service.NewComplaint{Case: care.Case{Channel: "email", Subject: subject,
				Description: "I was charged twice.", Regimes: []string{"uk-fca"}}})
			must(t, err)
			return v.Case.Reference
		}
		a, b := newComplaint("Double debit"), newComplaint("Late refund")

		_, err := f.svc.UpdateCase(h, a, care.CaseUpdate{Status: ptr("closed")})
		wantCode(t, err, care.EINVALID, "outcome")
		_, err = f.svc.UpdateCase(h, a, care.CaseUpdate{Status: ptr("resolved")})
		wantCode(t, err, care.EINVALID, "outcome")
		_, err = f.svc.CloseCase(h, b, service.CaseClosure{Status: "closed", Outcome: "Refunded"})
		wantCode(t, err, care.EINVALID, "outcome")
		for _, ref := range []string{a, b} {
			v, err := f.svc.FindComplaint(f.admin, ref)
			must(t, err)
			if care.IsClosedStatus(v.Case.Status) || v.Complaint.Stage != care.StageReceived || len(v.Transitions) != 0 {
				t.Fatalf("%s after a refused close: case %s, stage %s, %d transitions", ref, v.Case.Status, v.Complaint.Stage, len(v.Transitions))
			}
			for _, k := range v.Clocks {
				if k.State == care.ClockMet {
					t.Errorf("%s: clock %s met by a refused close", ref, k.Name)
				}
			}
		}

		for _, ref := range []string{a, b} {
			_, err = f.svc.SetComplaintOutcome(h, ref, care.OutcomeDecision{Outcome: "upheld", Reasoning: "Debited twice.", RootCause: "payment_error"})
			must(t, err)
		}
		clk.Set(start.Add(48 * time.Hour))
		_, err = f.svc.UpdateCase(h, a, care.CaseUpdate{Status: ptr("closed")})
		must(t, err)
		_, err = f.svc.CloseCase(h, b, service.CaseClosure{Status: "resolved", Outcome: "Refunded in full"})
		must(t, err)
		for _, ref := range []string{a, b} {
			v, err := f.svc.FindComplaint(f.admin, ref)
			must(t, err)
			if v.Complaint.Stage != care.StageClosed || !v.Complaint.ClosedAt.Equal(clk.Now()) || len(v.Transitions) != 1 ||
				v.Transitions[0].To != care.StageClosed || v.Transitions[0].From != care.StageReceived {
				t.Errorf("%s closed through the case: stage %s at %s, transitions %+v", ref, v.Complaint.Stage, v.Complaint.ClosedAt, v.Transitions)
			}
		}
		// resolved → closed moves nothing further on the complaint.
		_, err = f.svc.UpdateCase(h, b, care.CaseUpdate{Status: ptr("closed")})
		must(t, err)
		if v, err := f.svc.FindComplaint(f.admin, b); err != nil || len(v.Transitions) != 1 {
			t.Errorf("resolved → closed: %v, %d transitions", err, len(v.Transitions))
		}
		// An enquiry still closes without any complaint outcome.
		c, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "Q", Description: "?"}})
		must(t, err)
		_, err = f.svc.UpdateCase(f.as["agent"], c.Reference, care.CaseUpdate{Status: ptr("closed")})
		must(t, err)
	})
}
