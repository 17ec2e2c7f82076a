package web

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
	"regexp"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/webasset"
)

//go:embed templates
var templateFS embed.FS

// pages holds every page template, each a clone of the layout with its own
// "content", parsed once by New.
type pages struct {
	byName map[string]*template.Template
}

// assetRef finds the static assets a template names, so New can refuse a
// template that links an asset which does not exist.
var assetRef = regexp.MustCompile(`asset "([^"]+)"`)

func checkAssetRefs(a *webasset.Set) error {
	return fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range assetRef.FindAllSubmatch(src, -1) {
			if _, err := a.URL(string(m[1])); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
		}
		return nil
	})
}

func parsePages(a *webasset.Set) (*pages, error) {
	if err := checkAssetRefs(a); err != nil {
		return nil, err
	}
	base, err := template.New("layout").Funcs(funcs(a)).ParseFS(templateFS, "templates/layout.html", "templates/parts/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		p.byName[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return p, nil
}

// funcs are the helpers templates may call.
func funcs(a *webasset.Set) template.FuncMap {
	return template.FuncMap{
		"asset": a.URL,
		"label": label,
		"utc": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2 Jan 2006 15:04 UTC")
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"ago": ago,
		"can": func(a care.Actor, p string) bool { return a.Can(care.Permission(p)) },
		"roleLabel": func(role string) string {
			if r := care.FindRole(role); r != nil {
				return r.Label
			}
			return label(role)
		},
		"selectArgs": func(form, name, lbl, value, err string, options []string, empty string) selectArgs {
			return selectArgs{Form: form, Name: name, Label: lbl, Value: value, Err: err, Options: options, Empty: empty}
		},
		"queueTable": func(rows []queueRow, names map[int64]string, sel bool, caption string) queueTable {
			return queueTable{Rows: rows, Names: names, Select: sel, Caption: caption}
		},
		"selectKey": func(form, name string) string { return selectKeys[form+"-"+name] },
		"adminField": func(id, name, lbl, typ string, f form) adminFieldArgs {
			return adminFieldArgs{ID: id, Name: name, Label: lbl, Type: typ, Form: f}
		},
		"closeStatuses": func() []string { return []string{"resolved", "closed"} },
		"tierName":      tierName,   // complaints.go
		"regimeName":    regimeName, // complaints.go
		"withTake":      func(csrf string, me int64, t queueTable) queueTable { t.TakeCSRF, t.Me = csrf, me; return t },
		"bulkArgs":      func(b bulkForm, csrf string) bulkArgs { return bulkArgs{Bulk: b, CSRF: csrf} },
		"initials": func(s string) string {
			var out []rune
			for _, w := range strings.Fields(s) {
				out = append(out, []rune(w)[0])
				if len(out) == 2 {
					break
				}
			}
			return strings.ToUpper(string(out))
		},
	}
}

// adminFieldArgs is the argument of the "admin-field" template.
type adminFieldArgs struct {
	ID, Name, Label, Type string
	Form                  form
}

// selectKeys are the keyboard shortcuts of the selects that have one.
var selectKeys = map[string]string{"contact-channel": "l", "update-status": "s"}

// queueTable is the argument of the "queue-table" template.
type queueTable struct {
	Rows    []queueRow
	Names   map[int64]string
	Select  bool // a tick box per row, for the bulk form
	Caption string
	// TakeCSRF, when set, gives unassigned rows a "Take" button (the
	// form's CSRF token): the viewer assigns the case to themselves.
	TakeCSRF string
	Me       int64
}

// bulkArgs is the argument of the "bulk-form" template.
type bulkArgs struct {
	Bulk bulkForm
	CSRF string
}

// selectArgs are the arguments of the "select" template.
type selectArgs struct {
	Form, Name, Label, Value, Err string
	Options                       []string
	Empty                         string // the label of an empty first option, "" for none
}

// label turns an enum value such as waiting_customer into "Waiting customer".
func label(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ago describes how long before now t was, in the rough terms people use.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d.Hours()))
	case d < 60*24*time.Hour:
		s = fmt.Sprintf("%d days", int(d.Hours()/24))
	default:
		s = fmt.Sprintf("%d months", int(d.Hours()/24/30))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// page is what every template receives: the layout's data and the page's
// own in Data.
type page struct {
	Title string
	Nav   string // the nav item to mark as current
	User  *care.User
	Actor care.Actor
	CSRF  string
	Flash string
	Now   time.Time
	Data  any
}

// render writes a page with status. It renders into a buffer first, so a
// template error becomes the error page rather than half a page.
func (ui *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if st := stateFrom(r.Context()); st != nil {
		p.User, p.Actor, p.CSRF = st.user, st.actor, st.sess.CSRF
	}
	p.Now = ui.now()
	if p.Flash == "" {
		p.Flash = ui.takeFlash(w, r)
	}
	t, ok := ui.pages.byName[name]
	var buf bytes.Buffer
	err := fmt.Errorf("no template %q", name)
	if ok {
		err = t.ExecuteTemplate(&buf, "layout", p)
	}
	if err != nil {
		if name != "error" {
			ui.serverError(w, r, http.StatusInternalServerError, fmt.Errorf("render %s: %w", name, err))
			return
		}
		ui.log.Error("web: render error page", "err", err)
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages carry personal data: never let a shared cache or the back button
	// of a shared workstation keep them.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorData is the error page's data.
type errorData struct {
	Status  int
	Heading string
	Message string
	Ref     string // quoted to support staff; matches the log line
}

// renderError shows the friendly error page for a status below 500 with
// message (a default one when empty).
func (ui *UI) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	d := errorData{Status: status, Heading: "That request could not be used", Message: message}
	switch status {
	case http.StatusNotFound:
		d.Heading = "Not found"
		if message == "" {
			d.Message = "There is nothing at this address. Check the link, or find the case from the case list."
		}
	case http.StatusForbidden:
		d.Heading = "Not allowed"
		if message == "" {
			d.Message = "Your role does not allow this. Ask a supervisor or an administrator if you need it."
		}
	}
	ui.render(w, r, status, "error", &page{Title: d.Heading, Data: d})
}

// serverError logs cause once, with a reference, and shows the error page
// with that reference but never the cause itself.
func (ui *UI) serverError(w http.ResponseWriter, r *http.Request, status int, cause any) {
	d := errorData{Status: status, Ref: newRef(), Heading: "Something went wrong",
		Message: "Something went wrong on our side and has been logged. Try again; if it keeps happening, quote the reference below to support."}
	if status == http.StatusServiceUnavailable {
		d.Heading, d.Message = "caredesk is unavailable", "The database cannot be reached right now. Try again in a minute."
	}
	ui.log.Error("web: request failed", "method", r.Method, "path", r.URL.Path, "status", status, "ref", d.Ref, "err", cause)
	ui.render(w, r, status, "error", &page{Title: d.Heading, Data: d})
}

// fail shows the error page for a service error.
func (ui *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch status := errorStatus(err); {
	case status == http.StatusUnauthorized:
		ui.redirectToSignIn(w, r)
	case status >= 500:
		ui.serverError(w, r, status, err)
	default:
		ui.renderError(w, r, status, care.ErrorMessage(err))
	}
}

// notFound answers every address no route claims. A post to a page that
// only shows things is refused as such rather than reported missing.
func (ui *UI) notFound(w http.ResponseWriter, r *http.Request) {
	if !isSafe(r.Method) {
		w.Header().Set("Allow", "GET, HEAD")
		ui.renderError(w, r, http.StatusMethodNotAllowed, "This address does not accept "+r.Method+" requests.")
		return
	}
	ui.renderError(w, r, http.StatusNotFound, "")
}

func newRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
