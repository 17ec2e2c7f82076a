package web

import (
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
)

// supervisorData is the supervisor view's data.
type supervisorData struct {
	Buckets   []string
	Backlog   []backlogRow
	Total     backlogRow
	Warning   []queueRow // deadlines past their warning point
	Breached  []queueRow // deadlines already missed
	Escalated []queueRow // cases waiting for tier-2 or executive review
	Names     map[int64]string
	Bulk      bulkForm
	TeamID    int64 // the team whose deadlines and escalations are shown, 0 for all
	Teams     []*care.Team
}

// backlogRow is one team's line of the backlog table.
type backlogRow struct {
	TeamID int64
	Team   string
	*care.BacklogRow
}

// supervisor answers GET /supervisor: the backlog by team and age, the
// cases about to breach and breached, and the escalations to review, with
// the bulk form to move cases.
func (ui *UI) supervisor(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var teamID int64
	if v := r.URL.Query().Get("team"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 0 {
			ui.renderError(w, r, http.StatusBadRequest, "Choose a team from the list.")
			return
		}
		teamID = id
	}
	backlog, err := ui.svc.FindBacklog(ctx)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	teams, err := ui.svc.FindTeams(ctx)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	names := map[int64]string{0: "No team"}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	d := &supervisorData{TeamID: teamID, Teams: teams, Total: backlogRow{Team: "All teams", BacklogRow: &care.BacklogRow{Buckets: make([]int64, len(care.AgeBuckets))}}}
	for _, b := range care.AgeBuckets {
		d.Buckets = append(d.Buckets, b.Label)
	}
	for _, row := range backlog {
		d.Backlog = append(d.Backlog, backlogRow{TeamID: row.TeamID, Team: names[row.TeamID], BacklogRow: row})
		for i, n := range row.Buckets {
			d.Total.Buckets[i] += n
		}
		d.Total.Total += row.Total
		d.Total.Unassigned += row.Unassigned
	}
	risks, err := ui.svc.FindAtRisk(ctx, teamID, 200)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	now := ui.now()
	seen := map[int64]bool{}
	for _, rk := range risks {
		if seen[rk.Case.ID] {
			continue // a case shows once, at its nearest deadline in trouble
		}
		seen[rk.Case.ID] = true
		row := newQueueRows([]care.QueueItem{{Case: rk.Case, Clock: rk.Clock}}, now)[0]
		if row.State == care.ClockBreached {
			d.Breached = append(d.Breached, row)
		} else {
			d.Warning = append(d.Warning, row)
		}
	}
	esc, err := ui.svc.FindEscalated(ctx, 100)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	for _, it := range esc {
		if teamID == 0 || it.Case.TeamID == teamID {
			d.Escalated = append(d.Escalated, newQueueRows([]care.QueueItem{it}, now)[0])
		}
	}
	d.Names = ui.userNames(ctx)
	ui.fillBulk(r, &d.Bulk, teams, r.URL.RequestURI())
	ui.render(w, r, http.StatusOK, "supervisor", &page{Title: "Supervisor", Nav: "supervisor", Data: d})
}
