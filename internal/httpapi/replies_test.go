package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestReplies(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		rec := f.do(t, "agent", http.MethodPost, "/api/v1/cases/{case_ref}/replies",
			`{"body": "Your cover renews on 1 March. Card 4111 1111 1111 1111 noted."}`, nil)
		statusOK(t, rec, http.StatusCreated)
		got := decodeJSON(t, rec)
		body, _ := got["body"].(string)
		subject, _ := got["subject"].(string)
		if got["direction"] != "outbound" || got["channel"] != "email" || strings.Contains(body, "4111 1111") ||
			!strings.Contains(subject, f.vars["{case_ref}"]) || !strings.HasPrefix(got["external_id"].(string), "<") {
			t.Fatalf("reply: %v", got)
		}
		before := f.snapshot(t)
		for _, tc := range []struct {
			as     string
			body   string
			status int
		}{
			{"agent", `{"body": "  "}`, http.StatusUnprocessableEntity},
			{"agent", `{"body": "x", "cc": "y"}`, http.StatusBadRequest},
			{"auditor", `{"body": "hello"}`, http.StatusForbidden},
		} {
			statusOK(t, f.do(t, tc.as, http.MethodPost, "/api/v1/cases/{case_ref}/replies", tc.body, nil), tc.status)
		}
		if after := f.snapshot(t); after != before {
			t.Fatal("a refused reply changed the database")
		}
		statusOK(t, f.do(t, "agent", http.MethodPost, "/api/v1/cases/CD-2026-999999/replies", `{"body": "hello"}`, nil),
			http.StatusNotFound)
	})
}
