package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// TestKPICellsRoundTrip persists a rollup in two deltas, one of which takes
// a record out again, and checks that every kept rollup read back reports
// exactly what the in-memory rollup does: histograms, lags (backlog),
// survey counts and per-deadline tallies survive the compact columns.
func TestKPICellsRoundTrip(t *testing.T) {
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	london, _ := time.LoadLocation("Europe/London")
	opts := kpi.Options{Location: london}
	storetest.Each(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		all, _ := kpi.NewRollup(kpi.AllDims, opts)
		first, _ := kpi.NewRollup(kpi.AllDims, opts)
		second, _ := kpi.NewRollup(kpi.AllDims, opts)
		day := time.Date(2026, 6, 1, 9, 0, 0, 0, london)
		for i := range 40 {
			at := day.Add(time.Duration(i) * 7 * time.Hour)
			k := kpi.Key{Channel: []string{"phone", "chat"}[i%2], TeamID: int64(i%3 + 1), AgentID: int64(i%5 + 1),
				CaseType: []string{"complaint", "claim"}[i%2], Product: "motor"}
			c := kpi.Contact{Key: k, OfferedAt: at, AnsweredAt: at.Add(time.Duration(i) * time.Second), EndedAt: at.Add(5 * time.Minute)}
			cs := kpi.Case{Key: k, ReceivedAt: at, FirstResponseAt: at.Add(time.Hour)}
			if i%3 != 0 {
				cs.ResolvedAt = at.Add(time.Duration(i) * 24 * time.Hour)
				cs.Deadlines = []kpi.Deadline{{Name: "fca_8_weeks", Due: at.Add(56 * 24 * time.Hour)}}
			}
			sv := kpi.Survey{Key: k, At: at, Kind: kpi.NPS, Score: i % 11}
			half := first
			if i%2 == 1 {
				half = second
			}
			for _, r := range []*kpi.Rollup{all, half} {
				r.AddContact(c)
				mustKPI(t, r.AddCase(cs))
				mustKPI(t, r.AddSurvey(sv))
			}
		}
		// A contact added and taken out again in the second delta.
		ghost := kpi.Contact{Key: kpi.Key{Channel: "phone"}, OfferedAt: day, AnsweredAt: day.Add(time.Second)}
		second.AddContact(ghost)
		second.RemoveContact(ghost)
		// Changes are written at commit: a rolled-back transaction leaves
		// nothing, and two deltas in one transaction add up.
		rollback := errors.New("roll back")
		if err := s.Write(ctx, func(tx *store.Tx) error {
			mustKPI(t, tx.ApplyKPI(ctx, first))
			return rollback
		}); !errors.Is(err, rollback) {
			t.Fatalf("rolled back: %v", err)
		}
		mustKPI(t, s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.ApplyKPI(ctx, first); err != nil {
				return err
			}
			return tx.ApplyKPI(ctx, second)
		}))
		q := kpi.Query{Grain: kpi.Weekly, From: time.Date(2026, 6, 8, 0, 0, 0, 0, london), To: time.Date(2026, 8, 1, 0, 0, 0, 0, london)}
		for _, dims := range store.KPIShapes {
			want, err := all.Report(kpi.Query{Grain: q.Grain, From: q.From, To: q.To, GroupBy: dims &^ kpi.DimProduct})
			mustKPI(t, err)
			got, _ := kpi.NewRollup(dims, opts)
			mustKPI(t, s.Read(ctx, func(tx *store.Tx) error {
				return tx.LoadKPI(ctx, got, kpi.DayOf(q.From, london)-1, kpi.DayOf(q.To, london), kpi.Key{}, 0)
			}))
			rep, err := got.Report(kpi.Query{Grain: q.Grain, From: q.From, To: q.To, GroupBy: dims &^ kpi.DimProduct})
			mustKPI(t, err)
			if !reflect.DeepEqual(rep, want) {
				t.Fatalf("dims %b: persisted report differs\n got %+v\nwant %+v", dims, rep, want)
			}
		}
	})
}

func mustKPI(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestKPITeamRollupOnceComplete reads a team's figures from the team
// rollup only when its cells hold every record: on a database whose first
// cells were written with it, or after a rebuild; a database counted before
// it existed keeps reading the team × product rollup.
func TestKPITeamRollupOnceComplete(t *testing.T) {
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	storetest.Each(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		delta, _ := kpi.NewRollup(kpi.AllDims, kpi.Options{})
		delta.AddContact(kpi.Contact{Key: kpi.Key{Channel: "phone", TeamID: 3}, OfferedAt: now, AnsweredAt: now.Add(time.Second)})
		shape := func() kpi.Dims {
			t.Helper()
			var d kpi.Dims
			mustKPI(t, s.Read(ctx, func(tx *store.Tx) (err error) {
				d, _, err = tx.KPIShapeFor(ctx, kpi.DimTeam)
				return err
			}))
			return d
		}
		teamProduct := kpi.DimChannel | kpi.DimTeam | kpi.DimCaseType | kpi.DimProduct
		if shape() != store.KPITeamShape {
			t.Error("an empty database reads the team rollup")
		}
		mustKPI(t, s.Write(ctx, func(tx *store.Tx) error { return tx.ApplyKPI(ctx, delta) }))
		if shape() != store.KPITeamShape {
			t.Error("first cells written with the team rollup: it is complete")
		}
		// A database counted before the team rollup existed: cells, no
		// team cells, no settings.
		mustKPI(t, store.ExecForTest(ctx, s, `DELETE FROM kpi_cells WHERE dims = $1`, int64(store.KPITeamShape)))
		mustKPI(t, store.ExecForTest(ctx, s, `DELETE FROM kpi_settings`))
		if shape() != teamProduct {
			t.Error("without team cells the team × product rollup answers")
		}
		mustKPI(t, s.Write(ctx, func(tx *store.Tx) error { return tx.ApplyKPI(ctx, delta) }))
		if shape() != teamProduct {
			t.Error("a write after the upgrade must not make the partial team rollup answer")
		}
		mustKPI(t, s.Write(ctx, func(tx *store.Tx) error {
			set, err := tx.KPISettings(ctx)
			if err != nil || set.TeamRollup {
				t.Errorf("settings after the upgrade: %+v %v", set, err)
			}
			set.TeamRollup = true // as a rebuild records
			return tx.SetKPISettings(ctx, set)
		}))
		if shape() != store.KPITeamShape {
			t.Error("after a rebuild the team rollup answers")
		}
	})
}
