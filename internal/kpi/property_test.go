package kpi

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// randomData returns a reproducible mixed dataset over about four months in
// London, spanning both DST changes' neighbourhood (March) and month ends.
func randomData(seed uint64, n int) Data {
	rng := rand.New(rand.NewPCG(seed, 1))
	base := at(london, "2026-02-01 00:00:00")
	when := func() time.Time { return base.Add(time.Duration(rng.Int64N(int64(120 * 24 * time.Hour)))) }
	secs := func(maxS int) time.Duration { return time.Duration(rng.IntN(maxS*1000)) * time.Millisecond }
	key := func() Key {
		agent := int64(rng.IntN(6))
		return Key{Channel: []string{"phone", "chat", "email", "web"}[rng.IntN(4)], TeamID: agent % 3, AgentID: agent,
			CaseType: []string{"enquiry", "claim", "complaint", "service_request"}[rng.IntN(4)], Product: []string{"motor", "home", "pet"}[rng.IntN(3)]}
	}
	var d Data
	for range n {
		c := Contact{Key: key(), OfferedAt: when(), Direction: []string{"inbound", "", "inbound", "outbound"}[rng.IntN(4)]}
		switch rng.IntN(3) {
		case 0:
			c.Abandoned = true
			if rng.IntN(5) > 0 {
				c.EndedAt = c.OfferedAt.Add(secs(60))
			}
		default:
			c.AnsweredAt = c.OfferedAt.Add(secs(120))
			c.EndedAt = c.AnsweredAt.Add(secs(900))
			if rng.IntN(2) == 0 {
				c.WrapUpEndedAt = c.EndedAt.Add(secs(120))
			}
			c.Hold = secs(60)
		}
		d.Contacts = append(d.Contacts, c)
	}
	for range n / 2 {
		c := Case{Key: key(), ReceivedAt: when(), FCR: FCRFlag(rng.IntN(5) / 3)}
		c.Contacts = []time.Time{c.ReceivedAt}
		for range rng.IntN(3) {
			c.Contacts = append(c.Contacts, c.ReceivedAt.Add(secs(12*86400)))
		}
		if rng.IntN(4) > 0 {
			c.FirstResponseAt = c.ReceivedAt.Add(secs(3 * 86400))
			c.FirstResponseBusiness = secs(86400)
		}
		if rng.IntN(3) > 0 {
			c.ResolvedAt = c.ReceivedAt.Add(secs(70 * 86400))
			c.ResolutionBusiness = secs(20 * 86400)
		}
		if c.Key.CaseType == "complaint" {
			c.Deadlines = []Deadline{{"fca_8_weeks", c.ReceivedAt.AddDate(0, 0, 56)}, {"ack_3d", c.ReceivedAt.AddDate(0, 0, 3)}}
		}
		if rng.IntN(2) > 0 {
			due := c.ReceivedAt.Add(secs(5 * 86400))
			c.Clocks = []CaseClock{{Name: "sla/first_response", Due: due}}
			if rng.IntN(3) > 0 {
				c.Clocks[0].Done = due.Add(secs(2*86400) - 86400*time.Second)
			}
		}
		d.Cases = append(d.Cases, c)
	}
	for range n / 2 {
		kind := []SurveyKind{CSAT, NPS, CES}[rng.IntN(3)]
		d.Surveys = append(d.Surveys, Survey{Key: key(), At: when(), Kind: kind, Score: rng.IntN(12) - 1}) // some out of scale
		due := when()
		cl := ClockResult{Key: key(), Clock: []string{"fr_4h", "res_5d"}[rng.IntN(2)], Due: due}
		if rng.IntN(4) > 0 {
			cl.Done = due.Add(secs(2*86400) - 86400*time.Second)
		}
		d.Clocks = append(d.Clocks, cl)
		d.Renewals = append(d.Renewals, Renewal{Key: key(), Due: when(), Renewed: rng.IntN(5) > 0})
	}
	return d
}

func TestRollupMatchesRaw(t *testing.T) {
	d := randomData(42, 2000)
	opts := Options{Location: london}
	from, to := at(london, "2026-03-01 00:00:00"), at(london, "2026-06-15 00:00:00")
	for _, g := range []Grain{Daily, Weekly, Monthly} {
		for _, q := range []Query{
			{},
			{GroupBy: DimTeam},
			{GroupBy: DimChannel | DimAgent},
			{GroupBy: DimCaseType | DimProduct},
			{GroupBy: DimTeam, Filter: Key{CaseType: "complaint"}, FilterDims: DimCaseType},
			{GroupBy: AllDims},
			{GroupBy: DimCaseType, AsOf: at(london, "2026-04-17 10:00:00")},
		} {
			if q.GroupBy == AllDims && g != Monthly {
				continue // hundreds of groups a day: slow under -race, nothing new
			}
			q.Grain, q.From, q.To = g, from, to
			both(t, d, q, opts)
		}
	}
}

func TestMergeEqualsSingleRollup(t *testing.T) {
	d := randomData(7, 3000)
	opts := Options{Location: london}
	whole := rollupOf(t, d, opts)
	parts := make([]*Rollup, 3)
	for i := range parts {
		parts[i], _ = NewRollup(AllDims, opts)
	}
	for i, c := range d.Contacts {
		parts[i%3].AddContact(c)
	}
	for i, c := range d.Cases {
		_ = parts[(i+1)%3].AddCase(c)
	}
	for i := range d.Surveys {
		_ = parts[i%3].AddSurvey(d.Surveys[i])
		_ = parts[(i+2)%3].AddClock(d.Clocks[i])
		_ = parts[(i+1)%3].AddRenewal(d.Renewals[i])
	}
	merged, _ := NewRollup(AllDims, opts)
	for _, p := range parts {
		if err := merged.Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	// Persist and reload through Cells/Load, as the store will.
	reloaded, _ := NewRollup(AllDims, opts)
	for c, tot := range merged.Cells() {
		reloaded.Load(c, tot)
	}
	q := Query{Grain: Weekly, From: at(london, "2026-02-01 00:00:00"), To: at(london, "2026-07-01 00:00:00"), GroupBy: DimTeam}
	want, _ := whole.Report(q)
	got, _ := reloaded.Report(q)
	if !reflect.DeepEqual(want, got) {
		t.Fatal("merged rollups report differently from one rollup")
	}
	other, _ := NewRollup(AllDims, Options{Location: time.UTC})
	if err := merged.Merge(other); err == nil {
		t.Error("merging rollups of different zones must fail")
	}
}
