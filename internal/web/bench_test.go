package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/demo"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
	"github.com/caredesk/caredesk/internal/web"
)

// BenchmarkPages serves each main staff page to a signed-in user over the
// demo dataset (`caredesk demo` defaults: 200 customers and their cases),
// on SQLite, through the whole handler: session lookup, the service calls
// with their audit writes, and rendering. It reports the mean (ns/op) and
// the 95th percentile (p95-ms) of the server time.
//
//	go test -run XXX -bench Pages -benchtime 200x ./internal/web/
//	CAREDESK_BENCH_CUSTOMERS=2000 go test -run XXX -bench Pages -benchtime 200x ./internal/web/
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b, store.SQLite, time.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log, service.Config{})
	if _, _, err := svc.EnsureAdmin(ctx, "admin@caredesk.local", "benchmark-admin-password"); err != nil {
		b.Fatal(err)
	}
	// CAREDESK_BENCH_CUSTOMERS scales the dataset up from the demo default.
	customers, _ := strconv.Atoi(os.Getenv("CAREDESK_BENCH_CUSTOMERS"))
	sum, err := demo.Load(ctx, svc, demo.Options{Customers: customers})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("demo data: %d customers, %d policies, %d cases, %d interactions", sum.Customers, sum.Policies, sum.Cases, sum.Interactions)
	ui, err := web.New(svc, web.Options{Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	cookie := func(email, pw string) string {
		u, err := svc.SignIn(ctx, email, pw, "127.0.0.1")
		if err != nil {
			b.Fatal(err)
		}
		secret, _, err := svc.CreateSession(ctx, u.ID, "127.0.0.1")
		if err != nil {
			b.Fatal(err)
		}
		return "caredesk_session=" + secret
	}
	agent := cookie("hannah.price@demo.caredesk.example", demo.StaffPassword)
	sup := cookie("sofia.rossi@demo.caredesk.example", demo.StaffPassword)
	admin := cookie("admin@caredesk.local", "benchmark-admin-password")

	// The case with the longest timeline, and a customer's name to search.
	sys := care.NewContextWithActor(ctx, care.SystemActor("bench"))
	cases, _, err := svc.FindCases(sys, care.CaseFilter{Limit: 500})
	if err != nil || len(cases) == 0 {
		b.Fatal(err)
	}
	busiest, most := cases[0], 0
	for _, c := range cases {
		items, _, err := svc.FindInteractions(sys, c.Reference, 0, 500)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) > most {
			busiest, most = c, len(items)
		}
	}
	cust, err := svc.FindCustomerByID(sys, busiest.CustomerID)
	if err != nil {
		b.Fatal(err)
	}
	surname := cust.Name[len(cust.Name)-4:]

	for _, p := range []struct{ name, path, cookie string }{
		{"my-queue", "/queue", agent},
		{"team-queue", "/queue/team", agent},
		{"cases", "/cases", agent},
		{"case", "/cases/" + busiest.Reference, agent},
		{"search-name", "/search?q=" + url.QueryEscape(surname), agent},
		{"search-text", "/search?q=windscreen", agent},
		{"supervisor", "/supervisor", sup},
		{"admin", "/admin", admin},
	} {
		b.Run(p.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				req.Header.Set("Cookie", p.cookie)
				rec := httptest.NewRecorder()
				start := time.Now()
				ui.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
		})
	}
}
