package kpi_test

import (
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/kpi"
)

// A rollup by team, fed one contact at a time, reporting a day in London.
func ExampleRollup() {
	london, _ := time.LoadLocation("Europe/London")
	r, _ := kpi.NewRollup(kpi.DimTeam, kpi.Options{Location: london})
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, london)
	for i, wait := range []time.Duration{5 * time.Second, 15 * time.Second, 40 * time.Second} {
		offered := start.Add(time.Duration(i) * time.Minute)
		r.AddContact(kpi.Contact{
			Key:       kpi.Key{Channel: "phone", TeamID: 1},
			OfferedAt: offered, AnsweredAt: offered.Add(wait), EndedAt: offered.Add(wait + 3*time.Minute),
		})
	}
	rows, _ := r.Report(kpi.Query{Grain: kpi.Daily, From: start, To: start.Add(time.Hour)})
	f := rows[0]
	fmt.Println(f.Start.Format(time.DateOnly), "offered", f.Offered, "ASA", f.ASASeconds.Format(1),
		"SL", f.ServiceLevel.Format(3), "AHT", f.AHTSeconds, "CSAT", f.CSAT)
	// Output: 2026-03-10 offered 3 ASA 20.0 SL 0.667 AHT 180 CSAT n/a
}
