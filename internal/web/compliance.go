package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// reportTitles name the regulatory complaints reports for people.
var reportTitles = map[string]string{
	"fca-complaints-return": "FCA complaints return (DISP 1.10)",
	"asic-idr":              "ASIC IDR data (RG 271)",
	"us-complaint-register": "US complaint register (NAIC)",
}

// complianceData is the reports page's data.
type complianceData struct {
	Report   string
	From, To string
	Names    []string
	Titles   map[string]string
	Result   *service.Report
	Form     form
}

// URL is the address of the page for another report over the same period.
func (d *complianceData) URL(name string) string {
	return "/compliance/reports?" + url.Values{"report": {name}, "from": {d.From}, "to": {d.To}}.Encode()
}

// DownloadURL is the address of the shown report as CSV or JSON.
func (d *complianceData) DownloadURL(format string) string {
	return "/compliance/reports?" + url.Values{"report": {d.Report}, "from": {d.From}, "to": {d.To}, "format": {format}}.Encode()
}

// complianceReports answers GET /compliance/reports: a regulatory
// complaints report over a period as a table, or as a CSV or JSON download
// with ?format=csv|json: the same figures as `caredesk report` and
// GET /api/v1/reports/{name}, from the same service method, and audited as
// an export. Compliance officers, auditors and administrators (audit:read).
func (ui *UI) complianceReports(w http.ResponseWriter, r *http.Request) {
	if !care.ActorFromContext(r.Context()).Can(care.PermAuditRead) {
		ui.renderError(w, r, http.StatusForbidden, "The regulatory reports are for compliance officers, auditors and administrators.")
		return
	}
	q := r.URL.Query()
	today := dateOnly(ui.now())
	d := &complianceData{Report: q.Get("report"), From: q.Get("from"), To: q.Get("to"), Names: service.ReportNames(),
		Titles: reportTitles, Form: newForm()}
	if d.Report == "" {
		d.Report = d.Names[0]
	}
	if d.From == "" && d.To == "" { // the month so far
		d.From, d.To = today.AddDate(0, 0, 1-today.Day()).Format(time.DateOnly), today.Format(time.DateOnly)
	}
	format := q.Get("format")
	status := http.StatusOK
	switch {
	case !slices.Contains(d.Names, d.Report):
		d.Form.Errors["report"] = "Choose one of the reports."
	case format != "" && format != "csv" && format != "json":
		d.Form.Errors["format"] = "Download as csv or json."
	}
	from, to, err := care.ParsePeriod(d.From, d.To)
	if err == nil && len(d.Form.Errors) == 0 {
		d.Result, err = ui.svc.ComplaintReport(r.Context(), d.Report, from, to)
	}
	if err != nil {
		if errorStatus(err) >= 500 || care.ErrorCode(err) == care.EFORBIDDEN {
			ui.fail(w, r, err)
			return
		}
		for _, fe := range care.ErrorFields(err) {
			d.Form.Errors[fe.Field] = fe.Message
		}
		if len(d.Form.Errors) == 0 {
			d.Form.Error = care.ErrorMessage(err)
		}
	}
	if len(d.Form.Errors) > 0 || d.Form.Error != "" {
		d.Result, status = nil, http.StatusUnprocessableEntity
		if d.Form.Error == "" {
			d.Form.Error = "Please correct the fields marked below."
		}
	} else if format != "" {
		ui.downloadReport(w, r, d.Result, format)
		return
	}
	ui.render(w, r, status, "compliance-reports", &page{Title: "Complaints reports", Nav: "compliance", Data: d})
}

// downloadReport writes a report as CSV or JSON (the API's JSON form).
func (ui *UI) downloadReport(w http.ResponseWriter, r *http.Request, rep *service.Report, format string) {
	name := rep.Name + "_" + rep.From.Format(time.DateOnly) + "_" + rep.To.Format(time.DateOnly) + "." + format
	h := w.Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	var err error
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		err = rep.WriteCSV(w)
	} else {
		h.Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	}
	if err != nil {
		ui.log.Warn("web: write report", "report", rep.Name, "err", err)
	}
}
