package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// lockedBuffer is a buffer safe to read while the server writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serve --demo on a fresh database: the desk answers its probes, the API
// and the sign-in page, then stops cleanly when told to.
func TestServeDemoEndToEnd(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn, addr := storetest.DSN(t, dialect), freeAddr(t)
			ctx, cancel := context.WithCancel(context.Background())
			var out, errb lockedBuffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, []string{"serve", "--demo", "--demo-interactions", "2000", "--db", dsn, "--addr", addr, "--sweep-every", "100ms"},
					stdio{strings.NewReader(""), &out, &errb})
			}()
			base := "http://" + addr
			waitFor(t, base+"/healthz", done, &errb)
			if !strings.Contains(out.String(), "one-time password") || !strings.Contains(out.String(), "caredesk-demo-2026") {
				t.Fatalf("serve --demo printed no sign-ins:\n%s", out.String())
			}
			code, tok, errs := runCLI(t, "", "token", "create", "--db", dsn, "--email", "hannah.price@demo.caredesk.example")
			if code != 0 {
				t.Fatalf("token create: %s", errs)
			}
			get := func(path string) (int, string) {
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if st, body := get("/readyz"); st != 200 {
				t.Fatalf("readyz: %d %s", st, body)
			}
			st, body := get("/api/v1/cases?type=complaint&open=true&limit=5")
			var list struct {
				Items []struct {
					Reference string            `json:"reference"`
					Clocks    []json.RawMessage `json:"clocks"`
				} `json:"items"`
			}
			if st != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Items) == 0 {
				t.Fatalf("open complaints: %d %s", st, body)
			}
			st, body = get("/api/v1/cases/" + list.Items[0].Reference)
			if st != 200 || !strings.Contains(body, `"clocks":[{`) || !strings.Contains(body, `"remaining_seconds"`) {
				t.Fatalf("a demo complaint should carry its clocks: %d %s", st, body)
			}
			if st, body := get("/signin"); st != 200 || !strings.Contains(body, "Sign in") {
				t.Fatalf("sign-in page: %d", st)
			}
			if st, body := get("/metrics"); st != 200 || !strings.Contains(body, `route="web"`) {
				t.Fatalf("metrics should count web requests: %d", st)
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("serve exited %d: %s", code, errb.String())
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop after its context ended")
			}
		})
	}
}

func waitFor(t *testing.T, url string, done chan int, errb *lockedBuffer) {
	t.Helper()
	// Generous: --demo writes ~500 cases through the service before the
	// listener opens, which under -race on a busy 2-core CI machine has taken
	// over a minute. This is a liveness bound, not a speed check.
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d: %s", code, errb.String())
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered: %s", url, errb.String())
}

func TestServeRefusesBadSettings(t *testing.T) {
	dsn := storetest.DSN(t, store.SQLite)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--default-regimes", "complaint=uk-fcaa"}, "default_regimes.complaint"},
		{[]string{"--calendar", "XX"}, "calendar"},
		{[]string{"--warn-at", "1.5"}, "warn_at"},
		{[]string{"--default-regimes", "complaint"}, "default-regimes"},
		{[]string{"--log-format", "yaml"}, "--log-format"},
		{[]string{"--demo", "--demo-interactions", "-5"}, "demo-interactions"},
	} {
		code, _, errs := runCLI(t, "", append([]string{"serve", "--db", dsn, "--addr", freeAddr(t)}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 naming %s", tc.args, code, errs, tc.want)
		}
	}
}
