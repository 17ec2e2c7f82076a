package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
)

func TestTokensListAndRevoke(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		rec := f.do(t, "agent", http.MethodGet, "/api/v1/tokens", "", nil)
		statusOK(t, rec, http.StatusOK)
		items := decodeJSON(t, rec)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("agent's tokens: %v", items)
		}
		tok := items[0].(map[string]any)
		if _, leaked := tok["token"]; leaked {
			t.Fatal("a token list must never carry secrets")
		}
		id := int64(tok["id"].(float64))
		// Someone else's token is not found, not forbidden: ids are not probed.
		statusOK(t, f.do(t, "supervisor", http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", id), "", nil), http.StatusNotFound)
		statusOK(t, f.do(t, "agent", http.MethodGet, "/api/v1/me", "", nil), http.StatusOK)
		rec = f.do(t, "agent", http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", id), "", nil)
		statusOK(t, rec, http.StatusOK)
		if decodeJSON(t, rec)["revoked_at"] == nil {
			t.Fatal("revoked_at not set")
		}
		rec = f.do(t, "agent", http.MethodGet, "/api/v1/me", "", nil)
		statusOK(t, rec, http.StatusUnauthorized)
		// Administrators may list and revoke anyone's.
		rec = f.do(t, "admin", http.MethodGet, "/api/v1/tokens?user_id={supervisor_id}", "", nil)
		statusOK(t, rec, http.StatusOK)
		sup := decodeJSON(t, rec)["items"].([]any)[0].(map[string]any)
		statusOK(t, f.do(t, "admin", http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", int64(sup["id"].(float64))), "", nil), http.StatusOK)
		statusOK(t, f.do(t, "supervisor", http.MethodGet, "/api/v1/me", "", nil), http.StatusUnauthorized)
		statusOK(t, f.do(t, "auditor", http.MethodGet, "/api/v1/tokens?user_id={admin_id}", "", nil), http.StatusForbidden)
	})
}
