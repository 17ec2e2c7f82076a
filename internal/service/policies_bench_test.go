package service_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// BenchmarkRemindPolicies measures the policy job over BENCH_POLICIES
// policies (default 100,000) whose cover ends evenly over the next year,
// so about 1 in 26 is within the 14-day window: "first" is the pass that
// opens those renewals and queues their reminders, "idle" the pass every
// tick makes when nothing is due (its cost is paid every 10 seconds).
func BenchmarkRemindPolicies(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_POLICIES")); err == nil && v > 0 {
		n = v
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			s := storetest.Open(b, dialect, func() time.Time { return now })
			svc := service.New(s, nil, service.Config{})
			ctx := care.NewContextWithActor(context.Background(), care.SystemActor("bench"))
			today := care.DateOf(now)
			for lo := 0; lo < n; lo += 5000 {
				var cs []*care.Customer
				var ps [][]*care.Policy
				for i := lo; i < min(lo+5000, n); i++ {
					end := today.AddDate(0, 0, 1+i%365)
					cs = append(cs, &care.Customer{Name: fmt.Sprintf("Holder %d", i), Email: fmt.Sprintf("h%d@example.com", i)})
					ps = append(ps, []*care.Policy{{Number: fmt.Sprintf("BEN-%07d", i), Line: "home", Status: "in_force",
						Start: end.AddDate(-1, 0, 1), End: end, PremiumMinor: 30000, Currency: "GBP"}})
				}
				if err := svc.CreateCustomersBulk(ctx, cs, ps); err != nil {
					b.Fatal(err)
				}
			}
			t0 := time.Now()
			rep, err := svc.RemindPolicies(ctx, 200)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s, %d policies: first pass opened %d renewals and sent %d reminders in %v", dialect, n, rep.Opened, rep.Sent,
				time.Since(t0).Round(time.Millisecond))
			b.Run("idle", func(b *testing.B) {
				for b.Loop() {
					if rep, err := svc.RemindPolicies(ctx, 200); err != nil || rep.Sent != 0 {
						b.Fatalf("%v %+v", err, rep)
					}
				}
			})
		})
	}
}
