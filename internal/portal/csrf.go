package portal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/caredesk/caredesk/internal/service"
)

// csrfCookie names the cookie of the double-submit token. Over HTTPS the
// __Host- prefix stops a sibling subdomain from planting its own token.
func (p *Portal) csrfCookie() string {
	if p.opts.SecureCookies {
		return "__Host-caredesk_portal"
	}
	return "caredesk_portal"
}

// csrfToken returns the visitor's token, setting a new one when they have
// none. The same token serves every tab, so two forms open at once both
// work.
func (p *Portal) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(p.csrfCookie()); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: p.csrfCookie(), Value: tok, Path: "/", MaxAge: 24 * 3600,
		HttpOnly: true, Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	return tok
}

// validToken reports whether the form's token matches the cookie's.
func (p *Portal) validToken(r *http.Request, f *postedForm) bool {
	c, err := r.Cookie(p.csrfCookie())
	got := f.value("csrf")
	return err == nil && c.Value != "" && subtle.ConstantTimeCompare([]byte(c.Value), []byte(got)) == 1
}

// postedForm is a parsed form post with its documents read.
type postedForm struct {
	values map[string][]string
	files  []service.NewAttachment
}

func (f *postedForm) value(name string) string {
	if v := f.values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Errors from readForm that the handlers explain to the visitor.
var (
	errCrossOrigin = errors.New("cross-origin form post")
	errTooLarge    = errors.New("form too large")
	errTooMany     = errors.New("too many documents")
)

// maxBody bounds a whole post: every document at its largest plus the text.
const maxBody = service.PortalMaxFiles*service.PortalMaxFileBytes + 1<<20

// readForm checks the origin, then reads a urlencoded or multipart form
// and the documents in its "documents" field (empty file inputs are
// skipped). Each document is read only up to one byte past its limit, so
// the service can name an oversized one.
func (p *Portal) readForm(w http.ResponseWriter, r *http.Request) (*postedForm, error) {
	if err := p.cop.Check(r); err != nil {
		return nil, errCrossOrigin
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	err := r.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errTooLarge
	} else if err != nil {
		return nil, err
	}
	f := &postedForm{values: r.PostForm}
	if r.MultipartForm == nil {
		return f, nil
	}
	f.values = r.MultipartForm.Value
	var heads []*multipart.FileHeader
	for _, h := range r.MultipartForm.File["documents"] {
		if h.Filename != "" || h.Size > 0 {
			heads = append(heads, h)
		}
	}
	if len(heads) > service.PortalMaxFiles {
		return f, errTooMany
	}
	for _, h := range heads {
		file, err := h.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(file, service.PortalMaxFileBytes+1))
		file.Close()
		if err != nil {
			return nil, err
		}
		f.files = append(f.files, service.NewAttachment{Filename: h.Filename, ContentType: h.Header.Get("Content-Type"), Data: data})
	}
	return f, nil
}
