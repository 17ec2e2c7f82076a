package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if care.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	if field != "" && !slices.ContainsFunc(care.ErrorFields(err), func(f care.FieldError) bool { return f.Field == field }) {
		t.Fatalf("error %v does not name field %s", err, field)
	}
}

func move(t *testing.T, f *fixture, as, key string, req care.TransitionRequest) *service.ComplaintView {
	t.Helper()
	v, err := f.svc.TransitionComplaint(f.as[as], key, req)
	if err != nil {
		t.Fatalf("%s → %s: %v", as, req.To, err)
	}
	return v
}

// A complaint goes through every stage and tier; each reviewer is
// independent of the tiers before, the review clocks start as on a breach,
// and every move is recorded with who and when.
func TestComplaintLifecycleAcrossTiers(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start) // a Monday
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		handler, sup, admin := f.users["complaints_handler"], f.users["supervisor"], f.users["admin"]
		v, err := f.svc.CreateComplaint(f.as["agent"], service.NewComplaint{
			Case: care.Case{Channel: "phone", Subject: "Claim delay", Description: "Card 4111 1111 1111 1111; nobody calls back.",
				Regimes: []string{"uk-fca", "iso10002"}},
			Intake: care.ComplaintIntake{RemedySought: ptr("Pay the claim"), Severity: ptr("high"), Complexity: ptr("moderate"),
				Impact: ptr("high"), ImmediateAction: ptr(true), ClaimNumber: ptr("CLM-9")}})
		if err != nil {
			t.Fatal(err)
		}
		ref := v.Case.Reference
		if v.Complaint.Stage != care.StageReceived || v.Complaint.Severity != "high" || strings.Contains(v.Case.Description, "4111 1111") {
			t.Fatalf("intake: %+v %q", v.Complaint, v.Case.Description)
		}
		_, err = f.svc.TransitionComplaint(f.as["agent"], ref, care.TransitionRequest{To: "acknowledged"})
		wantCode(t, err, care.EFORBIDDEN, "")
		_, err = f.svc.TransitionComplaint(f.as["complaints_handler"], ref, care.TransitionRequest{To: "investigating"})
		wantCode(t, err, care.EPRECONDITION, "")
		_, err = f.svc.UpdateCase(f.admin, ref, care.CaseUpdate{AssigneeID: &handler.ID})
		must(t, err)

		v = move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "acknowledged"})
		wantState(t, clocksByKey(t, f, v.Case.ID), "iso10002/acknowledge#1", care.ClockMet)
		v = move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "investigating", Note: "asked claims"})

		_, err = f.svc.TransitionComplaint(f.as["complaints_handler"], ref, care.TransitionRequest{To: "tier2", ReviewerID: handler.ID})
		wantCode(t, err, care.EINVALID, "reviewer_id")
		_, err = f.svc.TransitionComplaint(f.as["complaints_handler"], ref, care.TransitionRequest{To: "tier2", ReviewerID: f.users["auditor"].ID})
		wantCode(t, err, care.EINVALID, "reviewer_id")
		clk.Advance(time.Hour)
		v = move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "tier2", ReviewerID: sup.ID, Note: "customer disputes"})
		if v.Case.Tier != "tier2" || v.Case.AssigneeID != sup.ID || v.Complaint.Stage != care.StageInvestigating {
			t.Fatalf("after tier2: tier %s assignee %d stage %s", v.Case.Tier, v.Case.AssigneeID, v.Complaint.Stage)
		}
		ks := clocksByKey(t, f, v.Case.ID)
		wantState(t, ks, "iso10002/tier2_review#1", care.ClockRunning)
		if !ks["iso10002/tier2_review#1"].StartedAt.Equal(clk.Now()) {
			t.Errorf("tier2 review clock started %s, want %s", ks["iso10002/tier2_review#1"].StartedAt, clk.Now())
		}
		_, err = f.svc.TransitionComplaint(f.as["complaints_handler"], ref, care.TransitionRequest{To: "response_issued"})
		wantCode(t, err, care.EPRECONDITION, "")
		v = move(t, f, "supervisor", ref, care.TransitionRequest{To: "response_issued"})
		ks = clocksByKey(t, f, v.Case.ID)
		wantState(t, ks, "iso10002/tier2_review#1", care.ClockMet)
		wantState(t, ks, "uk-fca/final_response#1", care.ClockMet)

		_, err = f.svc.TransitionComplaint(f.as["supervisor"], ref, care.TransitionRequest{To: "executive", ReviewerID: handler.ID})
		wantCode(t, err, care.EINVALID, "reviewer_id")
		v = move(t, f, "supervisor", ref, care.TransitionRequest{To: "executive", ReviewerID: admin.ID})
		wantState(t, clocksByKey(t, f, v.Case.ID), "iso10002/executive_review#1", care.ClockRunning)
		_, err = f.svc.TransitionComplaint(f.as["admin"], ref, care.TransitionRequest{To: "tier2"})
		wantCode(t, err, care.EPRECONDITION, "")
		move(t, f, "admin", ref, care.TransitionRequest{To: "response_issued"})

		_, err = f.svc.TransitionComplaint(f.admin, ref, care.TransitionRequest{To: "closed", CustomerResponse: "accepted"})
		wantCode(t, err, care.EINVALID, "outcome")
		_, err = f.svc.SetComplaintOutcome(f.admin, ref, care.OutcomeDecision{Outcome: "partly_upheld", Reasoning: "late", RootCause: "nonsense"})
		wantCode(t, err, care.EINVALID, "root_cause")
		_, err = f.svc.SetComplaintOutcome(f.admin, ref, care.OutcomeDecision{Outcome: "partly_upheld", Reasoning: "Handling was late.", RootCause: "claims_delay"})
		must(t, err)
		_, err = f.svc.TransitionComplaint(f.admin, ref, care.TransitionRequest{To: "closed"})
		wantCode(t, err, care.EINVALID, "customer_response")
		v = move(t, f, "admin", ref, care.TransitionRequest{To: "closed", CustomerResponse: "disagreed"})
		if v.Case.Status != "closed" || v.Complaint.CustomerResponse != "disagreed" || v.Complaint.ClosedAt.IsZero() {
			t.Fatalf("closed: status %s, complaint %+v", v.Case.Status, v.Complaint)
		}
		for key, k := range clocksByKey(t, f, v.Case.ID) {
			if k.Active() {
				t.Errorf("clock %s still %s after closure", key, k.State)
			}
		}
		_, err = f.svc.TransitionComplaint(f.admin, ref, care.TransitionRequest{To: "referred", ReferredTo: "AFCA"})
		wantCode(t, err, care.EINVALID, "referred_to")
		v = move(t, f, "admin", ref, care.TransitionRequest{To: "referred", ReferredTo: "fos"})
		if v.Case.Tier != "referred" || v.Complaint.ReferredTo != "FOS" {
			t.Fatalf("referral: tier %s body %s", v.Case.Tier, v.Complaint.ReferredTo)
		}

		var moves []string
		for _, tr := range v.Transitions {
			moves = append(moves, tr.From+">"+tr.To)
			if tr.At.IsZero() || (tr.ActorID == 0 && tr.ActorName == "") {
				t.Errorf("transition %+v lacks who or when", tr)
			}
		}
		want := []string{"received>acknowledged", "acknowledged>investigating", "frontline>tier2", "investigating>response_issued",
			"tier2>executive", "response_issued>investigating", "investigating>response_issued", "response_issued>closed", "executive>referred"}
		if !slices.Equal(moves, want) {
			t.Errorf("transitions\n got %v\nwant %v", moves, want)
		}
		handlers := map[string][]int64{}
		for _, h := range v.Handlers {
			handlers[h.Tier] = append(handlers[h.Tier], h.UserID)
		}
		if !slices.Equal(handlers["frontline"], []int64{handler.ID}) || !slices.Equal(handlers["tier2"], []int64{sup.ID}) ||
			!slices.Equal(handlers["executive"], []int64{admin.ID}) {
			t.Errorf("handlers per tier: %v", handlers)
		}
		entries, _, err := f.svc.FindAudit(f.as["auditor"], care.AuditFilter{Entity: "complaint", EntityID: itoa(v.Case.ID), Limit: 100})
		must(t, err)
		if len(entries) < len(want)+2 {
			t.Errorf("%d complaint audit entries, want at least %d", len(entries), len(want)+2)
		}
		if _, err := f.svc.FindComplaint(f.as["auditor"], ref); err != nil {
			t.Errorf("auditor reads the complaint: %v", err)
		}
	})
}

// Investigation, redress and CAPA: evidence must belong to the case,
// redress paid names its payment record, a CAPA's due date defaults to 10
// business days after closure and its effectiveness is reviewed once done.
func TestComplaintInvestigationAndOutcome(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		h := f.as["complaints_handler"]
		other, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "x", Description: "y"}})
		must(t, err)
		v, err := f.svc.CreateComplaint(f.as["agent"], service.NewComplaint{Case: care.Case{Channel: "email", Subject: "Refund",
			Description: "You charged me twice.", Regimes: []string{"iso10002"}}})
		must(t, err)
		ref := v.Case.Reference
		otherInteractions, _, err := f.svc.FindInteractions(f.admin, other.Reference, 0, 10)
		must(t, err)
		err = f.svc.AddEvidence(h, ref, &care.Evidence{Kind: "interaction", InteractionID: otherInteractions[0].ID})
		wantCode(t, err, care.EINVALID, "interaction_id")
		wantCode(t, f.svc.AddEvidence(h, ref, &care.Evidence{Kind: "link", URL: "ftp://x"}), care.EINVALID, "url")
		must(t, f.svc.AddEvidence(h, ref, &care.Evidence{Kind: "note", Note: "Two debits on 1 Nov."}))
		wantCode(t, f.svc.AddTeamRequest(h, ref, &care.TeamRequest{Team: "claims", Question: "Why?", DueOn: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}),
			care.EINVALID, "due_on")
		req := &care.TeamRequest{Team: "finance", Question: "Confirm the double debit", DueOn: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)}
		must(t, f.svc.AddTeamRequest(h, ref, req))
		_, err = f.svc.UpdateTeamRequest(h, ref, req.ID, service.TeamRequestUpdate{Status: ptr("answered")})
		wantCode(t, err, care.EINVALID, "answer")
		got, err := f.svc.UpdateTeamRequest(h, ref, req.ID, service.TeamRequestUpdate{Status: ptr("answered"), Answer: ptr("Confirmed.")})
		must(t, err)
		if got.AnsweredAt.IsZero() {
			t.Error("answered request has no answered_at")
		}
		wantCode(t, f.svc.AddRedress(h, ref, &care.Redress{Kind: "refund", AmountMinor: 4500, Currency: "GBP", Status: "paid"}), care.EINVALID, "payment_ref")
		wantCode(t, f.svc.AddRedress(h, ref, &care.Redress{Kind: "refund", AmountMinor: 4500, Currency: "XXX"}), care.EINVALID, "currency")
		rd := &care.Redress{Kind: "refund", AmountMinor: 4500, Currency: "GBP"}
		must(t, f.svc.AddRedress(h, ref, rd))
		paid, err := f.svc.UpdateRedress(h, ref, rd.ID, service.RedressUpdate{Status: ptr("paid"), PaymentRef: ptr("PAY-77")})
		must(t, err)
		if paid.PaidAt.IsZero() || paid.PaymentRef != "PAY-77" {
			t.Errorf("paid redress %+v", paid)
		}
		_, err = f.svc.SetComplaintOutcome(h, ref, care.OutcomeDecision{Outcome: "upheld", Reasoning: "Debited twice.", RootCause: "payment_error"})
		must(t, err)
		move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "acknowledged"})
		move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "response_issued"})
		clk.Set(time.Date(2026, 11, 6, 15, 0, 0, 0, time.UTC)) // Friday
		move(t, f, "complaints_handler", ref, care.TransitionRequest{To: "closed", CustomerResponse: "accepted"})
		wantCode(t, f.svc.AddEvidence(h, ref, &care.Evidence{Kind: "note", Note: "late"}), care.EPRECONDITION, "")
		wantCode(t, f.svc.AddCAPA(h, ref, &care.CAPA{Kind: "corrective", Description: "Fix", OwnerID: 9999}), care.EINVALID, "owner_id")
		capa := &care.CAPA{Kind: "preventive", Description: "Stop duplicate collections", OwnerID: f.users["supervisor"].ID}
		must(t, f.svc.AddCAPA(h, ref, capa))
		if want := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC); !capa.DueOn.Equal(want) {
			t.Errorf("CAPA due %s, want %s (10 business days after Fri 6 Nov)", capa.DueOn, want)
		}
		_, err = f.svc.UpdateCAPA(h, ref, capa.ID, service.CAPAUpdate{Effective: ptr("effective"), EffectivenessReview: ptr("No repeats")})
		wantCode(t, err, care.EINVALID, "effective")
		_, err = f.svc.UpdateCAPA(h, ref, capa.ID, service.CAPAUpdate{Status: ptr("done"), Effective: ptr("effective")})
		wantCode(t, err, care.EINVALID, "effectiveness_review")
		done, err := f.svc.UpdateCAPA(h, ref, capa.ID, service.CAPAUpdate{Status: ptr("done"), Effective: ptr("effective"),
			EffectivenessReview: ptr("No duplicate collections in 4 weeks.")})
		must(t, err)
		if done.ReviewedAt.IsZero() {
			t.Error("reviewed CAPA has no reviewed_at")
		}
		full, err := f.svc.FindComplaint(f.as["auditor"], ref)
		must(t, err)
		if len(full.Evidence) != 1 || len(full.Requests) != 1 || len(full.Redress) != 1 || len(full.CAPA) != 1 {
			t.Errorf("view: %d evidence, %d requests, %d redress, %d capa", len(full.Evidence), len(full.Requests), len(full.Redress), len(full.CAPA))
		}
	})
}

// A complaint breached at frontline goes to tier 2 by the sweep; the
// frontline handler is recorded and cannot then be assigned as reviewer.
func TestBreachEscalationRecordsTheComplaintMove(t *testing.T) {
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		handler := f.users["complaints_handler"]
		c, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "complaint", Channel: "post",
			Subject: "Unpaid", Description: "Still unpaid.", Regimes: []string{"iso10002"}, AssigneeID: handler.ID,
			ReceivedAt: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)}})
		must(t, err)
		if _, err := f.svc.SweepClocks(context.Background(), "sweeper", time.Minute, 50); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.FindComplaint(f.admin, c.Reference)
		must(t, err)
		if v.Case.Tier != "tier2" || len(v.Transitions) != 1 || v.Transitions[0].ActorName != "system" {
			t.Fatalf("tier %s, transitions %+v", v.Case.Tier, v.Transitions)
		}
		_, err = f.svc.AssignComplaintReviewer(f.as["supervisor"], c.Reference, handler.ID, "")
		wantCode(t, err, care.EINVALID, "reviewer_id")
		_, err = f.svc.TransitionComplaint(f.as["complaints_handler"], c.Reference, care.TransitionRequest{To: "acknowledged"})
		wantCode(t, err, care.EPRECONDITION, "")
		v, err = f.svc.AssignComplaintReviewer(f.as["supervisor"], c.Reference, f.users["supervisor"].ID, "taking it")
		must(t, err)
		if v.Case.AssigneeID != f.users["supervisor"].ID {
			t.Errorf("assignee %d", v.Case.AssigneeID)
		}
		// The generic case update refuses the frontline handler as reviewer too.
		_, err = f.svc.UpdateCase(f.as["supervisor"], c.Reference, care.CaseUpdate{AssigneeID: &handler.ID})
		wantCode(t, err, care.EINVALID, "assignee_id")
	})
}

// Confirming a dissatisfaction signal turns an enquiry into a complaint
// whose clocks start at the first receipt; each interaction takes one
// verdict.
func TestConfirmSignalStartsClocksAtReceipt(t *testing.T) {
	start := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		received := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		c, err := f.svc.CreateCase(f.admin, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "My claim",
			Description: "Third time I have written. This is unacceptable, I will go to the ombudsman.", ReceivedAt: received}})
		must(t, err)
		is, _, err := f.svc.FindInteractions(f.admin, c.Reference, 0, 10)
		must(t, err)
		_, _, err = f.svc.DecideSignal(f.as["agent"], is[0].ID, "maybe", "")
		wantCode(t, err, care.EINVALID, "decision")
		d, got, err := f.svc.DecideSignal(f.as["agent"], is[0].ID, "confirm", "")
		must(t, err)
		if got.Type != "complaint" || d.Score < 0.5 || !strings.Contains(d.Reasons, "ombudsman") {
			t.Fatalf("decision %+v, case type %s", d, got.Type)
		}
		k := clocksByKey(t, f, c.ID)["iso10002/final_response#1"]
		if k == nil || !k.StartedAt.Equal(received) {
			t.Fatalf("final response clock %+v, want started at %s", k, received)
		}
		_, _, err = f.svc.DecideSignal(f.as["agent"], is[0].ID, "dismiss", "")
		wantCode(t, err, care.ECONFLICT, "")
		v, err := f.svc.FindComplaint(f.admin, c.Reference)
		must(t, err)
		if v.Complaint.Stage != care.StageReceived {
			t.Errorf("stage %s", v.Complaint.Stage)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
