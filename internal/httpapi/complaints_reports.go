package httpapi

import (
	"net/http"

	"github.com/caredesk/caredesk/internal/care"
)

// complaintReport answers a regulatory complaints report as JSON, or as
// CSV with ?format=csv.
func (a *API) complaintReport(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	format := q.str("format")
	if format != "" && format != "json" && format != "csv" {
		return care.Invalid("format", "must be json or csv")
	}
	from, to, err := care.ParsePeriod(q.str("from"), q.str("to"))
	if err != nil {
		return err
	}
	rep, err := a.svc.ComplaintReport(r.Context(), r.PathValue("name"), from, to)
	if err != nil {
		return err
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Name+"_"+q.str("from")+"_"+q.str("to")+`.csv"`)
		return rep.WriteCSV(w)
	}
	return writeJSON(w, http.StatusOK, rep)
}
