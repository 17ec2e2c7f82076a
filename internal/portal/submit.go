package portal

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// kindInfo is the wording of each kind of request.
type kindInfo struct {
	Kind, Heading, Intro, DescLabel, DescHint, Noun string
}

var kinds = map[string]kindInfo{
	"complaint": {Kind: "complaint", Noun: "complaint", Heading: "Make a complaint",
		Intro:     "Tell us what went wrong. We take every complaint seriously and will look into it fairly.",
		DescLabel: "What went wrong, and what would put it right?",
		DescHint:  "Include dates, names and anything we said or did. Do not include card or bank details."},
	"claim": {Kind: "claim", Noun: "claim", Heading: "Make a claim",
		Intro:     "Tell us about your loss as soon as you can, even if you do not have every detail yet.",
		DescLabel: "What happened?",
		DescHint:  "Describe the loss or damage, anyone else involved, and whether the police were told. Do not include card or bank details."},
	"enquiry": {Kind: "enquiry", Noun: "enquiry", Heading: "Ask a question",
		Intro:     "Ask us about your policy, a payment, or anything else.",
		DescLabel: "Your question",
		DescHint:  "Do not include card or bank details."},
}

// fields lists the form's fields in page order, with the label the error
// summary uses.
var fields = []struct{ id, label string }{
	{"name", "Full name"}, {"email", "Email address"}, {"phone", "Phone number"}, {"policy_number", "Policy number"},
	{"loss_date", "Date of the loss"}, {"loss_time", "Time of the loss"}, {"loss_place", "Where it happened"},
	{"summary", "Summary"}, {"description", "Description"}, {"documents", "Documents"},
	{"vulnerability_note", "Your circumstances"}, {"consent", "Consent"},
	{"reference", "Reference"}, {"factor", "Email address or policy number"},
	{"csat", "Satisfaction"}, {"nps", "Recommendation"}, {"ces", "Ease"},
}

// fieldError is one line of an error summary, linked to its field.
type fieldError struct{ ID, Message string }

// problems turns a service error into an error summary in page order and
// a message per field. Documents' errors (documents[2]) join under one.
func problems(err error) ([]fieldError, map[string]string) {
	byField := map[string]string{}
	for _, f := range care.ErrorFields(err) {
		id := f.Field
		if strings.HasPrefix(id, "documents[") {
			id = "documents"
		}
		if prev, ok := byField[id]; ok {
			byField[id] = prev + "; " + f.Message
		} else {
			byField[id] = f.Message
		}
	}
	var summary []fieldError
	for _, f := range fields {
		if m, ok := byField[f.id]; ok {
			msg := f.label + " " + m
			if f.id == "documents" {
				msg = "Documents: " + m
			}
			byField[f.id] = msg
			summary = append(summary, fieldError{ID: f.id, Message: msg})
		}
	}
	return summary, byField
}

// formData is the submission form's data.
type formData struct {
	kindInfo
	V          map[string]string
	Vulnerable bool
	Consent    bool
	Errors     []fieldError
	Err        map[string]string
	Notice     string // a problem with the whole form (expired, documents lost)
	Key        string // identifies this form, so sending it twice opens one case
	MaxFiles   int
	MaxMB      int
}

func newFormData(k kindInfo) formData {
	return formData{kindInfo: k, V: map[string]string{}, Err: map[string]string{}, Key: newKey(),
		MaxFiles: service.PortalMaxFiles, MaxMB: service.PortalMaxFileBytes >> 20}
}

// newKey returns a random form key.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// formKey keeps the posted form's key when it is one of ours in shape,
// and otherwise starts a new one.
func formKey(k string) string {
	if len(k) != 22 || strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return newKey()
	}
	return k
}

func (p *Portal) home(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "home", &page{Title: "Contact us"})
}

func (p *Portal) form(w http.ResponseWriter, r *http.Request) {
	k, ok := kinds[r.PathValue("kind")]
	if !ok {
		p.notFound(w, r)
		return
	}
	p.render(w, r, http.StatusOK, "form", &page{Title: k.Heading, CSRF: p.csrfToken(w, r), Data: newFormData(k)})
}

var formFields = []string{"name", "email", "phone", "policy_number", "loss_date", "loss_time", "loss_place",
	"summary", "description", "vulnerability_note"}

func (p *Portal) submitForm(w http.ResponseWriter, r *http.Request) {
	k, ok := kinds[r.PathValue("kind")]
	if !ok {
		p.notFound(w, r)
		return
	}
	f, err := p.readForm(w, r)
	d := newFormData(k)
	switch {
	case errors.Is(err, errCrossOrigin):
		p.renderError(w, r, http.StatusForbidden, "This form was refused",
			"The form was sent from another website, so we did not accept it. Please fill it in on our own site.")
		return
	case errors.Is(err, errTooLarge):
		p.renderError(w, r, http.StatusRequestEntityTooLarge, "Your documents are too large",
			"Together your documents were larger than we can accept, so nothing was sent. Use your browser's Back button: "+
				"what you typed is still there. Send smaller files, or fewer at a time, and try again.")
		return
	case err != nil && !errors.Is(err, errTooMany):
		p.renderError(w, r, http.StatusBadRequest, "The form could not be read",
			"Something in the form could not be read, so nothing was sent. Please go back and try again.")
		return
	}
	for _, name := range formFields {
		d.V[name] = f.value(name)
	}
	d.Vulnerable, d.Consent = f.value("vulnerable") != "", f.value("consent") != ""
	d.Key = formKey(f.value("key"))
	if errors.Is(err, errTooMany) {
		d.Errors, d.Err = problems(care.Invalid("documents", "send at most %d documents at a time", service.PortalMaxFiles))
		d.Notice = "Nothing has been sent yet. Please choose your documents again."
		p.render(w, r, http.StatusUnprocessableEntity, "form", &page{Title: k.Heading, CSRF: p.csrfToken(w, r), Data: d})
		return
	}
	if !p.validToken(r, f) {
		d.Notice = "For your security this form had expired, so it has not been sent yet. Check your details below" +
			" (and choose any documents again), then send it. This form needs cookies to be allowed."
		p.render(w, r, http.StatusForbidden, "form", &page{Title: k.Heading, CSRF: p.csrfToken(w, r), Data: d})
		return
	}
	in := service.PortalSubmission{Kind: k.Kind, Name: d.V["name"], Email: d.V["email"], Phone: d.V["phone"],
		PolicyNumber: d.V["policy_number"], Summary: d.V["summary"], Description: d.V["description"],
		LossDate: d.V["loss_date"], LossTime: d.V["loss_time"], LossPlace: d.V["loss_place"],
		Vulnerable:        d.Vulnerable || strings.TrimSpace(d.V["vulnerability_note"]) != "",
		VulnerabilityNote: d.V["vulnerability_note"], Consent: d.Consent, Files: f.files, Key: d.Key}
	rec, err := p.svc.SubmitFromPortal(p.withActor(r).Context(), in)
	if care.ErrorCode(err) == care.EINVALID {
		d.Errors, d.Err = problems(err)
		if len(f.files) > 0 {
			d.Notice = "Nothing has been sent yet. Please choose your documents again."
		}
		p.render(w, r, http.StatusUnprocessableEntity, "form", &page{Title: k.Heading, CSRF: p.csrfToken(w, r), Data: d})
		return
	} else if err != nil {
		p.serverError(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "received", &page{Title: "We have received your " + k.Noun, Private: true,
		Data: receivedData{Receipt: rec, Noun: k.Noun}})
}

// receivedData is the confirmation page's data.
type receivedData struct {
	Receipt *service.PortalReceipt
	Noun    string
}
