package portal

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/webasset"
)

//go:embed templates static
var files embed.FS

// templates holds each page, a clone of the layout with its own "content".
type templates struct {
	byName map[string]*template.Template
	assets *webasset.Set
}

func parseTemplates() (*templates, error) {
	a, err := webasset.Load(files, "static", Prefix+"static/")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset": a.URL,
		"date": func(t time.Time, zone string) string {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				loc = time.UTC
			}
			return t.In(loc).Format("2 January 2006")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("portal: parse layout: %w", err)
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{byName: map[string]*template.Template{}, assets: a}
	for _, f := range pages {
		pt, err := template.Must(base.Clone()).ParseFS(files, f)
		if err != nil {
			return nil, fmt.Errorf("portal: parse %s: %w", f, err)
		}
		t.byName[strings.TrimSuffix(path.Base(f), ".html")] = pt
	}
	return t, nil
}

// page is what every template receives.
type page struct {
	Title   string
	Name    string // the firm's name
	CSRF    string
	Private bool // the page shows personal data: never cache it
	Data    any
}

// render writes a page with status, rendered into a buffer first so a
// template error becomes the error page rather than half a page.
func (p *Portal) render(w http.ResponseWriter, r *http.Request, status int, name string, pg *page) {
	pg.Name = p.opts.Name
	t, ok := p.tmpl.byName[name]
	var buf bytes.Buffer
	err := fmt.Errorf("no template %q", name)
	if ok {
		err = t.ExecuteTemplate(&buf, "layout", pg)
	}
	if err != nil {
		if name != "error" {
			p.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
			return
		}
		p.log.Error("portal: render error page", "err", err)
		http.Error(w, "Something went wrong on our side. Please try again later.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if pg.Private || r.Method != http.MethodGet {
		// Confirmations and status pages carry personal data: never let a
		// shared computer's cache or back button keep them. Blank forms may
		// be cached, so Back after an error still shows what was typed.
		w.Header().Set("Cache-Control", "no-store")
	} else {
		w.Header().Set("Cache-Control", "private, no-cache")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorData is the error page's data.
type errorData struct {
	Status  int
	Heading string
	Message string
	Ref     string
}

func (p *Portal) renderError(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	p.render(w, r, status, "error", &page{Title: heading, Data: errorData{Status: status, Heading: heading, Message: message}})
}

// serverError logs cause once with a reference and shows that reference,
// never the cause.
func (p *Portal) serverError(w http.ResponseWriter, r *http.Request, cause error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	d := errorData{Status: http.StatusInternalServerError, Ref: hex.EncodeToString(b), Heading: "Sorry, something went wrong",
		Message: "Something went wrong on our side and nothing was saved. Please try again in a few minutes; if it keeps happening, phone us and quote the reference below."}
	if care.ErrorCode(cause) == care.EUNAVAILABLE {
		d.Status = http.StatusServiceUnavailable
	}
	p.log.Error("portal: request failed", "method", r.Method, "path", r.URL.Path, "ref", d.Ref, "err", cause)
	p.render(w, r, d.Status, "error", &page{Title: d.Heading, Data: d})
}

func (p *Portal) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		p.renderError(w, r, http.StatusMethodNotAllowed, "That did not work", "This address does not accept "+r.Method+" requests.")
		return
	}
	p.renderError(w, r, http.StatusNotFound, "Page not found",
		"There is nothing at this address. Check the link, or start again from the contact page.")
}
