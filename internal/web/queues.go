package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// queuePerPage is the length of one page of a queue.
const queuePerPage = 50

// queueData is a work queue page's data.
type queueData struct {
	Scope      string // "mine" or "team"
	Heading    string
	TeamID     int64
	Teams      []*care.Team
	Unassigned bool
	Notice     string
	Items      []queueRow
	NextURL    string
	FirstURL   string
	Names      map[int64]string
	Bulk       bulkForm
}

// queueRow is one case of a queue with its deadline as shown.
type queueRow struct {
	care.QueueItem
	Due         time.Time
	DueLabel    string // "First response · SLA"
	State       string // as of now
	WarnMinutes int
	Paused      bool
}

// bulkForm is the supervisor's "move the ticked cases" form.
type bulkForm struct {
	Can    bool
	Users  []*care.User
	Teams  []*care.Team
	Back   string
	Error  string
	Errors map[string]string
}

func newQueueRows(items []care.QueueItem, now time.Time) []queueRow {
	out := make([]queueRow, len(items))
	for i, it := range items {
		r := queueRow{QueueItem: it}
		if k := it.Clock; k != nil {
			r.Due, r.State, r.Paused = k.DueAt, k.StateAt(now), k.State == care.ClockPaused
			r.WarnMinutes = int(k.DueAt.Sub(k.WarnAt) / time.Minute)
			reg := regimeLabels[k.Regime]
			if reg == "" {
				reg = strings.ToUpper(k.Regime)
			}
			r.DueLabel = label(k.Name) + " · " + reg
		}
		out[i] = r
	}
	return out
}

// myQueue answers GET / and GET /queue: the viewer's open cases by nearest
// deadline.
func (ui *UI) myQueue(w http.ResponseWriter, r *http.Request) {
	st := stateFrom(r.Context())
	d := &queueData{Scope: "mine", Heading: "My queue"}
	ui.showQueue(w, r, d, care.QueueFilter{AssigneeID: st.user.ID})
}

// teamQueue answers GET /queue/team: a team's open cases by nearest
// deadline, the viewer's team unless another is chosen; ?unassigned=1
// shows only the cases nobody holds.
func (ui *UI) teamQueue(w http.ResponseWriter, r *http.Request) {
	st := stateFrom(r.Context())
	q := r.URL.Query()
	d := &queueData{Scope: "team", TeamID: st.user.TeamID, Unassigned: q.Get("unassigned") == "1"}
	if v := q.Get("team"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			ui.renderError(w, r, http.StatusBadRequest, "Choose a team from the list.")
			return
		}
		d.TeamID = id
	}
	teams, err := ui.svc.FindTeams(r.Context())
	if err != nil && care.ErrorCode(err) != care.EFORBIDDEN {
		ui.fail(w, r, err)
		return
	}
	d.Teams = teams
	d.Heading = "Team queue"
	for _, t := range teams {
		if t.ID == d.TeamID {
			d.Heading = t.Name + " queue"
		}
	}
	if d.TeamID == 0 {
		if !d.Unassigned {
			d.Notice = "You are not in a team. Choose a team, or show the cases nobody holds in any team."
			ui.render(w, r, http.StatusOK, "queue", &page{Title: d.Heading, Nav: "team", Data: d})
			return
		}
		d.Heading = "Unassigned cases, every team"
	}
	ui.showQueue(w, r, d, care.QueueFilter{TeamID: d.TeamID, Unassigned: d.Unassigned})
}

func (ui *UI) showQueue(w http.ResponseWriter, r *http.Request, d *queueData, f care.QueueFilter) {
	after, ok := parseQueueCursor(r.URL.Query().Get("after"))
	if !ok {
		ui.renderError(w, r, http.StatusBadRequest, "That page of the queue does not exist; start again from the first page.")
		return
	}
	f.After, f.Limit = after, queuePerPage
	items, next, err := ui.svc.FindQueue(r.Context(), f)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Items = newQueueRows(items, ui.now())
	d.Names = ui.userNames(r.Context())
	if !next.IsZero() {
		d.NextURL = d.pageURL(next)
	}
	if !after.IsZero() {
		d.FirstURL = d.pageURL(care.QueueCursor{})
	}
	ui.fillBulk(r, &d.Bulk, d.Teams, r.URL.RequestURI())
	nav := map[string]string{"mine": "queue", "team": "team"}[d.Scope]
	ui.render(w, r, http.StatusOK, "queue", &page{Title: d.Heading, Nav: nav, Data: d})
}

// fillBulk offers the bulk reassignment form to those who may assign.
func (ui *UI) fillBulk(r *http.Request, b *bulkForm, teams []*care.Team, back string) {
	b.Can = care.ActorFromContext(r.Context()).Can(care.PermCaseAssign)
	if !b.Can {
		return
	}
	users, err := ui.svc.FindUsers(r.Context())
	if err != nil {
		ui.log.Warn("web: list users for bulk form", "err", err)
	}
	for _, u := range users {
		if u.Active {
			b.Users = append(b.Users, u)
		}
	}
	b.Teams, b.Back = teams, back
	if b.Teams == nil {
		b.Teams, _ = ui.svc.FindTeams(r.Context())
	}
}

func (d *queueData) pageURL(c care.QueueCursor) string {
	v := url.Values{}
	path := "/queue"
	if d.Scope == "team" {
		path = "/queue/team"
		if d.TeamID != 0 {
			v.Set("team", strconv.FormatInt(d.TeamID, 10))
		}
		if d.Unassigned {
			v.Set("unassigned", "1")
		}
	}
	if !c.IsZero() {
		v.Set("after", formatQueueCursor(c))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// formatQueueCursor writes a cursor as "DUE_MICROS.ID" (DUE 0: no deadline).
func formatQueueCursor(c care.QueueCursor) string {
	var due int64
	if !c.Due.IsZero() {
		due = c.Due.UnixMicro()
	}
	return strconv.FormatInt(due, 10) + "." + strconv.FormatInt(c.ID, 10)
}

func parseQueueCursor(s string) (care.QueueCursor, bool) {
	if s == "" {
		return care.QueueCursor{}, true
	}
	a, b, ok := strings.Cut(s, ".")
	due, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || due < 0 || id <= 0 {
		return care.QueueCursor{}, false
	}
	c := care.QueueCursor{ID: id}
	if due != 0 {
		c.Due = time.UnixMicro(due).UTC()
	}
	return c, true
}

// bulkAssign answers POST /cases/assign: move the ticked cases to a person
// and/or a team, all in one transaction, then go back to the list.
func (ui *UI) bulkAssign(w http.ResponseWriter, r *http.Request) {
	back := localPath(r.PostForm.Get("back"))
	var b care.BulkAssignment
	for _, v := range r.PostForm["case"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			ui.renderError(w, r, http.StatusBadRequest, "The list of cases could not be read; reload the page and try again.")
			return
		}
		b.CaseIDs = append(b.CaseIDs, id)
	}
	for field, dst := range map[string]**int64{"assignee": &b.AssigneeID, "team": &b.TeamID} {
		v := r.PostForm.Get(field)
		if v == "" {
			continue // "leave as it is"
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			ui.renderError(w, r, http.StatusBadRequest, "Choose a person and a team from the lists.")
			return
		}
		*dst = &id
	}
	n, err := ui.svc.BulkAssign(r.Context(), b)
	if err != nil {
		if errorStatus(err) >= 500 || care.ErrorCode(err) == care.EUNAUTHORIZED {
			ui.fail(w, r, err)
			return
		}
		msg := care.ErrorMessage(err)
		for _, fe := range care.ErrorFields(err) {
			msg += " " + label(strings.TrimSuffix(fe.Field, "_id")) + " " + fe.Message + "."
		}
		ui.renderError(w, r, errorStatus(err), msg)
		return
	}
	ui.setFlash(w, map[bool]string{true: "moved1", false: "moved"}[n == 1])
	if n == 0 {
		ui.setFlash(w, "moved0")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
