package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// rawJSON passes stored JSON through; an empty text is an empty list.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("[]")
	}
	return json.RawMessage(s)
}

type evidenceDTO struct {
	ID            int64   `json:"id"`
	Kind          string  `json:"kind"`
	Note          string  `json:"note"`
	InteractionID *int64  `json:"interaction_id"`
	AttachmentID  *int64  `json:"attachment_id"`
	URL           string  `json:"url"`
	CreatedBy     *int64  `json:"created_by"`
	CreatedAt     *string `json:"created_at"`
}

func toEvidence(e *care.Evidence) evidenceDTO {
	return evidenceDTO{ID: e.ID, Kind: e.Kind, Note: e.Note, InteractionID: ref(e.InteractionID),
		AttachmentID: ref(e.AttachmentID), URL: e.URL, CreatedBy: ref(e.CreatedBy), CreatedAt: stamp(e.CreatedAt)}
}

type evidenceInput struct {
	Kind          string `json:"kind"`
	Note          string `json:"note"`
	InteractionID int64  `json:"interaction_id"`
	AttachmentID  int64  `json:"attachment_id"`
	URL           string `json:"url"`
}

func (a *API) addEvidence(w http.ResponseWriter, r *http.Request) error {
	var in evidenceInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	e := &care.Evidence{Kind: in.Kind, Note: in.Note, InteractionID: in.InteractionID, AttachmentID: in.AttachmentID, URL: in.URL}
	if err := a.svc.AddEvidence(r.Context(), r.PathValue("key"), e); err != nil {
		return err
	}
	return created(w, "/api/v1/complaints/"+r.PathValue("key"), toEvidence(e))
}

type requestDTO struct {
	ID         int64   `json:"id"`
	Team       string  `json:"team"`
	Question   string  `json:"question"`
	DueOn      *string `json:"due_on"`
	Status     string  `json:"status"`
	Overdue    bool    `json:"overdue"`
	Answer     string  `json:"answer"`
	CreatedBy  *int64  `json:"created_by"`
	CreatedAt  *string `json:"created_at"`
	AnsweredAt *string `json:"answered_at"`
}

func toRequest(t *care.TeamRequest, now time.Time) requestDTO {
	return requestDTO{ID: t.ID, Team: t.Team, Question: t.Question, DueOn: day(t.DueOn), Status: t.Status,
		Overdue: t.Overdue(now), Answer: t.Answer, CreatedBy: ref(t.CreatedBy), CreatedAt: stamp(t.CreatedAt),
		AnsweredAt: stamp(t.AnsweredAt)}
}

type requestInput struct {
	Team     string `json:"team"`
	Question string `json:"question"`
	DueOn    date   `json:"due_on"`
}

func (a *API) addTeamRequest(w http.ResponseWriter, r *http.Request) error {
	var in requestInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	t := &care.TeamRequest{Team: in.Team, Question: in.Question, DueOn: in.DueOn.Time}
	if err := a.svc.AddTeamRequest(r.Context(), r.PathValue("key"), t); err != nil {
		return err
	}
	return created(w, "/api/v1/complaints/"+r.PathValue("key"), toRequest(t, a.svc.Now()))
}

type requestPatch struct {
	Status optional[string] `json:"status"`
	Answer optional[string] `json:"answer"`
	DueOn  optional[date]   `json:"due_on"`
}

func (a *API) updateTeamRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in requestPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	upd := service.TeamRequestUpdate{Status: in.Status.ptr(), Answer: in.Answer.ptr()}
	if d := in.DueOn.ptr(); d != nil {
		upd.DueOn = &d.Time
	}
	t, err := a.svc.UpdateTeamRequest(r.Context(), r.PathValue("key"), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRequest(t, a.svc.Now()))
}

type outcomeInput struct {
	Outcome   string `json:"outcome"`
	Reasoning string `json:"reasoning"`
	RootCause string `json:"root_cause"`
}

type outcomeDTO struct {
	Outcome   string `json:"outcome"`
	Reasoning string `json:"reasoning"`
	RootCause string `json:"root_cause"`
}

func (a *API) setComplaintOutcome(w http.ResponseWriter, r *http.Request) error {
	var in outcomeInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	k, err := a.svc.SetComplaintOutcome(r.Context(), r.PathValue("key"),
		care.OutcomeDecision{Outcome: in.Outcome, Reasoning: in.Reasoning, RootCause: in.RootCause})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, outcomeDTO{Outcome: k.Outcome, Reasoning: k.OutcomeReasoning, RootCause: k.RootCause})
}

type redressDTO struct {
	ID         int64   `json:"id"`
	Kind       string  `json:"kind"`
	Amount     string  `json:"amount"`
	Currency   string  `json:"currency"`
	Status     string  `json:"status"`
	PaymentRef string  `json:"payment_ref"`
	PaidAt     *string `json:"paid_at"`
	Note       string  `json:"note"`
	CreatedAt  *string `json:"created_at"`
}

func toRedress(d *care.Redress) redressDTO {
	return redressDTO{ID: d.ID, Kind: d.Kind, Amount: care.FormatMoney(d.AmountMinor), Currency: d.Currency,
		Status: d.Status, PaymentRef: d.PaymentRef, PaidAt: stamp(d.PaidAt), Note: d.Note, CreatedAt: stamp(d.CreatedAt)}
}

type redressInput struct {
	Kind       string    `json:"kind"`
	Amount     money     `json:"amount"`
	Currency   string    `json:"currency"`
	Status     string    `json:"status"`
	PaymentRef string    `json:"payment_ref"`
	PaidAt     timestamp `json:"paid_at"`
	Note       string    `json:"note"`
}

func (a *API) addRedress(w http.ResponseWriter, r *http.Request) error {
	var in redressInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	amount, err := in.Amount.minor("amount")
	if err != nil {
		return err
	}
	d := &care.Redress{Kind: in.Kind, AmountMinor: amount, Currency: in.Currency, Status: in.Status,
		PaymentRef: in.PaymentRef, PaidAt: in.PaidAt.Time, Note: in.Note}
	if err := a.svc.AddRedress(r.Context(), r.PathValue("key"), d); err != nil {
		return err
	}
	return created(w, "/api/v1/complaints/"+r.PathValue("key"), toRedress(d))
}

type redressPatch struct {
	Status     optional[string]    `json:"status"`
	PaymentRef optional[string]    `json:"payment_ref"`
	PaidAt     optional[timestamp] `json:"paid_at"`
}

func (a *API) updateRedress(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in redressPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	upd := service.RedressUpdate{Status: in.Status.ptr(), PaymentRef: in.PaymentRef.ptr()}
	if t := in.PaidAt.ptr(); t != nil {
		upd.PaidAt = &t.Time
	}
	d, err := a.svc.UpdateRedress(r.Context(), r.PathValue("key"), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRedress(d))
}

type capaDTO struct {
	ID                  int64   `json:"id"`
	Kind                string  `json:"kind"`
	Description         string  `json:"description"`
	OwnerID             int64   `json:"owner_id"`
	DueOn               *string `json:"due_on"`
	Status              string  `json:"status"`
	EffectivenessReview string  `json:"effectiveness_review"`
	Effective           string  `json:"effective"`
	ReviewedAt          *string `json:"reviewed_at"`
	CreatedAt           *string `json:"created_at"`
}

func toCAPA(c *care.CAPA) capaDTO {
	return capaDTO{ID: c.ID, Kind: c.Kind, Description: c.Description, OwnerID: c.OwnerID, DueOn: day(c.DueOn),
		Status: c.Status, EffectivenessReview: c.EffectivenessReview, Effective: c.Effective,
		ReviewedAt: stamp(c.ReviewedAt), CreatedAt: stamp(c.CreatedAt)}
}

type capaInput struct {
	Kind        string `json:"kind"`
	Description string `json:"description"`
	OwnerID     int64  `json:"owner_id"`
	DueOn       date   `json:"due_on"`
}

func (a *API) addCAPA(w http.ResponseWriter, r *http.Request) error {
	var in capaInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c := &care.CAPA{Kind: in.Kind, Description: in.Description, OwnerID: in.OwnerID, DueOn: in.DueOn.Time}
	if err := a.svc.AddCAPA(r.Context(), r.PathValue("key"), c); err != nil {
		return err
	}
	return created(w, "/api/v1/complaints/"+r.PathValue("key"), toCAPA(c))
}

type capaPatch struct {
	OwnerID             optional[int64]  `json:"owner_id"`
	DueOn               optional[date]   `json:"due_on"`
	Status              optional[string] `json:"status"`
	EffectivenessReview optional[string] `json:"effectiveness_review"`
	Effective           optional[string] `json:"effective"`
}

func (a *API) updateCAPA(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in capaPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	upd := service.CAPAUpdate{OwnerID: in.OwnerID.ptr(), Status: in.Status.ptr(),
		EffectivenessReview: in.EffectivenessReview.ptr(), Effective: in.Effective.ptr()}
	if d := in.DueOn.ptr(); d != nil {
		upd.DueOn = &d.Time
	}
	c, err := a.svc.UpdateCAPA(r.Context(), r.PathValue("key"), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCAPA(c))
}

type rootCauseDTO struct {
	Code     string `json:"code"`
	Category string `json:"category"`
	Label    string `json:"label"`
	Active   bool   `json:"active"`
}

func toRootCause(c *care.RootCause) rootCauseDTO {
	return rootCauseDTO{Code: c.Code, Category: c.Category, Label: c.Label, Active: c.Active}
}

func (a *API) listRootCauses(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindRootCauses(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[rootCauseDTO]{Items: mapAll(items, toRootCause)})
}

type rootCauseInput struct {
	Code     string `json:"code"`
	Category string `json:"category"`
	Label    string `json:"label"`
}

func (a *API) createRootCause(w http.ResponseWriter, r *http.Request) error {
	var in rootCauseInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c := &care.RootCause{Code: in.Code, Category: in.Category, Label: in.Label}
	if err := a.svc.CreateRootCause(r.Context(), c); err != nil {
		return err
	}
	return created(w, "/api/v1/complaint-root-causes", toRootCause(c))
}
