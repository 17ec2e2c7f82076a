package service_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// claimPolicy creates a customer with an email and a policy on a line.
func claimPolicy(t *testing.T, f *fixture, number, line string) *care.Policy {
	t.Helper()
	cust := &care.Customer{Kind: "policyholder", Name: "Ann " + line, Email: line + "@example.org", Phone: "+447700900123"}
	must(t, f.svc.CreateCustomer(f.admin, cust))
	p := &care.Policy{CustomerID: cust.ID, Number: number, Line: line, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		End: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), PremiumMinor: 50000}
	must(t, f.svc.CreatePolicy(f.admin, p))
	return p
}

func stepClaim(t *testing.T, f *fixture, as, key, to string) *service.ClaimView {
	t.Helper()
	v, err := f.svc.TransitionClaim(f.as[as], key, to, "")
	if err != nil {
		t.Fatalf("%s → %s: %v", as, to, err)
	}
	if v.Claim.Stage != to {
		t.Fatalf("%s → %s: stage %s", as, to, v.Claim.Stage)
	}
	return v
}

// A motor claim goes from FNOL to payment with the right role at each
// stage; a claims handler cannot settle above their authority, a
// supervisor can; the settlement milestone is met on acceptance.
func TestMotorClaimFromFNOLToPayment(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // a Monday
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		pol := claimPolicy(t, f, "MOT-1", "motor")
		in := care.NewClaim{PolicyNumber: "mot-1", LossAt: start.Add(-26 * time.Hour), ReportedAt: start.Add(-20 * time.Minute),
			LossType: "motor", Place: "A4 Bath Road", Description: "Rear-ended at lights. Card 4111 1111 1111 1111.",
			Channel: "phone", Parties: []care.ClaimParty{{Role: "third_party", Name: "Bob Driver", Contact: "07700 900456"}}}
		if _, err := f.svc.CreateClaim(f.as["auditor"], in); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("auditor took an FNOL: %v", err)
		}
		bad := in
		bad.LossType, bad.PolicyNumber = "spaceship", ""
		_, err := f.svc.CreateClaim(f.as["agent"], bad)
		wantCode(t, err, care.EINVALID, "loss_type")
		wantCode(t, err, care.EINVALID, "policy_number")

		v, err := f.svc.CreateClaim(f.as["agent"], in)
		must(t, err)
		k := v.Claim
		if !strings.HasPrefix(k.Number, "CL-2026-") || k.Stage != care.ClaimIntake || v.Case.Type != "claim" ||
			v.Case.PolicyID != pol.ID || len(k.CoverProblems) != 0 || strings.Contains(k.Description, "4111 1111") {
			t.Fatalf("FNOL: %+v %+v", k, v.Case)
		}
		ks := clocksByKey(t, f, v.Case.ID)
		wantState(t, ks, "claims/fnol_capture#1", care.ClockMet)
		wantState(t, ks, "claims/acknowledge#1", care.ClockMet) // the claim number went by email
		wantState(t, ks, "claims/settlement#1", care.ClockRunning)
		if due := ks["claims/settlement#1"].DueAt; !due.Equal(time.Date(2026, 11, 12, 23, 59, 59, 0, time.UTC)) {
			t.Errorf("settlement due %s", due)
		}
		if _, ok := ks["claims/inspection#1"]; ok {
			t.Error("a motor claim owes no property inspection")
		}

		// Each stage is moved on only by its own role.
		_, err = f.svc.TransitionClaim(f.as["adjuster"], k.Number, care.ClaimReview, "")
		wantCode(t, err, care.EFORBIDDEN, "")
		stepClaim(t, f, "agent", k.Number, care.ClaimReview)
		_, err = f.svc.TransitionClaim(f.as["claims_handler"], k.Number, care.ClaimSettlement, "")
		wantCode(t, err, care.EINVALID, "to")
		stepClaim(t, f, "claims_handler", k.Number, care.ClaimAssessment)
		_, err = f.svc.SetClaimReserve(f.as["adjuster"], k.Number, 750000, "Two vehicles")
		must(t, err)
		stepClaim(t, f, "adjuster", k.Number, care.ClaimCoverage)
		stepClaim(t, f, "underwriter", k.Number, care.ClaimSettlement)

		// Authority: a claims handler may approve up to 5,000.00.
		_, err = f.svc.ApproveSettlement(f.as["claims_handler"], k.Number, 720000, "")
		wantCode(t, err, care.EFORBIDDEN, "amount")
		if !strings.Contains(care.ErrorMessage(err), "GBP 5000.00") {
			t.Errorf("refusal does not name the limit: %v", err)
		}
		v, err = f.svc.ApproveSettlement(f.as["supervisor"], k.Number, 720000, "Repair estimate")
		must(t, err)
		if v.Claim.Stage != care.ClaimOffer || v.Claim.SettledMinor != 720000 || v.Claim.SettledBy != f.users["supervisor"].ID {
			t.Fatalf("settled: %+v", v.Claim)
		}
		stepClaim(t, f, "agent", k.Number, care.ClaimDecision)
		_, err = f.svc.TransitionClaim(f.as["agent"], k.Number, care.ClaimPaying, "")
		wantCode(t, err, care.EPRECONDITION, "")
		clk.Advance(48 * time.Hour)
		v, err = f.svc.DecideClaim(f.as["agent"], k.Number, service.ClaimDecisionInput{Decision: "accept"})
		must(t, err)
		if v.Claim.Stage != care.ClaimPaying || v.Claim.Decision != "accepted" {
			t.Fatalf("accepted: %+v", v.Claim)
		}
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/settlement#1", care.ClockMet)

		pay := &care.ClaimPayment{AmountMinor: 800000, Payee: "Ann motor", Method: "bank_transfer"}
		_, err = f.svc.AddClaimPayment(f.as["accounts"], k.Number, pay)
		wantCode(t, err, care.EINVALID, "amount")
		_, err = f.svc.AddClaimPayment(f.as["claims_handler"], k.Number, &care.ClaimPayment{AmountMinor: 100, Payee: "x", Method: "cheque"})
		wantCode(t, err, care.EFORBIDDEN, "")
		_, err = f.svc.AddClaimPayment(f.as["accounts"], k.Number, &care.ClaimPayment{AmountMinor: 20000, Payee: "Ann motor", Method: "bank_transfer"})
		must(t, err)
		v, err = f.svc.AddClaimPayment(f.as["accounts"], k.Number, &care.ClaimPayment{AmountMinor: 700000, Payee: "Bath Bodyshop", Method: "repairer", Reference: "INV-77"})
		must(t, err)
		if v.Claim.Stage != care.ClaimClosed || v.Claim.PaidMinor != 720000 || v.Claim.ReserveMinor != 0 || v.Case.Status != "closed" {
			t.Fatalf("paid: %+v status %s", v.Claim, v.Case.Status)
		}
		if len(v.Transitions) != 8 || len(v.Payments) != 2 || len(v.Reserves) != 2 {
			t.Errorf("history: %d transitions, %d payments, %d reserves", len(v.Transitions), len(v.Payments), len(v.Reserves))
		}
		// Every stage change was an email to the policyholder.
		mails, err := f.svc.FindOutbox(f.admin, 100)
		must(t, err)
		n := 0
		for _, m := range mails {
			if m.Kind == "claim.stage" && m.To == "motor@example.org" {
				n++
			}
		}
		if n != 9 {
			t.Errorf("%d stage emails, want 9 (FNOL and eight moves)", n)
		}
		// Reopen, by claims only.
		_, err = f.svc.ReopenClaim(f.as["agent"], k.Number, "late invoice")
		wantCode(t, err, care.EFORBIDDEN, "")
		v, err = f.svc.ReopenClaim(f.as["claims_handler"], k.Number, "late invoice")
		must(t, err)
		if v.Claim.Stage != care.ClaimReview || v.Claim.Reopened != 1 || v.Case.Status != "open" {
			t.Fatalf("reopened: %+v %s", v.Claim, v.Case.Status)
		}
		// The claim is found by number, by case reference and in the list.
		if w, err := f.svc.FindClaim(f.as["auditor"], v.Case.Reference); err != nil || w.Claim.Number != k.Number {
			t.Fatalf("by reference: %v", err)
		}
		rows, _, err := f.svc.FindClaims(f.as["claims_handler"], care.ClaimFilter{Stage: care.ClaimReview})
		must(t, err)
		if len(rows) != 1 || rows[0].PolicyNumber != "MOT-1" {
			t.Errorf("list: %+v", rows)
		}
	})
}

// A property claim: the cover check flags a loss outside the policy line;
// the inspection clock pauses while a catastrophe event is active; a
// dispute of the offer opens a linked complaint and sends the claim back
// to settlement.
func TestPropertyClaimDisputeAndCatastrophe(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "HOME-1", "home")
		claimPolicy(t, f, "PET-1", "pet")
		odd, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "PET-1", LossAt: start.Add(-time.Hour),
			LossType: "property", Description: "Roof damaged"})
		must(t, err)
		if len(odd.Claim.CoverProblems) != 1 || odd.Claim.CoverProblems[0].Code != "loss_type_mismatch" {
			t.Errorf("cover problems: %+v", odd.Claim.CoverProblems)
		}

		cat := &care.CatastropheEvent{Name: "Storm Ciara", Region: "South West"}
		if err := f.svc.DeclareCatastrophe(f.as["claims_handler"], cat); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("claims handler declared a catastrophe: %v", err)
		}
		must(t, f.svc.DeclareCatastrophe(f.as["supervisor"], cat))
		v, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "HOME-1", LossAt: start.Add(-3 * time.Hour),
			LossType: "property", Description: "Tree through the roof", Place: "12 High St", Channel: "email",
			CatastropheID: cat.ID})
		must(t, err)
		k := v.Claim
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/inspection#1", care.ClockPaused)
		clk.Advance(24 * time.Hour)
		_, err = f.svc.EndCatastrophe(f.as["supervisor"], cat.ID)
		must(t, err)
		insp := clocksByKey(t, f, v.Case.ID)["claims/inspection#1"]
		if insp.State != care.ClockRunning || !insp.DueAt.Equal(start.Add(72*time.Hour)) {
			t.Errorf("inspection after the event: %s due %s", insp.State, insp.DueAt)
		}
		v, err = f.svc.ScheduleInspection(f.as["adjuster"], k.Number, start.Add(50*time.Hour), "R. Surveyor")
		must(t, err)
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/inspection#1", care.ClockMet)

		stepClaim(t, f, "agent", k.Number, care.ClaimReview)
		stepClaim(t, f, "claims_handler", k.Number, care.ClaimAssessment)
		stepClaim(t, f, "adjuster", k.Number, care.ClaimCoverage)
		stepClaim(t, f, "underwriter", k.Number, care.ClaimSettlement)
		_, err = f.svc.ApproveSettlement(f.as["claims_handler"], k.Number, 300000, "")
		must(t, err)
		stepClaim(t, f, "agent", k.Number, care.ClaimDecision)
		_, err = f.svc.DecideClaim(f.as["agent"], k.Number, service.ClaimDecisionInput{Decision: "dispute"})
		wantCode(t, err, care.EINVALID, "note")
		v, err = f.svc.DecideClaim(f.as["agent"], k.Number, service.ClaimDecisionInput{Decision: "dispute",
			Note: "The roof costs twice that"})
		must(t, err)
		if v.Claim.Stage != care.ClaimSettlement || v.Claim.Decision != "disputed" || v.Complaint == nil {
			t.Fatalf("disputed: %+v", v.Claim)
		}
		cv, err := f.svc.FindComplaint(f.as["complaints_handler"], v.Complaint.Reference)
		must(t, err)
		if cv.Complaint.ClaimNumber != k.Number || cv.Case.CustomerID != v.Case.CustomerID || len(cv.Clocks) == 0 {
			t.Errorf("complaint: %+v, %d clocks", cv.Complaint, len(cv.Clocks))
		}
		// A higher settlement, accepted, paid.
		f.svc.SetSettlementAuthority(f.admin, &care.SettlementAuthority{UserID: f.users["claims_handler"].ID, LimitMinor: 1000000})
		_, err = f.svc.ApproveSettlement(f.as["claims_handler"], k.Number, 600000, "Revised after dispute")
		must(t, err)
		stepClaim(t, f, "agent", k.Number, care.ClaimDecision)
		_, err = f.svc.DecideClaim(f.as["agent"], k.Number, service.ClaimDecisionInput{Decision: "accept"})
		must(t, err)
		v, err = f.svc.AddClaimPayment(f.as["accounts"], k.Number, &care.ClaimPayment{AmountMinor: 600000, Payee: "Ann home", Method: "bank_transfer"})
		must(t, err)
		if v.Claim.Stage != care.ClaimClosed || v.Complaint == nil {
			t.Errorf("closed: %+v", v.Claim)
		}
	})
}

// A claim sent on the portal against the customer's own policy is
// registered at once with a claim number; the policyholder follows its
// stage on the portal by claim number and email.
func TestPortalClaimShowsItsStage(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "HOME-9", "home")
		rec, err := f.svc.SubmitFromPortal(portalCtx(), service.PortalSubmission{Kind: "claim", Name: "Ann home",
			Email: "home@example.org", PolicyNumber: "HOME-9", Description: "Water through the ceiling",
			LossDate: "2026-11-01", LossPlace: "Home", Consent: true})
		must(t, err)
		if !care.LooksLikeClaimNumber(rec.ClaimNumber) {
			t.Fatalf("receipt: %+v", rec)
		}
		v, err := f.svc.FindClaim(f.admin, rec.ClaimNumber)
		must(t, err)
		if v.Claim.LossType != "property" || v.Claim.Channel != "web" || len(v.Claim.CoverProblems) != 0 {
			t.Errorf("portal claim: %+v", v.Claim)
		}
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/inspection#1", care.ClockRunning)
		stepClaim(t, f, "agent", rec.ClaimNumber, care.ClaimReview)
		pv, err := f.svc.PortalCaseStatus(portalCtx(), rec.ClaimNumber, "home@example.org")
		must(t, err)
		if pv.ClaimNumber != rec.ClaimNumber || pv.ClaimStep != 2 || !strings.Contains(pv.ClaimStage, "checking") {
			t.Errorf("portal view: %+v", pv)
		}
	})
}

// Where the firm configures California's fair claims regulations for
// claims, their clocks run beside the claims milestones.
func TestClaimsWithConfiguredRegime(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "MOT-CA", "motor")
		ca := service.New(s, nil, service.Config{DefaultRegimes: map[string][]string{"claim": {"us-ca-claims"}}})
		v, err := ca.CreateClaim(f.admin, care.NewClaim{PolicyNumber: "MOT-CA", LossAt: start.Add(-time.Hour),
			LossType: "motor", Description: "Side swipe on the I-5"})
		must(t, err)
		ks := clocksByKey(t, f, v.Case.ID)
		wantState(t, ks, "claims/settlement#1", care.ClockRunning)
		wantState(t, ks, "us-ca-claims/acknowledge#1", care.ClockMet) // the claim-number email acknowledges
		if got := strings.Join(v.Case.Regimes, ","); got != "claims/motor,us-ca-claims" {
			t.Errorf("regimes %s", got)
		}
	})
}

// Every stage change reaches an SMS gateway subscribed to
// claim.stage_changed, with the message to send and the phone number.
func TestClaimStageChangesReachTheSMSWebhook(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "MOT-SMS", "motor")
		hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: "https://sms.example.com/hook", Events: []string{"claim.stage_changed"}})
		must(t, err)
		v, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "MOT-SMS", LossAt: start.Add(-time.Hour),
			LossType: "motor", Description: "Mirror clipped"})
		must(t, err)
		stepClaim(t, f, "agent", v.Claim.Number, care.ClaimReview)
		log, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50)
		must(t, err)
		if len(log) != 2 {
			t.Fatalf("%d deliveries, want 2 (FNOL and the move)", len(log))
		}
		var got []string
		for _, d := range log {
			var ev struct {
				Type string
				Data struct {
					Claim           struct{ Number string }
					From, To, Phone string
					Message         string
				}
			}
			must(t, json.Unmarshal([]byte(d.Payload), &ev))
			if ev.Type != "claim.stage_changed" || ev.Data.Claim.Number != v.Claim.Number || ev.Data.Phone != "+447700900123" || ev.Data.Message == "" {
				t.Errorf("payload %s", d.Payload)
			}
			got = append(got, ev.Data.From+">"+ev.Data.To)
		}
		slices.Sort(got)
		if strings.Join(got, " ") != ">intake intake>review" {
			t.Errorf("moves %v", got)
		}
	})
}

// A catastrophe holds the inspection milestone until the event ends (or the
// claim is unlinked): a case leaving waiting_customer meanwhile does not
// restart it, and an event ending while the case still waits on the
// customer leaves it paused until the customer answers.
func TestCatastrophePauseOutlastsWaitingOnCustomer(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "HOME-2", "home")
		cat := &care.CatastropheEvent{Name: "Storm Dara", Region: "North"}
		must(t, f.svc.DeclareCatastrophe(f.as["supervisor"], cat))
		v, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "HOME-2", LossAt: start.Add(-time.Hour),
			LossType: "property", Description: "Flooded kitchen", CatastropheID: cat.ID})
		must(t, err)
		ref := v.Case.Reference
		setStatus := func(st string) {
			t.Helper()
			_, err := f.svc.UpdateCase(f.admin, ref, care.CaseUpdate{Status: &st})
			must(t, err)
		}
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/inspection#1", care.ClockPaused)

		// Waiting on the customer and back: the storm still holds the inspection.
		clk.Advance(2 * time.Hour)
		setStatus("waiting_customer")
		clk.Advance(2 * time.Hour)
		setStatus("open")
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/inspection#1", care.ClockPaused)

		// The event ends while the case waits on the customer: still paused.
		setStatus("waiting_customer")
		clk.Advance(20 * time.Hour)
		_, err = f.svc.EndCatastrophe(f.as["supervisor"], cat.ID)
		must(t, err)
		wantState(t, clocksByKey(t, f, v.Case.ID), "claims/inspection#1", care.ClockPaused)
		// The customer answers: the inspection runs again, 24 h lost to the pause.
		setStatus("open")
		insp := clocksByKey(t, f, v.Case.ID)["claims/inspection#1"]
		if insp.State != care.ClockRunning || !insp.DueAt.Equal(start.Add(72*time.Hour)) {
			t.Errorf("inspection after the event and the wait: %s due %s", insp.State, insp.DueAt)
		}

		// Unlinking a claim from an active event resumes it, unless waiting.
		cat2 := &care.CatastropheEvent{Name: "Storm Eowyn", Region: "North"}
		must(t, f.svc.DeclareCatastrophe(f.as["supervisor"], cat2))
		w, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "HOME-2", LossAt: clk.Now().Add(-time.Hour),
			LossType: "property", Description: "Fence down", CatastropheID: cat2.ID})
		must(t, err)
		ref = w.Case.Reference
		setStatus("waiting_customer")
		setStatus("open")
		wantState(t, clocksByKey(t, f, w.Case.ID), "claims/inspection#1", care.ClockPaused)
		_, err = f.svc.LinkClaimCatastrophe(f.as["claims_handler"], w.Claim.Number, 0)
		must(t, err)
		wantState(t, clocksByKey(t, f, w.Case.ID), "claims/inspection#1", care.ClockRunning)
	})
}

// Only a simple motor physical-damage claim owes the 10-day settlement:
// injuries, disputed liability, a total loss or an estimate at the limit make it
// complex, and it runs the standard milestones instead.
func TestSimpleMotorClaimsOweTheTenDaySettlement(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "CAR-9", "motor")
		base := care.NewClaim{PolicyNumber: "CAR-9", LossAt: start.Add(-time.Hour), LossType: "motor", Description: "Scraped a wall"}
		_, err := f.svc.CreateClaim(f.as["agent"], func() care.NewClaim { n := base; n.EstimateMinor = -1; return n }())
		wantCode(t, err, care.EINVALID, "estimate")

		cases := []struct {
			name       string
			edit       func(*care.NewClaim)
			complexity string
			note       string
		}{
			{"simple", func(n *care.NewClaim) { n.EstimateMinor = 120000 }, "simple", "physical damage only"},
			{"injured", func(n *care.NewClaim) { n.Injuries = true }, "complex", "injuries reported"},
			{"injured party", func(n *care.NewClaim) {
				n.Parties = []care.ClaimParty{{Role: "injured", Name: "Bo Passenger"}}
			}, "complex", "injuries reported"},
			{"third party at fault", func(n *care.NewClaim) {
				n.Parties = []care.ClaimParty{{Role: "third_party", Name: "Cy Driver"}}
			}, "simple", "liability not disputed"},
			{"liability disputed", func(n *care.NewClaim) { n.LiabilityDisputed = true }, "complex", "liability disputed"},
			{"total loss", func(n *care.NewClaim) { n.TotalLoss = true }, "complex", "total loss"},
			{"large", func(n *care.NewClaim) { n.EstimateMinor = 500000 }, "complex", "estimate 5000.00 not below 5000.00"},
		}
		for _, tc := range cases {
			n := base
			tc.edit(&n)
			v, err := f.svc.CreateClaim(f.as["agent"], n)
			must(t, err)
			if v.Claim.Complexity != tc.complexity || !strings.Contains(v.Claim.ComplexityNote, tc.note) {
				t.Errorf("%s: %q (%s)", tc.name, v.Claim.Complexity, v.Claim.ComplexityNote)
			}
			_, settles := clocksByKey(t, f, v.Case.ID)["claims/settlement#1"]
			if settles != (tc.complexity == "simple") {
				t.Errorf("%s: settlement milestone %v, regimes %v", tc.name, settles, v.Case.Regimes)
			}
			// Read back from the store.
			got, err := f.svc.FindClaim(f.as["agent"], v.Claim.Number)
			must(t, err)
			if got.Claim.Complexity != tc.complexity || got.Claim.EstimateMinor != n.EstimateMinor {
				t.Errorf("%s stored: %q estimate %d", tc.name, got.Claim.Complexity, got.Claim.EstimateMinor)
			}
		}
		// Other loss types have no complexity.
		claimPolicy(t, f, "HOME-9", "home")
		v, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "HOME-9", LossAt: start.Add(-time.Hour),
			LossType: "property", Description: "Burst pipe", Injuries: true})
		must(t, err)
		if v.Claim.Complexity != "" {
			t.Errorf("property complexity %q", v.Claim.Complexity)
		}
	})
}

// The claims list pages by keyset in its own order (nearest milestone,
// claims with none last, newest first among equals): walking the pages
// gives every claim once, in the order of one long page.
func TestClaimListPages(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		claimPolicy(t, f, "CAR-7", "motor")
		var numbers []string
		for i := range 7 {
			v, err := f.svc.CreateClaim(f.as["agent"], care.NewClaim{PolicyNumber: "CAR-7", LossAt: clk.Now().Add(-time.Hour),
				LossType: "motor", Description: "Dent " + strconv.Itoa(i)})
			must(t, err)
			numbers = append(numbers, v.Claim.Number)
			if i%3 == 0 { // some claims have no running milestone: listed last
				_, err = f.svc.TransitionClaim(f.as["agent"], v.Claim.Number, care.ClaimClosed, "Duplicate notice")
				must(t, err)
			}
			if i != 4 { // two claims share their due times
				clk.Advance(10 * time.Minute)
			}
		}
		all, next, err := f.svc.FindClaims(f.as["auditor"], care.ClaimFilter{})
		must(t, err)
		if len(all) != 7 || next != nil {
			t.Fatalf("one page: %d claims, next %v", len(all), next)
		}
		var walked []string
		filter := care.ClaimFilter{Limit: 2}
		for pages := 0; ; pages++ {
			if pages > 7 {
				t.Fatal("paging does not end")
			}
			rows, next, err := f.svc.FindClaims(f.as["auditor"], filter)
			must(t, err)
			for _, r := range rows {
				walked = append(walked, r.Claim.Number)
			}
			if next == nil {
				break
			}
			k, err := care.ParseClaimKey(next.String()) // through the opaque cursor
			must(t, err)
			filter.After = &k
		}
		var want []string
		for _, r := range all {
			want = append(want, r.Claim.Number)
		}
		if strings.Join(walked, " ") != strings.Join(want, " ") {
			t.Errorf("pages give\n%v\nwant\n%v", walked, want)
		}
		if _, err := care.ParseClaimKey("bm90IGEgY3Vyc29y"); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

// An email that reports a loss on a policy the sender holds opens a claim
// (number, channel email, cover check, milestones) in the same transaction
// as its case, and the one threaded acknowledgement gives the claim number.
// Questions, other people's policies and replies stay ordinary mail.
func TestEmailReportingALossOpensAClaim(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		pol := claimPolicy(t, f, "MOT-5", "motor") // customer motor@example.org
		receive := func(from, subject, id, body string) *service.MailReceipt {
			t.Helper()
			raw := "From: " + from + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + id + ">\r\n\r\n" + body
			m, err := mail.Parse([]byte(raw), from, true)
			if err != nil {
				t.Fatal(err)
			}
			r, err := f.svc.ReceiveMail(context.Background(), m, service.MailOptions{Domains: []string{"care.example.com"}})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		outboxFor := func(caseID int64) []*store.OutboundMail {
			t.Helper()
			all, err := f.svc.FindOutbox(f.admin, 100)
			must(t, err)
			var out []*store.OutboundMail
			for _, m := range all {
				if m.CaseID == caseID {
					out = append(out, m)
				}
			}
			return out
		}

		r := receive("motor@example.org", "Accident this morning", "fnol-1@example.org",
			"Someone drove into my parked car and it is badly damaged. My policy is MOT-5.")
		if r.Kind != "case" || r.ClaimNumber == "" || !r.Acknowledged {
			t.Fatalf("receipt: %+v", r)
		}
		v, err := f.svc.FindClaim(f.as["claims_handler"], r.ClaimNumber)
		must(t, err)
		k := v.Claim
		if v.Case.Type != "claim" || v.Case.Channel != "email" || v.Case.PolicyID != pol.ID || k.Channel != "email" ||
			k.Stage != care.ClaimIntake || k.LossType != "motor" || k.Complexity != "simple" || k.PolicyID != pol.ID ||
			!strings.Contains(k.Description, "badly damaged") || len(k.CoverProblems) != 0 {
			t.Fatalf("claim from email: %+v case %+v", k, v.Case)
		}
		if !strings.Contains(v.Case.Description, "Registered as a claim because the message reports a loss (accident, damaged) on policy MOT-5") {
			t.Errorf("case description: %s", v.Case.Description)
		}
		ks := clocksByKey(t, f, v.Case.ID)
		wantState(t, ks, "claims/fnol_capture#1", care.ClockMet)
		wantState(t, ks, "claims/acknowledge#1", care.ClockMet)
		wantState(t, ks, "claims/settlement#1", care.ClockRunning)
		out := outboxFor(v.Case.ID)
		if len(out) != 1 {
			t.Fatalf("want one acknowledgement, got %d messages", len(out))
		}
		if ack := out[0]; ack.Subject != "["+v.Case.Reference+"] Your claim number is "+k.Number ||
			!strings.Contains(ack.Body, "Your claim number is "+k.Number) || ack.Headers["In-Reply-To"] != "<fnol-1@example.org>" ||
			ack.Headers["Auto-Submitted"] != "auto-replied" {
			t.Errorf("acknowledgement: %+v", ack)
		}
		if again := receive("motor@example.org", "Accident this morning", "fnol-1@example.org", "x"); !again.Duplicate ||
			again.CaseID != r.CaseID {
			t.Errorf("duplicate: %+v", again)
		}

		// Injury words make a motor claim complex.
		r = receive("motor@example.org", "Crash", "fnol-2@example.org", "I crashed on the M4, my son was taken to hospital. MOT-5")
		v, err = f.svc.FindClaim(f.as["claims_handler"], r.ClaimNumber)
		must(t, err)
		if v.Claim.Complexity != "complex" || !strings.Contains(v.Claim.ComplexityNote, "injuries") {
			t.Errorf("injury email: %q %q", v.Claim.Complexity, v.Claim.ComplexityNote)
		}

		// Ordinary mail stays ordinary.
		for _, tc := range []struct{ from, subject, body string }{
			{"motor@example.org", "Cover", "Does MOT-5 cover an accident abroad?"},
			{"motor@example.org", "Stolen", "My bike was stolen, policy BIKE-1."},
			{"someone@example.org", "Stolen", "The car on policy MOT-5 was stolen."},
		} {
			clk.Advance(61 * time.Minute) // past the hourly acknowledgement limit per address
			r := receive(tc.from, tc.subject, "plain-"+tc.body[:8]+"@example.org", tc.body)
			c, err := f.svc.FindCase(f.admin, r.Reference)
			must(t, err)
			if r.ClaimNumber != "" || c.Type == "claim" {
				t.Errorf("%q opened a claim: %+v", tc.body, r)
			}
			if out := outboxFor(r.CaseID); len(out) != 1 || !strings.HasSuffix(out[0].Subject, "We have received your message") {
				t.Errorf("%q acknowledgement: %+v", tc.body, out)
			}
		}
	})
}
