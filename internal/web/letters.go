package web

import (
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// lettersData is the letters page of a complaint: the letters sent, and a
// form that previews, checks and sends the next one.
type lettersData struct {
	V        *service.ComplaintView
	Letters  []*care.Letter
	Kinds    []string
	Form     form
	Draft    *service.LetterDraft
	Problems []care.FieldError // the pre-send check's, with the form's own errors
	CanAct   bool
	CanPDF   bool
	Regime   string
	Sent     *care.Letter // the letter just sent, for the confirmation
}

// KindLabel names a letter kind.
func (d *lettersData) KindLabel(kind string) string { return care.LetterKindLabel(kind) }

// Field reports whether kind uses the handler's field name, so the form
// shows only what the letter can use.
func (d *lettersData) Field(name string) bool {
	kind := d.Form.Get("kind")
	switch name {
	case "reasons", "expected_date":
		return kind == care.LetterHolding
	case "terms_relied_on":
		return kind == care.LetterFinalResponse
	case "resolution":
		return kind == care.LetterSummaryResolution
	case "next_steps":
		return kind == care.LetterAcknowledgement || kind == care.LetterFinalResponse
	case "contact_name":
		return kind == care.LetterAcknowledgement
	case "referral_body":
		return kind != care.LetterAcknowledgement
	}
	return true
}

// BlockLabel says what a block holds.
func (d *lettersData) BlockLabel(block string) string { return care.BlockLabel(block) }

var letterFormFields = []string{"kind", "channel", "reasons", "expected_date", "terms_relied_on", "next_steps", "resolution",
	"referral_body", "contact_name", "extra"}

// suggestedKind is the letter a complaint most likely needs next.
func suggestedKind(k *care.Complaint) string {
	if k.Stage == care.StageReceived {
		return care.LetterAcknowledgement
	}
	return care.LetterFinalResponse
}

// lettersPage answers GET /complaints/{key}/letters: the letters sent,
// and a preview of the next one as it stands, with what it still lacks.
func (ui *UI) lettersPage(w http.ResponseWriter, r *http.Request) {
	d, err := ui.lettersFor(r)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Form = newForm()
	d.Form.Values["kind"] = r.URL.Query().Get("kind")
	if d.Form.Values["kind"] == "" || !slices.Contains(d.Kinds, d.Form.Values["kind"]) {
		d.Form.Values["kind"] = suggestedKind(d.V.Complaint)
	}
	d.Form.Values["channel"] = "email"
	if d.CanAct {
		ui.preview(r, d)
	}
	if r.URL.Query().Get("sent") != "" {
		id, _ := strconv.ParseInt(r.URL.Query().Get("sent"), 10, 64)
		for _, l := range d.Letters {
			if l.ID == id {
				d.Sent = l
			}
		}
	}
	ui.showLetters(w, r, http.StatusOK, d)
}

func (ui *UI) lettersFor(r *http.Request) (*lettersData, error) {
	ctx := r.Context()
	actor := care.ActorFromContext(ctx)
	v, err := ui.svc.FindComplaint(ctx, r.PathValue("key"))
	if err != nil {
		return nil, err
	}
	ls, err := ui.svc.FindLetters(ctx, v.Case.Reference)
	if err != nil {
		return nil, err
	}
	regime := care.LetterRegimeFor(v.Case.Regimes)
	return &lettersData{V: v, Letters: ls, Kinds: care.LetterKindsFor(regime), Regime: regime,
		CanAct: actor.Can(service.PermComplaintAct) && actor.Can(care.PermInteractionWrite),
		CanPDF: actor.Can(care.PermInteractionRead)}, nil
}

func (ui *UI) showLetters(w http.ResponseWriter, r *http.Request, status int, d *lettersData) {
	ui.render(w, r, status, "letters", &page{Title: "Letters · " + d.V.Case.Reference, Nav: "complaints", Data: d})
}

// letterRequest reads the letter form.
func letterRequest(f form) service.LetterRequest {
	req := service.LetterRequest{Kind: f.Get("kind"), Channel: f.Get("channel"), Fields: map[string]string{}}
	for _, k := range letterFormFields[2:] {
		if v := f.Get(k); v != "" {
			req.Fields[k] = v
		}
	}
	return req
}

// preview renders the draft of the form's letter, keeping a bad field's
// error on the form.
func (ui *UI) preview(r *http.Request, d *lettersData) {
	draft, err := ui.svc.PreviewLetter(r.Context(), d.V.Case.Reference, letterRequest(d.Form))
	if err != nil {
		d.formError(err)
		return
	}
	d.Draft, d.Problems = draft, draft.Problems
}

// formError puts an error on the form: a field's message beside it, or
// the message at the top.
func (d *lettersData) formError(err error) {
	fs := care.ErrorFields(err)
	for _, fe := range fs {
		name := strings.TrimPrefix(fe.Field, "fields.")
		if slices.Contains(letterFormFields, name) {
			d.Form.Errors[name] = fe.Message
		}
		if strings.HasPrefix(fe.Field, "blocks.") {
			d.Problems = append(d.Problems, fe)
		}
	}
	if len(fs) == 0 || len(d.Problems) == 0 {
		d.Form.Error = care.ErrorMessage(err)
	}
}

// letterAction answers POST /complaints/{key}/letters (send, or mark for
// post) and POST /complaints/{key}/letters/preview.
func (ui *UI) letterAction(w http.ResponseWriter, r *http.Request) {
	d, err := ui.lettersFor(r)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	if !d.CanAct {
		ui.renderError(w, r, http.StatusForbidden, "")
		return
	}
	d.Form = formOf(r, letterFormFields...)
	if strings.HasSuffix(r.URL.Path, "/preview") {
		ui.preview(r, d)
		ui.showLetters(w, r, http.StatusOK, d)
		return
	}
	l, err := ui.svc.SendLetter(r.Context(), d.V.Case.Reference, letterRequest(d.Form))
	if err != nil {
		switch care.ErrorCode(err) {
		case care.EINVALID, care.EPRECONDITION, care.ECONFLICT, care.ENOTFOUND:
		default:
			ui.fail(w, r, err)
			return
		}
		ui.preview(r, d)
		d.formError(err)
		ui.showLetters(w, r, errorStatus(err), d)
		return
	}
	http.Redirect(w, r, "/complaints/"+d.V.Case.Reference+"/letters?sent="+strconv.FormatInt(l.ID, 10)+"#sent",
		http.StatusSeeOther)
}

// letterPDF answers GET /complaints/{key}/letters/{id}/pdf: the PDF kept
// with the case, as a download.
func (ui *UI) letterPDF(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		ui.renderError(w, r, http.StatusNotFound, "")
		return
	}
	_, a, data, err := ui.svc.FindLetterPDF(r.Context(), r.PathValue("key"), id)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// letterArea is one text field of the letter form.
type letterArea struct {
	Name, Label string
	F           form
}

// Area describes a text field of the form for the "letter-area" template.
func (d *lettersData) Area(name, label string) letterArea {
	return letterArea{Name: name, Label: label, F: d.Form}
}
