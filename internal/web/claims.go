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
		"claim-opened":          "Claim registered; the policyholder has been sent the claim number.",
		"claim-moved":           "Claim moved on; the policyholder has been told.",
		"claim-settled":         "Settlement approved; the offer is with customer service to notify.",
		"claim-decided":         "The policyholder's decision is recorded.",
		"claim-disputed":        "Dispute recorded: a complaint is open and the claim is back for settlement evaluation.",
		"claim-reserve":         "Reserve updated.",
		"claim-paid":            "Payment recorded.",
		"claim-inspection":      "Inspection scheduled; the policyholder has been told.",
		"claim-reopened":        "Claim reopened for review.",
		"claim-catastrophe":     "Catastrophe event declared: link its claims to pause their inspection milestone.",
		"claim-catastrophe-end": "Catastrophe event ended: its claims' inspection milestones run again.",
		"claim-documents":       "Documents requested by email; the request is on the case's timeline.",
		"claim-linked":          "Catastrophe link updated.",
	} {
		flashes[k] = v
	}
	regimeLabels["claims"] = "Claims standards"
}

func claimURL(key string) string { return "/claims/" + url.PathEscape(key) }

// claimStep is one stage of the stepper on the claim page.
type claimStep struct {
	Info  care.ClaimStageInfo
	State string // done, current or todo
}

// claimData is the claim page's data.
type claimData struct {
	V      *service.ClaimView
	Clocks []clockView
	Steps  []claimStep
	Stage  care.ClaimStageInfo
	Alert  string

	CanMove    bool // holds the permission of the claim's current stage
	Moves      []string
	CanSettle  bool
	CanDecide  bool
	CanHandle  bool // reserves, inspection
	CanPay     bool
	CanReopen  bool
	Lists      map[string][]string
	CanAskDocs bool   // claim:review and interaction:write, and an email address to write to
	Authority  string // the viewer's settlement limit in the claim's currency, in words
	// Catastrophes are the active events a claim may be linked to.
	Catastrophes []*care.CatastropheEvent
	Forms        map[string]form
}

// Money writes minor units with the claim's currency.
func (d *claimData) Money(minor int64) string {
	return d.V.Claim.Currency + " " + care.FormatMoney(minor)
}

// Form returns the named form (empty when none was posted).
func (d *claimData) Form(name string) form {
	if f, ok := d.Forms[name]; ok {
		return f
	}
	return newForm()
}

func (ui *UI) loadClaim(ctx context.Context, key string) (*claimData, error) {
	v, err := ui.svc.FindClaim(ctx, key)
	if err != nil {
		return nil, err
	}
	a := care.ActorFromContext(ctx)
	k := v.Claim
	d := &claimData{V: v, Clocks: clockViews(v.Clocks, ui.now()), Stage: care.StageInfo(k.Stage), Forms: map[string]form{},
		Lists: map[string][]string{"method": care.ClaimPaymentMethodList(), "channel": care.ChannelList(),
			"decision": {service.ClaimAccept, service.ClaimDispute}}}
	cur := slices.Index(care.ClaimStageList(), k.Stage)
	for i, s := range care.ClaimStageInfos {
		st := "todo"
		switch {
		case i < cur:
			st = "done"
		case i == cur:
			st = "current"
		}
		d.Steps = append(d.Steps, claimStep{Info: s, State: st})
	}
	d.CanMove = k.Open() && a.Can(d.Stage.Perm)
	for _, m := range care.ClaimMoves(k.Stage) {
		// The offer and the payment come with their own forms.
		if !(k.Stage == care.ClaimSettlement && m == care.ClaimOffer) {
			d.Moves = append(d.Moves, m)
		}
	}
	d.CanSettle = k.Stage == care.ClaimSettlement && a.Can(care.PermClaimSettle)
	d.CanDecide = k.Stage == care.ClaimDecision && a.Can(care.PermClaimIntake)
	d.CanPay = k.Stage == care.ClaimPaying && a.Can(care.PermClaimPay)
	d.CanHandle = k.Open() && a.Can(care.PermClaimHandle)
	d.CanReopen = !k.Open() && a.Can(care.PermClaimReview)
	d.CanAskDocs = k.Open() && a.Can(care.PermClaimReview) && a.Can(care.PermInteractionWrite) &&
		v.Customer != nil && v.Customer.Email != ""
	if d.CanSettle {
		limit, found, unlimited, err := ui.svc.MySettlementLimit(ctx, k.Currency)
		switch {
		case err != nil:
			return nil, err
		case unlimited:
			d.Authority = "no limit"
		case found:
			d.Authority = k.Currency + " " + care.FormatMoney(limit)
		default:
			d.Authority = "none in " + k.Currency
		}
	}
	if d.CanHandle {
		cats, err := ui.svc.FindCatastrophes(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range cats {
			if c.Active() {
				d.Catastrophes = append(d.Catastrophes, c)
			}
		}
	}
	return d, nil
}

// claimPage answers GET /claims/{key}: a claim number, case reference or id.
func (ui *UI) claimPage(w http.ResponseWriter, r *http.Request) {
	d, err := ui.loadClaim(r.Context(), r.PathValue("key"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.showClaim(w, r, http.StatusOK, d)
}

func (ui *UI) showClaim(w http.ResponseWriter, r *http.Request, status int, d *claimData) {
	k := d.V.Claim
	ui.render(w, r, status, "claim", &page{Title: k.Number + " · " + label(k.LossType) + " claim", Nav: "claims", Data: d})
}

// claimFailed shows the claim page again with the form's values and
// errors, or the error page when the failure is not the form's.
func (ui *UI) claimFailed(w http.ResponseWriter, r *http.Request, name string, err error, f form) {
	status, ok := f.absorb(err, nil)
	if !ok {
		ui.fail(w, r, err)
		return
	}
	d, lerr := ui.loadClaim(r.Context(), r.PathValue("key"))
	if lerr != nil {
		ui.fail(w, r, lerr)
		return
	}
	d.Forms[name] = f
	d.Alert = f.Error
	ui.showClaim(w, r, status, d)
}

// claimDone redirects to the claim (by its number) with a flash message.
func (ui *UI) claimDone(w http.ResponseWriter, r *http.Request, v *service.ClaimView, flash, anchor string) {
	ui.setFlash(w, flash)
	http.Redirect(w, r, claimURL(v.Claim.Number)+anchor, http.StatusSeeOther)
}

// claimTransition answers POST /claims/{key}/transitions.
func (ui *UI) claimTransition(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "to", "note")
	v, err := ui.svc.TransitionClaim(r.Context(), r.PathValue("key"), f.Get("to"), f.Get("note"))
	if err != nil {
		ui.claimFailed(w, r, "move", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-moved", "#stages")
}

// claimSettle answers POST /claims/{key}/settlement.
func (ui *UI) claimSettle(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "amount", "note")
	amount := f.moneyField("amount", true)
	if len(f.Errors) > 0 {
		ui.claimFailed(w, r, "settle", nil, f)
		return
	}
	v, err := ui.svc.ApproveSettlement(r.Context(), r.PathValue("key"), amount, f.Get("note"))
	if err != nil {
		ui.claimFailed(w, r, "settle", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-settled", "#stages")
}

// claimDecide answers POST /claims/{key}/decision.
func (ui *UI) claimDecide(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "decision", "note", "channel")
	v, err := ui.svc.DecideClaim(r.Context(), r.PathValue("key"), service.ClaimDecisionInput{Decision: f.Get("decision"),
		Note: f.Get("note"), Channel: f.Get("channel")})
	if err != nil {
		ui.claimFailed(w, r, "decide", err, f)
		return
	}
	flash := "claim-decided"
	if v.Claim.Decision == "disputed" {
		flash = "claim-disputed"
	}
	ui.claimDone(w, r, v, flash, "#stages")
}

// claimReserve answers POST /claims/{key}/reserves.
func (ui *UI) claimReserve(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "amount", "note")
	amount := f.moneyField("amount", true)
	if len(f.Errors) > 0 {
		ui.claimFailed(w, r, "reserve", nil, f)
		return
	}
	v, err := ui.svc.SetClaimReserve(r.Context(), r.PathValue("key"), amount, f.Get("note"))
	if err != nil {
		ui.claimFailed(w, r, "reserve", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-reserve", "#money")
}

// claimPay answers POST /claims/{key}/payments.
func (ui *UI) claimPay(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "amount", "payee", "method", "reference")
	amount := f.moneyField("amount", true)
	if len(f.Errors) > 0 {
		ui.claimFailed(w, r, "pay", nil, f)
		return
	}
	v, err := ui.svc.AddClaimPayment(r.Context(), r.PathValue("key"), &care.ClaimPayment{AmountMinor: amount,
		Payee: f.Get("payee"), Method: f.Get("method"), Reference: f.Get("reference")})
	if err != nil {
		ui.claimFailed(w, r, "pay", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-paid", "#money")
}

// claimInspection answers POST /claims/{key}/inspection; the time is UTC.
func (ui *UI) claimInspection(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "at", "inspector")
	var at time.Time
	if s := f.Get("at"); s != "" {
		var err error
		if at, err = time.Parse("2006-01-02T15:04", s); err != nil {
			f.Errors["at"] = "Enter a date and time such as 2026-11-24T10:30."
			ui.claimFailed(w, r, "inspection", nil, f)
			return
		}
	}
	v, err := ui.svc.ScheduleInspection(r.Context(), r.PathValue("key"), at, f.Get("inspector"))
	if err != nil {
		ui.claimFailed(w, r, "inspection", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-inspection", "#loss")
}

// claimDocuments answers POST /claims/{key}/documents: one document a line.
func (ui *UI) claimDocuments(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "documents", "note")
	v, err := ui.svc.RequestClaimDocuments(r.Context(), r.PathValue("key"), strings.Split(f.Get("documents"), "\n"), f.Get("note"))
	if err != nil {
		ui.claimFailed(w, r, "documents", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-documents", "#stages")
}

// claimReopen answers POST /claims/{key}/reopen.
func (ui *UI) claimReopen(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "note")
	v, err := ui.svc.ReopenClaim(r.Context(), r.PathValue("key"), f.Get("note"))
	if err != nil {
		ui.claimFailed(w, r, "reopen", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-reopened", "#stages")
}

// claimsData is the claims list's data.
type claimsData struct {
	Rows    []*store.ClaimRow
	Stage   string
	Stages  []care.ClaimStageInfo
	Counts  map[string]int
	Closed  bool
	CanFNOL bool

	Catastrophes []*care.CatastropheEvent
	CanDeclare   bool // claim:admin
	Declare      form
	Alert        string

	// Paging: keyset cursors. back holds the cursors of the pages before
	// this one ("first" for the first page), so "Previous" is a link too.
	NextURL, PrevURL, FirstURL string
}

// Money writes minor units as a decimal amount.
func (d *claimsData) Money(minor int64) string { return care.FormatMoney(minor) }

// claimsPerPage is the size of a page of the claims list.
const claimsPerPage = 50

// claimTrailMax bounds the remembered pages behind the current one; older
// ones are dropped (the first page stays a link away).
const claimTrailMax = 40

// listURL is the claims list with this stage, from cursor, with the pages
// before it in back.
func (d *claimsData) listURL(cursor string, back []string) string {
	v := url.Values{}
	if d.Stage != "" {
		v.Set("stage", d.Stage)
	}
	if d.Closed {
		v.Set("closed", "1")
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(back) > 0 {
		v.Set("back", strings.Join(back, "~"))
	}
	if len(v) == 0 {
		return "/claims"
	}
	return "/claims?" + v.Encode()
}

// claimList answers GET /claims: claims by nearest running milestone,
// filtered by stage.
func (ui *UI) claimList(w http.ResponseWriter, r *http.Request) {
	ui.showClaimList(w, r, http.StatusOK, newForm(), "")
}

func (ui *UI) showClaimList(w http.ResponseWriter, r *http.Request, status int, declare form, alert string) {
	q := r.URL.Query()
	a := care.ActorFromContext(r.Context())
	d := &claimsData{Stage: q.Get("stage"), Stages: care.ClaimStageInfos, Closed: q.Get("closed") == "1",
		CanFNOL: a.Can(care.PermClaimIntake), CanDeclare: a.Can(care.PermClaimAdmin), Declare: declare, Alert: alert}
	cats, err := ui.svc.FindCatastrophes(r.Context())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Catastrophes = cats
	f := care.ClaimFilter{Stage: d.Stage, Limit: claimsPerPage}
	if d.Stage == "" && !d.Closed {
		open := true
		f.Open = &open
	}
	cursor := q.Get("cursor")
	if cursor != "" {
		k, err := care.ParseClaimKey(cursor)
		if err != nil {
			ui.renderError(w, r, http.StatusBadRequest, "This page of the claims list is not valid any more: start again from the first page.")
			return
		}
		f.After = &k
	}
	var back []string
	if b := q.Get("back"); b != "" && cursor != "" {
		back = strings.Split(b, "~")
	}
	rows, next, err := ui.svc.FindClaims(r.Context(), f)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Rows = rows
	if cursor != "" {
		d.FirstURL = d.listURL("", nil)
		if len(back) > 0 {
			prev := back[len(back)-1]
			if prev == "first" {
				prev = ""
			}
			d.PrevURL = d.listURL(prev, back[:len(back)-1])
		} else {
			d.PrevURL = d.FirstURL // the trail was cut: back to the start
		}
	}
	if next != nil {
		here := cursor
		if here == "" {
			here = "first"
		}
		trail := append(slices.Clone(back), here)
		if len(trail) > claimTrailMax {
			trail = trail[len(trail)-claimTrailMax:]
		}
		d.NextURL = d.listURL(next.String(), trail)
	}
	ui.render(w, r, status, "claims", &page{Title: "Claims", Nav: "claims", Data: d})
}

// declareCatastrophe answers POST /claims/catastrophes.
func (ui *UI) declareCatastrophe(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "name", "region", "description")
	err := ui.svc.DeclareCatastrophe(r.Context(), &care.CatastropheEvent{Name: f.Get("name"), Region: f.Get("region"),
		Description: f.Get("description")})
	if err != nil {
		if care.ErrorCode(err) != care.EINVALID && care.ErrorCode(err) != care.EFORBIDDEN {
			ui.fail(w, r, err)
			return
		}
		for _, fe := range care.ErrorFields(err) {
			f.Errors[fe.Field] = fe.Message
		}
		ui.showClaimList(w, r, errorStatus(err), f, care.ErrorMessage(err))
		return
	}
	ui.setFlash(w, "claim-catastrophe")
	http.Redirect(w, r, "/claims#catastrophes", http.StatusSeeOther)
}

// endCatastrophe answers POST /claims/catastrophes/{id}/end.
func (ui *UI) endCatastrophe(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		ui.notFound(w, r)
		return
	}
	if _, err := ui.svc.EndCatastrophe(r.Context(), id); err != nil {
		switch care.ErrorCode(err) {
		case care.EFORBIDDEN, care.EPRECONDITION:
			ui.showClaimList(w, r, errorStatus(err), newForm(), care.ErrorMessage(err))
		default:
			ui.fail(w, r, err)
		}
		return
	}
	ui.setFlash(w, "claim-catastrophe-end")
	http.Redirect(w, r, "/claims#catastrophes", http.StatusSeeOther)
}

// claimCatastrophe answers POST /claims/{key}/catastrophe.
func (ui *UI) claimCatastrophe(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "catastrophe_id")
	id := f.id("catastrophe_id")
	if len(f.Errors) > 0 {
		ui.claimFailed(w, r, "catastrophe", nil, f)
		return
	}
	v, err := ui.svc.LinkClaimCatastrophe(r.Context(), r.PathValue("key"), id)
	if err != nil {
		ui.claimFailed(w, r, "catastrophe", err, f)
		return
	}
	ui.claimDone(w, r, v, "claim-linked", "#loss")
}

// fnolData is the first-notice-of-loss form's data.
type fnolData struct {
	Form         form
	Lists        map[string][]string
	Catastrophes []*care.CatastropheEvent
}

func (ui *UI) showFNOL(w http.ResponseWriter, r *http.Request, status int, f form) {
	d := &fnolData{Form: f, Lists: map[string][]string{"loss_type": care.LossTypeList(), "channel": care.ChannelList(),
		"party_role": {"third_party", "driver", "witness", "injured", "other"}}}
	if cats, err := ui.svc.FindCatastrophes(r.Context()); err == nil {
		for _, c := range cats {
			if c.Active() {
				d.Catastrophes = append(d.Catastrophes, c)
			}
		}
	}
	ui.render(w, r, status, "claim-new", &page{Title: "New claim (first notice of loss)", Nav: "claims", Data: d})
}

// newClaimForm answers GET /claims/new; ?policy= fills the policy number.
func (ui *UI) newClaimForm(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Values["policy_number"] = r.URL.Query().Get("policy")
	f.Values["channel"] = "phone"
	f.Values["loss_date"] = ui.now().Format(time.DateOnly)
	ui.showFNOL(w, r, http.StatusOK, f)
}

// createClaim answers POST /claims: the FNOL taken by a member of staff.
func (ui *UI) createClaim(w http.ResponseWriter, r *http.Request) {
	f := policyPosted(r, "policy_number", "loss_date", "loss_time", "loss_type", "place", "description", "channel",
		"party_role", "party_name", "party_contact", "catastrophe_id", "injuries", "total_loss", "liability_disputed", "estimate")
	in := care.NewClaim{PolicyNumber: f.Get("policy_number"), LossType: f.Get("loss_type"), Place: f.Get("place"),
		Description: f.Get("description"), Channel: f.Get("channel"), Injuries: f.Get("injuries") != "",
		TotalLoss: f.Get("total_loss") != "", LiabilityDisputed: f.Get("liability_disputed") != "",
		EstimateMinor: f.moneyField("estimate", false)}
	if day := f.date("loss_date"); !day.IsZero() {
		in.LossAt = day
		if t := f.Get("loss_time"); t != "" {
			hm, err := time.Parse("15:04", t)
			if err != nil {
				f.Errors["loss_time"] = "Enter a time such as 14:30."
			}
			in.LossAt = day.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
		}
	}
	if n := f.Get("party_name"); n != "" {
		in.Parties = []care.ClaimParty{{Role: f.Get("party_role"), Name: n, Contact: f.Get("party_contact")}}
	}
	if c := f.Get("catastrophe_id"); c != "" {
		in.CatastropheID, _ = strconv.ParseInt(c, 10, 64)
	}
	if len(f.Errors) > 0 {
		f.Error = "Please correct the fields marked below."
		ui.showFNOL(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	v, err := ui.svc.CreateClaim(r.Context(), in)
	if err != nil {
		switch care.ErrorCode(err) {
		case care.EINVALID:
			for _, fe := range care.ErrorFields(err) {
				field := fe.Field
				if field == "loss_at" {
					field = "loss_date"
				} else if len(field) > 8 && field[:8] == "parties[" {
					field = "party_name"
				}
				f.Errors[field] = fe.Message
			}
			f.Error = "Please correct the fields marked below."
			ui.showFNOL(w, r, http.StatusUnprocessableEntity, f)
		case care.EFORBIDDEN:
			f.Error = care.ErrorMessage(err)
			ui.showFNOL(w, r, http.StatusForbidden, f)
		default:
			ui.fail(w, r, err)
		}
		return
	}
	ui.claimDone(w, r, v, "claim-opened", "")
}

// loadCaseClaims fills the case page's claim link and, in the customer
// panel, the customer's claims with their stages. A role that may not read
// claims sees neither.
func (ui *UI) loadCaseClaims(ctx context.Context, d *caseData) error {
	if !care.ActorFromContext(ctx).Can(care.PermClaimRead) {
		return nil
	}
	k, err := ui.svc.FindClaimByCase(ctx, d.Case.ID)
	if err != nil {
		return err
	}
	d.Claim = k
	if d.Customer == nil {
		return nil
	}
	d.Claims, _, err = ui.svc.FindClaims(ctx, care.ClaimFilter{CustomerID: d.Customer.ID, Limit: 10})
	return err
}
