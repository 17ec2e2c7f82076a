package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/caredesk/caredesk/internal/care"
)

// Error codes that only the HTTP transport produces. They travel in
// *care.Error like the domain's codes, so statusOf stays the one place that
// picks a status.
const (
	eMalformed = "malformed"              // the body or query cannot be parsed at all
	eMediaType = "unsupported_media_type" // the body is not JSON
	eMethod    = "method_not_allowed"     // the route exists, the method does not
)

// problemTypePrefix prefixes the error code to form a problem's "type" URI.
const problemTypePrefix = "urn:caredesk:problem:"

// statusOf is the one place that maps an error code to an HTTP status.
// Validation failures (the request was understood but is wrong) are 422;
// requests that cannot be parsed are 400.
func statusOf(code string) int {
	switch code {
	case eMalformed:
		return http.StatusBadRequest
	case care.EINVALID:
		return http.StatusUnprocessableEntity
	case care.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case care.EFORBIDDEN:
		return http.StatusForbidden
	case care.ENOTFOUND:
		return http.StatusNotFound
	case eMethod:
		return http.StatusMethodNotAllowed
	case care.ECONFLICT, care.EPRECONDITION:
		return http.StatusConflict
	case care.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case eMediaType:
		return http.StatusUnsupportedMediaType
	case care.ERATELIMIT:
		return http.StatusTooManyRequests
	case care.ENOTIMPLEMENTED:
		return http.StatusNotImplemented
	case care.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// problem is an RFC 9457 problem details object.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []fieldProblem `json:"errors,omitempty"`
}

// fieldProblem names one offending input field.
type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// fail answers err as a problem. Internal errors are logged here, once, and
// shown without detail.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := care.ErrorCode(err)
	if code == care.EINTERNAL {
		code, err = a.internal(r, err)
	}
	status := statusOf(code)
	p := problem{Type: problemTypePrefix + code, Title: http.StatusText(status), Status: status,
		Instance: r.URL.Path}
	if code != care.EINTERNAL {
		p.Detail = care.ErrorMessage(err)
	}
	for _, f := range care.ErrorFields(err) {
		p.Errors = append(p.Errors, fieldProblem{Field: f.Field, Message: f.Message})
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Del("Content-Length")
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="caredesk"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// internal logs an unexpected error and returns the code to answer with. A
// request abandoned by its client is not a fault of ours and is not logged as one.
func (a *API) internal(r *http.Request, err error) (string, error) {
	switch {
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		a.log.Debug("request canceled by client", "method", r.Method, "path", r.URL.Path)
		return care.EUNAVAILABLE, care.Errorf(care.EUNAVAILABLE, "The request was canceled.")
	case errors.Is(err, context.DeadlineExceeded):
		a.log.Warn("request timed out", "method", r.Method, "path", r.URL.Path, "err", err)
		return care.EUNAVAILABLE, care.Errorf(care.EUNAVAILABLE, "The request took too long; try again.")
	}
	a.log.Error("internal error", "method", r.Method, "path", r.URL.Path,
		"actor", care.ActorFromContext(r.Context()).String(), "err", err)
	return care.EINTERNAL, err
}

// writeJSON encodes v with the given status. It marshals before writing
// anything, so a failure still becomes a problem rather than half a body.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// created answers 201 with a Location header.
func created(w http.ResponseWriter, location string, v any) error {
	if location != "" {
		w.Header().Set("Location", location)
	}
	return writeJSON(w, http.StatusCreated, v)
}
