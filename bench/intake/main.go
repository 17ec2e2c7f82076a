// Command intake measures case intake through the real HTTP API: a case
// with its first interaction, POST /api/v1/cases with a bearer token,
// from N concurrent clients over loopback keep-alive connections to the
// full API handler (token check, JSON, the transaction with clocks, KPI
// cells and audit entries). It prints the machine, the throughput and the
// latency percentiles. It stops by itself after -requests or -max.
//
//	go run ./bench/intake                                  # SQLite in a temp dir
//	go run ./bench/intake -db 'postgres://…' -c 16         # an empty database or schema
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caredesk/caredesk/bench/internal/benchenv"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

func main() {
	dsn := flag.String("db", "", "database (default: a new SQLite file in a temp dir)")
	conc := flag.Int("c", 8, "concurrent clients")
	requests := flag.Int("requests", 20_000, "cases to create (after a warm-up of 500)")
	maxTime := flag.Duration("max", 2*time.Minute, "stop after this long even if requests remain")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the measured run to this file")
	flag.Parse()
	if *dsn == "" {
		d, cleanup, err := benchenv.TempSQLite()
		if err != nil {
			log.Fatal(err)
		}
		defer cleanup()
		*dsn = d
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, logger, service.Config{})
	token := apiToken(ctx, svc)
	ln, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: httpapi.New(svc, httpapi.Options{Logger: logger})}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/api/v1/cases"
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}}

	fmt.Printf("machine: %s\n", benchenv.Machine())
	fmt.Printf("database: %s, %d concurrent clients over loopback HTTP/1.1 keep-alive\n", st.Dialect(), *conc)
	run(client, url, token, *conc, 500, time.Minute) // warm-up: statement cache, connections
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	cpu0 := benchenv.CPUTime()
	lat, errs, took := run(client, url, token, *conc, *requests, *maxTime)
	cpu := benchenv.CPUTime() - cpu0
	fmt.Printf("created %d cases in %s (%d errors): %.0f cases/s\n", len(lat), took.Round(time.Millisecond), errs,
		float64(len(lat))/took.Seconds())
	fmt.Printf("latency: %s\n", benchenv.Latency(lat))
	fmt.Printf("CPU (server and client together): %s, so at most %.0f cases/s on %d idle cores\n", benchenv.PerOp(cpu, len(lat)),
		float64(len(lat))/cpu.Seconds()*float64(runtime.NumCPU()), runtime.NumCPU())
	rss, hwm, _ := benchenv.Memory("self")
	fmt.Printf("process memory: RSS %s, peak %s\n", benchenv.MiB(rss), benchenv.MiB(hwm))
}

// apiToken creates an administrator and a bearer token for it.
func apiToken(ctx context.Context, svc *service.Service) string {
	if _, _, err := svc.EnsureAdmin(ctx, "bench@example.com", "correct horse battery staple"); err != nil {
		log.Fatal(err)
	}
	u, err := svc.FindUserByEmail(care.NewContextWithActor(ctx, care.SystemActor("bench")), "bench@example.com")
	if err != nil {
		log.Fatal(err)
	}
	token, _, err := svc.CreateToken(care.NewContextWithActor(ctx, care.SystemActor("bench")), u.ID, "bench")
	if err != nil {
		log.Fatal(err)
	}
	return token
}

var bodies = []string{
	`{"type":"enquiry","channel":"phone","subject":"Where is my renewal?","priority":"normal","interaction":{"channel":"phone","direction":"inbound","body":"Customer asked about the renewal documents","offered_at":"%s"}}`,
	`{"type":"claim","channel":"web","subject":"Burst pipe in the kitchen","priority":"high","interaction":{"channel":"web","direction":"inbound","body":"Water everywhere since last night, policy HOM-0012345","offered_at":"%s"}}`,
	`{"type":"complaint","channel":"email","subject":"Nobody called me back","regimes":["uk-fca"],"interaction":{"channel":"email","direction":"inbound","body":"I have waited two weeks for the call back you promised.","offered_at":"%s"}}`,
	`{"type":"service_request","channel":"chat","subject":"Change of address","interaction":{"channel":"chat","direction":"inbound","body":"I moved house, new address attached","offered_at":"%s"}}`,
}

// run sends n case creations from conc clients and returns the latency of
// each success, the number of failures and the wall time.
func run(client *http.Client, url, token string, conc, n int, maxTime time.Duration) ([]time.Duration, int, time.Duration) {
	var next, errs atomic.Int64
	deadline := time.Now().Add(maxTime)
	lats := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				k := next.Add(1)
				if k > int64(n) || time.Now().After(deadline) {
					return
				}
				offered := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
				body := fmt.Sprintf(bodies[k%int64(len(bodies))], offered)
				t0 := time.Now()
				if err := post(client, url, token, body); err != nil {
					if errs.Add(1) <= 3 {
						fmt.Fprintln(os.Stderr, "error:", err)
					}
					continue
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		}(w)
	}
	wg.Wait()
	took := time.Since(start)
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	return all, int(errs.Load()), took
}

func post(client *http.Client, url, token, body string) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return errors.New(resp.Status + ": " + string(b))
	}
	return nil
}
