package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// interactionsPerPage bounds the timeline shown at once.
const interactionsPerPage = 200

// caseData is the case page's data.
type caseData struct {
	Case  *care.Case
	Alert string // a message for the whole page, such as a refused action

	Customer    *care.Customer
	CustomerMsg string // why no customer summary is shown, when one should be

	Interactions    []*care.Interaction
	InteractionsMsg string // why the timeline is not shown (a role without interaction:read)
	LaterURL        string // the next page of the timeline, "" on the last

	Names        map[int64]string        // user ID → name
	Assignable   []*care.User            // users the viewer may assign the case to
	Dispositions []*care.DispositionCode // active codes, for the contact form
	DispLabels   map[string]string       // code → label, for the timeline
	CanLog       bool                    // interaction:write
	CanUpdate    bool                    // case:write
	CanAssign    bool                    // case:assign: assign to anyone
	Note         form                    // the "add a note" form
	Contact      form                    // the "log a contact" form
	Update       form                    // the "change status, priority, assignee" form
	Lists        map[string][]string     // choices for the selects
	Clocks       []clockView             // the case's deadlines, active ones first
	Reply        form                    // the "reply by email" form
	Close        form                    // the "close with an outcome" form

	Policies     []*care.Policy    // the customer's policies (customer 360)
	EarlierCases []*care.Case      // the customer's other cases, newest first
	HistoryMsg   string            // why policies or earlier cases are not shown
	Claim        *care.Claim       // the case's own claim record (a claim case), or nil
	Claims       []*store.ClaimRow // the customer's claims with their stages (claims.go)
}

// form is one form's entered values and what is wrong with them, so a
// failed post shows the page again with the values kept and each error
// next to its field.
type form struct {
	Values map[string]string
	Errors map[string]string // field → message
	Error  string            // a message for the whole form (conflict, forbidden)
}

// Get returns the entered value of a field.
func (f form) Get(field string) string { return f.Values[field] }

// Err returns the error message of a field.
func (f form) Err(field string) string { return f.Errors[field] }

func newForm() form { return form{Values: map[string]string{}, Errors: map[string]string{}} }

// absorb puts a failed post's error on the form, so the page can be shown
// again with the entered values: each field error beside its field (under
// the form's own name for it, when rename is given), or the service's
// refusal (forbidden, conflict, wrong stage) as the form's message. It
// returns the status to answer with, or ok false when the error is not
// about the form (the record is gone, the database is down) and the error
// page should be shown instead. A nil err means the form's own checks
// already recorded field errors.
func (f *form) absorb(err error, rename func(field string) string) (status int, ok bool) {
	switch care.ErrorCode(err) {
	case "", care.EINVALID:
		for _, fe := range care.ErrorFields(err) {
			field := fe.Field
			if rename != nil {
				field = rename(field)
			}
			f.Errors[field] = fe.Message
		}
		if f.Error == "" {
			f.Error = "Please correct the fields marked below."
			if len(f.Errors) == 0 && err != nil {
				f.Error = care.ErrorMessage(err)
			}
		}
		return http.StatusUnprocessableEntity, true
	case care.EFORBIDDEN, care.ECONFLICT, care.EPRECONDITION:
		if f.Error == "" {
			f.Error = care.ErrorMessage(err)
		}
		return errorStatus(err), true
	}
	return 0, false
}

// casePage answers GET /cases/{key}; key is a reference or an ID.
func (ui *UI) casePage(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	d, err := ui.loadCase(r.Context(), r.PathValue("key"), max(after, 0))
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.showCase(w, r, http.StatusOK, d)
}

func (ui *UI) showCase(w http.ResponseWriter, r *http.Request, status int, d *caseData) {
	ui.render(w, r, status, "case", &page{Title: d.Case.Reference + " · " + d.Case.Subject, Nav: "cases", Data: d})
}

// loadCase gathers everything the case page shows. Only a failure to read
// the case itself fails the page; a role that may not read customers or
// interactions sees the rest with a note in their place.
func (ui *UI) loadCase(ctx context.Context, key string, after int64) (*caseData, error) {
	c, err := ui.svc.FindCase(ctx, key)
	if err != nil {
		return nil, err
	}
	actor := care.ActorFromContext(ctx)
	d := &caseData{Case: c, Note: newForm(), Contact: newForm(), Update: newForm(), Reply: newForm(), Close: newForm(),
		CanLog: actor.Can(care.PermInteractionWrite), CanUpdate: actor.Can(care.PermCaseWrite),
		CanAssign: actor.Can(care.PermCaseAssign), DispLabels: map[string]string{},
		Lists: map[string][]string{"status": care.CaseStatusList(), "priority": care.PriorityList(),
			"channel": care.ChannelList(), "direction": {"inbound", "outbound"}}}
	if err := ui.loadCustomer(ctx, d); err != nil {
		return nil, err
	}
	if err := ui.loadHistory(ctx, d); err != nil {
		return nil, err
	}
	items, next, err := ui.svc.FindInteractions(ctx, c.Reference, after, interactionsPerPage)
	switch care.ErrorCode(err) {
	case "":
		d.Interactions = items
		if next != 0 {
			d.LaterURL = caseURL(c.Reference) + "?after=" + strconv.FormatInt(next, 10) + "#timeline"
		}
	case care.EFORBIDDEN:
		d.InteractionsMsg = "Your role does not allow reading interactions."
	default:
		return nil, err
	}
	codes, err := ui.svc.FindDispositionCodes(ctx)
	if err != nil {
		return nil, err
	}
	for _, dc := range codes {
		d.DispLabels[dc.Code] = dc.Label
		if dc.Active {
			d.Dispositions = append(d.Dispositions, dc)
		}
	}
	ui.loadUsers(ctx, d, actor)
	d.resetUpdateForm()
	clocks, err := ui.svc.FindCaseClocks(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	d.Clocks = clockViews(clocks, ui.svc.Now())
	return d, nil
}

func (ui *UI) loadCustomer(ctx context.Context, d *caseData) error {
	if d.Case.CustomerID == 0 {
		return nil
	}
	cu, err := ui.svc.FindCustomerByID(ctx, d.Case.CustomerID)
	switch care.ErrorCode(err) {
	case "":
		d.Customer = cu
	case care.EFORBIDDEN:
		d.CustomerMsg = "Your role does not allow reading customer details."
	case care.ENOTFOUND:
		d.CustomerMsg = "The customer record of this case cannot be found."
	default:
		return err
	}
	return nil
}

// loadHistory fills the customer 360: the customer's policies and their
// other cases. A role that may not read them sees a note instead.
func (ui *UI) loadHistory(ctx context.Context, d *caseData) error {
	if err := ui.loadCaseClaims(ctx, d); err != nil {
		return err
	}
	if d.Customer == nil {
		return nil
	}
	pols, err := ui.svc.FindPoliciesByCustomer(ctx, d.Customer.ID)
	switch care.ErrorCode(err) {
	case "":
		d.Policies = pols
	case care.EFORBIDDEN:
		d.HistoryMsg = "Your role does not allow reading policies."
	default:
		return err
	}
	cases, _, err := ui.svc.FindCases(ctx, care.CaseFilter{CustomerID: d.Customer.ID, Limit: 11})
	if err != nil {
		return err
	}
	for _, c := range cases {
		if c.ID != d.Case.ID && len(d.EarlierCases) < 10 {
			d.EarlierCases = append(d.EarlierCases, c)
		}
	}
	return nil
}

// loadUsers fills the names and the assignee choices. Without case:assign
// a user may only take the case, or leave it as it is.
func (ui *UI) loadUsers(ctx context.Context, d *caseData, actor care.Actor) {
	users, err := ui.svc.FindUsers(ctx)
	if err != nil && care.ErrorCode(err) != care.EFORBIDDEN {
		ui.log.Warn("web: list users", "err", err)
	}
	d.Names = map[int64]string{}
	for _, u := range users {
		d.Names[u.ID] = u.Name
		if !u.Active && u.ID != d.Case.AssigneeID {
			continue
		}
		if d.CanAssign || u.ID == actor.UserID || u.ID == d.Case.AssigneeID {
			d.Assignable = append(d.Assignable, u)
		}
	}
}

// resetUpdateForm fills the update form from the case as it is now.
func (d *caseData) resetUpdateForm() {
	c := d.Case
	d.Update.Values = map[string]string{"status": c.Status, "priority": c.Priority,
		"assignee": strconv.FormatInt(c.AssigneeID, 10), "version": strconv.FormatInt(c.Version, 10)}
	if d.Close.Values["status"] == "" {
		d.Close.Values["status"] = "resolved"
	}
}

// AgentName returns the name of an interaction's agent, or "" when none.
func (d *caseData) AgentName(id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := d.Names[id]; ok {
		return n
	}
	return "user " + strconv.FormatInt(id, 10)
}
