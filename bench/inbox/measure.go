package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/caredesk/caredesk/bench/internal/benchenv"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/web"
)

// measureInbox runs in the child: it serves the database as caredesk
// serve does (API and staff UI on one mux, over loopback) and times the
// inbox three ways, then reports its own memory.
func measureInbox(dsn string, queries int) error {
	ctx := context.Background()
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, logger, service.Config{})
	sys := care.NewContextWithActor(ctx, care.SystemActor("bench"))
	users, err := svc.FindUsers(sys)
	if err != nil {
		return err
	}
	var leads, agents []*care.User
	for _, u := range users {
		switch u.Role {
		case "supervisor":
			leads = append(leads, u)
		case "agent":
			agents = append(agents, u)
		}
	}
	if len(leads) == 0 || len(agents) == 0 {
		return fmt.Errorf("no supervisors or agents: seed the database first (-seed)")
	}
	total, open, err := countCases(ctx, dsn)
	if err != nil {
		return err
	}
	fmt.Printf("database: %s, %d cases, %d open, %d teams\n", st.Dialect(), total, open, len(leads))

	rng := rand.New(rand.NewPCG(3, 4))
	page := 0
	lat := make([]time.Duration, 0, queries)
	cpu0 := benchenv.CPUTime()
	for i := 0; i < queries; i++ {
		lead := leads[rng.IntN(len(leads))]
		as := care.NewContextWithActor(ctx, care.Actor{UserID: lead.ID, Name: lead.Email, Role: lead.Role, Source: "bench"})
		t0 := time.Now()
		items, _, err := svc.FindQueue(as, care.QueueFilter{TeamID: lead.TeamID, Limit: 50})
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		page = len(items)
	}
	fmt.Printf("service.FindQueue, a team's open cases by next deadline (page of %d): %s  %s\n", page, benchenv.Latency(lat),
		benchenv.PerOp(benchenv.CPUTime()-cpu0, len(lat)))
	lat = lat[:0]
	cpu0 = benchenv.CPUTime()
	for i := 0; i < queries; i++ {
		a := agents[rng.IntN(len(agents))]
		as := care.NewContextWithActor(ctx, care.Actor{UserID: a.ID, Name: a.Email, Role: a.Role, Source: "bench"})
		t0 := time.Now()
		if _, _, err := svc.FindQueue(as, care.QueueFilter{AssigneeID: a.ID, Limit: 50}); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
	}
	fmt.Printf("service.FindQueue, an agent's own open cases by next deadline:          %s  %s\n", benchenv.Latency(lat),
		benchenv.PerOp(benchenv.CPUTime()-cpu0, len(lat)))
	if err := measurePage(ctx, svc, logger, leads, queries, rng); err != nil {
		return err
	}
	runtime.GC()
	rss, hwm, err := benchenv.Memory("self")
	if err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("serving process memory after the queries: VmRSS %s, VmHWM (peak) %s, Go heap in use %s\n",
		benchenv.MiB(rss), benchenv.MiB(hwm), benchenv.MiB(int64(ms.HeapInuse)))
	return nil
}

// measurePage times the team inbox page through HTTP with a signed-in
// supervisor's session cookie.
func measurePage(ctx context.Context, svc *service.Service, logger *slog.Logger, leads []*care.User, queries int, rng *rand.Rand) error {
	ui, err := web.New(svc, web.Options{Logger: logger})
	if err != nil {
		return err
	}
	api := httpapi.New(svc, httpapi.Options{Logger: logger})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/", api.Instrument("web", ui))
	ln, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	cookies := map[int64]string{}
	for _, l := range leads {
		secret, _, err := svc.CreateSession(ctx, l.ID, "127.0.0.1")
		if err != nil {
			return err
		}
		cookies[l.ID] = secret
	}
	client := &http.Client{Timeout: 30 * time.Second}
	lat := make([]time.Duration, 0, queries)
	size := 0
	cpu0 := benchenv.CPUTime()
	for i := 0; i < queries; i++ {
		l := leads[rng.IntN(len(leads))]
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s/queue/team?team=%d", ln.Addr(), l.TeamID), nil)
		req.AddCookie(&http.Cookie{Name: "caredesk_session", Value: cookies[l.ID]})
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "<table") {
			return fmt.Errorf("GET /queue/team: %s (%d bytes)", resp.Status, len(b))
		}
		size = len(b)
	}
	fmt.Printf("GET /queue/team over loopback HTTP (%d KB page, session, audit entry):   %s  %s\n", size/1024, benchenv.Latency(lat),
		benchenv.PerOp(benchenv.CPUTime()-cpu0, len(lat)))
	return nil
}
