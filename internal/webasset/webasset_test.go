package webasset

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHashedNamesAndCaching(t *testing.T) {
	fsys := fstest.MapFS{"static/app.css": {Data: []byte("body{}")}, "static/app.js": {Data: []byte("1")}}
	s, err := Load(fsys, "static", "/static/")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.URL("app.css")
	if err != nil || !strings.HasPrefix(u, "/static/app.") || !strings.HasSuffix(u, ".css") || u == "/static/app.css" {
		t.Fatalf("URL: %q %v", u, err)
	}
	if _, err := s.URL("missing.css"); err == nil {
		t.Fatal("an unknown asset must be an error")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/{name}", s.Serve)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
	if rec.Code != 200 || rec.Body.String() != "body{}" || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("serve: %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/static/app.css", nil))
	if rec.Code != 404 {
		t.Fatalf("the unhashed name must not be served: %d", rec.Code)
	}
}
