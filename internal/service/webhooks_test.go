package service_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/jobs"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// receiver is a webhook endpoint that checks every signature, refuses the
// first delivery of each event and accepts the next.
type receiver struct {
	t      *testing.T
	secret string
	now    func() time.Time
	mu     sync.Mutex
	tries  map[string]int // event id → requests
	got    map[string]int // event id → accepted
	types  map[string]string
	always int // answer this status to everything when non-zero
}

func newReceiver(t *testing.T, secret string, now func() time.Time) (*receiver, *httptest.Server) {
	r := &receiver{t: t, secret: secret, now: now, tries: map[string]int{}, got: map[string]int{}, types: map[string]string{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if !service.VerifySignature(r.secret, req.Header.Get("X-Caredesk-Signature"), body, r.now(), 5*time.Minute) {
		r.t.Errorf("bad signature %q on %s", req.Header.Get("X-Caredesk-Signature"), body)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev struct {
		ID   string          `json:"id"`
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID != req.Header.Get("X-Caredesk-Event-Id") ||
		ev.Type != req.Header.Get("X-Caredesk-Event") {
		r.t.Errorf("envelope %s does not match headers %v (%v)", body, req.Header, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries[ev.ID]++
	r.types[ev.ID] = ev.Type
	if r.always != 0 {
		w.WriteHeader(r.always)
		return
	}
	if r.tries[ev.ID] == 1 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	r.got[ev.ID]++
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) snapshot() (tries, got map[string]int, types map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cp := func(m map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	ts := map[string]string{}
	for k, v := range r.types {
		ts[k] = v
	}
	return cp(r.tries), cp(r.got), ts
}

func TestWebhooksDeliverSignedWithRetry(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
		f := setup(t, s, clk)
		rcv, srv := newReceiver(t, "a-shared-secret-of-some-length", clk.Now)
		if _, err := f.svc.CreateWebhook(f.as["agent"], service.NewWebhook{URL: srv.URL, Events: []string{"*"}}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("an agent created a webhook: %v", err)
		}
		_, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: "ftp://x", Events: []string{"case.created", "nope"}, Secret: "short"})
		fields := map[string]bool{}
		for _, fe := range care.ErrorFields(err) {
			fields[fe.Field] = true
		}
		if !fields["url"] || !fields["events[1]"] || !fields["secret"] {
			t.Fatalf("invalid webhook: %v", err)
		}
		hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: srv.URL, Secret: "a-shared-secret-of-some-length",
			Events: []string{"case.created", "interaction.created", "case.updated"}})
		telOK(t, err)
		c, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone",
			Subject: "Cover question", Description: "Am I covered abroad?"}})
		telOK(t, err)
		r1 := &jobs.Runner{Svc: f.svc, Webhooks: service.NewWebhookClient(), Owner: "one"}
		ctx := t.Context()
		r1.Tick(ctx) // both refused once
		tries, got, types := rcv.snapshot()
		if len(tries) != 2 || len(got) != 0 {
			t.Fatalf("first round: tries %v got %v", tries, got)
		}
		seen := map[string]bool{}
		for _, ty := range types {
			seen[ty] = true
		}
		if !seen["case.created"] || !seen["interaction.created"] {
			t.Fatalf("event types sent: %v", types)
		}
		log, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50)
		telOK(t, err)
		for _, d := range log {
			if d.State != "pending" || d.Attempts != 1 || d.LastStatus != 503 || !d.NextAttemptAt.Equal(clk.Now().Add(30*time.Second)) {
				t.Fatalf("after a refusal: %+v", d)
			}
		}
		r1.Tick(ctx) // before the backoff: nothing
		if tries, _, _ := rcv.snapshot(); len(tries) != 2 || tries[log[0].EventID] != 1 {
			t.Fatalf("retried before the backoff: %v", tries)
		}
		clk.Advance(31 * time.Second)
		var wg sync.WaitGroup
		for _, owner := range []string{"one", "two", "three", "four"} {
			r := &jobs.Runner{Svc: f.svc, Webhooks: service.NewWebhookClient(), Owner: owner}
			wg.Add(1)
			go func() { defer wg.Done(); r.Tick(ctx) }()
		}
		wg.Wait()
		_, got, _ = rcv.snapshot()
		if len(got) != 2 {
			t.Fatalf("delivered %v, want both events once", got)
		}
		for id, n := range got {
			if n != 1 {
				t.Fatalf("event %s delivered %d times", id, n)
			}
		}
		log, _, err = f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50)
		telOK(t, err)
		for _, d := range log {
			if d.State != "delivered" || d.Attempts != 2 || d.LastStatus != 204 || d.DeliveredAt.IsZero() {
				t.Fatalf("after delivery: %+v", d)
			}
		}
		// An update is a new event; a failing write emits nothing.
		status := "open"
		_, err = f.svc.UpdateCase(f.as["agent"], c.Reference, care.CaseUpdate{Status: &status})
		telOK(t, err)
		_, err = f.svc.UpdateCase(f.as["agent"], c.Reference, care.CaseUpdate{Status: &status, Version: 1})
		if care.ErrorCode(err) != care.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		log, _, err = f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50)
		telOK(t, err)
		if len(log) != 3 || log[0].EventType != "case.updated" || !strings.Contains(log[0].Payload, `"status":{"from":"new","to":"open"}`) {
			t.Fatalf("after updates: %d deliveries, newest %+v", len(log), log[0])
		}
	})
}

func TestWebhooksGiveUpAndDelete(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		clk.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
		f := setup(t, s, clk)
		rcv, srv := newReceiver(t, "another-secret-0123456789", clk.Now)
		rcv.always = http.StatusInternalServerError
		hook, err := f.svc.CreateWebhook(f.admin, service.NewWebhook{URL: srv.URL, Secret: "another-secret-0123456789",
			Events: []string{"case.created"}})
		telOK(t, err)
		_, err = f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "web", Subject: "Hello"}})
		telOK(t, err)
		r := &jobs.Runner{Svc: f.svc, Webhooks: service.NewWebhookClient(), Owner: "one"}
		for range service.WebhookMaxAttempts + 3 {
			r.Tick(t.Context())
			clk.Advance(7 * time.Hour)
		}
		tries, _, _ := rcv.snapshot()
		for _, n := range tries {
			if n != service.WebhookMaxAttempts {
				t.Fatalf("tried %d times, want %d", n, service.WebhookMaxAttempts)
			}
		}
		log, _, err := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50)
		telOK(t, err)
		if len(log) != 1 || log[0].State != "failed" || log[0].Attempts != service.WebhookMaxAttempts {
			t.Fatalf("given up: %+v", log)
		}
		telOK(t, f.svc.DeleteWebhook(f.admin, hook.ID))
		if err := f.svc.DeleteWebhook(f.admin, hook.ID); care.ErrorCode(err) != care.ENOTFOUND {
			t.Fatalf("deleted twice: %v", err)
		}
		_, err = f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "web", Subject: "Again"}})
		telOK(t, err)
		if log, _, _ := f.svc.FindWebhookDeliveries(f.admin, hook.ID, 0, 50); len(log) != 1 {
			t.Fatalf("a deleted webhook got a delivery: %d", len(log))
		}
		hooks, err := f.svc.FindWebhooks(f.admin)
		telOK(t, err)
		if len(hooks) != 0 {
			t.Fatalf("deleted webhook still listed: %+v", hooks)
		}
	})
}

func TestSignature(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	body := []byte(`{"id":"evt_1"}`)
	h := service.Sign("secret", now, body)
	if !strings.HasPrefix(h, "t=1790000000,v1=") || len(h) != len("t=1790000000,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	if !service.VerifySignature("secret", h, body, now.Add(time.Minute), 5*time.Minute) {
		t.Fatal("a good signature did not verify")
	}
	for _, bad := range []struct {
		secret string
		body   string
		at     time.Time
	}{{"other", string(body), now}, {"secret", `{"id":"evt_2"}`, now}, {"secret", string(body), now.Add(time.Hour)}} {
		if service.VerifySignature(bad.secret, h, []byte(bad.body), bad.at, 5*time.Minute) {
			t.Errorf("verified with %+v", bad)
		}
	}
}
