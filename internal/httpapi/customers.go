package httpapi

import (
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

type customerInput struct {
	Kind              string `json:"kind"`
	Name              string `json:"name"`
	Email             string `json:"email"`
	Phone             string `json:"phone"`
	Address           string `json:"address"`
	Vulnerable        bool   `json:"vulnerable"`
	VulnerabilityNote string `json:"vulnerability_note"`
	ExternalRef       string `json:"external_ref"`
}

func (a *API) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c := &care.Customer{Kind: in.Kind, Name: in.Name, Email: in.Email, Phone: in.Phone, Address: in.Address,
		Vulnerable: in.Vulnerable, VulnerabilityNote: in.VulnerabilityNote, ExternalRef: in.ExternalRef}
	if err := a.svc.CreateCustomer(r.Context(), c); err != nil {
		return err
	}
	return created(w, "/api/v1/customers/"+strconv.FormatInt(c.ID, 10), toCustomer(c))
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.svc.FindCustomerByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCustomer(c))
}

// customerPatch: absent fields stay as they are; null clears a text field.
type customerPatch struct {
	Kind              optional[string] `json:"kind"`
	Name              optional[string] `json:"name"`
	Email             optional[string] `json:"email"`
	Phone             optional[string] `json:"phone"`
	Address           optional[string] `json:"address"`
	Vulnerable        optional[bool]   `json:"vulnerable"`
	VulnerabilityNote optional[string] `json:"vulnerability_note"`
	ExternalRef       optional[string] `json:"external_ref"`
}

func (a *API) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in customerPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	upd := service.CustomerUpdate{Kind: in.Kind.ptr(), Name: in.Name.ptr(), Email: in.Email.ptr(),
		Phone: in.Phone.ptr(), Address: in.Address.ptr(), Vulnerable: in.Vulnerable.ptr(),
		VulnerabilityNote: in.VulnerabilityNote.ptr(), ExternalRef: in.ExternalRef.ptr()}
	c, err := a.svc.UpdateCustomer(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCustomer(c))
}

func (a *API) listCustomers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := care.CustomerFilter{Query: q.str("q"), Email: q.str("email"), Phone: q.str("phone"),
		After: q.cursor(), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.svc.FindCustomers(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(items, next, toCustomer))
}

func (a *API) listCustomerPolicies(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.svc.FindPoliciesByCustomer(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[policyDTO]{Items: mapAll(items, toPolicy)})
}

type policyInput struct {
	CustomerID int64  `json:"customer_id"`
	Number     string `json:"number"`
	Line       string `json:"line"`
	Status     string `json:"status"`
	Start      date   `json:"start"`
	End        date   `json:"end"`
	Premium    money  `json:"premium"`
	Currency   string `json:"currency"`
}

func (a *API) createPolicy(w http.ResponseWriter, r *http.Request) error {
	var in policyInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	premium, err := in.Premium.minor("premium")
	if err != nil {
		return err
	}
	p := &care.Policy{CustomerID: in.CustomerID, Number: in.Number, Line: in.Line, Status: in.Status,
		Start: in.Start.Time, End: in.End.Time, PremiumMinor: premium, Currency: in.Currency}
	if err := a.svc.CreatePolicy(r.Context(), p); err != nil {
		return err
	}
	return created(w, "/api/v1/policies/"+strconv.FormatInt(p.ID, 10), toPolicy(p))
}

func (a *API) getPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := a.svc.FindPolicy(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPolicy(p))
}
