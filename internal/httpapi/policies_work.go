package httpapi

import (
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

type changeInput struct {
	Kind              string `json:"kind"`
	Details           string `json:"details"`
	EffectiveDate     date   `json:"effective_date"`
	PremiumAdjustment money  `json:"premium_adjustment"`
	Channel           string `json:"channel"`
}

func (a *API) createPolicyChange(w http.ResponseWriter, r *http.Request) error {
	var in changeInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	adj, err := in.PremiumAdjustment.minor("premium_adjustment")
	if err != nil {
		return err
	}
	x, err := a.svc.RequestPolicyChange(r.Context(), r.PathValue("key"), service.NewPolicyChange{Kind: in.Kind, Details: in.Details,
		EffectiveDate: in.EffectiveDate.Time, PremiumAdjustmentMinor: adj, Channel: in.Channel})
	if err != nil {
		return err
	}
	return created(w, "/api/v1/policies/"+strconv.FormatInt(x.PolicyID, 10)+"/changes/"+strconv.FormatInt(x.ID, 10), toChange(x))
}

func (a *API) listPolicyChanges(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindPolicyChanges(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[changeDTO]{Items: mapAll(items, toChange)})
}

type changeDecisionInput struct {
	Status            string `json:"status"`
	Reason            string `json:"reason"`
	PremiumAdjustment money  `json:"premium_adjustment"`
}

func (a *API) decidePolicyChange(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in changeDecisionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	d := service.PolicyChangeDecision{Status: in.Status, Reason: in.Reason}
	if in.PremiumAdjustment.set {
		adj, err := in.PremiumAdjustment.minor("premium_adjustment")
		if err != nil {
			return err
		}
		d.PremiumAdjustmentMinor = &adj
	}
	x, err := a.svc.DecidePolicyChange(r.Context(), r.PathValue("key"), id, d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toChange(x))
}

type instalmentInput struct {
	Count    int  `json:"count"`
	FirstDue date `json:"first_due"`
}

func (a *API) setInstalments(w http.ResponseWriter, r *http.Request) error {
	var in instalmentInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	items, err := a.svc.SetInstalments(r.Context(), r.PathValue("key"), service.InstalmentRequest{Count: in.Count, FirstDue: in.FirstDue.Time})
	if err != nil {
		return err
	}
	return created(w, "", page[instalmentDTO]{Items: mapAll(items, toInstalment)})
}

func (a *API) listInstalments(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindInstalments(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[instalmentDTO]{Items: mapAll(items, toInstalment)})
}

type paymentInput struct {
	Amount     money  `json:"amount"`
	Method     string `json:"method"`
	Reference  string `json:"reference"`
	ReceivedOn date   `json:"received_on"`
	Instalment int    `json:"instalment"` // the instalment it pays; 0: the earliest unpaid it covers
}

func (a *API) recordPayment(w http.ResponseWriter, r *http.Request) error {
	var in paymentInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	amount, err := in.Amount.minor("amount")
	if err != nil {
		return err
	}
	if in.Instalment < 0 {
		return care.Invalid("instalment", "must be an instalment number (1 for the first)")
	}
	p := &care.Payment{AmountMinor: amount, Method: in.Method, Reference: in.Reference, ReceivedOn: in.ReceivedOn.Time}
	if err := a.svc.RecordPayment(r.Context(), r.PathValue("key"), p, in.Instalment); err != nil {
		return err
	}
	return created(w, "", toPayment(p))
}

func (a *API) listPayments(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindPayments(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[paymentDTO]{Items: mapAll(items, toPayment)})
}
