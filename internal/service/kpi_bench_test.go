package service_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// BenchmarkKPIReport24Months measures GET /api/v1/kpis' service call over
// 24 monthly periods from persisted rollup cells. The cells come from
// synthetic interactions (BENCH_KPI_N, default 200,000) and a tenth as many
// cases over 730 days, 20 teams, 200 agents, phone and chat, 4 case types,
// 6 products, written straight into kpi_cells as a rebuild would.
func BenchmarkKPIReport24Months(b *testing.B) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect, func() time.Time { return now })
			svc := service.New(s, nil, service.Config{})
			ctx := care.NewContextWithActor(context.Background(), care.SystemActor("bench"))
			cells := seedKPICells(b, s, now, 200_000)
			b.Logf("%s: %d day x key cells in the three rollups", dialect, cells)
			for _, q := range []struct {
				name string
				req  service.KPIRequest
			}{
				{"centre", service.KPIRequest{From: "2024-12-01", To: "2026-11-30", By: "month"}},
				{"team", service.KPIRequest{From: "2024-12-01", To: "2026-11-30", By: "month", Team: "7"}},
				{"agent", service.KPIRequest{From: "2024-12-01", To: "2026-11-30", By: "month", Agent: "42"}},
				{"daily", service.KPIRequest{From: "2024-12-01", To: "2026-11-30", By: "day"}},
			} {
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						figs, err := svc.KPIs(ctx, q.req)
						if err != nil || len(figs) < 24 {
							b.Fatalf("%v %d", err, len(figs))
						}
					}
				})
			}
		})
	}
}

func seedKPICells(b *testing.B, s *store.Store, now time.Time, n int) int {
	b.Helper()
	london, _ := time.LoadLocation("Europe/London")
	r, err := kpi.NewRollup(kpi.AllDims, kpi.Options{Location: london})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	start := now.AddDate(0, -24, 0)
	span := now.Sub(start)
	channels, types, products := []string{"phone", "chat"}, []string{"enquiry", "claim", "complaint", "service_request"},
		[]string{"motor", "home", "travel", "pet", "life", "commercial"}
	key := func() kpi.Key {
		agent := int64(rng.IntN(200) + 1)
		return kpi.Key{Channel: channels[rng.IntN(2)], TeamID: agent%20 + 1, AgentID: agent, CaseType: types[rng.IntN(4)],
			Product: products[rng.IntN(6)]}
	}
	for range n {
		at := start.Add(time.Duration(rng.Int64N(int64(span))))
		c := kpi.Contact{Key: key(), OfferedAt: at}
		if rng.IntN(10) == 0 {
			c.Abandoned, c.EndedAt = true, at.Add(time.Duration(rng.IntN(60))*time.Second)
		} else {
			c.AnsweredAt = at.Add(time.Duration(rng.IntN(120)) * time.Second)
			c.EndedAt = c.AnsweredAt.Add(time.Duration(60+rng.IntN(600)) * time.Second)
		}
		r.AddContact(c)
	}
	for range n / 10 {
		at := start.Add(time.Duration(rng.Int64N(int64(span))))
		c := kpi.Case{Key: key(), ReceivedAt: at, FirstResponseAt: at.Add(time.Hour)}
		if rng.IntN(20) != 0 {
			c.ResolvedAt = at.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
		}
		if err := r.AddCase(c); err != nil {
			b.Fatal(err)
		}
	}
	cells := 0
	err = s.Write(context.Background(), func(tx *store.Tx) error {
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
