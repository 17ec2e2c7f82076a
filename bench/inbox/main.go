// Command inbox measures the agent inbox at scale and the memory of a
// process serving it. It seeds a database with -cases cases (default
// 1,000,000; -open of them open, each with two running clocks, spread over
// 20 teams of agents), then, in a fresh child process so that seeding
// does not count in its memory, serves the staff UI and the API on
// loopback and times:
//
//   - service.FindQueue: a team's open cases by next deadline, first page;
//   - the same as an agent's own queue;
//   - GET /queue/team?team=N, the team inbox page, with a real session;
//
// and reports the child's resident memory (VmRSS, VmHWM from
// /proc/self/status) after serving them. It stops by itself.
//
//	go run ./bench/inbox                          # SQLite in a temp dir
//	go run ./bench/inbox -db 'postgres://…'       # an empty database or schema
//	go run ./bench/inbox -db sqlite:x.db -seed=false   # measure a database seeded before
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"time"

	"github.com/caredesk/caredesk/bench/internal/benchenv"
	"github.com/caredesk/caredesk/internal/store"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func main() {
	dsn := flag.String("db", "", "database (default: a new SQLite file in a temp dir)")
	cases := flag.Int("cases", 1_000_000, "cases to seed")
	open := flag.Float64("open", 0.1, "share of the cases still open")
	teams := flag.Int("teams", 20, "teams")
	queries := flag.Int("queries", 2000, "inbox queries of each kind")
	seed := flag.Bool("seed", true, "seed the database first (false: measure it as it is)")
	measure := flag.Bool("measure", false, "internal: the child process that measures")
	flag.Parse()
	if *measure {
		if err := measureInbox(*dsn, *queries); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *dsn == "" {
		d, cleanup, err := benchenv.TempSQLite()
		if err != nil {
			log.Fatal(err)
		}
		defer cleanup()
		*dsn = d
	}
	fmt.Printf("machine: %s\n", benchenv.Machine())
	if *seed {
		t0 := time.Now()
		if err := seedInbox(context.Background(), *dsn, *cases, *open, *teams); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("seeded %d cases (%.0f %% open, two clocks each) over %d teams in %s\n", *cases, *open*100, *teams,
			time.Since(t0).Round(time.Second))
	}
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(self, "-measure", "-db", *dsn, "-queries", fmt.Sprint(*queries))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
}

// openStore opens and migrates the database with the bench's fixed clock.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	st, err := store.Open(ctx, dsn, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
