package service_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// A card number given at intake is stored masked, and its digits appear
// nowhere in the database files.
func TestCardNumbersNeverReachTheDatabase(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	dsn := storetest.DSN(t, store.SQLite)
	st, err := store.Open(context.Background(), dsn, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := setup(t, st, clk)
	agent := f.as["agent"]
	const card = "4111 1111 1111 1111"
	c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
		Subject: "Payment with card " + card, Description: "Please take the premium from my card " + card + " exp 09/28 cvv 123."}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateInteraction(agent, c.Reference, &care.Interaction{Channel: "phone",
		Body: "Caller read out 4111-1111-1111-1111 and sort code 20-00-00 account 55779911."}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.FindCase(agent, c.Reference)
	items, _, _ := f.svc.FindInteractions(agent, c.Reference, 0, 0)
	if !strings.Contains(got.Description, "1111]") || strings.Contains(got.Description, "4111 1111") ||
		strings.Contains(items[1].Body, "4111-1111") || strings.Contains(items[1].Body, "55779911") {
		t.Fatalf("stored unmasked:\n%s\n%s", got.Description, items[1].Body)
	}
	res, err := f.svc.ScoreComplaintSignals(agent, "I am furious, you charged my card "+card+" twice, refund me", 0)
	if err != nil || !res.Complaint {
		t.Fatalf("score: %+v %v", res, err)
	}
	for _, r := range res.Reasons {
		if strings.Contains(r.Evidence, "4111") {
			t.Fatalf("a reason quotes the card: %+v", r)
		}
	}
	st.Close() // flush everything to the files before reading them
	_, path, _ := store.ParseDSN(dsn)
	for _, file := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, raw := range []string{"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "55779911"} {
			if bytes.Contains(b, []byte(raw)) {
				t.Fatalf("%s holds %q", file, raw)
			}
		}
	}
}
