package service_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

var surveyLink = regexp.MustCompile(`/survey/([A-Za-z0-9_-]{43})`)

func TestSurveyOnResolution(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := storetest.NewClock(start)
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(start) // each dialect from the same moment: the test moves the clock
		f := setup(t, s, clk)
		agent := f.as["agent"]
		cust := &care.Customer{Name: "Maria Garcia", Email: "maria@example.com"}
		if err := f.svc.CreateCustomer(agent, cust); err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email", Subject: "Cover",
			Description: "Am I covered abroad?", CustomerID: cust.ID}})
		if err != nil {
			t.Fatal(err)
		}
		call := &care.Interaction{Channel: "phone", Direction: "outbound", OfferedAt: clk.Now(), AnsweredAt: clk.Now(),
			EndedAt: clk.Now().Add(3 * time.Minute), AgentID: f.users["agent"].ID}
		if _, err := f.svc.CreateInteraction(agent, c.Reference, call); err != nil {
			t.Fatal(err)
		}
		resolved, open := "resolved", "open"
		for _, st := range []*string{&resolved, &open, &resolved} { // reopened and resolved again: one survey only
			if _, err := f.svc.UpdateCase(agent, c.Reference, care.CaseUpdate{Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		var tokens []string
		mails, err := f.svc.FindOutbox(f.admin, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mails {
			if m := surveyLink.FindStringSubmatch(m.Body); m != nil {
				tokens = append(tokens, m[1])
			}
		}
		if len(tokens) != 1 {
			t.Fatalf("%d survey mails, want 1: %+v", len(tokens), mails)
		}
		form, err := f.svc.FindSurvey(f.as["agent"], tokens[0])
		if err != nil || form.CaseReference != c.Reference || form.Answered || form.Expired {
			t.Fatalf("form: %v %+v", err, form)
		}
		bad, five, nine := 11, 5, 9
		err = f.svc.AnswerSurvey(t.Context(), tokens[0], service.SurveyAnswers{NPS: &bad})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "nps" {
			t.Fatalf("out of scale: %v", err)
		}
		if err := f.svc.AnswerSurvey(t.Context(), tokens[0], service.SurveyAnswers{CSAT: &five, NPS: &nine}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AnswerSurvey(t.Context(), tokens[0], service.SurveyAnswers{CSAT: &five}); care.ErrorCode(err) != care.ECONFLICT {
			t.Fatalf("second answer: %v", err)
		}
		if err := f.svc.AnswerSurvey(t.Context(), strings.Repeat("x", 43), service.SurveyAnswers{CSAT: &five}); care.ErrorCode(err) != care.ENOTFOUND {
			t.Fatalf("forged link: %v", err)
		}
		figs, err := f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-03-02", To: "2026-03-02"})
		if err != nil || figs[0].CSATResponses != 1 || figs[0].CSAT.Value != 1 || figs[0].NPSResponses != 1 || figs[0].NPS.Value != 100 {
			t.Fatalf("answers counted: %v %+v", err, figs)
		}

		// A second case's link expires unanswered.
		c2, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "claim", Channel: "email", Subject: "Claim",
			Description: "Water leak.", CustomerID: cust.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateCase(agent, c2.Reference, care.CaseUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		mails, _ = f.svc.FindOutbox(f.admin, 50)
		var second string
		for _, m := range mails {
			if sm := surveyLink.FindStringSubmatch(m.Body); sm != nil && sm[1] != tokens[0] {
				second = sm[1]
			}
		}
		clk.Advance(service.SurveyValidFor + time.Minute)
		err = f.svc.AnswerSurvey(t.Context(), second, service.SurveyAnswers{CSAT: &five})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "token" {
			t.Fatalf("expired link: %v", err)
		}
	})
}
