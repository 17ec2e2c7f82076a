package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// TestDemoHistory: --interactions writes a history of about that many
// interactions, with survey answers, and prints progress lines when
// standard error is not a terminal; bad sizes are refused.
func TestDemoHistory(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	code, out, errs := runCLI(t, "", "demo", "--db", dsn, "--interactions", "900", "--months", "2", "--seed", "5")
	if code != 0 {
		t.Fatalf("demo --interactions: %d %q %q", code, out, errs)
	}
	m := regexp.MustCompile(`(\d+) interactions, (\d+) survey answers`).FindStringSubmatch(out)
	if m == nil || len(m[1]) != 3 || m[1] < "880" || m[1] > "920" || m[2] == "0" {
		t.Fatalf("summary: %q", out)
	}
	if !strings.Contains(out, "interactions/s") || !strings.Contains(out, "more agents and handlers") {
		t.Fatalf("summary lacks the rate or the extra staff: %q", out)
	}
	for _, bad := range [][]string{{"--interactions", "-5"}, {"--months", "500"}} {
		args := append([]string{"demo", "--db", storetest.DSN(t, store.SQLite)}, bad...)
		if code, _, errs := runCLI(t, "", args...); code != exitUsage || !strings.Contains(errs, "--months must be from 1 to 120") {
			t.Errorf("%v: %d %q", bad, code, errs)
		}
	}
}
