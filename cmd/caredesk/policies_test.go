package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// "caredesk policies remind" sends the reminder of a policy ending in ten
// days once, however often it runs.
func TestPoliciesRemindCommand(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			if code, out, errs := runCLI(t, "", "migrate", "--db", dsn); code != exitOK {
				t.Fatalf("migrate: %d %q %q", code, out, errs)
			}
			ctx := context.Background()
			st, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			svc := service.New(st, nil, service.Config{})
			sys := care.NewContextWithActor(ctx, care.SystemActor("test"))
			c := &care.Customer{Name: "Rosa Diaz", Email: "rosa@example.com"}
			if err := svc.CreateCustomer(sys, c); err != nil {
				t.Fatal(err)
			}
			end := care.DateOf(time.Now()).AddDate(0, 0, 10)
			if err := svc.CreatePolicy(sys, &care.Policy{CustomerID: c.ID, Number: "TRV-0101", Line: "travel",
				Start: end.AddDate(-1, 0, 1), End: end, PremiumMinor: 9900}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			code, out, errs := runCLI(t, "", "policies", "remind", "--db", dsn)
			if code != exitOK || !strings.Contains(out, "renewals opened: 1\nreminders sent: 1\n") {
				t.Fatalf("first run: %d %q %q", code, out, errs)
			}
			code, out, _ = runCLI(t, "", "policies", "remind", "--db", dsn)
			if code != exitOK || !strings.Contains(out, "reminders sent: 0\n") {
				t.Fatalf("second run: %d %q", code, out)
			}
			if code, _, errs = runCLI(t, "", "policies", "remind", "--db", dsn, "--batch", "0"); code != exitUsage || !strings.Contains(errs, "--batch") {
				t.Fatalf("bad batch: %d %q", code, errs)
			}
		})
	}
}
