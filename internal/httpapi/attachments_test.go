package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// multipartBody builds a form with one file part.
func multipartBody(t *testing.T, filename, contentType string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + filename + `"`}
	h["Content-Type"] = []string{contentType}
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	pw.Write(data)
	mw.Close()
	return &b, mw.FormDataContentType()
}

func (f *fixture) upload(t *testing.T, as, url, filename, contentType string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := multipartBody(t, filename, contentType, data)
	req := httptest.NewRequest(http.MethodPost, f.expand(url), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	rec := httptest.NewRecorder()
	f.api.ServeHTTP(rec, req)
	return rec
}

func TestAttachments(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		// A text file is kept redacted; its name loses any path.
		rec := f.upload(t, "agent", "/api/v1/cases/{case_ref}/attachments", `..\..\statement.txt`, "text/plain",
			[]byte("Card used: 4111 1111 1111 1111\nThanks"))
		statusOK(t, rec, http.StatusCreated)
		att := decodeJSON(t, rec)
		if att["filename"] != "statement.txt" || rec.Header().Get("Location") != att["url"] {
			t.Fatalf("upload answer: %v", att)
		}
		rec = f.do(t, "agent", http.MethodGet, att["url"].(string), "", nil)
		statusOK(t, rec, http.StatusOK)
		if body := rec.Body.String(); strings.Contains(body, "4111 1111") || !strings.Contains(body, "1111]") {
			t.Fatalf("stored text not redacted: %q", body)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") ||
			rec.Header().Get("Content-Security-Policy") != "sandbox" {
			t.Fatalf("download headers: %v", rec.Header())
		}
		rec = f.do(t, "auditor", http.MethodGet, "/api/v1/cases/{case_ref}/attachments", "", nil)
		statusOK(t, rec, http.StatusOK)
		if items := decodeJSON(t, rec)["items"].([]any); len(items) != 1 {
			t.Fatalf("list: %v", items)
		}
		// Refusals change nothing.
		before := f.snapshot(t)
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 64)...)
		for _, tc := range []struct {
			as, name, ct string
			data         []byte
			status       int
		}{
			{"agent", "invoice.pdf.exe", "application/pdf", exe, http.StatusUnprocessableEntity},
			{"agent", "empty.txt", "text/plain", nil, http.StatusUnprocessableEntity},
			{"auditor", "note.txt", "text/plain", []byte("hello"), http.StatusForbidden},
		} {
			rec := f.upload(t, tc.as, "/api/v1/cases/{case_ref}/attachments", tc.name, tc.ct, tc.data)
			statusOK(t, rec, tc.status)
		}
		if after := f.snapshot(t); after != before {
			t.Fatal("a refused upload changed the database")
		}
		req := httptest.NewRequest(http.MethodPost, f.expand("/api/v1/cases/{case_ref}/attachments"), strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.tokens["agent"])
		rec = httptest.NewRecorder()
		f.api.ServeHTTP(rec, req)
		statusOK(t, rec, http.StatusUnsupportedMediaType)
	})
}
