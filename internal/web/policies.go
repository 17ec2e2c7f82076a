package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

func init() {
	for k, v := range map[string]string{
		"policy-moved":      "Policy status changed.",
		"policy-offer":      "Renewal offer recorded.",
		"policy-renewal":    "Renewal outcome recorded; the reminders have stopped.",
		"policy-change":     "Change request recorded, with a service-request case in the queue.",
		"policy-decided":    "Change request updated.",
		"policy-schedule":   "Instalment schedule written.",
		"policy-payment":    "Payment recorded.",
		"policy-unexpected": "Nothing changed.",
	} {
		flashes[k] = v
	}
}

// policyData is the policy page's data.
type policyData struct {
	File     *service.PolicyFile
	Renewal  *care.PolicyRenewal // the current term's, or nil
	Last     *care.PolicyRenewal // the latest earlier term's, when the current term has none
	DaysLeft int
	Premium  string // "GBP 540.00"
	Paid     string
	Alert    string

	CanWrite   bool // policy:write: move, offer, decide, record money
	CanRequest bool // case:write: raise a change request
	Moves      []string
	Lists      map[string][]string

	Transition form
	Offer      form
	Outcome    form
	Change     form
	Decide     map[int64]*form // per change request
	Schedule   form
	Payment    form
}

// Money writes minor units with the policy's currency.
func (d *policyData) Money(minor int64) string {
	return d.File.Policy.Currency + " " + care.FormatMoney(minor)
}

// ChangeMoves are the moves a change request may make next.
func (d *policyData) ChangeMoves(status string) []string {
	switch status {
	case "requested":
		return []string{"approved", "rejected"}
	case "approved":
		return []string{"applied", "rejected"}
	}
	return nil
}

// DecideForm returns the decision form of a change request.
func (d *policyData) DecideForm(id int64) form {
	if f, ok := d.Decide[id]; ok {
		return *f
	}
	return newForm()
}

// ReminderLabel names a reminder kind.
func (d *policyData) ReminderLabel(kind string) string { return care.ReminderLabel(kind) }

func policyURL(key string) string { return "/policies/" + url.PathEscape(key) }

// policyPage answers GET /policies/{key}; key is a number or an ID.
func (ui *UI) policyPage(w http.ResponseWriter, r *http.Request) {
	d, err := ui.loadPolicy(r.Context(), r.PathValue("key"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.showPolicy(w, r, http.StatusOK, d)
}

func (ui *UI) showPolicy(w http.ResponseWriter, r *http.Request, status int, d *policyData) {
	p := d.File.Policy
	ui.render(w, r, status, "policy", &page{Title: p.Number + " · " + label(p.Line) + " policy", Nav: "cases", Data: d})
}

func (ui *UI) loadPolicy(ctx context.Context, key string) (*policyData, error) {
	f, err := ui.svc.FindPolicyFile(ctx, key)
	if err != nil {
		return nil, err
	}
	actor := care.ActorFromContext(ctx)
	p := f.Policy
	d := &policyData{File: f, Renewal: f.Renewal(), DaysLeft: care.PolicyDaysLeft(p, ui.now()),
		CanWrite: actor.Can(care.PermPolicyWrite), CanRequest: actor.Can(care.PermCaseWrite) && actor.Can(care.PermPolicyRead),
		Moves: care.PolicyTransitions[p.Status], Transition: newForm(), Offer: newForm(), Outcome: newForm(),
		Change: newForm(), Decide: map[int64]*form{}, Schedule: newForm(), Payment: newForm(),
		Lists: map[string][]string{"kind": append([]string(nil), care.PolicyChangeKinds...),
			"method": append([]string(nil), care.PaymentMethods...), "outcome": append([]string(nil), care.RenewalOutcomes...),
			"channel": care.ChannelList()}}
	if d.Renewal == nil && len(f.Renewals) > 0 {
		d.Last = f.Renewals[0]
	}
	d.Premium, d.Paid = d.Money(p.PremiumMinor), d.Money(f.PaidMinor())
	d.Change.Values["channel"] = "phone"
	d.Payment.Values["received_on"] = ui.now().Format(time.DateOnly)
	d.Schedule.Values["count"] = "12"
	return d, nil
}

// policyFailed shows the policy page again with the form's values and
// errors, or the error page when the failure is not the form's.
func (ui *UI) policyFailed(w http.ResponseWriter, r *http.Request, key string, err error, f form, which func(*policyData) *form) {
	status, ok := f.absorb(err, nil)
	if !ok {
		ui.fail(w, r, err)
		return
	}
	d, lerr := ui.loadPolicy(r.Context(), key)
	if lerr != nil {
		ui.fail(w, r, lerr)
		return
	}
	*which(d) = f
	ui.showPolicy(w, r, status, d)
}

// policyPosted reads the named fields of a posted form.
func policyPosted(r *http.Request, fields ...string) form {
	f := newForm()
	for _, k := range fields {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	return f
}

// moneyField reads an amount field into minor units, recording an error.
func (f *form) moneyField(field string, required bool) int64 {
	v := f.Get(field)
	if v == "" {
		if required {
			f.Errors[field] = "Enter an amount, such as 540.00."
		}
		return 0
	}
	n, err := care.ParseMoney(v)
	if err != nil {
		f.Errors[field] = "Enter an amount with at most two decimal places, such as 540.00."
	}
	return n
}

// policyDone redirects to the policy page with a flash message.
func (ui *UI) policyDone(w http.ResponseWriter, r *http.Request, key, flash, anchor string) {
	ui.setFlash(w, flash)
	http.Redirect(w, r, policyURL(key)+anchor, http.StatusSeeOther)
}

// policyTransition answers POST /policies/{key}/transitions.
func (ui *UI) policyTransition(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := policyPosted(r, "to", "reason")
	_, err := ui.svc.TransitionPolicy(r.Context(), key, service.PolicyTransition{To: f.Get("to"), Reason: f.Get("reason")})
	if err != nil {
		ui.policyFailed(w, r, key, err, f, func(d *policyData) *form { return &d.Transition })
		return
	}
	ui.policyDone(w, r, key, "policy-moved", "#lifecycle")
}

// policyRenewal answers POST /policies/{key}/renewal: an offer (no
// outcome) or the renewal outcome.
func (ui *UI) policyRenewal(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := policyPosted(r, "outcome", "reason", "premium")
	outcome, isOutcome := f.Get("outcome"), r.PostForm.Get("form") == "outcome"
	premium := f.moneyField("premium", !isOutcome)
	which := func(d *policyData) *form { return &d.Offer }
	if isOutcome {
		which = func(d *policyData) *form { return &d.Outcome }
		if outcome == "" {
			f.Errors["outcome"] = "Choose the outcome: renewed, lapsed or cancelled."
		}
	}
	if len(f.Errors) > 0 {
		ui.policyFailed(w, r, key, nil, f, which)
		return
	}
	var err error
	flash := "policy-offer"
	if !isOutcome {
		_, err = ui.svc.OfferRenewal(r.Context(), key, service.RenewalOffer{PremiumMinor: premium})
	} else if err = care.RenewalOutcomeValid(outcome); err == nil {
		flash = "policy-renewal"
		_, err = ui.svc.TransitionPolicy(r.Context(), key, service.PolicyTransition{To: outcome, Reason: f.Get("reason"),
			PremiumMinor: premium})
	}
	if err != nil {
		ui.policyFailed(w, r, key, err, f, which)
		return
	}
	ui.policyDone(w, r, key, flash, "#renewal")
}

// policyChange answers POST /policies/{key}/changes: a change request.
func (ui *UI) policyChange(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := policyPosted(r, "kind", "details", "effective_date", "premium_adjustment", "channel")
	eff := f.date("effective_date")
	adj := f.moneyField("premium_adjustment", false)
	var err error
	if len(f.Errors) == 0 {
		_, err = ui.svc.RequestPolicyChange(r.Context(), key, service.NewPolicyChange{Kind: f.Get("kind"), Details: f.Get("details"),
			EffectiveDate: eff, PremiumAdjustmentMinor: adj, Channel: f.Get("channel")})
		if err == nil {
			ui.policyDone(w, r, key, "policy-change", "#changes")
			return
		}
	}
	ui.policyFailed(w, r, key, err, f, func(d *policyData) *form { return &d.Change })
}

// policyDecide answers POST /policies/{key}/changes/{id}.
func (ui *UI) policyDecide(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := policyPosted(r, "status", "reason")
	_, err := ui.svc.DecidePolicyChange(r.Context(), key, id, service.PolicyChangeDecision{Status: f.Get("status"), Reason: f.Get("reason")})
	if err != nil {
		ui.policyFailed(w, r, key, err, f, func(d *policyData) *form {
			g := newForm()
			d.Decide[id] = &g
			return d.Decide[id]
		})
		return
	}
	ui.policyDone(w, r, key, "policy-decided", "#change-"+strconv.FormatInt(id, 10))
}

// policySchedule answers POST /policies/{key}/instalments.
func (ui *UI) policySchedule(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := policyPosted(r, "count", "first_due")
	count, cerr := strconv.Atoi(f.Get("count"))
	if cerr != nil {
		f.Errors["count"] = "Enter how many instalments, from 1 to 12."
	}
	first := f.date("first_due")
	var err error
	if len(f.Errors) == 0 {
		if _, err = ui.svc.SetInstalments(r.Context(), key, service.InstalmentRequest{Count: count, FirstDue: first}); err == nil {
			ui.policyDone(w, r, key, "policy-schedule", "#money")
			return
		}
	}
	ui.policyFailed(w, r, key, err, f, func(d *policyData) *form { return &d.Schedule })
}

// policyPayment answers POST /policies/{key}/payments.
func (ui *UI) policyPayment(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := policyPosted(r, "amount", "method", "reference", "received_on", "instalment")
	amount := f.moneyField("amount", true)
	on := f.date("received_on")
	seq := 0
	if v := f.Get("instalment"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			f.Errors["instalment"] = "Enter the instalment's number, or leave it empty."
		}
		seq = n
	}
	var err error
	if len(f.Errors) == 0 {
		p := &care.Payment{AmountMinor: amount, Method: f.Get("method"), Reference: f.Get("reference"), ReceivedOn: on}
		if err = ui.svc.RecordPayment(r.Context(), key, p, seq); err == nil {
			ui.policyDone(w, r, key, "policy-payment", "#money")
			return
		}
	}
	ui.policyFailed(w, r, key, err, f, func(d *policyData) *form { return &d.Payment })
}

// renewalsData is the renewals desk's data.
type renewalsData struct {
	Items  []*store.OpenRenewal
	Within int
	Today  time.Time
}

// DaysLeft is how many days of cover a renewal's term has left (negative:
// ended, the job lapses it).
func (d *renewalsData) DaysLeft(r *care.PolicyRenewal) int {
	return care.PolicyDaysLeft(&care.Policy{End: r.TermEnd}, d.Today)
}

// Choices are the windows the page offers, with the one asked for.
func (d *renewalsData) Choices() []int {
	out := []int{7, 14, 30, 60, 90}
	if !slices.Contains(out, d.Within) {
		out = append(out, d.Within)
		slices.Sort(out)
	}
	return out
}

// Money writes an offered premium.
func (d *renewalsData) Money(minor int64) string { return care.FormatMoney(minor) }

// ReminderLabel names a reminder kind.
func (d *renewalsData) ReminderLabel(kind string) string { return care.ReminderLabel(kind) }

// renewalsPage answers GET /renewals?within=N: the undecided renewals
// whose cover ends within N days (default 14), soonest first.
func (ui *UI) renewalsPage(w http.ResponseWriter, r *http.Request) {
	within := care.ReminderWindow
	if v := r.URL.Query().Get("within"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 366 {
			ui.renderError(w, r, http.StatusBadRequest, "within must be a number of days from 0 to 366.")
			return
		}
		within = n
	}
	items, err := ui.svc.FindOpenRenewals(r.Context(), within, 500)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, http.StatusOK, "renewals", &page{Title: "Renewals due", Nav: "cases",
		Data: &renewalsData{Items: items, Within: within, Today: care.DateOf(ui.now())}})
}
