package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// casesPerPage is the length of one page of the case list.
const casesPerPage = 50

// caseListData is the case list's data.
type caseListData struct {
	Status, Type string // the filters as chosen
	Mine, Open   bool
	Cases        []*care.Case
	Names        map[int64]string // user ID → name, for the assignee column
	OlderURL     string           // next page, "" on the last
	NewestURL    string           // first page, "" when on it
	Statuses     []string
	Types        []string
}

// caseList answers GET / and GET /cases. A search for a reference jumps
// straight to that case, which is how agents on the phone use it most.
func (ui *UI) caseList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := strings.TrimSpace(q.Get("q"))
	if care.LooksLikeReference(query) {
		http.Redirect(w, r, "/cases/"+url.PathEscape(strings.ToUpper(query)), http.StatusSeeOther)
		return
	}
	d := caseListData{Status: q.Get("status"), Type: q.Get("type"), Mine: q.Get("mine") == "1",
		Open:     lastValue(q, "open", "1") == "1",
		Statuses: care.CaseStatusList(), Types: care.CaseTypeList()}
	if query != "" {
		// Old bookmarks and the form of earlier versions: the search page
		// now finds customers, policies and text as well as references.
		http.Redirect(w, r, "/search?"+url.Values{"q": {query}}.Encode(), http.StatusSeeOther)
		return
	}
	if (d.Status != "" && !care.IsCaseStatus(d.Status)) || (d.Type != "" && !care.IsCaseType(d.Type)) {
		ui.renderError(w, r, http.StatusBadRequest, "The case list filter is not valid: choose a status and a type from the lists on the case list.")
		return
	}
	f := care.CaseFilter{Type: d.Type, Open: d.Open, Limit: casesPerPage}
	if d.Status != "" {
		f.Status = []string{d.Status}
	}
	if d.Mine {
		f.AssigneeID = stateFrom(r.Context()).user.ID
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f.Before = max(before, 0)
	cases, next, err := ui.svc.FindCases(r.Context(), f)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d.Cases = cases
	d.Names = ui.userNames(r.Context())
	if next != 0 {
		d.OlderURL = d.listURL(next)
	}
	if f.Before != 0 {
		d.NewestURL = d.listURL(0)
	}
	ui.render(w, r, http.StatusOK, "cases", &page{Title: "Cases", Nav: "cases", Data: d})
}

// lastValue returns the last value of a repeated query parameter, or def
// when it is absent. A checkbox follows a hidden field of the same name, so
// the last value is the box's state and absence means "not filtered yet".
func lastValue(q url.Values, name, def string) string {
	vs := q[name]
	if len(vs) == 0 {
		return def
	}
	return vs[len(vs)-1]
}

// listURL returns the address of the list with the same filters, from the
// cursor before (0 for the first page).
func (d caseListData) listURL(before int64) string {
	v := url.Values{}
	if d.Status != "" {
		v.Set("status", d.Status)
	}
	if d.Type != "" {
		v.Set("type", d.Type)
	}
	if d.Mine {
		v.Set("mine", "1")
	}
	if d.Open {
		v.Set("open", "1")
	} else {
		v.Set("open", "0")
	}
	if before != 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	return "/cases?" + v.Encode()
}

// userNames maps user IDs to names. A failure only costs the names (the
// page shows IDs), so it is logged rather than failing the page.
func (ui *UI) userNames(ctx context.Context) map[int64]string {
	users, err := ui.svc.FindUsers(ctx)
	if err != nil {
		if care.ErrorCode(err) != care.EFORBIDDEN {
			ui.log.Warn("web: list users for names", "err", err)
		}
		return map[int64]string{}
	}
	m := make(map[int64]string, len(users))
	for _, u := range users {
		m[u.ID] = u.Name
	}
	return m
}
