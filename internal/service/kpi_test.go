package service_test

import (
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// kpiInteractions is a hand-made history (January 2026, when London is on
// UTC): five phone calls and an email over four days, plus a day with a
// single long abandon and an empty day between.
const kpiInteractions = `id,case_ref,channel,direction,queue,agent,offered_at,answered_at,ended_at,wrap_up_ended_at,abandoned,disposition,customer_id,case_type,case_resolved_at
I1,R1,phone,inbound,motor,agent@example.com,2026-01-05T09:00:00Z,2026-01-05T09:00:10Z,2026-01-05T09:05:10Z,2026-01-05T09:06:10Z,false,,,enquiry,2026-01-05T10:00:00Z
I2,R2,phone,inbound,motor,agent@example.com,2026-01-05T10:00:00Z,2026-01-05T10:00:30Z,2026-01-05T10:10:30Z,,false,,,claim,
I4,R3,phone,inbound,motor,,2026-01-05T11:00:00Z,,2026-01-05T11:00:03Z,,true,,,enquiry,
I5,R4,phone,inbound,motor,,2026-01-05T12:00:00Z,,2026-01-05T12:01:00Z,,true,,,enquiry,
I3,R2,phone,inbound,motor,agent@example.com,2026-01-06T09:00:00Z,2026-01-06T09:00:05Z,2026-01-06T09:02:05Z,2026-01-06T09:02:35Z,false,,,claim,2026-01-06T12:00:00Z
I6,R5,email,inbound,,,2026-01-06T08:00:00Z,,,,false,,,enquiry,
I7,R6,phone,inbound,home,,2026-01-08T15:00:00Z,,2026-01-08T15:00:40Z,,yes,,,enquiry,
`

const kpiSurveys = `interaction_id,kind,score,answered_at
I1,csat,5,2026-01-05T12:00:00Z
I2,csat,3,2026-01-05T12:00:00Z
I1,nps,10,2026-01-05T12:00:00Z
I2,nps,6,2026-01-05T12:00:00Z
I5,nps,9,2026-01-05T13:00:00Z
I1,ces,6,2026-01-05T12:00:00Z
I2,ces,3,2026-01-05T12:00:00Z
`

// want is a period's hand-computed figures; NaN means undefined (null).
type want struct {
	offered, answered, abandoned   int64
	asa, abandonment, sl, aht, fcr float64
	csat, nps, ces                 float64
}

var nan = math.NaN()

func checkFigures(t *testing.T, label string, got kpi.Figures, w want) {
	t.Helper()
	if got.Offered != w.offered || got.Answered != w.answered || got.Abandoned != w.abandoned {
		t.Errorf("%s: counts %d/%d/%d, want %d/%d/%d", label, got.Offered, got.Answered, got.Abandoned, w.offered, w.answered, w.abandoned)
	}
	for _, c := range []struct {
		name string
		got  kpi.Maybe
		want float64
	}{{"asa", got.ASASeconds, w.asa}, {"abandonment", got.AbandonmentRate, w.abandonment}, {"service_level", got.ServiceLevel, w.sl},
		{"aht", got.AHTSeconds, w.aht}, {"fcr", got.FCRRate, w.fcr}, {"csat", got.CSAT, w.csat}, {"nps", got.NPS, w.nps},
		{"ces", got.CES, w.ces}} {
		switch {
		case math.IsNaN(c.want) && c.got.Valid:
			t.Errorf("%s %s = %v, want undefined", label, c.name, c.got.Value)
		case !math.IsNaN(c.want) && (!c.got.Valid || math.Abs(c.got.Value-c.want) > 1e-9):
			t.Errorf("%s %s = %v, want %v", label, c.name, c.got, c.want)
		}
	}
}

func TestKPIsFromImportedHistory(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		rep, err := f.svc.ImportInteractions(f.admin, strings.NewReader(kpiInteractions), service.ImportOptions{BatchSize: 3})
		if err != nil || rep.Rows != 7 || rep.Imported != 7 || len(rep.Errors) != 0 {
			t.Fatalf("import interactions: %v %+v", err, rep)
		}
		rep, err = f.svc.ImportSurveys(f.admin, strings.NewReader(kpiSurveys), service.ImportOptions{})
		if err != nil || rep.Imported != 7 || len(rep.Errors) != 0 {
			t.Fatalf("import surveys: %v %+v", err, rep)
		}
		days := []want{
			// 05: I1 wait 10 s, handle 300+60; I2 wait 30 s, handle 600; I4 short abandon (3 s); I5 long abandon.
			// R1 resolved with one contact. CSAT 5,3; NPS 10,6,9 → (2−1)/3; CES 6,3.
			{4, 2, 2, 20, 1.0 / 3, 1.0 / 3, 480, 1, 0.5, 100.0 / 3, 4.5},
			// 06: I3 wait 5 s, handle 120+30; R2 resolved after two contacts; no surveys.
			{1, 1, 0, 5, 0, 1, 150, 0, nan, nan, nan},
			// 07: empty.
			{0, 0, 0, nan, nan, nan, nan, nan, nan, nan, nan},
			// 08: one long abandon, nothing answered: service level is a defined 0.
			{1, 0, 1, nan, 1, 0, nan, nan, nan, nan, nan},
		}
		check := func(stage string) {
			t.Helper()
			figs, err := f.svc.KPIs(f.as["supervisor"], service.KPIRequest{From: "2026-01-05", To: "2026-01-08"})
			if err != nil || len(figs) != 4 {
				t.Fatalf("%s: KPIs: %v, %d periods", stage, err, len(figs))
			}
			for i, w := range days {
				checkFigures(t, stage+" "+figs[i].Start.Format(time.DateOnly), figs[i], w)
			}
			week, err := f.svc.KPIs(f.as["qa_analyst"], service.KPIRequest{From: "2026-01-05", To: "2026-01-11", By: "week"})
			if err != nil || len(week) != 1 {
				t.Fatalf("%s: weekly: %v %d", stage, err, len(week))
			}
			// Waits 10+30+5 over 3; (3−1)/(6−1); within 20 s: I1, I3 of 3 answered + 2 long abandons.
			checkFigures(t, stage+" week", week[0], want{6, 3, 3, 15, 0.4, 0.4, 370, 0.5, 0.5, 100.0 / 3, 4.5})
		}
		check("incremental")

		// Importing the same files again changes nothing.
		rep, err = f.svc.ImportInteractions(f.admin, strings.NewReader(kpiInteractions), service.ImportOptions{})
		if err != nil || rep.Imported != 0 || rep.Unchanged != 7 {
			t.Fatalf("re-import: %v %+v", err, rep)
		}
		rep, err = f.svc.ImportSurveys(f.admin, strings.NewReader(kpiSurveys), service.ImportOptions{})
		if err != nil || rep.Imported != 0 || rep.Unchanged != 7 {
			t.Fatalf("re-import surveys: %v %+v", err, rep)
		}
		check("re-imported")

		// A rebuild from raw rows gives the same cells.
		rb, err := f.svc.RebuildKPIs(f.admin, nil, nil)
		if err != nil || rb.Interactions != 7 || rb.Cases != 6 || rb.Surveys != 7 {
			t.Fatalf("rebuild: %v %+v", err, rb)
		}
		check("rebuilt")

		// Slices: the agent's calls only.
		figs, err := f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-01-05", To: "2026-01-05", Agent: "agent@example.com"})
		if err != nil || figs[0].Offered != 2 || figs[0].Answered != 2 {
			t.Fatalf("agent slice: %v %+v", err, figs)
		}
		figs, err = f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-01-05", To: "2026-01-31", By: "month", CaseType: "claim"})
		if err != nil || figs[0].Offered != 2 || figs[0].Resolved != 1 {
			t.Fatalf("claim slice: %v %+v", err, figs)
		}

		// No rollup keeps agent and product together.
		_, err = f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-01-05", To: "2026-01-05", Agent: "agent@example.com", Product: "motor"})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "agent" {
			t.Fatalf("agent and product: %v", err)
		}

		// Permission and field errors.
		if _, err := f.svc.KPIs(f.as["agent"], service.KPIRequest{From: "2026-01-05", To: "2026-01-05"}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("agent reads KPIs: %v", err)
		}
		_, err = f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-01-05", To: "2026-01-01", By: "year", Channel: "fax"})
		fields := map[string]bool{}
		for _, fe := range care.ErrorFields(err) {
			fields[fe.Field] = true
		}
		if !fields["to"] || !fields["by"] || !fields["channel"] {
			t.Fatalf("bad request: %v %+v", err, care.ErrorFields(err))
		}
	})
}

func TestImportReportsBadRowsByLine(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		file := `id,case_ref,channel,offered_at,answered_at,agent,case_type
A1,X1,phone,2026-02-01T09:00:00Z,2026-02-01T09:00:20Z,agent@example.com,enquiry
A2,X2,phone,yesterday,,,enquiry
A3,X3,phone,2026-02-01T10:00:00Z,,nobody@example.com,enquiry
A4,X4,fax,2026-02-01T11:00:00Z,,,enquiry
A5,X1,phone,2026-02-02T09:00:00Z,,,
`
		rep, err := f.svc.ImportInteractions(f.admin, strings.NewReader(file), service.ImportOptions{AllOrNothing: true})
		if err != nil || !rep.Refused || rep.Imported != 0 || len(rep.Errors) != 3 {
			t.Fatalf("all or nothing: %v %+v", err, rep)
		}
		figs, err := f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-02-01", To: "2026-02-02"})
		if err != nil || figs[0].Offered != 0 {
			t.Fatalf("refused file left counts: %v %+v", err, figs)
		}
		rep, err = f.svc.ImportInteractions(f.admin, strings.NewReader(file), service.ImportOptions{BatchSize: 2})
		if err != nil || rep.Rows != 5 || rep.Imported != 2 || rep.Refused {
			t.Fatalf("keep good rows: %v %+v", err, rep)
		}
		got := map[int]string{}
		for _, e := range rep.Errors {
			got[e.Line] = e.Field
		}
		if got[3] != "offered_at" || got[4] != "agent" || got[5] != "channel" || len(got) != 3 {
			t.Fatalf("errors by line: %+v", rep.Errors)
		}
		figs, err = f.svc.KPIs(f.admin, service.KPIRequest{From: "2026-02-01", To: "2026-02-02"})
		if err != nil || figs[0].Offered != 1 || figs[0].Answered != 1 || figs[1].Offered != 1 {
			t.Fatalf("good rows counted: %v %+v", err, figs)
		}
		bad := "interaction_id,kind,score,answered_at\nA1,nps,11,2026-02-01T12:00:00Z\nA9,csat,4,2026-02-01T12:00:00Z\nA1,stars,4,2026-02-01T12:00:00Z\nA1,ces,7,2026-02-01T12:00:00Z\n"
		rep, err = f.svc.ImportSurveys(f.admin, strings.NewReader(bad), service.ImportOptions{})
		if err != nil || rep.Imported != 1 || len(rep.Errors) != 3 || rep.Errors[0].Line != 2 || rep.Errors[0].Field != "score" ||
			rep.Errors[1].Field != "interaction_id" || rep.Errors[2].Field != "kind" {
			t.Fatalf("survey errors: %v %+v", err, rep)
		}
		if _, err := f.svc.ImportInteractions(f.admin, strings.NewReader("id,colour\n"), service.ImportOptions{}); care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("bad header: %v", err)
		}
		if _, err := f.svc.ImportInteractions(f.as["agent"], strings.NewReader(file), service.ImportOptions{}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("agents log contacts but do not import history: %v", err)
		}
	})
}

// TestKPICellsFollowLiveChanges checks that the cells kept up to date by the
// hooks (case opened, contact logged, case resolved and reopened) hold what
// a rebuild from the raw rows computes.
func TestKPICellsFollowLiveChanges(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "Cover",
			Description: "Am I covered abroad?", ReceivedAt: clk.Now()}})
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		call := &care.Interaction{Channel: "phone", Direction: "inbound", OfferedAt: clk.Now().Add(-50 * time.Second),
			AnsweredAt: clk.Now().Add(-40 * time.Second), EndedAt: clk.Now(), AgentID: f.users["agent"].ID}
		if _, err := f.svc.CreateInteraction(agent, c.Reference, call); err != nil {
			t.Fatal(err)
		}
		bare, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "claim", Channel: "web", Subject: "Claim"}})
		if err != nil {
			t.Fatal(err)
		}
		resolved, open := "resolved", "open"
		if _, err := f.svc.UpdateCase(agent, c.Reference, care.CaseUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateCase(agent, bare.Reference, care.CaseUpdate{Status: &resolved}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateCase(agent, bare.Reference, care.CaseUpdate{Status: &open}); err != nil {
			t.Fatal(err)
		}
		req := service.KPIRequest{From: "2026-03-01", To: "2026-03-03"}
		live, err := f.svc.KPIs(f.admin, req)
		if err != nil {
			t.Fatal(err)
		}
		// The case's description is its first contact (offered, never
		// answered), the call its second: not resolved at first contact.
		d := live[1]
		if d.Offered != 2 || d.Answered != 1 || d.Received != 2 || d.Resolved != 1 || d.Backlog != 1 || !d.FCRRate.Valid || d.FCRRate.Value != 0 {
			t.Fatalf("live cells: %+v", d)
		}
		if _, err := f.svc.RebuildKPIs(f.admin, nil, nil); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := f.svc.KPIs(f.admin, req)
		if err != nil {
			t.Fatal(err)
		}
		for i := range live {
			if !figuresEqual(live[i], rebuilt[i]) {
				t.Fatalf("day %d: live %+v\nrebuilt %+v", i, live[i], rebuilt[i])
			}
		}
	})
}

func figuresEqual(a, b kpi.Figures) bool {
	return a.Offered == b.Offered && a.Answered == b.Answered && a.Abandoned == b.Abandoned && a.ASASeconds == b.ASASeconds &&
		a.AHTSeconds == b.AHTSeconds && a.Received == b.Received && a.Resolved == b.Resolved && a.FCRRate == b.FCRRate &&
		a.Backlog == b.Backlog && a.FirstResponse == b.FirstResponse && a.Resolution == b.Resolution
}

// TestKPICellsUnderConcurrentWriters logs contacts from several goroutines
// at once onto the same cells: the locked read-modify-write must lose none,
// so the cells equal a rebuild from the raw rows.
func TestKPICellsUnderConcurrentWriters(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "Busy day"}})
		if err != nil {
			t.Fatal(err)
		}
		const writers, each = 4, 8
		errs := make(chan error, writers*each)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					at := clk.Now().Add(-time.Duration(w*each+i+1) * time.Minute)
					call := &care.Interaction{Channel: "phone", Direction: "inbound", OfferedAt: at,
						AnsweredAt: at.Add(time.Duration(i) * time.Second), EndedAt: at.Add(time.Minute)}
					_, err := f.svc.CreateInteraction(agent, c.Reference, call)
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		req := service.KPIRequest{From: "2026-03-02", To: "2026-03-02"}
		live, err := f.svc.KPIs(f.admin, req)
		if err != nil || live[0].Answered != writers*each {
			t.Fatalf("live: %v answered %d, want %d", err, live[0].Answered, writers*each)
		}
		if _, err := f.svc.RebuildKPIs(f.admin, nil, nil); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := f.svc.KPIs(f.admin, req)
		if err != nil || !figuresEqual(live[0], rebuilt[0]) {
			t.Fatalf("live %+v\nrebuilt %+v (%v)", live[0], rebuilt[0], err)
		}
	})
}
