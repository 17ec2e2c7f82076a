package httpapi

import (
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// policyPath is the policy's resource in Location headers.
func policyPath(p *care.Policy) string { return "/api/v1/policies/" + strconv.FormatInt(p.ID, 10) }

type policyEventDTO struct {
	ID        int64   `json:"id"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Reason    string  `json:"reason"`
	Actor     string  `json:"actor"`
	TermStart *string `json:"term_start"`
	TermEnd   *string `json:"term_end"`
	At        *string `json:"at"`
}

func toPolicyEvent(e *care.PolicyEvent) policyEventDTO {
	return policyEventDTO{ID: e.ID, From: e.From, To: e.To, Reason: e.Reason, Actor: e.Actor, TermStart: day(e.TermStart),
		TermEnd: day(e.TermEnd), At: stamp(e.At)}
}

type renewalDTO struct {
	ID             int64   `json:"id"`
	TermStart      *string `json:"term_start"`
	TermEnd        *string `json:"term_end"`
	Premium        *string `json:"premium"` // the renewal premium offered; null until offered
	OfferedAt      *string `json:"offered_at"`
	Outcome        *string `json:"outcome"` // renewed, lapsed, cancelled; null while open
	OutcomeReason  string  `json:"outcome_reason"`
	OutcomeBy      string  `json:"outcome_by"`
	OutcomeAt      *string `json:"outcome_at"`
	NextReminderAt *string `json:"next_reminder_at"`
}

func toRenewal(r *care.PolicyRenewal) renewalDTO {
	d := renewalDTO{ID: r.ID, TermStart: day(r.TermStart), TermEnd: day(r.TermEnd), OfferedAt: stamp(r.OfferedAt),
		OutcomeReason: r.OutcomeReason, OutcomeBy: r.OutcomeBy, OutcomeAt: stamp(r.OutcomeAt), NextReminderAt: stamp(r.NextReminderAt)}
	if r.PremiumMinor > 0 {
		s := care.FormatMoney(r.PremiumMinor)
		d.Premium = &s
	}
	if r.Outcome != "" {
		d.Outcome = &r.Outcome
	}
	return d
}

type reminderDTO struct {
	ID      int64   `json:"id"`
	Kind    string  `json:"kind"` // first, mid, final, lapsed
	To      string  `json:"to"`
	MailID  *int64  `json:"mail_id"`
	Note    string  `json:"note"`
	SentAt  *string `json:"sent_at"`
	TermEnd *string `json:"term_end"`
}

func toReminder(m *care.PolicyReminder) reminderDTO {
	d := reminderDTO{ID: m.ID, Kind: m.Kind, To: m.To, Note: m.Note, SentAt: stamp(m.SentAt), TermEnd: day(m.TermEnd)}
	if m.MailID != 0 {
		d.MailID = &m.MailID
	}
	return d
}

type changeDTO struct {
	ID                int64   `json:"id"`
	PolicyID          int64   `json:"policy_id"`
	Case              *string `json:"case"` // the service request's reference
	Kind              string  `json:"kind"`
	Details           string  `json:"details"`
	EffectiveDate     *string `json:"effective_date"`
	Status            string  `json:"status"`
	PremiumAdjustment string  `json:"premium_adjustment"`
	Reason            string  `json:"reason"`
	RequestedBy       string  `json:"requested_by"`
	DecidedBy         string  `json:"decided_by"`
	DecidedAt         *string `json:"decided_at"`
	AppliedAt         *string `json:"applied_at"`
	CreatedAt         *string `json:"created_at"`
}

func toChange(x *care.PolicyChange) changeDTO {
	d := changeDTO{ID: x.ID, PolicyID: x.PolicyID, Kind: x.Kind, Details: x.Details, EffectiveDate: day(x.EffectiveDate),
		Status: x.Status, PremiumAdjustment: care.FormatMoney(x.PremiumAdjustmentMinor), Reason: x.Reason,
		RequestedBy: x.RequestedBy, DecidedBy: x.DecidedBy, DecidedAt: stamp(x.DecidedAt), AppliedAt: stamp(x.AppliedAt),
		CreatedAt: stamp(x.CreatedAt)}
	if x.CaseReference != "" {
		d.Case = &x.CaseReference
	}
	return d
}

type instalmentDTO struct {
	Seq      int     `json:"seq"`
	DueDate  *string `json:"due_date"`
	Amount   string  `json:"amount"`
	Status   string  `json:"status"` // due, paid, missed
	PaidAt   *string `json:"paid_at"`
	MissedAt *string `json:"missed_at"`
}

func toInstalment(i *care.Instalment) instalmentDTO {
	return instalmentDTO{Seq: i.Seq, DueDate: day(i.DueDate), Amount: care.FormatMoney(i.AmountMinor), Status: i.Status,
		PaidAt: stamp(i.PaidAt), MissedAt: stamp(i.MissedAt)}
}

type paymentDTO struct {
	ID         int64   `json:"id"`
	Amount     string  `json:"amount"`
	Method     string  `json:"method"`
	Reference  string  `json:"reference"`
	ReceivedOn *string `json:"received_on"`
	Instalment *int    `json:"instalment"` // the instalment it settled
	RecordedBy string  `json:"recorded_by"`
	CreatedAt  *string `json:"created_at"`
}

func toPayment(p *care.Payment) paymentDTO {
	d := paymentDTO{ID: p.ID, Amount: care.FormatMoney(p.AmountMinor), Method: p.Method, Reference: p.Reference,
		ReceivedOn: day(p.ReceivedOn), RecordedBy: p.RecordedBy, CreatedAt: stamp(p.CreatedAt)}
	if p.InstalmentSeq != 0 {
		d.Instalment = &p.InstalmentSeq
	}
	return d
}

type policyTransitionInput struct {
	To      string `json:"to"`
	Reason  string `json:"reason"`
	Premium money  `json:"premium"`
}

func (a *API) transitionPolicy(w http.ResponseWriter, r *http.Request) error {
	var in policyTransitionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	premium, err := in.Premium.minor("premium")
	if err != nil {
		return err
	}
	p, err := a.svc.TransitionPolicy(r.Context(), r.PathValue("key"), service.PolicyTransition{To: in.To, Reason: in.Reason,
		PremiumMinor: premium})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPolicy(p))
}

func (a *API) listPolicyTransitions(w http.ResponseWriter, r *http.Request) error {
	f, err := a.svc.FindPolicyFile(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[policyEventDTO]{Items: mapAll(f.Events, toPolicyEvent)})
}

type renewalInput struct {
	Outcome string `json:"outcome"` // renewed, lapsed, cancelled; empty: record an offer
	Reason  string `json:"reason"`
	Premium money  `json:"premium"` // the offer's premium, or the renewed term's
}

type renewalAnswer struct {
	Policy  policyDTO  `json:"policy"`
	Renewal renewalDTO `json:"renewal"`
}

func (a *API) postRenewal(w http.ResponseWriter, r *http.Request) error {
	var in renewalInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	premium, err := in.Premium.minor("premium")
	if err != nil {
		return err
	}
	key := r.PathValue("key")
	if in.Outcome == "" {
		if !in.Premium.set {
			return care.Invalid("premium", "is required to offer a renewal (or give an outcome: renewed, lapsed or cancelled)")
		}
		if _, err := a.svc.OfferRenewal(r.Context(), key, service.RenewalOffer{PremiumMinor: premium}); err != nil {
			return err
		}
	} else {
		if err := care.RenewalOutcomeValid(in.Outcome); err != nil {
			return err
		}
		if _, err := a.svc.TransitionPolicy(r.Context(), key, service.PolicyTransition{To: in.Outcome, Reason: in.Reason,
			PremiumMinor: premium}); err != nil {
			return err
		}
	}
	f, err := a.svc.FindPolicyFile(r.Context(), key)
	if err != nil {
		return err
	}
	ans := renewalAnswer{Policy: toPolicy(f.Policy)}
	for _, x := range f.Renewals { // the term just offered or decided: the latest
		ans.Renewal = toRenewal(x)
		break
	}
	return writeJSON(w, http.StatusOK, ans)
}

func (a *API) listRenewals(w http.ResponseWriter, r *http.Request) error {
	f, err := a.svc.FindPolicyFile(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[renewalDTO]{Items: mapAll(f.Renewals, toRenewal)})
}

func (a *API) listReminders(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindPolicyReminders(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[reminderDTO]{Items: mapAll(items, toReminder)})
}

type openRenewalDTO struct {
	renewalDTO
	PolicyID     int64  `json:"policy_id"`
	Number       string `json:"number"`
	Line         string `json:"line"`
	Status       string `json:"status"`
	CustomerID   int64  `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	LastReminder string `json:"last_reminder"` // first, mid, final; "" for none yet
}

func (a *API) listOpenRenewals(w http.ResponseWriter, r *http.Request) error {
	days := care.ReminderWindow
	if v := r.URL.Query().Get("within"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return care.Invalid("within", "must be a number of days, such as 14")
		}
		days = n
	}
	items, err := a.svc.FindOpenRenewals(r.Context(), days, 1000)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[openRenewalDTO]{Items: mapAll(items, func(o *store.OpenRenewal) openRenewalDTO {
		return openRenewalDTO{renewalDTO: toRenewal(o.Renewal), PolicyID: o.Renewal.PolicyID, Number: o.Number, Line: o.Renewal.Line,
			Status: o.Status, CustomerID: o.CustomerID, CustomerName: o.CustomerName, LastReminder: o.LastReminder}
	})})
}
