package web

import (
	"encoding/csv"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

func init() { flashes["targets"] = "Dashboard targets saved." }

// dashboardData is the dashboard page's data.
type dashboardData struct {
	Filter       form         // from, to, by, channel, team, case_type
	Query        template.URL // the filter as a query string, for the CSV links
	Teams        []*care.Team
	Channels     []string
	Types        []string
	Latest       string // the period the gauges show
	AsOf         string
	Trends       []lineChart
	Gauges       []gauge
	Ageing       *barChart // nil when the filter excludes complaints
	Heat         heatMap
	Empty        bool // no data at all in the range
	Targets      form // the targets form, for config:admin
	Grains       []string
	TargetFields []targetField
}

// targetField is one input of the targets form.
type targetField struct{ Name, Label string }

var targetFields = []targetField{
	{"asa_seconds", "ASA, phone (seconds, at most)"},
	{"abandonment_rate", "Abandonment (%, below)"},
	{"fcr_rate", "FCR (%, at least)"},
	{"csat", "CSAT (%, at least)"},
	{"complaints_in_time", "Complaints resolved in time (%, at least)"},
}

// dashFields are the filter's parameters.
var dashFields = []string{"from", "to", "by", "channel", "team", "case_type"}

// dashboardRequest reads the filter, filling the default range: the last
// 24 months by month, up to today in the rollups' time zone.
func (ui *UI) dashboardRequest(r *http.Request) (service.KPIRequest, form, error) {
	f := newForm()
	q := r.URL.Query()
	for _, k := range dashFields {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	if f.Values["by"] == "" {
		f.Values["by"] = "month"
	}
	if f.Values["from"] == "" || f.Values["to"] == "" {
		set, err := ui.svc.KPISettings(r.Context())
		if err != nil {
			return service.KPIRequest{}, f, err
		}
		loc, err := time.LoadLocation(set.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		today := ui.now().In(loc)
		if f.Values["to"] == "" {
			f.Values["to"] = today.Format(time.DateOnly)
		}
		if f.Values["from"] == "" {
			first := time.Date(today.Year(), today.Month()-23, 1, 0, 0, 0, 0, loc)
			f.Values["from"] = first.Format(time.DateOnly)
		}
	}
	req := service.KPIRequest{From: f.Values["from"], To: f.Values["to"], By: f.Values["by"],
		Channel: f.Values["channel"], Team: f.Values["team"], CaseType: f.Values["case_type"]}
	return req, f, nil
}

// dashboard answers GET /dashboard: KPI trends, gauges against targets,
// complaints by age and volume by channel and case type (kpi:read).
func (ui *UI) dashboard(w http.ResponseWriter, r *http.Request) {
	ui.showDashboard(w, r, http.StatusOK, form{})
}

func (ui *UI) showDashboard(w http.ResponseWriter, r *http.Request, status int, targets form) {
	ctx := r.Context()
	req, f, err := ui.dashboardRequest(r)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &dashboardData{Filter: f, Channels: dashChannels(), Types: care.CaseTypes, Targets: targets,
		Grains: []string{"day", "week", "month"}, TargetFields: targetFields}
	if d.Teams, err = ui.svc.FindTeams(ctx); err != nil {
		ui.fail(w, r, err)
		return
	}
	dash, err := ui.svc.KPIDashboard(ctx, req)
	switch {
	case care.ErrorCode(err) == care.EINVALID:
		for _, fe := range care.ErrorFields(err) {
			f.Errors[fe.Field] = fe.Message
		}
		f.Error = care.ErrorMessage(err)
		d.Filter, status = f, http.StatusUnprocessableEntity
	case err != nil:
		ui.fail(w, r, err)
		return
	default:
		d.Query = dashQuery(f)
		d.build(dash)
		if d.Targets.Values == nil {
			d.Targets = targetsForm(dash.Targets)
		}
	}
	ui.render(w, r, status, "dashboard", &page{Title: "Dashboard", Nav: "dashboard", Data: d})
}

// dashChannels are the channels a case can arrive by (notes are not one).
func dashChannels() []string { return care.Channels }

// dashQuery encodes the filter for the CSV links (url.Values.Encode escapes
// every value, so the result is safe in a URL's query).
func dashQuery(f form) template.URL {
	v := url.Values{}
	for _, k := range dashFields {
		if f.Values[k] != "" {
			v.Set(k, f.Values[k])
		}
	}
	return template.URL(v.Encode())
}

// periodLabel names a period briefly: "Mar 2026", "w/c 2 Mar 2026", "2 Mar 2026".
func periodLabel(f kpi.Figures, by string) string {
	switch by {
	case "month":
		return f.Start.Format("Jan 2006")
	case "week":
		return "w/c " + f.Start.Format("2 Jan 2006")
	}
	return f.Start.Format("2 Jan 2006")
}

// trendMetric is one trend chart: how to read it from a period's figures.
type trendMetric struct {
	id, title, desc string
	scale           scale
	voice           bool // read from the phone-only figures when there are any
	get             func(*kpi.Figures) kpi.Maybe
	target          func(store.KPITargets) *float64
}

func ptr(v float64) *float64 { return &v }

var trendMetrics = []trendMetric{
	{"csat", "Customer satisfaction (CSAT)", "share of survey answers 4 or 5 out of 5", scale{Min: 0, Max: 1, Percent: true}, false,
		func(f *kpi.Figures) kpi.Maybe { return f.CSAT }, func(t store.KPITargets) *float64 { return ptr(t.CSAT) }},
	{"nps", "Net Promoter Score (NPS)", "% promoters (9–10) minus % detractors (0–6)", scale{Min: -100, Max: 100}, false,
		func(f *kpi.Figures) kpi.Maybe { return f.NPS }, func(store.KPITargets) *float64 { return nil }},
	{"fcr", "First-contact resolution (FCR)", "cases resolved at the first contact, of cases resolved", scale{Min: 0, Max: 1, Percent: true}, false,
		func(f *kpi.Figures) kpi.Maybe { return f.FCRRate }, func(t store.KPITargets) *float64 { return ptr(t.FCRRate) }},
	{"asa", "Average speed of answer (ASA)", "mean wait of answered calls, in seconds", scale{Unit: "s"}, true,
		func(f *kpi.Figures) kpi.Maybe { return f.ASASeconds }, func(t store.KPITargets) *float64 { return ptr(t.ASASeconds) }},
	{"abandonment", "Abandonment rate", "calls abandoned after the short-abandon threshold, of calls offered", scale{Min: 0, Max: 0, Percent: true}, true,
		func(f *kpi.Figures) kpi.Maybe { return f.AbandonmentRate }, func(t store.KPITargets) *float64 { return ptr(t.AbandonmentRate) }},
	{"churn", "Churn", "policies not renewed, of policies up for renewal", scale{Min: 0, Max: 1, Percent: true}, false,
		func(f *kpi.Figures) kpi.Maybe { return f.ChurnRate }, func(store.KPITargets) *float64 { return nil }},
}

// source returns the periods a metric reads: voice metrics read the
// phone-only figures unless the filter chose another channel.
func (m trendMetric) source(d *service.KPIDashboard) ([]kpi.Figures, string) {
	if m.voice && d.Voice != nil {
		return d.Voice, " (phone)"
	}
	return d.Periods, ""
}

// build turns the dashboard's figures into charts.
func (d *dashboardData) build(dash *service.KPIDashboard) {
	by := d.Filter.Values["by"]
	d.Empty = true
	for i := range dash.Periods {
		p := &dash.Periods[i]
		if p.Received+p.Offered+p.Handled+p.Backlog+p.CSATResponses+p.NPSResponses+p.RenewalsDue > 0 {
			d.Empty = false
		}
	}
	d.AsOf = dash.AsOf.In(dash.Location).Format("2 Jan 2006 15:04 MST")
	last := dash.Periods[len(dash.Periods)-1]
	d.Latest = periodLabel(last, by)
	for _, m := range trendMetrics {
		figs, suffix := m.source(dash)
		if m.id == "churn" && !slices.ContainsFunc(figs, func(f kpi.Figures) bool { return f.RenewalsDue > 0 }) {
			continue // no renewals recorded: nothing to draw
		}
		var s series
		for i := range figs {
			v := m.get(&figs[i])
			s.Labels = append(s.Labels, periodLabel(figs[i], by))
			s.Values, s.Valid = append(s.Values, v.Value), append(s.Valid, v.Valid)
		}
		sc := m.scale
		if m.id == "abandonment" {
			sc.Max = 0 // from the data: a 5 % target on a 0–100 % axis would be a flat line
		}
		c := newLineChart("trend-"+m.id, m.title+suffix, m.title+suffix+" per "+by+": "+m.desc+".", s, sc, m.target(dash.Targets))
		c.CSV = m.id + ".csv"
		d.Trends = append(d.Trends, c)
	}
	d.Gauges = gauges(dash, by)
	if dash.Complaints != nil {
		cur := dash.Complaints[len(dash.Complaints)-1]
		var labels []string
		var counts []int64
		for _, b := range cur.Ageing {
			labels = append(labels, b.Label+" days")
			counts = append(counts, b.Count)
		}
		c := newBarChart("ageing", "Open complaints by age", "Complaints open on "+d.AsOf+
			" by whole days since they were received, the last bucket past eight weeks.", labels, counts)
		d.Ageing = &c
	}
	rows, cols, counts := heatCounts(dash, d.Filter)
	var rl, cl []string
	for _, r := range rows {
		rl = append(rl, label(r))
	}
	for _, c := range cols {
		cl = append(cl, label(c))
	}
	d.Heat = newHeatMap("heat", "Cases received by channel and case type",
		"Cases received from "+d.Filter.Values["from"]+" to "+d.Filter.Values["to"]+", by the channel of first contact (rows) and the case type (columns).",
		rl, cl, counts)
}

// finalResponse sums the complaints resolved within their final-response
// deadline, across regimes.
func finalResponse(f *kpi.Figures) kpi.Maybe {
	var met, all int64
	for _, a := range f.ComplaintDeadlines {
		if strings.HasSuffix(a.Name, "/final_response") {
			met, all = met+a.Met, all+a.Met+a.Missed
		}
	}
	if all == 0 {
		return kpi.Maybe{}
	}
	return kpi.Some(float64(met) / float64(all))
}

// gaugeMetric is one gauge: its figure, target and dial.
type gaugeMetric struct {
	id, title   string
	scale       scale
	voice       bool
	lowerBetter bool
	get         func(*kpi.Figures) kpi.Maybe
	target      func(store.KPITargets) float64
	dial        func(target float64) float64 // the dial's top
}

var gaugeMetrics = []gaugeMetric{
	{"asa", "ASA", scale{Unit: "s"}, true, true, func(f *kpi.Figures) kpi.Maybe { return f.ASASeconds },
		func(t store.KPITargets) float64 { return t.ASASeconds }, func(t float64) float64 { return 4 * t }},
	{"abandonment", "Abandonment", scale{Percent: true}, true, true, func(f *kpi.Figures) kpi.Maybe { return f.AbandonmentRate },
		func(t store.KPITargets) float64 { return t.AbandonmentRate }, func(t float64) float64 { return min(1, 4*t) }},
	{"fcr", "FCR", scale{Percent: true}, false, false, func(f *kpi.Figures) kpi.Maybe { return f.FCRRate },
		func(t store.KPITargets) float64 { return t.FCRRate }, func(float64) float64 { return 1 }},
	{"csat", "CSAT", scale{Percent: true}, false, false, func(f *kpi.Figures) kpi.Maybe { return f.CSAT },
		func(t store.KPITargets) float64 { return t.CSAT }, func(float64) float64 { return 1 }},
	{"complaints", "Complaints resolved in time", scale{Percent: true}, false, false, finalResponse,
		func(t store.KPITargets) float64 { return t.ComplaintsInTime }, func(float64) float64 { return 1 }},
}

// gaugeValue returns a gauge's figure in the latest period.
func (m gaugeMetric) value(dash *service.KPIDashboard) (kpi.Maybe, kpi.Figures) {
	figs := dash.Periods
	if m.voice && dash.Voice != nil {
		figs = dash.Voice
	}
	last := figs[len(figs)-1]
	return m.get(&last), last
}

func gauges(dash *service.KPIDashboard, by string) []gauge {
	var out []gauge
	for _, m := range gaugeMetrics {
		v, f := m.value(dash)
		t := m.target(dash.Targets)
		title := m.title
		if m.voice && dash.Voice != nil {
			title += " (phone)"
		}
		out = append(out, newGauge("gauge-"+m.id, title, v.Value, v.Valid, t, m.dial(t), m.scale, m.lowerBetter, periodLabel(f, by)))
	}
	return out
}

// heatCounts sums the cases received per channel and case type over the
// range, in the order of the lists (only the filtered ones when filtered).
func heatCounts(dash *service.KPIDashboard, f form) (rows, cols []string, counts [][]int64) {
	rows, cols = dashChannels(), care.CaseTypes
	if v := f.Values["channel"]; v != "" {
		rows = []string{v}
	}
	if v := f.Values["case_type"]; v != "" {
		cols = []string{v}
	}
	counts = make([][]int64, len(rows))
	for i := range counts {
		counts[i] = make([]int64, len(cols))
	}
	for _, c := range dash.Cells {
		i, j := slices.Index(rows, c.Group.Channel), slices.Index(cols, c.Group.CaseType)
		if i >= 0 && j >= 0 {
			counts[i][j] += c.Received
		}
	}
	return rows, cols, counts
}

// dashboardCSV answers GET /dashboard/{file}: a chart's data as CSV, with
// the page's filters (kpi:read). Values are unrounded, as in the API.
func (ui *UI) dashboardCSV(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if !ok || !slices.Contains(dashCSVNames(), name) {
		ui.renderError(w, r, http.StatusNotFound, "")
		return
	}
	req, _, err := ui.dashboardRequest(r)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	dash, err := ui.svc.KPIDashboard(r.Context(), req)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="dashboard-`+name+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(dashCSV(dash, name, req))
}

func dashCSVNames() []string {
	names := []string{"trend", "gauges", "ageing", "heatmap"}
	for _, m := range trendMetrics {
		names = append(names, m.id)
	}
	return names
}

// csvNum prints a figure as the API's CSV does; undefined is empty.
func csvNum(m kpi.Maybe) string {
	if !m.Valid {
		return ""
	}
	return strconv.FormatFloat(m.Value, 'g', -1, 64)
}

func csvTime(t time.Time) string { return t.Format(time.RFC3339) }

// dashCSV returns the rows of one chart's CSV.
func dashCSV(dash *service.KPIDashboard, name string, req service.KPIRequest) [][]string {
	switch name {
	case "trend":
		head := []string{"start", "end"}
		for _, m := range trendMetrics {
			head = append(head, m.id)
		}
		out := [][]string{head}
		for i, p := range dash.Periods {
			row := []string{csvTime(p.Start), csvTime(p.End)}
			for _, m := range trendMetrics {
				figs, _ := m.source(dash)
				row = append(row, csvNum(m.get(&figs[i])))
			}
			out = append(out, row)
		}
		return out
	case "gauges":
		out := [][]string{{"kpi", "start", "end", "value", "target", "lower_is_better"}}
		for _, m := range gaugeMetrics {
			v, f := m.value(dash)
			out = append(out, []string{m.id, csvTime(f.Start), csvTime(f.End), csvNum(v),
				strconv.FormatFloat(m.target(dash.Targets), 'g', -1, 64), strconv.FormatBool(m.lowerBetter)})
		}
		return out
	case "ageing":
		out := [][]string{{"label", "min_days", "max_days", "complaints_open"}}
		if dash.Complaints == nil {
			return out
		}
		for _, b := range dash.Complaints[len(dash.Complaints)-1].Ageing {
			hi := ""
			if b.MaxDays >= 0 {
				hi = strconv.Itoa(b.MaxDays)
			}
			out = append(out, []string{b.Label, strconv.Itoa(b.MinDays), hi, strconv.FormatInt(b.Count, 10)})
		}
		return out
	case "heatmap":
		rows, cols, counts := heatCounts(dash, form{Values: map[string]string{"channel": req.Channel, "case_type": req.CaseType}})
		out := [][]string{{"channel", "case_type", "received"}}
		for i, r := range rows {
			for j, c := range cols {
				out = append(out, []string{r, c, strconv.FormatInt(counts[i][j], 10)})
			}
		}
		return out
	}
	for _, m := range trendMetrics {
		if m.id == name {
			figs, _ := m.source(dash)
			out := [][]string{{"start", "end", m.id}}
			for i := range figs {
				out = append(out, []string{csvTime(figs[i].Start), csvTime(figs[i].End), csvNum(m.get(&figs[i]))})
			}
			return out
		}
	}
	return nil
}

// targetsForm shows the targets as people write them: seconds and percent.
func targetsForm(t store.KPITargets) form {
	f := newForm()
	pc := func(v float64) string { return strconv.FormatFloat(roundTo(v*100, 2), 'f', -1, 64) }
	f.Values["asa_seconds"] = strconv.FormatFloat(t.ASASeconds, 'f', -1, 64)
	f.Values["abandonment_rate"] = pc(t.AbandonmentRate)
	f.Values["fcr_rate"] = pc(t.FCRRate)
	f.Values["csat"] = pc(t.CSAT)
	f.Values["complaints_in_time"] = pc(t.ComplaintsInTime)
	return f
}

// saveTargets answers POST /dashboard/targets (config:admin): the gauges'
// targets, rates entered in percent.
func (ui *UI) saveTargets(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "asa_seconds", "abandonment_rate", "fcr_rate", "csat", "complaints_in_time")
	var t store.KPITargets
	num := func(field string, pct bool) float64 {
		v, err := strconv.ParseFloat(f.Get(field), 64)
		if err != nil {
			f.Errors[field] = "must be a number"
			return 0
		}
		if pct {
			v /= 100
		}
		return v
	}
	t.ASASeconds = num("asa_seconds", false)
	t.AbandonmentRate, t.FCRRate = num("abandonment_rate", true), num("fcr_rate", true)
	t.CSAT, t.ComplaintsInTime = num("csat", true), num("complaints_in_time", true)
	err := error(nil)
	if len(f.Errors) == 0 {
		err = ui.svc.SetKPITargets(r.Context(), t)
	}
	switch {
	case len(f.Errors) > 0:
		f.Error = "Check the targets marked below."
		ui.showDashboard(w, r, http.StatusUnprocessableEntity, f)
	case care.ErrorCode(err) == care.EINVALID || care.ErrorCode(err) == care.EFORBIDDEN:
		for _, fe := range care.ErrorFields(err) {
			f.Errors[fe.Field] = strings.Replace(fe.Message, "a fraction more than 0 and at most 1, such as 0.85", "a percentage more than 0 and at most 100", 1)
		}
		f.Error = care.ErrorMessage(err)
		ui.showDashboard(w, r, errorStatus(err), f)
	case err != nil:
		ui.fail(w, r, err)
	default:
		ui.setFlash(w, "targets")
		http.Redirect(w, r, "/dashboard#targets", http.StatusSeeOther)
	}
}
