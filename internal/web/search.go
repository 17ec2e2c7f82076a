package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// searchData is the search page's data.
type searchData struct {
	Query     string
	Error     string
	Customers []*care.Customer
	Rows      []queueRow
	Names     map[int64]string
	NextURL   string
	Searched  bool
}

// search answers GET /search?q=: one box for references, customers'
// emails, phones, names and numbers, policy numbers and case text. An exact
// reference opens the case, which is how agents on the phone use it most.
func (ui *UI) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &searchData{Query: strings.TrimSpace(q.Get("q"))}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	if d.Query == "" {
		ui.render(w, r, http.StatusOK, "search", &page{Title: "Search", Nav: "search", Data: d})
		return
	}
	res, err := ui.svc.Search(r.Context(), care.SearchFilter{Query: d.Query, Before: max(before, 0), Limit: 50})
	if care.ErrorCode(err) == care.EINVALID {
		d.Error = "Search " + care.ErrorFields(err)[0].Message + "."
		ui.render(w, r, http.StatusUnprocessableEntity, "search", &page{Title: "Search", Nav: "search", Data: d})
		return
	} else if err != nil {
		ui.fail(w, r, err)
		return
	}
	if care.LooksLikeReference(d.Query) && len(res.Cases) == 1 && before == 0 {
		http.Redirect(w, r, caseURL(res.Cases[0].Case.Reference), http.StatusSeeOther)
		return
	}
	d.Searched, d.Customers, d.Rows = true, res.Customers, newQueueRows(res.Cases, ui.now())
	d.Names = ui.userNames(r.Context())
	if res.Next != 0 {
		d.NextURL = "/search?" + url.Values{"q": {d.Query}, "before": {strconv.FormatInt(res.Next, 10)}}.Encode()
	}
	ui.render(w, r, http.StatusOK, "search", &page{Title: "Search: " + d.Query, Nav: "search", Data: d})
}
