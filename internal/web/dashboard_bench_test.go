package web_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
	"github.com/caredesk/caredesk/internal/web"
)

// BenchmarkDashboard serves /dashboard over 24 months of rollup cells: the
// service call alone (one load of the cells, five reports) and the whole
// page through the handler (session, service, SVG rendering) by month, week
// and day, sliced by team, and one chart's CSV. The cells come from
// synthetic records over the 730 days before now — BENCH_DASH_N contacts
// (default 1,000,000) on five channels, a tenth as many cases (complaints
// with regulatory deadlines and SLA clocks), a twentieth as many survey
// answers — written straight into kpi_cells as a rebuild would.
//
//	go test -run XXX -bench Dashboard -benchtime 20x ./internal/web/
func BenchmarkDashboard(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_DASH_N")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			st := storetest.Open(b, dialect, time.Now)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			svc := service.New(st, log, service.Config{})
			start := time.Now()
			cells := seedDashboardCells(b, st, time.Now(), n)
			b.Logf("%s: %d contacts, %d cases, %d surveys over 730 days: %d cells in the rollups, seeded in %s",
				dialect, n, n/10, n/20, cells, time.Since(start).Round(time.Second))
			sup := &care.User{Email: "sup@example.com", Name: "Sup", Role: "supervisor"}
			sys := care.NewContextWithActor(ctx, care.SystemActor("bench"))
			if _, err := svc.CreateUser(sys, sup, "benchmark-password-1"); err != nil {
				b.Fatal(err)
			}
			secret, _, err := svc.CreateSession(ctx, sup.ID, "127.0.0.1")
			if err != nil {
				b.Fatal(err)
			}
			ui, err := web.New(svc, web.Options{Logger: log})
			if err != nil {
				b.Fatal(err)
			}
			actor := care.NewContextWithActor(ctx, care.Actor{UserID: sup.ID, Role: "supervisor", Source: "bench"})
			today := time.Now().Format(time.DateOnly)
			from := time.Now().AddDate(0, -23, 0).Format("2006-01") + "-01"
			b.Run("service-month", func(b *testing.B) {
				cpu0 := cpuTime()
				for b.Loop() {
					d, err := svc.KPIDashboard(actor, service.KPIRequest{From: from, To: today, By: "month"})
					if err != nil || len(d.Periods) != 24 {
						b.Fatalf("%v", err)
					}
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			})
			for _, p := range []struct{ name, path string }{
				{"page-month", "/dashboard"},
				{"page-week", "/dashboard?by=week"},
				{"page-day", "/dashboard?by=day"},
				{"page-month-team", "/dashboard?team=3"},
				{"csv-trend", "/dashboard/trend.csv"},
			} {
				b.Run(p.name, func(b *testing.B) {
					var times []time.Duration
					cpu0 := cpuTime()
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, p.path, nil)
						req.Header.Set("Cookie", "caredesk_session="+secret)
						rec := httptest.NewRecorder()
						t0 := time.Now()
						ui.ServeHTTP(rec, req)
						times = append(times, time.Since(t0))
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: %d %s", p.path, rec.Code, rec.Body)
						}
					}
					b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
					slices.Sort(times)
					b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
				})
			}
		})
	}
}

// seedDashboardCells writes the rollups of synthetic records and returns
// how many cells they hold.
func seedDashboardCells(b *testing.B, st *store.Store, now time.Time, n int) int {
	b.Helper()
	london, _ := time.LoadLocation("Europe/London")
	r, err := kpi.NewRollup(kpi.AllDims, kpi.Options{Location: london})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	begin := now.AddDate(0, 0, -730)
	span := int64(now.Sub(begin))
	channels := []string{"phone", "phone", "phone", "phone", "chat", "chat", "email", "email", "web", "post"}
	types := []string{"enquiry", "enquiry", "service_request", "claim", "complaint"}
	products := []string{"motor", "home", "travel", "pet", "life", "commercial"}
	key := func() kpi.Key {
		agent := int64(rng.IntN(60) + 1)
		return kpi.Key{Channel: channels[rng.IntN(len(channels))], TeamID: agent%8 + 1, AgentID: agent,
			CaseType: types[rng.IntN(len(types))], Product: products[rng.IntN(len(products))]}
	}
	when := func() time.Time { return begin.Add(time.Duration(rng.Int64N(span))) }
	for range n {
		at := when()
		c := kpi.Contact{Key: key(), OfferedAt: at}
		if rng.IntN(12) == 0 {
			c.Abandoned, c.EndedAt = true, at.Add(time.Duration(rng.IntN(90))*time.Second)
		} else {
			c.AnsweredAt = at.Add(time.Duration(rng.IntN(90)) * time.Second)
			c.EndedAt = c.AnsweredAt.Add(time.Duration(60+rng.IntN(600)) * time.Second)
		}
		r.AddContact(c)
	}
	for range n / 10 {
		at := when()
		c := kpi.Case{Key: key(), ReceivedAt: at, FirstResponseAt: at.Add(time.Duration(1+rng.IntN(48)) * time.Hour),
			FirstResponseBusiness: time.Duration(rng.IntN(16)) * time.Hour}
		c.Clocks = []kpi.CaseClock{{Name: "sla/first_response", Due: at.Add(24 * time.Hour), Done: c.FirstResponseAt}}
		if rng.IntN(20) != 0 {
			c.ResolvedAt = at.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
			c.ResolutionBusiness = c.ResolvedAt.Sub(at) / 4
		}
		if c.Key.CaseType == "complaint" {
			c.Deadlines = []kpi.Deadline{{Name: "uk-fca/summary_resolution", Due: at.AddDate(0, 0, 5)},
				{Name: "uk-fca/final_response", Due: at.AddDate(0, 0, 56)}}
		}
		if err := r.AddCase(c); err != nil {
			b.Fatal(err)
		}
	}
	for range n / 20 {
		kind, score := kpi.CSAT, 1+rng.IntN(5)
		if rng.IntN(2) == 0 {
			kind, score = kpi.NPS, rng.IntN(11)
		}
		if err := r.AddSurvey(kpi.Survey{Key: key(), At: when(), Kind: kind, Score: score}); err != nil {
			b.Fatal(err)
		}
	}
	cells := 0
	err = st.Write(context.Background(), func(tx *store.Tx) error {
		if err := tx.WriteKPI(context.Background(), r); err != nil {
			return err
		}
		for _, d := range store.KPIShapes {
			p, _ := kpi.NewRollup(d, r.Options())
			for c, t := range r.Cells() {
				p.Load(c, t)
			}
			cells += p.Len()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return cells
}
