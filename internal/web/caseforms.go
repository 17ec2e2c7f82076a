package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// addInteraction answers POST /cases/{key}/interactions: an internal note
// (kind=note) or a logged contact (kind=contact).
func (ui *UI) addInteraction(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	actor := care.ActorFromContext(r.Context())
	f := newForm()
	for _, k := range []string{"kind", "channel", "direction", "disposition", "subject", "body"} {
		f.Values[k] = r.PostForm.Get(k)
	}
	i := &care.Interaction{AgentID: actor.UserID, Body: strings.TrimRight(f.Get("body"), " \t\r\n"),
		Subject: strings.TrimSpace(f.Get("subject"))}
	isNote := f.Get("kind") != "contact"
	if isNote {
		i.Channel, i.Direction = "note", "internal"
		if strings.TrimSpace(i.Body) == "" {
			f.Errors["body"] = "Write the note before adding it."
		}
	} else {
		i.Channel, i.Direction, i.Disposition = f.Get("channel"), f.Get("direction"), f.Get("disposition")
		if i.Direction == "" {
			f.Errors["direction"] = "Choose inbound or outbound."
		}
	}
	var err error
	if len(f.Errors) == 0 {
		var c *care.Case
		if c, err = ui.svc.CreateInteraction(r.Context(), key, i); err == nil {
			ui.setFlash(w, map[bool]string{true: "note", false: "contact"}[isNote])
			http.Redirect(w, r, caseURL(c.Reference)+"#interaction-"+strconv.FormatInt(i.ID, 10), http.StatusSeeOther)
			return
		}
	}
	ui.formFailed(w, r, key, err, f, func(d *caseData) *form {
		if isNote {
			return &d.Note
		}
		return &d.Contact
	})
}

// updateCase answers POST /cases/{key}/update. It sends the service only the
// fields the user changed, with the version the form was rendered from, so
// an edit made meanwhile by someone else is reported, not overwritten.
func (ui *UI) updateCase(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := newForm()
	for _, k := range []string{"status", "priority", "assignee", "version", "type"} {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	var upd care.CaseUpdate
	upd.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	if upd.Version <= 0 {
		f.Error = "The form is missing the case version. Reload the page and try again."
	}
	if v := f.Get("status"); r.PostForm.Has("status") && v != r.PostForm.Get("orig_status") {
		upd.Status = &v
	}
	if v := f.Get("type"); v != "" && v != r.PostForm.Get("orig_type") {
		upd.Type = &v
	}
	if v := f.Get("priority"); r.PostForm.Has("priority") && v != r.PostForm.Get("orig_priority") {
		upd.Priority = &v
	}
	if v := f.Get("assignee"); r.PostForm.Has("assignee") && v != r.PostForm.Get("orig_assignee") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			f.Errors["assignee"] = "Choose someone from the list."
		}
		upd.AssigneeID = &id
	}
	var err error
	switch {
	case f.Error != "" || len(f.Errors) > 0:
	case upd.Status == nil && upd.Priority == nil && upd.AssigneeID == nil && upd.Type == nil:
		ui.setFlash(w, "unchanged")
		http.Redirect(w, r, caseURL(key), http.StatusSeeOther)
		return
	default:
		var c *care.Case
		if c, err = ui.svc.UpdateCase(r.Context(), key, upd); err == nil {
			ui.setFlash(w, "updated")
			http.Redirect(w, r, caseURL(c.Reference), http.StatusSeeOther)
			return
		}
	}
	if care.ErrorCode(err) == care.ECONFLICT {
		// Show the case as it is now, with the form reset to its current
		// values: re-applying the old choices blindly could undo the other
		// person's change.
		f = newForm()
		f.Error = "Someone else changed this case while you were editing it. The page now shows the latest version: check it and make your change again."
	}
	ui.formFailed(w, r, key, err, f, func(d *caseData) *form { return &d.Update })
}

// replyEmail answers POST /cases/{key}/reply: an email to the customer,
// queued in the outbox and recorded on the timeline.
func (ui *UI) replyEmail(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := newForm()
	for _, k := range []string{"subject", "body"} {
		f.Values[k] = r.PostForm.Get(k)
	}
	if strings.TrimSpace(f.Get("body")) == "" {
		f.Errors["body"] = "Write the reply before sending it."
		ui.formFailed(w, r, key, nil, f, func(d *caseData) *form { return &d.Reply })
		return
	}
	c, i, err := ui.svc.ReplyByEmail(r.Context(), key, f.Get("subject"), f.Get("body"))
	if err != nil {
		ui.formFailed(w, r, key, err, f, func(d *caseData) *form { return &d.Reply })
		return
	}
	ui.setFlash(w, "replied")
	http.Redirect(w, r, caseURL(c.Reference)+"#interaction-"+strconv.FormatInt(i.ID, 10), http.StatusSeeOther)
}

// closeCase answers POST /cases/{key}/close: the outcome, its disposition
// and the final status, in one step.
func (ui *UI) closeCase(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	f := newForm()
	for _, k := range []string{"status", "disposition", "outcome", "version"} {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	c, err := ui.svc.CloseCase(r.Context(), key, service.CaseClosure{Status: f.Get("status"),
		Disposition: f.Get("disposition"), Outcome: f.Get("outcome"), Version: version})
	if err != nil {
		if care.ErrorCode(err) == care.ECONFLICT {
			f.Error = "Someone else changed this case while you were closing it. Check the latest version, then close it again."
		}
		ui.formFailed(w, r, key, err, f, func(d *caseData) *form { return &d.Close })
		return
	}
	ui.setFlash(w, "closed")
	http.Redirect(w, r, caseURL(c.Reference), http.StatusSeeOther)
}

// formFailed shows the case page again after a failed form post, with the
// entered values kept and the errors placed on the form that failed. Errors
// that are not about the form (the case is gone, the database is down) get
// the error page.
func (ui *UI) formFailed(w http.ResponseWriter, r *http.Request, key string, err error, f form, which func(*caseData) *form) {
	status, ok := f.absorb(err, func(field string) string { return strings.TrimSuffix(field, "_id") })
	if !ok {
		ui.fail(w, r, err)
		return
	}
	d, lerr := ui.loadCase(r.Context(), key, 0)
	if lerr != nil {
		ui.fail(w, r, lerr)
		return
	}
	target := which(d)
	if len(f.Values) == 0 {
		f.Values = target.Values // a reset form keeps the case's current values
	}
	*target = f
	if hidden := ((target == &d.Update || target == &d.Close) && !d.CanUpdate) || (target != &d.Update && !d.CanLog); hidden {
		d.Alert = f.Error // the form is not on the page, so its message goes to the top
	}
	ui.showCase(w, r, status, d)
}

// caseURL is the address of a case's page.
func caseURL(key string) string { return "/cases/" + url.PathEscape(key) }
