package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/store/storetest"
)

func TestImportCDRCommand(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			file := filepath.Join(t.TempDir(), "calls.csv")
			body := "call_id,channel,queue,caller_phone,offered_at,answered_at,ended_at,wrap_up_ended_at,abandoned\n" +
				"P1,phone,motor,+15550100,2026-01-05T09:00:00Z,2026-01-05T09:00:31.5Z,2026-01-05T09:07:00Z,2026-01-05T09:08:00Z,\n" +
				"P2,chat,web,,2026-01-05T09:01:00Z,,2026-01-05T09:02:00Z,,true\n" +
				"P3,fax,motor,,2026-01-05T09:03:00Z,,,,\n"
			if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCLI(t, "", "import", "cdr", "--db", dsn, file)
			if code != exitFail || !strings.Contains(out, "3 rows: 2 recorded, 0 already imported, 1 bad") ||
				!strings.Contains(errs, file+":4: channel: must be phone or chat") {
				t.Fatalf("first import: %d %q %q", code, out, errs)
			}
			code, out, errs = runCLI(t, body, "import", "cdr", "--db", dsn, "-")
			if code != exitFail || !strings.Contains(out, "3 rows: 0 recorded, 2 already imported, 1 bad") {
				t.Fatalf("re-import: %d %q %q", code, out, errs)
			}
			db := rawDB(t, dialect, dsn)
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM interactions WHERE external_id IN ('P1', 'P2')`).Scan(&n); err != nil || n != 2 {
				t.Fatalf("%d interactions (%v)", n, err)
			}
			if code, _, errs := runCLI(t, "", "import", "cdr", "--db", dsn); code != exitUsage || !strings.Contains(errs, "name one CSV file") {
				t.Fatalf("no file: %d %q", code, errs)
			}
			if code, _, _ := runCLI(t, "", "import", "cdr", "--db", dsn, filepath.Join(t.TempDir(), "missing.csv")); code != exitFail {
				t.Fatalf("missing file: %d", code)
			}
		})
	}
}
