package service_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/letters"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/mail/mailtest"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files of rendered letters")

// letterComplaint logs a complaint from a customer with an email and a
// postal address, assigned to the complaints handler.
func letterComplaint(t *testing.T, f *fixture, regimes ...string) string {
	t.Helper()
	cust := &care.Customer{Name: "Maria Garcia", Email: "maria@example.com", Address: "12 Mill Lane\nLeeds LS1 4AB"}
	must(t, f.svc.CreateCustomer(f.as["agent"], cust))
	v, err := f.svc.CreateComplaint(f.as["agent"], service.NewComplaint{
		Case: care.Case{Channel: "phone", Subject: "Delay in settling my storm claim", CustomerID: cust.ID,
			Description: "Nobody has called me back about my roof.", Regimes: regimes},
		Intake: care.ComplaintIntake{RemedySought: ptr("Settle the claim and pay for the delay")}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.UpdateCase(f.admin, v.Case.Reference, care.CaseUpdate{AssigneeID: &f.users["complaints_handler"].ID})
	must(t, err)
	return v.Case.Reference
}

func sendLetter(t *testing.T, f *fixture, as, ref string, req service.LetterRequest) *care.Letter {
	t.Helper()
	l, err := f.svc.SendLetter(f.as[as], ref, req)
	if err != nil {
		t.Fatalf("send %s: %v", req.Kind, err)
	}
	return l
}

// A complaint taken through every tier gets its letters: the
// acknowledgement acknowledges it, a holding letter goes by post, the final
// response is refused until the outcome, terms and redress are there, then
// issues the response; after a tier-2 review the reviewer sends a new final
// response. Each letter is kept as a PDF, logged on the timeline, and the
// emailed ones reach the relay with their PDF attached.
func TestLettersThroughEveryTier(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // a Monday
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start)
		f := setup(t, s, clk)
		ref := letterComplaint(t, f, "uk-fca", "iso10002")
		h := "complaints_handler"

		_, err := f.svc.SendLetter(f.as["agent"], ref, service.LetterRequest{Kind: "acknowledgement", Channel: "email"})
		wantCode(t, err, care.EFORBIDDEN, "")
		_, err = f.svc.SendLetter(f.as[h], ref, service.LetterRequest{Kind: "acknowledgement", Channel: "fax",
			Fields: map[string]string{"colour": "red"}})
		wantCode(t, err, care.EINVALID, "channel")
		wantCode(t, err, care.EINVALID, "fields.colour")

		ack := sendLetter(t, f, h, ref, service.LetterRequest{Kind: "acknowledgement", Channel: "email"})
		v, err := f.svc.FindComplaint(f.admin, ref)
		must(t, err)
		if v.Complaint.Stage != care.StageAcknowledged || ack.Status != care.LetterSent || ack.To != "maria@example.com" ||
			ack.TemplateVersion != 1 || !strings.Contains(ack.Body, "within eight weeks") {
			t.Fatalf("after acknowledgement: stage %s, letter %+v", v.Complaint.Stage, ack)
		}
		wantState(t, clocksByKey(t, f, v.Case.ID), "iso10002/acknowledge#1", care.ClockMet)

		clk.Advance(5 * 7 * 24 * time.Hour)
		_, err = f.svc.SendLetter(f.as[h], ref, service.LetterRequest{Kind: "holding", Channel: "post"})
		wantCode(t, err, care.EINVALID, "blocks.reasons")
		wantCode(t, err, care.EINVALID, "blocks.expected_date")
		hold := sendLetter(t, f, h, ref, service.LetterRequest{Kind: "holding", Channel: "post", Fields: map[string]string{
			"reasons": "We are waiting for the loss adjuster's report on your roof.", "expected_date": "2026-12-18"}})
		if hold.Status != care.LetterMarkedForPost || hold.MailID != 0 || !strings.Contains(hold.To, "Mill Lane") ||
			!strings.Contains(hold.Body, "18 December 2026") || !strings.Contains(hold.Body, "Exchange Tower") {
			t.Fatalf("holding letter: %+v", hold)
		}

		final := service.LetterRequest{Kind: "final_response", Channel: "email"}
		_, err = f.svc.SendLetter(f.as[h], ref, final)
		for _, b := range []string{"blocks.outcome", "blocks.reasoning", "blocks.terms_relied_on", "blocks.redress"} {
			wantCode(t, err, care.EINVALID, b)
		}
		_, err = f.svc.SetComplaintOutcome(f.as[h], ref, care.OutcomeDecision{Outcome: "upheld",
			Reasoning: "We took too long to appoint a loss adjuster.", RootCause: "claims_delay"})
		must(t, err)
		_, err = f.svc.SendLetter(f.as[h], ref, final)
		wantCode(t, err, care.EINVALID, "blocks.redress") // upheld, but no redress recorded yet
		must(t, f.svc.AddRedress(f.as[h], ref, &care.Redress{Kind: "compensation", AmountMinor: 15000, Currency: "GBP"}))
		final.Fields = map[string]string{"terms_relied_on": "Section 6 (claims conditions) of your home policy; DISP 1.4."}
		clk.Advance(24 * time.Hour)
		fr := sendLetter(t, f, h, ref, final)
		v, err = f.svc.FindComplaint(f.admin, ref)
		must(t, err)
		ks := clocksByKey(t, f, v.Case.ID)
		if v.Complaint.Stage != care.StageResponseIssued || !strings.Contains(fr.Body, "GBP 150.00") {
			t.Fatalf("after final response: stage %s\n%s", v.Complaint.Stage, fr.Body)
		}
		wantState(t, ks, "uk-fca/final_response#1", care.ClockMet)

		// Tier 2: the reviewer (independent) sends a fresh final response.
		sup := f.users["supervisor"]
		move(t, f, h, ref, care.TransitionRequest{To: "tier2", ReviewerID: sup.ID})
		_, err = f.svc.SendLetter(f.as[h], ref, final)
		wantCode(t, err, care.EPRECONDITION, "")
		fr2 := sendLetter(t, f, "supervisor", ref, final)
		v, err = f.svc.FindComplaint(f.admin, ref)
		must(t, err)
		if v.Complaint.Stage != care.StageResponseIssued || fr2.SentByName != "supervisor" {
			t.Fatalf("after the tier-2 response: %s %+v", v.Complaint.Stage, fr2)
		}
		move(t, f, "admin", ref, care.TransitionRequest{To: "executive"})
		sendLetter(t, f, "admin", ref, final)
		move(t, f, "admin", ref, care.TransitionRequest{To: "referred", ReferredTo: "FOS"})

		list, err := f.svc.FindLetters(f.as["auditor"], ref)
		must(t, err)
		if len(list) != 5 {
			t.Fatalf("%d letters", len(list))
		}
		for _, l := range list {
			_, a, pdf, err := f.svc.FindLetterPDF(f.as["auditor"], ref, l.ID)
			must(t, err)
			if a.ContentType != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF-") ||
				!strings.Contains(letters.PDFText(pdf), ref) || l.InteractionID == 0 {
				t.Fatalf("letter %d: attachment %+v", l.ID, a)
			}
		}
		items, _, err := f.svc.FindInteractions(f.admin, ref, 0, 0)
		must(t, err)
		var post, email int
		for _, i := range items {
			if i.Direction == "outbound" && i.Channel == "post" {
				post++
			}
			if i.Direction == "outbound" && i.Channel == "email" {
				email++
			}
		}
		if post != 1 || email != 4 {
			t.Fatalf("timeline: %d post, %d email", post, email)
		}
	})
}

// The emailed letter reaches the relay with its PDF attached.
func TestLetterEmailCarriesThePDF(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	s := storetest.Open(t, store.SQLite, clk.Now)
	f := setup(t, s, clk)
	ref := letterComplaint(t, f, "uk-fca")
	hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: "https://print.example.com/letters",
		Secret: "a-shared-secret-of-some-length", Events: []string{"complaint.letter_sent"}})
	must(t, err)
	sendLetter(t, f, "complaints_handler", ref, service.LetterRequest{Kind: "acknowledgement", Channel: "email"})
	sendLetter(t, f, "complaints_handler", ref, service.LetterRequest{Kind: "holding", Channel: "post",
		Fields: map[string]string{"reasons": "We are waiting for a report.", "expected_date": "2026-12-18"}})
	log, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50)
	must(t, err)
	if len(log) != 2 || log[0].EventType != "complaint.letter_sent" || !strings.Contains(log[0].Payload+log[1].Payload, `"status":"marked_for_post"`) ||
		!strings.Contains(log[0].Payload+log[1].Payload, ref+"/letters/") {
		t.Fatalf("webhook deliveries: %+v", log)
	}
	relay := mailtest.Start(t)
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Host: relay.Host, Port: relay.Port, Security: "none", From: "Care <care@care.example.com>"})
	must(t, err)
	n, err := f.svc.DeliverMail(context.Background(), sender, "t", time.Minute, 10)
	if err != nil || n != 1 {
		t.Fatalf("delivered %d: %v", n, err)
	}
	got := relay.Messages()
	if len(got) != 1 || !strings.Contains(got[0].Body, "application/pdf") ||
		!strings.Contains(got[0].Body, ref+"-acknowledgement-2026-11-02.pdf") || !strings.Contains(got[0].Header.Get("Subject"), ref) {
		t.Fatalf("message: %+v", got)
	}
}

// A final response without its referral-rights block cannot be sent:
// not when an administrator's edit drops the block (refused on save), not
// when an edit leaves it empty (refused on send), and not when no
// ombudsman is known for the complaint's regime until the handler names
// one.
func TestFinalResponseWithoutReferralRightsIsRefused(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		h := "complaints_handler"
		ref := letterComplaint(t, f, "uk-fca")
		_, err := f.svc.SetComplaintOutcome(f.as[h], ref, care.OutcomeDecision{Outcome: "not_upheld",
			Reasoning: "The damage was wear and tear.", RootCause: "claims_decision"})
		must(t, err)
		final := service.LetterRequest{Kind: "final_response", Channel: "email",
			Fields: map[string]string{"terms_relied_on": "General exclusion 3 (wear and tear)."}}

		cur, err := f.svc.FindLetterTemplate(f.admin, "final_response", "uk-fca", "en", 0)
		must(t, err)
		i := strings.Index(cur.Body, `{{block "referral_rights" .}}`)
		dropped := cur.Body[:i] + "Yours sincerely,\n"
		err = f.svc.SaveLetterTemplate(f.as[h], &care.LetterTemplate{Kind: "final_response", Regime: "uk-fca", Language: "en",
			Subject: cur.Subject, Body: dropped})
		wantCode(t, err, care.EFORBIDDEN, "")
		err = f.svc.SaveLetterTemplate(f.admin, &care.LetterTemplate{Kind: "final_response", Regime: "uk-fca", Language: "en",
			Subject: cur.Subject, Body: dropped})
		wantCode(t, err, care.EINVALID, "body")
		if !strings.Contains(care.ErrorFields(err)[0].Message, "referral_rights") {
			t.Fatalf("message %v", err)
		}

		emptied := cur.Body[:i] + `{{block "referral_rights" .}}{{end}}` + "\nYours sincerely,\n"
		edit := &care.LetterTemplate{Kind: "final_response", Regime: "uk-fca", Language: "en", Subject: cur.Subject,
			Body: emptied, Note: "shorter"}
		must(t, f.svc.SaveLetterTemplate(f.admin, edit))
		if edit.Version != 2 {
			t.Fatalf("version %d", edit.Version)
		}
		vs, err := f.svc.FindLetterTemplateVersions(f.admin, "final_response", "uk-fca", "en")
		must(t, err)
		if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[1].Body != cur.Body || vs[0].AuthorName == "" || vs[0].AuthorName == vs[1].AuthorName {
			t.Fatalf("versions: %d", len(vs))
		}
		d, err := f.svc.PreviewLetter(f.as[h], ref, final)
		must(t, err)
		if len(d.Problems) != 1 || d.Problems[0].Field != "blocks.referral_rights" || d.Letter.TemplateVersion != 2 {
			t.Fatalf("preview problems %v", d.Problems)
		}
		_, err = f.svc.SendLetter(f.as[h], ref, final)
		wantCode(t, err, care.EINVALID, "blocks.referral_rights")

		// Restoring the text (a new version) lets it go.
		must(t, f.svc.SaveLetterTemplate(f.admin, &care.LetterTemplate{Kind: "final_response", Regime: "uk-fca",
			Language: "en", Subject: cur.Subject, Body: cur.Body, Note: "restore"}))
		l := sendLetter(t, f, h, ref, final)
		if l.TemplateVersion != 3 || !strings.Contains(l.Body, "Financial Ombudsman Service") ||
			!strings.Contains(l.Body, "not offering a payment") {
			t.Fatalf("letter: %+v", l)
		}

		// iso10002 names no ombudsman: the handler must choose one.
		iso := letterComplaint(t, f, "iso10002")
		_, err = f.svc.SetComplaintOutcome(f.as[h], iso, care.OutcomeDecision{Outcome: "not_upheld",
			Reasoning: "The damage was wear and tear.", RootCause: "claims_decision"})
		must(t, err)
		_, err = f.svc.SendLetter(f.as[h], iso, final)
		wantCode(t, err, care.EINVALID, "blocks.referral_rights")
		final.Fields["referral_body"] = "nobody"
		_, err = f.svc.SendLetter(f.as[h], iso, final)
		wantCode(t, err, care.EINVALID, "fields.referral_body")
		final.Fields["referral_body"] = "fspo"
		l = sendLetter(t, f, h, iso, final)
		if !strings.Contains(l.Body, "Lincoln House") {
			t.Fatalf("letter: %s", l.Body)
		}
		lst, err := f.svc.FindLetters(f.admin, ref)
		must(t, err)
		if len(lst) != 1 {
			t.Fatalf("%d letters sent on %s", len(lst), ref)
		}
	})
}

// Golden files of every built-in letter rendered for one complaint, and
// the text layer of the FCA final response's PDF. Run with -update to
// rewrite them after changing a template on purpose.
func TestLetterGoldenFiles(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	s := storetest.Open(t, store.SQLite, clk.Now)
	f := setup(t, s, clk)
	h := "complaints_handler"
	regimes := map[string][]string{"uk-fca": {"uk-fca"}, "au-asic": {"au-asic"}, "ie-cpc": {"ie-cpc"},
		"us": {"us-ca-claims"}, "iso10002": {"iso10002"}}
	fields := map[string]string{"reasons": "We are waiting for the loss adjuster's report on your roof.",
		"expected_date": "2026-12-18", "terms_relied_on": "Section 6 (claims conditions) of your home policy.",
		"resolution": "We have arranged for the loss adjuster to visit on 5 November.", "referral_body": ""}
	for _, regime := range care.LetterRegimes {
		ref := letterComplaint(t, f, regimes[regime]...)
		_, err := f.svc.SetComplaintOutcome(f.as[h], ref, care.OutcomeDecision{Outcome: "partly_upheld",
			Reasoning: "We took too long to appoint a loss adjuster, but the policy does not cover the garden wall.", RootCause: "claims_delay"})
		must(t, err)
		must(t, f.svc.AddRedress(f.as[h], ref, &care.Redress{Kind: "compensation", AmountMinor: 15000, Currency: "GBP"}))
		fs := map[string]string{}
		for k, v := range fields {
			fs[k] = v
		}
		if regime == "iso10002" {
			fs["referral_body"] = "FOS"
		}
		for _, kind := range care.LetterKindsFor(regime) {
			d, err := f.svc.PreviewLetter(f.as[h], ref, service.LetterRequest{Kind: kind, Channel: "email", Fields: fs})
			must(t, err)
			if len(d.Problems) != 0 {
				t.Errorf("%s/%s: %v", kind, regime, d.Problems)
			}
			golden(t, kind+"_"+regime+".golden", "Subject: "+d.Letter.Subject+"\n\n"+d.Letter.Body)
			if kind == "final_response" && regime == "uk-fca" {
				l := sendLetter(t, f, h, ref, service.LetterRequest{Kind: kind, Channel: "email", Fields: fs})
				_, _, pdf, err := f.svc.FindLetterPDF(f.admin, ref, l.ID)
				must(t, err)
				golden(t, "final_response_uk-fca.pdf.golden", letters.PDFText(pdf)+"\n")
			}
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "letters", name)
	if *update {
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run with -update if the change is meant):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
