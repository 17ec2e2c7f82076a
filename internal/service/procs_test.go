package service_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// sweepChild is the body of a child process: one scheduler sweep on the
// database named by the environment, at the time it names.
func sweepChild(dsn, at, owner string) {
	now, err := time.Parse(time.RFC3339, at)
	if err == nil {
		var st *store.Store
		st, err = store.Open(context.Background(), dsn, store.Options{Now: func() time.Time { return now }})
		if err == nil {
			var n int
			n, err = service.New(st, nil, service.Config{}).SweepClocks(context.Background(), owner, time.Minute, 3)
			fmt.Println("fired", n)
			st.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Two scheduler processes sweep one database at once (PostgreSQL when
// CAREDESK_TEST_POSTGRES is set, and SQLite): every clock changes state
// exactly once between them.
func TestTwoSchedulerProcessesFireEachClockOnce(t *testing.T) {
	if dsn := os.Getenv("CAREDESK_SWEEP_CHILD_DSN"); dsn != "" {
		sweepChild(dsn, os.Getenv("CAREDESK_SWEEP_CHILD_AT"), os.Getenv("CAREDESK_SWEEP_CHILD_OWNER"))
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			clk := storetest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
			dsn := storetest.DSN(t, dialect)
			st, err := store.Open(context.Background(), dsn, store.Options{Now: clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			f := setup(t, st, clk)
			const cases = 60
			for i := 0; i < cases; i++ {
				if _, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry",
					Channel: "email", Subject: "Question " + strconv.Itoa(i)}}); err != nil {
					t.Fatal(err)
				}
			}
			at := clk.Now().Add(60 * 24 * time.Hour).Format(time.RFC3339)
			var cmds []*exec.Cmd
			for i := 0; i < 2; i++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestTwoSchedulerProcessesFireEachClockOnce$")
				cmd.Env = append(os.Environ(), "CAREDESK_SWEEP_CHILD_DSN="+dsn, "CAREDESK_SWEEP_CHILD_AT="+at,
					"CAREDESK_SWEEP_CHILD_OWNER=proc-"+strconv.Itoa(i))
				cmds = append(cmds, cmd)
			}
			outs := make([][]byte, 2)
			errs := make(chan error, 2)
			for i, cmd := range cmds {
				go func(i int, cmd *exec.Cmd) {
					var err error
					outs[i], err = cmd.CombinedOutput()
					errs <- err
				}(i, cmd)
			}
			for range cmds {
				if err := <-errs; err != nil {
					t.Fatalf("a scheduler process failed: %v\n%s\n%s", err, outs[0], outs[1])
				}
			}
			total := 0
			for _, out := range outs {
				var n int
				fmt.Sscanf(string(out), "fired %d", &n)
				total += n
			}
			t.Logf("process 0: %s; process 1: %s", strings.TrimSpace(string(outs[0])), strings.TrimSpace(string(outs[1])))
			// first_response and resolution breach on each case.
			if total != 2*cases {
				t.Fatalf("the processes fired %d state changes between them, want exactly %d:\n%s\n%s", total, 2*cases, outs[0], outs[1])
			}
			seen := map[string]int{}
			for before := int64(0); ; {
				entries, next, err := f.svc.FindAudit(f.admin, care.AuditFilter{Entity: "clock", Action: "update", Before: before, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					seen[e.EntityID]++
				}
				if before = next; next == 0 {
					break
				}
			}
			if len(seen) != 2*cases {
				t.Fatalf("%d clocks changed state, want %d", len(seen), 2*cases)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("clock %s changed state %d times", id, n)
				}
			}
		})
	}
}
