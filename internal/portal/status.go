package portal

import (
	"errors"
	"net/http"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// statusData is the status page's data: the check form, or the view.
type statusData struct {
	Reference, Factor string
	Errors            []fieldError
	Err               map[string]string
	NoMatch           string
	View              *service.PublicCaseView
	Flash             string
	MaxFiles, MaxMB   int
}

func newStatusData() statusData {
	return statusData{Err: map[string]string{}, MaxFiles: service.PortalMaxFiles, MaxMB: service.PortalMaxFileBytes >> 20}
}

func (p *Portal) statusForm(w http.ResponseWriter, r *http.Request) {
	d := newStatusData()
	d.Reference = strings.TrimSpace(r.URL.Query().Get("reference"))
	p.render(w, r, http.StatusOK, "status", &page{Title: "Check progress", CSRF: p.csrfToken(w, r), Data: d})
}

// formRefusal explains why a form post was not read; it reports whether it
// wrote a response.
func (p *Portal) formRefusal(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, errCrossOrigin):
		p.renderError(w, r, http.StatusForbidden, "This form was refused",
			"The form was sent from another website, so we did not accept it. Please use the form on our own site.")
	case errors.Is(err, errTooLarge):
		p.renderError(w, r, http.StatusRequestEntityTooLarge, "Your documents are too large",
			"Together your documents were larger than we can accept, so nothing was sent. Go back and send smaller files, or fewer at a time.")
	case errors.Is(err, errTooMany):
		return false
	default:
		p.renderError(w, r, http.StatusBadRequest, "The form could not be read",
			"Something in the form could not be read, so nothing was sent. Please go back and try again.")
	}
	return true
}

func (p *Portal) statusCheck(w http.ResponseWriter, r *http.Request) {
	f, err := p.readForm(w, r)
	if p.formRefusal(w, r, err) {
		return
	}
	d := newStatusData()
	d.Reference, d.Factor = strings.TrimSpace(f.value("reference")), strings.TrimSpace(f.value("factor"))
	if !p.validToken(r, f) {
		d.NoMatch = "For your security this form had expired. Please try again."
		p.render(w, r, http.StatusForbidden, "status", &page{Title: "Check progress", CSRF: p.csrfToken(w, r), Data: d})
		return
	}
	var pr care.Problems
	if d.Reference == "" {
		pr.Add("reference", "is required: it starts CD- and is in our acknowledgement")
	}
	if d.Factor == "" {
		pr.Add("factor", "is required")
	}
	if err := pr.Err(); err != nil {
		d.Errors, d.Err = problems(err)
		p.render(w, r, http.StatusUnprocessableEntity, "status", &page{Title: "Check progress", CSRF: p.csrfToken(w, r), Data: d})
		return
	}
	v, err := p.svc.PortalCaseStatus(p.withActor(r).Context(), d.Reference, d.Factor)
	p.showStatus(w, r, d, v, err)
}

// showStatus renders the view, or the one answer for every failed check.
func (p *Portal) showStatus(w http.ResponseWriter, r *http.Request, d statusData, v *service.PublicCaseView, err error) {
	switch care.ErrorCode(err) {
	case "":
		d.View = v
		p.render(w, r, http.StatusOK, "status", &page{Title: "Your " + v.Kind, CSRF: p.csrfToken(w, r), Private: true, Data: d})
	case care.ENOTFOUND:
		d.NoMatch, d.Factor = care.ErrorMessage(err), ""
		p.render(w, r, http.StatusNotFound, "status", &page{Title: "Check progress", CSRF: p.csrfToken(w, r), Data: d})
	default:
		p.serverError(w, r, err)
	}
}

func (p *Portal) addDocuments(w http.ResponseWriter, r *http.Request) {
	f, err := p.readForm(w, r)
	if p.formRefusal(w, r, err) {
		return
	}
	tooMany := errors.Is(err, errTooMany)
	d := newStatusData()
	d.Reference, d.Factor = strings.TrimSpace(f.value("reference")), strings.TrimSpace(f.value("factor"))
	ctx := p.withActor(r).Context()
	if !p.validToken(r, f) {
		d.NoMatch = "For your security this form had expired, so nothing was sent. Please check your request again."
		d.Factor = ""
		p.render(w, r, http.StatusForbidden, "status", &page{Title: "Check progress", CSRF: p.csrfToken(w, r), Data: d})
		return
	}
	var v *service.PublicCaseView
	if tooMany {
		err = care.Invalid("documents", "send at most %d documents at a time", service.PortalMaxFiles)
	} else {
		v, err = p.svc.AddPortalDocuments(ctx, d.Reference, d.Factor, f.files)
	}
	switch care.ErrorCode(err) {
	case "":
		d.Flash = "Thank you: we have received your documents and told the person handling your " + v.Kind + "."
		p.showStatus(w, r, d, v, nil)
		return
	case care.EINVALID, care.EPRECONDITION:
		if care.ErrorFields(err) != nil {
			d.Errors, d.Err = problems(err)
		} else {
			d.Errors = []fieldError{{ID: "documents", Message: care.ErrorMessage(err)}}
			d.Err["documents"] = care.ErrorMessage(err)
		}
		// Show the view again with the error beside the upload field.
		v, verr := p.svc.PortalCaseStatus(ctx, d.Reference, d.Factor)
		if verr != nil {
			p.showStatus(w, r, d, nil, verr)
			return
		}
		d.View = v
		p.render(w, r, http.StatusUnprocessableEntity, "status", &page{Title: "Your " + v.Kind, CSRF: p.csrfToken(w, r), Private: true, Data: d})
		return
	}
	p.showStatus(w, r, d, nil, err)
}
