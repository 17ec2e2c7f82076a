package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// complaintData is the complaint page's data.
type complaintData struct {
	V       *service.ComplaintView
	Alert   string // a refused action whose form is not on the page
	CanAct  bool   // case:assign: move the complaint, record its investigation and outcome
	CanEdit bool   // case:write: change the intake assessment
	Today   time.Time

	Clocks       []clockView
	Names        map[int64]string
	Reviewers    []*care.User // active users who may act on complaints
	Owners       []*care.User // active users, for CAPA owners
	RootCauses   []*care.RootCause
	CauseLabels  map[string]string
	Interactions []*care.Interaction // the case's, for interaction evidence
	Attachments  []*care.Attachment  // the case's, for attachment evidence
	Letters      []*care.Letter      // letters sent on the complaint
	LettersMsg   string              // why letters are not listed

	// Forms by name: "transition", "reviewer", "evidence", "request",
	// "outcome", "redress", "capa", and "request-ID", "redress-ID",
	// "capa-ID" for the update of one item.
	Forms map[string]form
	Lists map[string][]string
}

// F returns the named form (an empty one when it has not failed).
func (d *complaintData) F(name string) form {
	if f, ok := d.Forms[name]; ok {
		return f
	}
	return newForm()
}

// ItemForm returns the update form of one item, such as ("capa", 7).
func (d *complaintData) ItemForm(kind string, id int64) form {
	return d.F(kind + "-" + strconv.FormatInt(id, 10))
}

// Name returns a user's name, or "user N".
func (d *complaintData) Name(id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := d.Names[id]; ok {
		return n
	}
	return "user " + strconv.FormatInt(id, 10)
}

// AttachmentName names one of the case's attachments by its file name.
func (d *complaintData) AttachmentName(id int64) string {
	for _, a := range d.Attachments {
		if a.ID == id {
			return a.Filename
		}
	}
	return "attachment " + strconv.FormatInt(id, 10)
}

// Closed reports whether the complaint is closed.
func (d *complaintData) Closed() bool { return d.V.Complaint.Stage == care.StageClosed }

// Can reports whether the complaint may move to a target now, so the page
// offers only the moves that make sense. The service decides in the end.
func (d *complaintData) Can(to string) bool {
	k, c := d.V.Complaint, d.V.Case
	switch to {
	case care.StageAcknowledged:
		return k.Stage == care.StageReceived
	case care.StageInvestigating:
		return k.Stage == care.StageAcknowledged
	case care.StageResponseIssued:
		return k.Stage == care.StageAcknowledged || k.Stage == care.StageInvestigating
	case care.StageClosed:
		return k.Stage == care.StageResponseIssued || (k.Outcome == "withdrawn" && k.Stage != care.StageClosed)
	case "tier2", "executive":
		return k.Stage != care.StageClosed && !care.IsClosedStatus(c.Status) && care.TierRank(c.Tier) < care.TierRank(to)
	case "referred":
		return c.Tier != "referred"
	case "reviewer":
		return (c.Tier == "tier2" || c.Tier == "executive") && k.Stage != care.StageClosed
	}
	return false
}

// shows reports whether the page shows the named form, so a refusal of a
// form that is not there (a stale page, a move no longer open) is shown at
// the top of the page instead.
func (d *complaintData) shows(name string) bool {
	if name == "intake" {
		return d.CanEdit
	}
	if !d.CanAct {
		return false
	}
	if to, ok := strings.CutPrefix(name, "transition-"); ok {
		if to == "tier2" || to == "executive" {
			return to == d.NextTier()
		}
		return d.Can(to)
	}
	switch name {
	case "reviewer":
		return d.Can("reviewer")
	case "evidence", "request", "outcome":
		return !d.Closed()
	}
	return true
}

// NextTier is the review tier above the complaint's, "" at the top.
func (d *complaintData) NextTier() string {
	switch d.V.Case.Tier {
	case "frontline":
		return "tier2"
	case "tier2":
		return "executive"
	}
	return ""
}

// HandlersAt lists who handled the complaint at a tier.
func (d *complaintData) HandlersAt(tier string) []care.TierHandler {
	var out []care.TierHandler
	for _, h := range d.V.Handlers {
		if h.Tier == tier {
			out = append(out, h)
		}
	}
	return out
}

// Money writes an amount in minor units with its currency.
func (d *complaintData) Money(minor int64, currency string) string {
	return currency + " " + care.FormatMoney(minor)
}

// Currency is the currency the redress form offers first: the one of the
// complaint's earlier redress, else the regime's.
func (d *complaintData) Currency() string {
	for _, r := range d.V.Redress {
		return r.Currency
	}
	for _, rg := range d.V.Case.Regimes {
		switch {
		case strings.HasPrefix(rg, "uk-"):
			return "GBP"
		case strings.HasPrefix(rg, "au-"):
			return "AUD"
		case strings.HasPrefix(rg, "ie-"):
			return "EUR"
		case strings.HasPrefix(rg, "us-"):
			return "USD"
		}
	}
	return ""
}

// TierList, StageList and ForwardStages list tiers and stages in order,
// for the page's steps and forms.
func (d *complaintData) TierList() []string  { return care.CaseTiers }
func (d *complaintData) StageList() []string { return care.ComplaintStages }
func (d *complaintData) ForwardStages() []string {
	return []string{care.StageAcknowledged, care.StageInvestigating, care.StageResponseIssued}
}

// complaintPage answers GET /complaints/{key}; key is a reference or an ID.
func (ui *UI) complaintPage(w http.ResponseWriter, r *http.Request) {
	d, err := ui.loadComplaint(r.Context(), r.PathValue("key"))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.showComplaint(w, r, http.StatusOK, d)
}

func (ui *UI) showComplaint(w http.ResponseWriter, r *http.Request, status int, d *complaintData) {
	c := d.V.Case
	ui.render(w, r, status, "complaint", &page{Title: c.Reference + " · complaint · " + c.Subject, Nav: "complaints", Data: d})
}

// loadComplaint gathers everything the complaint page shows. Only a
// failure to read the complaint itself fails the page: the pickers for
// evidence and the letters list are left out for a role that may not read
// them.
func (ui *UI) loadComplaint(ctx context.Context, key string) (*complaintData, error) {
	v, err := ui.svc.FindComplaint(ctx, key)
	if err != nil {
		return nil, err
	}
	actor := care.ActorFromContext(ctx)
	now := ui.now()
	d := &complaintData{V: v, CanAct: actor.Can(service.PermComplaintAct), CanEdit: actor.Can(care.PermCaseWrite), Today: dateOnly(now),
		Clocks: clockViews(v.Clocks, now), Forms: map[string]form{}, CauseLabels: map[string]string{},
		Lists: map[string][]string{"outcome": care.Outcomes, "customer_response": care.CustomerResponses,
			"team": care.RequestTeams, "request_status": care.RequestStatuses, "redress_kind": care.RedressKinds,
			"redress_status": care.RedressStatuses, "currency": care.Currencies, "capa_kind": care.CAPAKinds,
			"severity": care.Severities, "complexity": care.Complexities, "impact": care.Impacts,
			"capa_status": care.CAPAStatuses, "redress_now": {"paid", "declined"}, "effective": care.Effectiveness, "evidence_kind": care.EvidenceKinds}}
	users, err := ui.svc.FindUsers(ctx)
	if err != nil && care.ErrorCode(err) != care.EFORBIDDEN {
		return nil, err
	}
	d.Names = map[int64]string{}
	for _, u := range users {
		d.Names[u.ID] = u.Name
		if !u.Active {
			continue
		}
		d.Owners = append(d.Owners, u)
		if care.RoleCan(u.Role, service.PermComplaintAct) {
			d.Reviewers = append(d.Reviewers, u)
		}
	}
	causes, err := ui.svc.FindRootCauses(ctx)
	if err != nil {
		return nil, err
	}
	for _, rc := range causes {
		d.CauseLabels[rc.Code] = rc.Label
		if rc.Active {
			d.RootCauses = append(d.RootCauses, rc)
		}
	}
	if d.CanAct {
		if err := ui.loadEvidenceChoices(ctx, d); err != nil {
			return nil, err
		}
	}
	if err := ui.loadLetters(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// loadEvidenceChoices lists the case's interactions and attachments, for
// the evidence form.
func (ui *UI) loadEvidenceChoices(ctx context.Context, d *complaintData) error {
	ref := d.V.Case.Reference
	items, _, err := ui.svc.FindInteractions(ctx, ref, 0, interactionsPerPage)
	if care.ErrorCode(err) != care.EFORBIDDEN && err != nil {
		return err
	}
	d.Interactions = items
	atts, err := ui.svc.FindAttachments(ctx, ref)
	if care.ErrorCode(err) != care.EFORBIDDEN && err != nil {
		return err
	}
	d.Attachments = atts
	return nil
}

// dateOnly is the UTC date of t, as midnight UTC.
func dateOnly(t time.Time) time.Time {
	y, m, dd := t.UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}
