package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

type attachmentDTO struct {
	ID            int64   `json:"id"`
	CaseID        int64   `json:"case_id"`
	InteractionID *int64  `json:"interaction_id"`
	Filename      string  `json:"filename"`
	ContentType   string  `json:"content_type"`
	Size          int64   `json:"size"`
	SHA256        string  `json:"sha256"`
	Source        string  `json:"source"`
	CreatedAt     *string `json:"created_at"`
	URL           string  `json:"url"`
}

func toAttachment(x *care.Attachment) attachmentDTO {
	d := attachmentDTO{ID: x.ID, CaseID: x.CaseID, Filename: x.Filename, ContentType: x.ContentType, Size: x.Size,
		SHA256: x.SHA256, Source: x.Source, CreatedAt: stamp(x.CreatedAt), URL: fmt.Sprintf("/api/v1/attachments/%d", x.ID)}
	if x.InteractionID != 0 {
		d.InteractionID = &x.InteractionID
	}
	return d
}

// uploadAttachment keeps a file with a case: multipart/form-data with one
// part named "file" (and optionally "interaction_id").
func (a *API) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return care.Errorf(eMediaType, "Send the file as multipart/form-data with a part named \"file\".")
	}
	r.Body = http.MaxBytesReader(w, r.Body, care.MaxAttachmentSize+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return care.Errorf(care.ETOOLARGE, "Files may be at most %d MiB.", care.MaxAttachmentSize>>20)
		}
		return malformed("body", "is not a readable multipart form: %v", err)
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return malformed("file", "is required (a form part named \"file\")")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	in := service.NewAttachment{Filename: hdr.Filename, ContentType: hdr.Header.Get("Content-Type"), Data: data}
	if v := r.FormValue("interaction_id"); v != "" {
		if in.InteractionID, err = strconv.ParseInt(v, 10, 64); err != nil || in.InteractionID <= 0 {
			return malformed("interaction_id", "must be an interaction id")
		}
	}
	att, err := a.svc.AddAttachment(r.Context(), r.PathValue("key"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", toAttachment(att).URL)
	return writeJSON(w, http.StatusCreated, toAttachment(att))
}

// listAttachments answers a case's files.
func (a *API) listAttachments(w http.ResponseWriter, r *http.Request) error {
	atts, err := a.svc.FindAttachments(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	items := make([]attachmentDTO, len(atts))
	for i, x := range atts {
		items[i] = toAttachment(x)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// downloadAttachment answers a file's bytes, always as a download: a file a
// customer sent must never render in the desk's origin.
func (a *API) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	att, data, err := a.svc.FindAttachment(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", att.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename}))
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(data)
	return err
}
