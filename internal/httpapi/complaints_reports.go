package httpapi

import (
	"net/http"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

type reportColumnDTO struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ReportDTO is a complaints report as JSON: its period, its documented
// columns, and one object per row keyed by column name.
type ReportDTO struct {
	Report  string              `json:"report"`
	From    string              `json:"from"`
	To      string              `json:"to"`
	Columns []reportColumnDTO   `json:"columns"`
	Rows    []map[string]string `json:"rows"`
}

// NewReportDTO turns a report into its JSON form (shared with the CLI).
func NewReportDTO(r *service.Report) ReportDTO {
	out := ReportDTO{Report: r.Name, From: r.From.Format(time.DateOnly), To: r.To.Format(time.DateOnly),
		Rows: make([]map[string]string, len(r.Rows))}
	for _, c := range r.Columns {
		out.Columns = append(out.Columns, reportColumnDTO{Name: c.Name, Description: c.Description})
	}
	for i, row := range r.Rows {
		m := make(map[string]string, len(row))
		for j, v := range row {
			m[r.Columns[j].Name] = v
		}
		out.Rows[i] = m
	}
	return out
}

// ParseReportPeriod reads from and to (YYYY-MM-DD), naming a bad one.
func ParseReportPeriod(from, to string) (time.Time, time.Time, error) {
	var p care.Problems
	parse := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := care.ParseDate(s)
		if err != nil {
			p.Add(field, "must be a date such as 2026-01-31")
		}
		return t
	}
	f, t := parse("from", from), parse("to", to)
	return f, t, p.Err()
}

// complaintReport answers a regulatory complaints report as JSON, or as
// CSV with ?format=csv.
func (a *API) complaintReport(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	format := q.str("format")
	if format != "" && format != "json" && format != "csv" {
		return care.Invalid("format", "must be json or csv")
	}
	from, to, err := ParseReportPeriod(q.str("from"), q.str("to"))
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
	return writeJSON(w, http.StatusOK, NewReportDTO(rep))
}
