package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

func portalCtx() context.Context {
	a := care.SystemActor("portal")
	a.IP = "203.0.113.7"
	return care.NewContextWithActor(context.Background(), a)
}

func complaint(email string) service.PortalSubmission {
	return service.PortalSubmission{Kind: "complaint", Name: "Ruth Okafor", Email: email,
		Description: "My claim has been ignored for six weeks.", Consent: true}
}

func TestPortalSubmitComplaint(t *testing.T) {
	// Monday 2 November 2026, 10:00 London: ISO 10002's final response is
	// due at the end of the 15th business day after receipt, 23 November.
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: "https://hooks.example.com/in", Events: []string{"case.created"},
			Secret: "0123456789abcdef0123456789abcdef"})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := f.svc.SubmitFromPortal(portalCtx(), complaint("Ruth@Example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if rec.Reference != "CD-2026-000001" || rec.Email != "ruth@example.com" || rec.Next == nil || !rec.Next.Final {
			t.Fatalf("receipt: %+v next %+v", rec, rec.Next)
		}
		if got := rec.Next.DueDate(); got != "23 November 2026" {
			t.Errorf("final response due %s, want 23 November 2026", got)
		}
		cases, _, err := f.svc.FindCases(f.admin, care.CaseFilter{Type: "complaint"})
		if err != nil || len(cases) != 1 || cases[0].Channel != "web" || cases[0].CustomerID == 0 {
			t.Fatalf("staff view: %v %+v", err, cases)
		}
		clocks, err := f.svc.FindCaseClocks(f.admin, cases[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]string{}
		for _, k := range clocks {
			states[k.Regime+"/"+k.Name] = k.State
		}
		if states["iso10002/final_response"] != care.ClockRunning || states["iso10002/acknowledge"] != care.ClockMet {
			t.Errorf("clocks: %v", states)
		}
		mail, err := f.svc.FindOutbox(f.admin, 10)
		if err != nil || len(mail) != 1 || mail[0].To != "ruth@example.com" || !strings.Contains(mail[0].Subject, rec.Reference) ||
			!strings.Contains(mail[0].Body, "23 November 2026") || mail[0].CaseID != cases[0].ID {
			t.Fatalf("acknowledgement: %v %+v", err, mail)
		}

		if ds, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 10); err != nil || len(ds) != 1 ||
			!strings.Contains(ds[0].Payload, rec.Reference) {
			t.Errorf("case.created deliveries: %v %+v", err, ds)
		}

		// The same email again matches the customer and never renames them.
		again := complaint("ruth@example.com")
		again.Name, again.Vulnerable, again.VulnerabilityNote = "Someone Else", true, "I am recovering from surgery."
		rec2, err := f.svc.SubmitFromPortal(portalCtx(), again)
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.FindComplaint(f.admin, rec2.Reference)
		if err != nil || v.Complaint.Stage != care.StageAcknowledged || !v.Complaint.Vulnerable ||
			v.Complaint.VulnerabilityNote != "I am recovering from surgery." {
			t.Fatalf("complaint record: %v %+v", err, v)
		}
		custs, _, _ := f.svc.FindCustomers(f.admin, care.CustomerFilter{Email: "ruth@example.com"})
		if len(custs) != 1 || custs[0].Name != "Ruth Okafor" || !custs[0].Vulnerable {
			t.Fatalf("customers: %+v", custs)
		}
	})
}

func TestPortalRefusesAndLeavesNothing(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		in := complaint("ruth@example.com")
		in.Files = []service.NewAttachment{{Filename: "notes.txt", Data: []byte("fine")},
			{Filename: "invoice.pdf.exe", Data: []byte("MZ\x90\x00")}}
		_, err := f.svc.SubmitFromPortal(portalCtx(), in)
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "documents[1]" || !strings.Contains(fe[0].Message, "programs") {
			t.Fatalf("executable: %v", err)
		}
		claim := service.PortalSubmission{Kind: "claim", Name: "A", Email: "a@example.com", Description: "x", LossDate: "2027-01-01"}
		_, err = f.svc.SubmitFromPortal(portalCtx(), claim)
		fields := map[string]bool{}
		for _, fe := range care.ErrorFields(err) {
			fields[fe.Field] = true
		}
		for _, want := range []string{"policy_number", "loss_place", "loss_date", "consent"} {
			if !fields[want] {
				t.Errorf("claim error lacks %s: %v", want, err)
			}
		}
		if _, err := f.svc.SubmitFromPortal(f.admin, complaint("x@example.com")); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("staff actor as portal: %v", err)
		}
		cases, _, _ := f.svc.FindCases(f.admin, care.CaseFilter{})
		custs, _, _ := f.svc.FindCustomers(f.admin, care.CustomerFilter{})
		mail, _ := f.svc.FindOutbox(f.admin, 10)
		if len(cases)+len(custs)+len(mail) != 0 {
			t.Fatalf("refused submissions left %d cases, %d customers, %d mails", len(cases), len(custs), len(mail))
		}
	})
}

func TestPortalStatusAndDocuments(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		cust := &care.Customer{Name: "Ben Hale", Email: "ben@example.com"}
		if err := f.svc.CreateCustomer(f.admin, cust); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.CreatePolicy(f.admin, &care.Policy{CustomerID: cust.ID, Number: "HOM-1001", Line: "home", Status: "in_force",
			Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
			Currency: "GBP"}); err != nil {
			t.Fatal(err)
		}
		claim := service.PortalSubmission{Kind: "claim", Name: "Ben Hale", Email: "ben@example.com", PolicyNumber: "hom-1001",
			LossDate: "30/10/2026", LossTime: "21:15", Key: "form-key_1", LossPlace: "12 Mill Lane, Leeds", Description: "A pipe burst in the loft.", Consent: true}
		rec, err := f.svc.SubmitFromPortal(portalCtx(), claim)
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.FindCase(f.admin, rec.Reference)
		if err != nil || c.PolicyID == 0 || c.Type != "claim" || !strings.Contains(c.Description, "Place: 12 Mill Lane, Leeds") ||
			!strings.Contains(c.Description, "Date of loss: 30 October 2026 21:15 GMT") {
			t.Fatalf("claim case: %v %+v", err, c)
		}
		if again, err := f.svc.SubmitFromPortal(portalCtx(), claim); err != nil || again.Reference != rec.Reference || !again.Repeat {
			t.Fatalf("the same form again: %v %+v", err, again)
		}
		claim.Key = "not a key!"
		if _, err := f.svc.SubmitFromPortal(portalCtx(), claim); care.ErrorFields(err) == nil || care.ErrorFields(err)[0].Field != "key" {
			t.Errorf("bad key: %v", err)
		}
		for _, factor := range []string{"BEN@example.com", "HOM-1001"} {
			v, err := f.svc.PortalCaseStatus(portalCtx(), strings.ToLower(rec.Reference), factor)
			if err != nil || v.Reference != rec.Reference || !v.Open || v.Kind != "claim" {
				t.Fatalf("status by %s: %v %+v", factor, err, v)
			}
		}
		_, wrongFactor := f.svc.PortalCaseStatus(portalCtx(), rec.Reference, "someone@example.com")
		_, wrongRef := f.svc.PortalCaseStatus(portalCtx(), "CD-2026-000999", "ben@example.com")
		_, junk := f.svc.PortalCaseStatus(portalCtx(), "<script>", "")
		for _, err := range []error{wrongRef, junk} {
			if err == nil || err.Error() != wrongFactor.Error() || care.ErrorCode(err) != care.ENOTFOUND {
				t.Errorf("refusals differ: %v / %v", err, wrongFactor)
			}
		}

		entries, _, err := f.svc.FindAudit(f.admin, care.AuditFilter{Entity: "case", Action: "read", Limit: 50})
		refused, seen := 0, 0
		for _, a := range entries {
			if a.Source != "portal" || a.IP != "203.0.113.7" {
				continue
			}
			switch {
			case strings.Contains(a.Detail, `"portal_status":"refused"`):
				refused++
			case strings.Contains(a.Detail, `"factor":"policy"`) && a.EntityID == strconv.FormatInt(c.ID, 10):
				seen++
			}
		}
		if err != nil || refused != 3 || seen != 1 {
			t.Errorf("audit: %v, %d refused and %d policy-factor reads, want 3 and 1", err, refused, seen)
		}

		wait := "waiting_customer"
		if _, err := f.svc.UpdateCase(f.admin, rec.Reference, care.CaseUpdate{Status: &wait}); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.PortalCaseStatus(portalCtx(), rec.Reference, "ben@example.com")
		if err != nil || !v.WaitingOnYou {
			t.Fatalf("waiting: %v %+v", err, v)
		}
		v, err = f.svc.AddPortalDocuments(portalCtx(), rec.Reference, "ben@example.com", []service.NewAttachment{
			{Filename: "receipt.txt", ContentType: "text/plain", Data: []byte("Paid with card 4111 1111 1111 1111 on 1 Nov.")}})
		if err != nil || v.WaitingOnYou {
			t.Fatalf("documents: %v %+v", err, v)
		}
		atts, err := f.svc.FindAttachments(f.admin, rec.Reference)
		if err != nil || len(atts) != 1 || strings.Contains(atts[0].Text, "4111 1111") || atts[0].Source != "portal" {
			t.Fatalf("attachments: %v %+v", err, atts)
		}
		if _, err := f.svc.AddPortalDocuments(portalCtx(), rec.Reference, "nobody@example.com",
			[]service.NewAttachment{{Filename: "a.txt", Data: []byte("x")}}); err == nil || err.Error() != wrongFactor.Error() {
			t.Errorf("upload with a wrong factor: %v", err)
		}
	})
}
