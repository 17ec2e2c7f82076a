package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// templatesData is the list of letter templates in use.
type templatesData struct {
	Templates []*care.LetterTemplate
}

// KindLabel names a letter kind.
func (d *templatesData) KindLabel(kind string) string { return care.LetterKindLabel(kind) }

// letterTemplates answers GET /admin/templates: the template in use for
// every kind of letter, regime and language (administrators).
func (ui *UI) letterTemplates(w http.ResponseWriter, r *http.Request) {
	if !care.ActorFromContext(r.Context()).Can(care.PermConfigAdmin) {
		ui.renderError(w, r, http.StatusForbidden, "")
		return
	}
	ts, err := ui.svc.FindLetterTemplates(r.Context())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, http.StatusOK, "letter-templates", &page{Title: "Letter templates", Nav: "admin", Data: &templatesData{Templates: ts}})
}

// templateData is one template's edit page: the version in use in a form,
// its history, and the chosen version compared with the one before it.
type templateData struct {
	Current  *care.LetterTemplate
	Versions []*care.LetterTemplate
	Shown    *care.LetterTemplate // the version compared
	Diff     []diffLine           // Shown against the version before it
	Form     form
	Saved    bool
}

// KindLabel names a letter kind.
func (d *templateData) KindLabel(kind string) string { return care.LetterKindLabel(kind) }

// BlockLabel says what a mandatory block holds.
func (d *templateData) BlockLabel(block string) string { return care.BlockLabel(block) }

// Mandatory lists the blocks the template must contain.
func (d *templateData) Mandatory() []string {
	return care.MandatoryBlocks(d.Current.Kind, d.Current.Regime)
}

// letterTemplate answers GET /admin/templates/{kind}/{regime}/{lang}.
func (ui *UI) letterTemplate(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.URL.Query().Get("version"))
	d, err := ui.loadTemplate(r, version)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Form = newForm()
	d.Form.Values["subject"], d.Form.Values["body"] = d.Current.Subject, d.Current.Body
	d.Saved = r.URL.Query().Get("saved") != ""
	ui.showTemplate(w, r, http.StatusOK, d)
}

func (ui *UI) loadTemplate(r *http.Request, version int) (*templateData, error) {
	ctx := r.Context()
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	kind, regime, lang := r.PathValue("kind"), r.PathValue("regime"), r.PathValue("lang")
	vs, err := ui.svc.FindLetterTemplateVersions(ctx, kind, regime, lang)
	if err != nil {
		return nil, err
	}
	d := &templateData{Current: vs[0], Versions: vs, Shown: vs[0]}
	for _, v := range vs {
		if v.Version == version {
			d.Shown = v
		}
	}
	for i, v := range vs {
		if v == d.Shown && i+1 < len(vs) {
			d.Diff = lineDiff(vs[i+1].Body, v.Body)
		}
	}
	return d, nil
}

func (ui *UI) showTemplate(w http.ResponseWriter, r *http.Request, status int, d *templateData) {
	title := care.LetterKindLabel(d.Current.Kind) + " · " + d.Current.Regime + " · " + d.Current.Language
	ui.render(w, r, status, "letter-template", &page{Title: title, Nav: "admin", Data: d})
}

// saveTemplate answers POST /admin/templates/{kind}/{regime}/{lang}: the
// edit becomes the next version.
func (ui *UI) saveTemplate(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "subject", "note")
	f.Values["body"] = r.PostForm.Get("body")
	t := &care.LetterTemplate{Kind: r.PathValue("kind"), Regime: r.PathValue("regime"), Language: r.PathValue("lang"),
		Subject: f.Get("subject"), Body: f.Get("body"), Note: f.Get("note")}
	err := ui.svc.SaveLetterTemplate(r.Context(), t)
	if err == nil {
		http.Redirect(w, r, "/admin/templates/"+t.Kind+"/"+t.Regime+"/"+t.Language+"?saved=1", http.StatusSeeOther)
		return
	}
	if care.ErrorCode(err) != care.EINVALID {
		ui.fail(w, r, err)
		return
	}
	d, lerr := ui.loadTemplate(r, 0)
	if lerr != nil {
		ui.fail(w, r, lerr)
		return
	}
	for _, fe := range care.ErrorFields(err) {
		if prev := f.Errors[fe.Field]; prev != "" {
			f.Errors[fe.Field] = prev + "; " + fe.Message
		} else {
			f.Errors[fe.Field] = fe.Message
		}
	}
	f.Error = care.ErrorMessage(err)
	d.Form = f
	ui.showTemplate(w, r, http.StatusUnprocessableEntity, d)
}

// diffLine is one line of a comparison: kept (" "), removed ("-") or
// added ("+").
type diffLine struct {
	Op, Text string
}

// lineDiff compares two texts line by line (longest common subsequence),
// which is enough to show what an edit of a letter changed.
func lineDiff(a, b string) []diffLine {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(x)*len(y) > 4_000_000 { // too large to compare: show both whole
		var out []diffLine
		for _, l := range x {
			out = append(out, diffLine{"-", l})
		}
		for _, l := range y {
			out = append(out, diffLine{"+", l})
		}
		return out
	}
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, diffLine{" ", x[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, diffLine{"-", x[i]})
			i++
		default:
			out = append(out, diffLine{"+", y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, diffLine{"-", x[i]})
	}
	for ; j < m; j++ {
		out = append(out, diffLine{"+", y[j]})
	}
	return out
}

// NextVersion is the number a save will take.
func (d *templateData) NextVersion() int {
	if d.Current.ID == 0 {
		return 2 // the built-in text is stored as version 1 first
	}
	return d.Current.Version + 1
}
