package kpi

import (
	"testing"
	"time"
)

const benchDays = 730 // 24 months

var benchBase = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// synthContact returns the i-th of n contacts spread evenly over 730 days,
// in time order as a telephony feed delivers them: 20 teams, 200 agents,
// phone and chat, four case types, six products, mixed outcomes.
func synthContact(i, n int) Contact {
	h := uint64(i) * 0x9e3779b97f4a7c15 // cheap deterministic scatter
	agent := int64(h>>8) % 200
	c := Contact{
		Key: Key{Channel: [2]string{"phone", "chat"}[h>>20&1], TeamID: agent / 10, AgentID: agent,
			CaseType: [4]string{"enquiry", "claim", "complaint", "service_request"}[h>>24&3], Product: [6]string{"motor", "home", "pet", "travel", "life", "health"}[(h>>28)%6]},
		OfferedAt: benchBase.Add(time.Duration(int64(benchDays*24*time.Hour) / int64(n) * int64(i))),
	}
	wait := time.Duration(h>>32%120) * time.Second
	if h>>40%10 == 0 {
		c.Abandoned, c.EndedAt = true, c.OfferedAt.Add(wait)
		return c
	}
	c.AnsweredAt = c.OfferedAt.Add(wait)
	c.EndedAt = c.AnsweredAt.Add(time.Duration(60+h>>44%600) * time.Second)
	c.WrapUpEndedAt = c.EndedAt.Add(time.Duration(h>>52%90) * time.Second)
	return c
}

// synthCase returns the i-th of n cases over the same 730 days, resolved
// 0–59 days later, one in twenty still open.
func synthCase(i, n int) Case {
	h := uint64(i) * 0xbf58476d1ce4e5b9
	recv := benchBase.Add(time.Duration(int64(benchDays*24*time.Hour) / int64(n) * int64(i)))
	agent := int64(h>>8) % 200
	c := Case{Key: Key{Channel: "phone", TeamID: agent / 10, AgentID: agent, CaseType: [4]string{"enquiry", "claim", "complaint", "service_request"}[h>>24&3]},
		ReceivedAt: recv, FirstResponseAt: recv.Add(time.Duration(h>>30%86400) * time.Second)}
	if h>>50%20 != 0 {
		c.ResolvedAt = recv.Add(time.Duration(h>>34%(60*86400)) * time.Second)
	}
	return c
}

const teamDims = DimChannel | DimTeam | DimCaseType

// BenchmarkRollupAdd measures adding one interaction to a daily rollup by
// channel, team and case type (generating the synthetic contact included).
func BenchmarkRollupAdd(b *testing.B) {
	r, _ := NewRollup(teamDims, Options{Location: london})
	n := 10_000_000
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		r.AddContact(synthContact(i%n, n))
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/interaction")
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/interaction")
}

// BenchmarkRollup10M rolls up 10,000,000 interactions in one go (run with
// -benchtime=1x); the total is the figure docs/benchmarks.md quotes.
func BenchmarkRollup10M(b *testing.B) {
	const n = 10_000_000
	cpu := cpuTime()
	for b.Loop() {
		r, _ := NewRollup(teamDims, Options{Location: london})
		for i := range n {
			r.AddContact(synthContact(i, n))
		}
		b.ReportMetric(float64(r.Len()), "cells")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/interaction")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/10M")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/10M")
}

// BenchmarkReport24Months computes 24 monthly periods from the daily
// rollups of 10M interactions and 1M cases: the dashboard path.
func BenchmarkReport24Months(b *testing.B) {
	const contacts, cases = 10_000_000, 1_000_000
	byTeam, _ := NewRollup(teamDims, Options{Location: london})
	byAgent, _ := NewRollup(DimTeam|DimAgent, Options{Location: london})
	for i := range contacts {
		c := synthContact(i, contacts)
		byTeam.AddContact(c)
		byAgent.AddContact(c)
	}
	for i := range cases {
		c := synthCase(i, cases)
		_ = byTeam.AddCase(c)
		_ = byAgent.AddCase(c)
	}
	q := Query{Grain: Monthly, From: benchBase, To: benchBase.AddDate(2, 0, 0)}
	for _, bc := range []struct {
		name string
		r    *Rollup
		q    Query
	}{
		{"all", byTeam, q},
		{"byTeam", byTeam, Query{Grain: q.Grain, From: q.From, To: q.To, GroupBy: DimTeam}},
		{"byAgent", byAgent, Query{Grain: q.Grain, From: q.From, To: q.To, GroupBy: DimAgent}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var rows int
			cpu := cpuTime()
			for b.Loop() {
				fs, err := bc.r.Report(bc.q)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(fs)
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(bc.r.Len()), "cells")
		})
	}
}
