package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// Flash messages of the complaint page's forms.
func init() {
	for k, v := range map[string]string{
		"c-acknowledged":    "Complaint acknowledged.",
		"c-investigating":   "Investigation started.",
		"c-response_issued": "Response issued.",
		"c-closed":          "Complaint closed with its outcome.",
		"c-tier2":           "Escalated to specialist review (tier 2).",
		"c-executive":       "Escalated to executive review.",
		"c-referred":        "Referral recorded.",
		"c-reviewer":        "Reviewer assigned.",
		"c-evidence":        "Evidence added.",
		"c-request":         "Request sent to the team.",
		"c-request-upd":     "Request updated.",
		"c-outcome":         "Outcome recorded.",
		"c-redress":         "Redress recorded.",
		"c-redress-upd":     "Redress updated.",
		"c-capa":            "Action added.",
		"c-capa-upd":        "Action updated.",
		"c-intake":          "Assessment updated.",
	} {
		flashes[k] = v
	}
}

// postValues reads the named fields of a posted form, trimmed.
func postValues(r *http.Request, names ...string) form {
	f := newForm()
	for _, n := range names {
		f.Values[n] = strings.TrimSpace(r.PostForm.Get(n))
	}
	return f
}

// formID reads an optional ID field; a bad one is an error on the field.
func (f *form) id(field string) int64 {
	v := f.Get(field)
	if v == "" || v == "0" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		f.Errors[field] = "Choose one from the list."
		return 0
	}
	return n
}

// date reads an optional YYYY-MM-DD field.
func (f *form) date(field string) time.Time {
	v := f.Get(field)
	if v == "" {
		return time.Time{}
	}
	t, err := care.ParseDate(v)
	if err != nil {
		f.Errors[field] = "Enter a date such as 2026-12-01."
	}
	return t
}

// complaintDone redirects to the complaint page at anchor with a flash.
func (ui *UI) complaintDone(w http.ResponseWriter, r *http.Request, flash, anchor string) {
	ui.setFlash(w, flash)
	http.Redirect(w, r, complaintURL(r.PathValue("key"))+"#"+anchor, http.StatusSeeOther)
}

// complaintFailed shows the complaint page again after a failed post, with
// the entered values kept and each error beside its field (a message for
// the whole form when the service refused the move itself: wrong stage,
// not independent, forbidden). Errors that are not about the form get the
// error page.
func (ui *UI) complaintFailed(w http.ResponseWriter, r *http.Request, name string, err error, f form) {
	status, ok := f.absorb(err, func(field string) string { return strings.TrimSuffix(field, "_id") })
	if !ok {
		ui.fail(w, r, err)
		return
	}
	d, lerr := ui.loadComplaint(r.Context(), r.PathValue("key"))
	if lerr != nil {
		ui.fail(w, r, lerr)
		return
	}
	for field, msg := range f.Errors { // "user 12 handled …" reads better with the name
		f.Errors[field] = userRef.ReplaceAllStringFunc(msg, func(s string) string {
			id, _ := strconv.ParseInt(strings.TrimPrefix(s, "user "), 10, 64)
			return d.Name(id)
		})
	}
	d.Forms[name] = f
	if !d.shows(name) { // the form is not on the page: its message goes to the top
		d.Alert = f.Error
		for _, fe := range care.ErrorFields(err) {
			d.Alert += " " + label(fe.Field) + " " + fe.Message + "."
		}
	}
	ui.showComplaint(w, r, status, d)
}

// userRef finds a user named by id in a service message.
var userRef = regexp.MustCompile(`\buser [0-9]+\b`)

// complaintTransition answers POST /complaints/{key}/transitions: a stage,
// a tier (with its reviewer) or a referral.
func (ui *UI) complaintTransition(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "to", "reviewer", "referred_to", "customer_response", "note")
	req := care.TransitionRequest{To: f.Get("to"), ReviewerID: f.id("reviewer"), ReferredTo: f.Get("referred_to"),
		CustomerResponse: f.Get("customer_response"), Note: f.Get("note")}
	name := "transition-" + req.To
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, name, nil, f)
		return
	}
	if _, err := ui.svc.TransitionComplaint(r.Context(), r.PathValue("key"), req); err != nil {
		ui.complaintFailed(w, r, name, err, f)
		return
	}
	ui.complaintDone(w, r, "c-"+req.To, "lifecycle")
}

// complaintIntake answers POST /complaints/{key}/intake: the initial
// assessment changed (any member of staff who takes cases, as at intake).
func (ui *UI) complaintIntake(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "remedy_sought", "claim_number", "severity", "complexity", "impact", "vulnerability_note")
	// A tick box follows a hidden "0" of the same name: the last value counts.
	flag := func(name string) *bool {
		vs := r.PostForm[name]
		b := len(vs) > 0 && vs[len(vs)-1] == "1"
		f.Values[name] = map[bool]string{true: "1", false: "0"}[b]
		return &b
	}
	in := care.ComplaintIntake{RemedySought: ptrTo(f.Get("remedy_sought")), ClaimNumber: ptrTo(f.Get("claim_number")),
		Severity: ptrTo(f.Get("severity")), Complexity: ptrTo(f.Get("complexity")), Impact: ptrTo(f.Get("impact")),
		VulnerabilityNote: ptrTo(f.Get("vulnerability_note")), ImmediateAction: flag("immediate_action"), Vulnerable: flag("vulnerable")}
	if _, err := ui.svc.UpdateComplaintIntake(r.Context(), r.PathValue("key"), in); err != nil {
		ui.complaintFailed(w, r, "intake", err, f)
		return
	}
	ui.complaintDone(w, r, "c-intake", "intake")
}

func ptrTo(s string) *string { return &s }

// complaintReviewer answers POST /complaints/{key}/reviewer: the reviewer
// at the current review tier.
func (ui *UI) complaintReviewer(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "reviewer", "note")
	id := f.id("reviewer")
	if id == 0 && len(f.Errors) == 0 {
		f.Errors["reviewer"] = "Choose the reviewer."
	}
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, "reviewer", nil, f)
		return
	}
	if _, err := ui.svc.AssignComplaintReviewer(r.Context(), r.PathValue("key"), id, f.Get("note")); err != nil {
		ui.complaintFailed(w, r, "reviewer", err, f)
		return
	}
	ui.complaintDone(w, r, "c-reviewer", "lifecycle")
}

// complaintEvidence answers POST /complaints/{key}/evidence.
func (ui *UI) complaintEvidence(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "kind", "note", "interaction", "attachment", "url")
	e := &care.Evidence{Kind: f.Get("kind"), Note: f.Get("note"), URL: f.Get("url")}
	switch e.Kind { // the form shows every field; only the kind's counts
	case "interaction":
		e.InteractionID = f.id("interaction")
	case "attachment":
		e.AttachmentID = f.id("attachment")
	}
	if e.Kind != "link" {
		e.URL = ""
	}
	if len(f.Errors) == 0 {
		err := ui.svc.AddEvidence(r.Context(), r.PathValue("key"), e)
		if err == nil {
			ui.complaintDone(w, r, "c-evidence", "evidence")
			return
		}
		ui.complaintFailed(w, r, "evidence", err, f)
		return
	}
	ui.complaintFailed(w, r, "evidence", nil, f)
}

// complaintRequest answers POST /complaints/{key}/requests: a question to
// another team by a due date.
func (ui *UI) complaintRequest(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "team", "question", "due_on")
	req := &care.TeamRequest{Team: f.Get("team"), Question: f.Get("question"), DueOn: f.date("due_on")}
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, "request", nil, f)
		return
	}
	if err := ui.svc.AddTeamRequest(r.Context(), r.PathValue("key"), req); err != nil {
		ui.complaintFailed(w, r, "request", err, f)
		return
	}
	ui.complaintDone(w, r, "c-request", "requests")
}

// itemID reads the {id} of an item's update route.
func itemID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// complaintRequestUpdate answers POST /complaints/{key}/requests/{id}:
// the team's answer, a cancellation or a new due date.
func (ui *UI) complaintRequestUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := itemID(r)
	if !ok {
		ui.renderError(w, r, http.StatusNotFound, "There is no such request.")
		return
	}
	f := postValues(r, "status", "answer", "due_on")
	name := "request-" + strconv.FormatInt(id, 10)
	var upd service.TeamRequestUpdate
	if v := f.Get("status"); v != "" {
		upd.Status = &v
	}
	if v := f.Get("answer"); v != "" {
		upd.Answer = &v
	}
	if due := f.date("due_on"); !due.IsZero() {
		upd.DueOn = &due
	}
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, name, nil, f)
		return
	}
	if _, err := ui.svc.UpdateTeamRequest(r.Context(), r.PathValue("key"), id, upd); err != nil {
		ui.complaintFailed(w, r, name, err, f)
		return
	}
	ui.complaintDone(w, r, "c-request-upd", "request-"+strconv.FormatInt(id, 10))
}

// complaintOutcome answers POST /complaints/{key}/outcome.
func (ui *UI) complaintOutcome(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "outcome", "reasoning", "root_cause")
	o := care.OutcomeDecision{Outcome: f.Get("outcome"), Reasoning: f.Get("reasoning"), RootCause: f.Get("root_cause")}
	if _, err := ui.svc.SetComplaintOutcome(r.Context(), r.PathValue("key"), o); err != nil {
		ui.complaintFailed(w, r, "outcome", err, f)
		return
	}
	ui.complaintDone(w, r, "c-outcome", "outcome")
}

// complaintRedress answers POST /complaints/{key}/redress.
func (ui *UI) complaintRedress(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "kind", "amount", "currency", "status", "payment_ref", "note")
	d := &care.Redress{Kind: f.Get("kind"), Currency: f.Get("currency"), Status: f.Get("status"),
		PaymentRef: f.Get("payment_ref"), Note: f.Get("note")}
	if v := f.Get("amount"); v == "" {
		f.Errors["amount"] = "Enter the amount, such as 150.00."
	} else if n, err := care.ParseMoney(v); err != nil {
		f.Errors["amount"] = "Enter an amount with at most two decimal places, such as 150.00."
	} else {
		d.AmountMinor = n
	}
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, "redress", nil, f)
		return
	}
	if err := ui.svc.AddRedress(r.Context(), r.PathValue("key"), d); err != nil {
		ui.complaintFailed(w, r, "redress", err, f)
		return
	}
	ui.complaintDone(w, r, "c-redress", "redress")
}

// complaintRedressUpdate answers POST /complaints/{key}/redress/{id}:
// paid with its payment record, or declined.
func (ui *UI) complaintRedressUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := itemID(r)
	if !ok {
		ui.renderError(w, r, http.StatusNotFound, "There is no such redress.")
		return
	}
	f := postValues(r, "status", "payment_ref")
	name := "redress-" + strconv.FormatInt(id, 10)
	var upd service.RedressUpdate
	if v := f.Get("status"); v != "" {
		upd.Status = &v
	}
	if v := f.Get("payment_ref"); v != "" {
		upd.PaymentRef = &v
	}
	if _, err := ui.svc.UpdateRedress(r.Context(), r.PathValue("key"), id, upd); err != nil {
		ui.complaintFailed(w, r, name, err, f)
		return
	}
	ui.complaintDone(w, r, "c-redress-upd", "redress")
}

// complaintCAPA answers POST /complaints/{key}/capa: a corrective or
// preventive action with its owner; an empty due date takes the default.
func (ui *UI) complaintCAPA(w http.ResponseWriter, r *http.Request) {
	f := postValues(r, "kind", "description", "owner", "due_on")
	a := &care.CAPA{Kind: f.Get("kind"), Description: f.Get("description"), OwnerID: f.id("owner"), DueOn: f.date("due_on")}
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, "capa", nil, f)
		return
	}
	if err := ui.svc.AddCAPA(r.Context(), r.PathValue("key"), a); err != nil {
		ui.complaintFailed(w, r, "capa", err, f)
		return
	}
	ui.complaintDone(w, r, "c-capa", "capa")
}

// complaintCAPAUpdate answers POST /complaints/{key}/capa/{id}: owner,
// due date, status, and once done the effectiveness review.
func (ui *UI) complaintCAPAUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := itemID(r)
	if !ok {
		ui.renderError(w, r, http.StatusNotFound, "There is no such action.")
		return
	}
	f := postValues(r, "owner", "due_on", "status", "effectiveness_review", "effective",
		"orig_owner", "orig_due_on", "orig_status")
	name := "capa-" + strconv.FormatInt(id, 10)
	var upd service.CAPAUpdate
	// Only what the user changed goes to the service, as on the case page.
	if v := f.Get("owner"); v != f.Get("orig_owner") {
		if owner := f.id("owner"); owner != 0 {
			upd.OwnerID = &owner
		}
	}
	if v := f.Get("due_on"); v != f.Get("orig_due_on") {
		if due := f.date("due_on"); !due.IsZero() {
			upd.DueOn = &due
		}
	}
	if v := f.Get("status"); v != f.Get("orig_status") && v != "" {
		upd.Status = &v
	}
	if v := f.Get("effectiveness_review"); v != "" {
		upd.EffectivenessReview = &v
	}
	if v := f.Get("effective"); v != "" {
		upd.Effective = &v
	}
	if len(f.Errors) > 0 {
		ui.complaintFailed(w, r, name, nil, f)
		return
	}
	if _, err := ui.svc.UpdateCAPA(r.Context(), r.PathValue("key"), id, upd); err != nil {
		ui.complaintFailed(w, r, name, err, f)
		return
	}
	ui.complaintDone(w, r, "c-capa-upd", "capa-"+strconv.FormatInt(id, 10))
}
