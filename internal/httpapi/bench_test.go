package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// BenchmarkCreateCase measures the design's first budget path: a case with
// its first interaction through the API, on SQLite, including token
// authentication, decoding, the transaction with its audit entries and
// clocks, and encoding.
func BenchmarkCreateCase(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DSN(b, store.SQLite), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, log, service.Config{})
	if _, _, err := svc.EnsureAdmin(ctx, "admin@example.com", "correct horse battery staple"); err != nil {
		b.Fatal(err)
	}
	token, _, err := svc.CreateToken(care.NewContextWithActor(ctx, care.SystemActor("bench")), 1, "bench")
	if err != nil {
		b.Fatal(err)
	}
	api := httpapi.New(svc, httpapi.Options{Logger: log})
	offered := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	body := `{"type":"enquiry","channel":"phone","subject":"Where is my renewal?","priority":"normal",
		"interaction":{"channel":"phone","direction":"inbound","body":"Customer asked about renewal","offered_at":"` + offered + `"}}`
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/cases", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}
