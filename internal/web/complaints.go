package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// complaintsPerPage is the length of one page of the complaints queue.
const complaintsPerPage = 50

// complaintQueueData is the complaints queue page's data.
type complaintQueueData struct {
	Scope      string // "mine", "team" or "all"
	CanAll     bool   // case:assign or audit:read: every complaint, not only one's own or one's team's
	Stage      string
	Tier       string
	Vulnerable bool
	Closed     bool // include closed complaints
	Notice     string
	Rows       []complaintRow
	Names      map[int64]string
	Stages     []string
	Tiers      []string
	NextURL    string
	FirstURL   string
	offset     int
}

// complaintRow is one complaint of the queue.
type complaintRow struct {
	Case       *care.Case
	Stage      string
	NextDue    time.Time
	Vulnerable bool
	Overdue    bool
	Q          queueRow // the nearest clock as the agents' queues show it, missed deadlines, customer
}

// complaintQueue answers GET /complaints: the complaints handler's queue
// by nearest deadline (the viewer's own, their team's, or all of them for
// those who act on or audit complaints), filtered by stage, tier and the
// vulnerable flag.
func (ui *UI) complaintQueue(w http.ResponseWriter, r *http.Request) {
	st := stateFrom(r.Context())
	q := r.URL.Query()
	d := &complaintQueueData{Scope: q.Get("scope"), Stage: q.Get("stage"), Tier: q.Get("tier"),
		Vulnerable: q.Get("vulnerable") == "1", Closed: q.Get("closed") == "1",
		CanAll: st.actor.Can(care.PermCaseAssign) || st.actor.Can(care.PermAuditRead),
		Stages: care.ComplaintStages, Tiers: care.CaseTiers}
	if d.Scope == "" {
		d.Scope = "mine"
		if !st.actor.Can(care.PermCaseAssign) && d.CanAll {
			d.Scope = "all" // compliance staff hold no complaints of their own
		}
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ui.renderError(w, r, http.StatusBadRequest, "That page of the queue does not exist; start again from the first page.")
			return
		}
		d.offset = n
	}
	f := store.ComplaintQueueFilter{Stage: d.Stage, Tier: d.Tier, Vulnerable: d.Vulnerable, Open: !d.Closed,
		Offset: d.offset, Limit: complaintsPerPage}
	switch d.Scope {
	case "mine":
		f.AssigneeID = st.user.ID
	case "team":
		f.TeamID = st.user.TeamID
		if f.TeamID == 0 {
			d.Notice = "You are not in a team, so there is no team queue to show. Choose “Mine” or ask an administrator to add you to a team."
		}
	case "all":
		if !d.CanAll {
			ui.renderError(w, r, http.StatusForbidden, "Your role shows your own and your team's complaints only.")
			return
		}
	default:
		ui.renderError(w, r, http.StatusBadRequest, "Choose mine, team or all.")
		return
	}
	if d.Notice == "" {
		items, next, err := ui.svc.FindComplaints(r.Context(), f)
		if care.ErrorCode(err) == care.EINVALID { // a stage or tier not in the lists
			msg := "Choose the filters from the lists:"
			for _, fe := range care.ErrorFields(err) {
				msg += " " + fe.Field + " " + fe.Message + "."
			}
			ui.renderError(w, r, http.StatusUnprocessableEntity, msg)
			return
		} else if err != nil {
			ui.fail(w, r, err)
			return
		}
		now := ui.now()
		for _, it := range items {
			row := complaintRow{Case: it.Case, Stage: it.Stage, NextDue: it.NextDue, Vulnerable: it.Vulnerable,
				Overdue: !it.NextDue.IsZero() && it.NextDue.Before(now)}
			if it.Queue.Case != nil {
				row.Q = newQueueRows([]care.QueueItem{it.Queue}, now)[0]
			}
			d.Rows = append(d.Rows, row)
		}
		if next != 0 {
			d.NextURL = d.url(next)
		}
		if d.offset != 0 {
			d.FirstURL = d.url(0)
		}
	}
	d.Names = ui.userNames(r.Context())
	ui.render(w, r, http.StatusOK, "complaints", &page{Title: "Complaints", Nav: "complaints", Data: d})
}

// url is the address of the queue with the same filters at offset.
func (d *complaintQueueData) url(offset int) string {
	v := url.Values{"scope": {d.Scope}}
	for k, s := range map[string]string{"stage": d.Stage, "tier": d.Tier} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if d.Vulnerable {
		v.Set("vulnerable", "1")
	}
	if d.Closed {
		v.Set("closed", "1")
	}
	if offset != 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	return "/complaints?" + v.Encode()
}

// ScopeURL is the address of the queue in another scope, keeping the
// filters.
func (d *complaintQueueData) ScopeURL(scope string) string {
	c := *d
	c.Scope = scope
	return c.url(0)
}

// complaintURL is the address of a complaint's page.
func complaintURL(key string) string { return "/complaints/" + url.PathEscape(key) }

// tierNames are the review tiers as staff speak of them.
var tierNames = map[string]string{"frontline": "Frontline", "tier2": "Specialist review (tier 2)",
	"executive": "Executive review", "referred": "Referred"}

// tierName names a review tier.
func tierName(t string) string {
	if n, ok := tierNames[t]; ok {
		return n
	}
	return label(t)
}

// regimeName names a regime ("uk-fca" → "UK FCA").
func regimeName(r string) string {
	if n, ok := regimeLabels[r]; ok {
		return n
	}
	return strings.ToUpper(r)
}
