package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/httpapi"
)

// TestOpenAPIMatchesRoutes keeps the hand-written OpenAPI document true:
// every route in the table is documented with its method, permission and
// authentication, and every documented operation is in the table.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(httpapi.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	f := newFixture(t, "sqlite")
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	for _, rt := range httpapi.RouteTable(f.api) {
		key := rt[0] + " " + rt[1]
		raw, ok := doc.Paths[rt[1]][strings.ToLower(rt[0])]
		if !ok {
			t.Errorf("%s is in the route table but not in openapi.json", key)
			continue
		}
		delete(documented, key)
		var op struct {
			Permission string            `json:"x-permission"`
			Security   []json.RawMessage `json:"security"`
			Responses  map[string]any    `json:"responses"`
		}
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if op.Permission != rt[2] {
			t.Errorf("%s: x-permission %q, the route table says %q", key, op.Permission, rt[2])
		}
		if public := op.Security != nil && len(op.Security) == 0; public != (rt[3] == "public") {
			t.Errorf("%s: documented as public=%v, the route table says %q", key, public, rt[3])
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s documents no responses", key)
		}
	}
	for key := range documented {
		t.Errorf("%s is in openapi.json but not in the route table", key)
	}
}

// TestOpenAPIReferencesResolve checks that every $ref in the document
// points at something it defines.
func TestOpenAPIReferencesResolve(t *testing.T) {
	t.Parallel()
	var doc any
	if err := json.Unmarshal(httpapi.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if _, found := lookup(doc, strings.ReplaceAll(strings.TrimPrefix(ref, "#/"), "/", ".")); !found {
					t.Errorf("$ref %s resolves to nothing", ref)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
}
