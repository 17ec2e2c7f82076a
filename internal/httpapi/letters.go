package httpapi

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

type letterTemplateDTO struct {
	Kind       string   `json:"kind"`
	Regime     string   `json:"regime"`
	Language   string   `json:"language"`
	Version    int      `json:"version"`
	Builtin    bool     `json:"builtin"`
	Subject    string   `json:"subject"`
	Body       string   `json:"body"`
	Mandatory  []string `json:"mandatory_blocks"`
	Note       string   `json:"note"`
	AuthorID   *int64   `json:"author_id"`
	AuthorName string   `json:"author_name"`
	CreatedAt  *string  `json:"created_at"`
}

func toLetterTemplate(t *care.LetterTemplate) letterTemplateDTO {
	m := t.Mandatory
	if m == nil {
		m = []string{}
	}
	return letterTemplateDTO{Kind: t.Kind, Regime: t.Regime, Language: t.Language, Version: t.Version, Builtin: t.ID == 0,
		Subject: t.Subject, Body: t.Body, Mandatory: m, Note: t.Note, AuthorID: ref(t.AuthorID), AuthorName: t.AuthorName,
		CreatedAt: stamp(t.CreatedAt)}
}

func toLetterTemplates(ts []*care.LetterTemplate) map[string][]letterTemplateDTO {
	out := make([]letterTemplateDTO, len(ts))
	for i, t := range ts {
		out[i] = toLetterTemplate(t)
	}
	return map[string][]letterTemplateDTO{"items": out}
}

func (a *API) listLetterTemplates(w http.ResponseWriter, r *http.Request) error {
	ts, err := a.svc.FindLetterTemplates(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toLetterTemplates(ts))
}

func (a *API) getLetterTemplate(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	version := q.id("version")
	if err := q.err(); err != nil {
		return err
	}
	t, err := a.svc.FindLetterTemplate(r.Context(), r.PathValue("kind"), r.PathValue("regime"), r.PathValue("lang"), int(version))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toLetterTemplate(t))
}

func (a *API) listLetterTemplateVersions(w http.ResponseWriter, r *http.Request) error {
	ts, err := a.svc.FindLetterTemplateVersions(r.Context(), r.PathValue("kind"), r.PathValue("regime"), r.PathValue("lang"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toLetterTemplates(ts))
}

type letterTemplateInput struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Note    string `json:"note"`
}

func (a *API) saveLetterTemplate(w http.ResponseWriter, r *http.Request) error {
	var in letterTemplateInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	t := &care.LetterTemplate{Kind: r.PathValue("kind"), Regime: r.PathValue("regime"), Language: r.PathValue("lang"),
		Subject: in.Subject, Body: in.Body, Note: in.Note}
	if err := a.svc.SaveLetterTemplate(r.Context(), t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toLetterTemplate(t))
}

type letterDTO struct {
	ID              int64             `json:"id"`
	Kind            string            `json:"kind"`
	Regime          string            `json:"regime"`
	Language        string            `json:"language"`
	TemplateVersion int               `json:"template_version"`
	Subject         string            `json:"subject"`
	Body            string            `json:"body"`
	Fields          map[string]string `json:"fields"`
	Status          string            `json:"status"`
	Channel         string            `json:"channel"`
	To              string            `json:"to"`
	AttachmentID    *int64            `json:"attachment_id"`
	InteractionID   *int64            `json:"interaction_id"`
	PDF             string            `json:"pdf"`
	SentBy          *int64            `json:"sent_by"`
	SentByName      string            `json:"sent_by_name"`
	SentAt          *string           `json:"sent_at"`
}

func toLetter(key string, l *care.Letter) letterDTO {
	f := l.Fields
	if f == nil {
		f = map[string]string{}
	}
	return letterDTO{ID: l.ID, Kind: l.Kind, Regime: l.Regime, Language: l.Language, TemplateVersion: l.TemplateVersion,
		Subject: l.Subject, Body: l.Body, Fields: f, Status: l.Status, Channel: l.Channel, To: l.To,
		AttachmentID: ref(l.AttachmentID), InteractionID: ref(l.InteractionID),
		PDF:    "/api/v1/complaints/" + key + "/letters/" + strconv.FormatInt(l.ID, 10) + "/pdf",
		SentBy: ref(l.SentBy), SentByName: l.SentByName, SentAt: stamp(l.SentAt)}
}

type letterInput struct {
	Kind     string            `json:"kind"`
	Channel  string            `json:"channel"`
	Regime   string            `json:"regime"`
	Language string            `json:"language"`
	Fields   map[string]string `json:"fields"`
}

func (in letterInput) request() service.LetterRequest {
	return service.LetterRequest{Kind: in.Kind, Channel: in.Channel, Regime: in.Regime, Language: in.Language, Fields: in.Fields}
}

type problemFieldDTO struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type letterPreviewDTO struct {
	Kind            string            `json:"kind"`
	Regime          string            `json:"regime"`
	Language        string            `json:"language"`
	TemplateVersion int               `json:"template_version"`
	Subject         string            `json:"subject"`
	Body            string            `json:"body"`
	To              string            `json:"to"`
	MandatoryBlocks []string          `json:"mandatory_blocks"`
	Problems        []problemFieldDTO `json:"problems"`
	CanSend         bool              `json:"can_send"`
	ReferralBodies  []referralBodyDTO `json:"referral_bodies"`
}

func (a *API) previewLetter(w http.ResponseWriter, r *http.Request) error {
	var in letterInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	d, err := a.svc.PreviewLetter(r.Context(), r.PathValue("key"), in.request())
	if err != nil {
		return err
	}
	l := d.Letter
	out := letterPreviewDTO{Kind: l.Kind, Regime: l.Regime, Language: l.Language, TemplateVersion: l.TemplateVersion,
		Subject: l.Subject, Body: l.Body, To: l.To, MandatoryBlocks: d.Blocks, Problems: []problemFieldDTO{},
		CanSend: len(d.Problems) == 0 && in.Channel != "", ReferralBodies: []referralBodyDTO{}}
	for _, p := range d.Problems {
		out.Problems = append(out.Problems, problemFieldDTO{Field: p.Field, Message: p.Message})
	}
	for _, b := range d.ReferralBodies {
		out.ReferralBodies = append(out.ReferralBodies, referralBodyDTO{Code: b.Code, Name: b.Name, Regime: b.Regime})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) sendLetter(w http.ResponseWriter, r *http.Request) error {
	var in letterInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	key := r.PathValue("key")
	l, err := a.svc.SendLetter(r.Context(), key, in.request())
	if err != nil {
		return err
	}
	return created(w, "/api/v1/complaints/"+key+"/letters/"+strconv.FormatInt(l.ID, 10), toLetter(key, l))
}

func (a *API) listLetters(w http.ResponseWriter, r *http.Request) error {
	key := r.PathValue("key")
	ls, err := a.svc.FindLetters(r.Context(), key)
	if err != nil {
		return err
	}
	out := make([]letterDTO, len(ls))
	for i, l := range ls {
		out[i] = toLetter(key, l)
	}
	return writeJSON(w, http.StatusOK, map[string][]letterDTO{"items": out})
}

func (a *API) getLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	ls, err := a.svc.FindLetters(r.Context(), key)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if l.ID == id {
			return writeJSON(w, http.StatusOK, toLetter(key, l))
		}
	}
	return care.Errorf(care.ENOTFOUND, "No letter %d on %s.", id, key)
}

func (a *API) downloadLetterPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, att, data, err := a.svc.FindLetterPDF(r.Context(), r.PathValue("key"), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename}))
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(data)
	return err
}
