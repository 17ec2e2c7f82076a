package httpapi

import (
	"encoding/csv"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/service"
)

// KPIReport is the answer of GET /api/v1/kpis and of "caredesk kpi
// --format json": the one shape, so both give the same numbers.
type KPIReport struct {
	Periods []KPIPeriod `json:"periods"`
}

// KPIPeriod is one period's figures (docs/kpis.md defines each). Rates are
// fractions from 0 to 1, NPS runs from −100 to 100, CES is the mean score,
// durations are seconds, counts are raw; an undefined figure is null.
type KPIPeriod struct {
	Start                   string       `json:"start"` // RFC 3339, local midnight in the rollups' time zone
	End                     string       `json:"end"`   // the next period's start
	Offered                 int64        `json:"offered"`
	Answered                int64        `json:"answered"`
	Abandoned               int64        `json:"abandoned"`
	ShortAbandoned          int64        `json:"short_abandoned"`
	ASASeconds              *float64     `json:"asa_seconds"`
	AbandonmentRate         *float64     `json:"abandonment_rate"`
	ServiceLevel            *float64     `json:"service_level"`
	Handled                 int64        `json:"handled"`
	AHTSeconds              *float64     `json:"aht_seconds"`
	Received                int64        `json:"received"`
	Resolved                int64        `json:"resolved"`
	FCRRate                 *float64     `json:"fcr_rate"`
	FirstResponse           KPIDurations `json:"first_response"`
	Resolution              KPIDurations `json:"resolution"`
	Backlog                 int64        `json:"backlog"`
	ComplaintsReceived      int64        `json:"complaints_received"`
	ComplaintsResolved      int64        `json:"complaints_resolved"`
	ComplaintResolutionRate *float64     `json:"complaint_resolution_rate"`
	CSAT                    *float64     `json:"csat"`
	CSATResponses           int64        `json:"csat_responses"`
	NPS                     *float64     `json:"nps"`
	NPSResponses            int64        `json:"nps_responses"`
	CES                     *float64     `json:"ces"`
	CESEffortlessRate       *float64     `json:"ces_effortless_rate"`
	CESResponses            int64        `json:"ces_responses"`

	FirstResponseBusiness KPIDurations `json:"first_response_business"` // business hours of the firm's calendar
	ResolutionBusiness    KPIDurations `json:"resolution_business"`
	ComplaintsOpenAtStart int64        `json:"complaints_open_at_start"`
	// SLA is the attainment of each clock ("regime/name") due in the period.
	SLA []KPIAttainment `json:"sla"`
	// ComplaintDeadlines: complaints resolved in the period within each
	// regulatory deadline ("uk-fca/final_response").
	ComplaintDeadlines []KPIAttainment `json:"complaint_deadlines"`
	Ageing             []KPIAgeBucket  `json:"ageing"`
	RenewalsDue        int64           `json:"renewals_due"`
	RenewalsLost       int64           `json:"renewals_lost"` // lapsed or cancelled, of renewals_due
	ChurnRate          *float64        `json:"churn_rate"`
}

// KPIAttainment is a clock's or deadline's met/missed tally.
type KPIAttainment struct {
	Name   string   `json:"name"`
	Met    int64    `json:"met"`
	Missed int64    `json:"missed"`
	Rate   *float64 `json:"rate"` // met / (met + missed)
}

// KPIAgeBucket counts the cases open at the period's end by age in days;
// max_days is null for the open-ended last bucket.
type KPIAgeBucket struct {
	Label   string `json:"label"`
	MinDays int    `json:"min_days"`
	MaxDays *int   `json:"max_days"`
	Count   int64  `json:"count"`
}

func attainments(as []kpi.Attainment) []KPIAttainment {
	out := make([]KPIAttainment, len(as))
	for i, a := range as {
		out[i] = KPIAttainment{Name: a.Name, Met: a.Met, Missed: a.Missed, Rate: maybe(a.Rate)}
	}
	return out
}

func ageBuckets(bs []kpi.AgeBucket) []KPIAgeBucket {
	out := make([]KPIAgeBucket, len(bs))
	for i, b := range bs {
		out[i] = KPIAgeBucket{Label: b.Label, MinDays: b.MinDays, Count: b.Count}
		if b.MaxDays >= 0 {
			m := b.MaxDays
			out[i].MaxDays = &m
		}
	}
	return out
}

// KPIDurations summarise spans in seconds (calendar time).
type KPIDurations struct {
	Count       int64    `json:"count"`
	MeanSeconds *float64 `json:"mean_seconds"`
	P50Seconds  *float64 `json:"p50_seconds"`
	P90Seconds  *float64 `json:"p90_seconds"`
}

func maybe(m kpi.Maybe) *float64 {
	if !m.Valid {
		return nil
	}
	v := m.Value
	return &v
}

func durations(d kpi.Durations) KPIDurations {
	return KPIDurations{Count: d.Count, MeanSeconds: maybe(d.MeanSeconds), P50Seconds: maybe(d.P50Seconds), P90Seconds: maybe(d.P90Seconds)}
}

// NewKPIReport maps the KPI engine's figures to the API's shape.
func NewKPIReport(figs []kpi.Figures) KPIReport {
	out := KPIReport{Periods: make([]KPIPeriod, len(figs))}
	for i, f := range figs {
		out.Periods[i] = KPIPeriod{Start: f.Start.Format(time.RFC3339), End: f.End.Format(time.RFC3339),
			Offered: f.Offered, Answered: f.Answered, Abandoned: f.Abandoned, ShortAbandoned: f.ShortAbandoned,
			ASASeconds: maybe(f.ASASeconds), AbandonmentRate: maybe(f.AbandonmentRate), ServiceLevel: maybe(f.ServiceLevel),
			Handled: f.Handled, AHTSeconds: maybe(f.AHTSeconds), Received: f.Received, Resolved: f.Resolved,
			FCRRate: maybe(f.FCRRate), FirstResponse: durations(f.FirstResponse), Resolution: durations(f.Resolution),
			Backlog: f.Backlog, ComplaintsReceived: f.ComplaintsReceived, ComplaintsResolved: f.ComplaintsResolved,
			ComplaintResolutionRate: maybe(f.ComplaintResolutionRate), CSAT: maybe(f.CSAT), CSATResponses: f.CSATResponses,
			NPS: maybe(f.NPS), NPSResponses: f.NPSResponses, CES: maybe(f.CES), CESEffortlessRate: maybe(f.CESEffortlessRate),
			CESResponses:          f.CESResponses,
			FirstResponseBusiness: durations(f.FirstResponseBusiness), ResolutionBusiness: durations(f.ResolutionBusiness),
			ComplaintsOpenAtStart: f.ComplaintsOpenAtStart, SLA: attainments(f.SLA),
			ComplaintDeadlines: attainments(f.ComplaintDeadlines), Ageing: ageBuckets(f.Ageing),
			RenewalsDue: f.RenewalsDue, RenewalsLost: f.NotRenewed, ChurnRate: maybe(f.ChurnRate)}
	}
	return out
}

// kpiCSVColumn is a column of the CSV form, read from a period.
type kpiCSVColumn struct {
	name string
	get  func(p *KPIPeriod) any
}

// kpiCSVColumns are the fixed columns of the CSV form.
var kpiCSVColumns = []kpiCSVColumn{
	{"start", func(p *KPIPeriod) any { return p.Start }}, {"end", func(p *KPIPeriod) any { return p.End }},
	{"offered", func(p *KPIPeriod) any { return p.Offered }}, {"answered", func(p *KPIPeriod) any { return p.Answered }},
	{"abandoned", func(p *KPIPeriod) any { return p.Abandoned }},
	{"short_abandoned", func(p *KPIPeriod) any { return p.ShortAbandoned }},
	{"asa_seconds", func(p *KPIPeriod) any { return p.ASASeconds }},
	{"abandonment_rate", func(p *KPIPeriod) any { return p.AbandonmentRate }},
	{"service_level", func(p *KPIPeriod) any { return p.ServiceLevel }},
	{"handled", func(p *KPIPeriod) any { return p.Handled }}, {"aht_seconds", func(p *KPIPeriod) any { return p.AHTSeconds }},
	{"received", func(p *KPIPeriod) any { return p.Received }}, {"resolved", func(p *KPIPeriod) any { return p.Resolved }},
	{"fcr_rate", func(p *KPIPeriod) any { return p.FCRRate }},
	{"first_response_mean_seconds", func(p *KPIPeriod) any { return p.FirstResponse.MeanSeconds }},
	{"first_response_p90_seconds", func(p *KPIPeriod) any { return p.FirstResponse.P90Seconds }},
	{"resolution_mean_seconds", func(p *KPIPeriod) any { return p.Resolution.MeanSeconds }},
	{"resolution_p90_seconds", func(p *KPIPeriod) any { return p.Resolution.P90Seconds }},
	{"first_response_p50_seconds", func(p *KPIPeriod) any { return p.FirstResponse.P50Seconds }},
	{"resolution_p50_seconds", func(p *KPIPeriod) any { return p.Resolution.P50Seconds }},
	{"first_response_business_mean_seconds", func(p *KPIPeriod) any { return p.FirstResponseBusiness.MeanSeconds }},
	{"first_response_business_p50_seconds", func(p *KPIPeriod) any { return p.FirstResponseBusiness.P50Seconds }},
	{"first_response_business_p90_seconds", func(p *KPIPeriod) any { return p.FirstResponseBusiness.P90Seconds }},
	{"resolution_business_mean_seconds", func(p *KPIPeriod) any { return p.ResolutionBusiness.MeanSeconds }},
	{"resolution_business_p50_seconds", func(p *KPIPeriod) any { return p.ResolutionBusiness.P50Seconds }},
	{"resolution_business_p90_seconds", func(p *KPIPeriod) any { return p.ResolutionBusiness.P90Seconds }},
	{"complaints_open_at_start", func(p *KPIPeriod) any { return p.ComplaintsOpenAtStart }},
	{"renewals_due", func(p *KPIPeriod) any { return p.RenewalsDue }},
	{"renewals_lost", func(p *KPIPeriod) any { return p.RenewalsLost }},
	{"churn_rate", func(p *KPIPeriod) any { return p.ChurnRate }},
	{"backlog", func(p *KPIPeriod) any { return p.Backlog }},
	{"complaints_received", func(p *KPIPeriod) any { return p.ComplaintsReceived }},
	{"complaints_resolved", func(p *KPIPeriod) any { return p.ComplaintsResolved }},
	{"complaint_resolution_rate", func(p *KPIPeriod) any { return p.ComplaintResolutionRate }},
	{"csat", func(p *KPIPeriod) any { return p.CSAT }}, {"csat_responses", func(p *KPIPeriod) any { return p.CSATResponses }},
	{"nps", func(p *KPIPeriod) any { return p.NPS }}, {"nps_responses", func(p *KPIPeriod) any { return p.NPSResponses }},
	{"ces", func(p *KPIPeriod) any { return p.CES }}, {"ces_effortless_rate", func(p *KPIPeriod) any { return p.CESEffortlessRate }},
	{"ces_responses", func(p *KPIPeriod) any { return p.CESResponses }},
}

// kpiCSVTallies adds, after the fixed columns, three columns (met, missed,
// rate) per clock and per complaint deadline found in any period, and one
// per ageing bucket, so a period without a clock shows empty cells there.
func (k KPIReport) kpiCSVTallies() []kpiCSVColumn {
	var out []kpiCSVColumn
	tally := func(prefix string, list func(p *KPIPeriod) []KPIAttainment) {
		var names []string
		for pi := range k.Periods {
			for _, a := range list(&k.Periods[pi]) {
				if !slices.Contains(names, a.Name) {
					names = append(names, a.Name)
				}
			}
		}
		slices.Sort(names)
		for _, name := range names {
			find := func(p *KPIPeriod) *KPIAttainment {
				for _, a := range list(p) {
					if a.Name == name {
						return &a
					}
				}
				return nil
			}
			out = append(out,
				kpiCSVColumn{prefix + name + "_met", func(p *KPIPeriod) any { a := find(p); return tallyCount(a, true) }},
				kpiCSVColumn{prefix + name + "_missed", func(p *KPIPeriod) any { a := find(p); return tallyCount(a, false) }},
				kpiCSVColumn{prefix + name + "_rate", func(p *KPIPeriod) any {
					if a := find(p); a != nil {
						return a.Rate
					}
					return (*float64)(nil)
				}})
		}
	}
	tally("sla:", func(p *KPIPeriod) []KPIAttainment { return p.SLA })
	tally("complaint_deadline:", func(p *KPIPeriod) []KPIAttainment { return p.ComplaintDeadlines })
	if len(k.Periods) > 0 {
		for i, b := range k.Periods[0].Ageing {
			out = append(out, kpiCSVColumn{"ageing:" + b.Label, func(p *KPIPeriod) any {
				if i < len(p.Ageing) {
					return p.Ageing[i].Count
				}
				return int64(0)
			}})
		}
	}
	return out
}

func tallyCount(a *KPIAttainment, met bool) any {
	switch {
	case a == nil:
		return int64(0)
	case met:
		return a.Met
	}
	return a.Missed
}

// WriteCSV writes the report as CSV, one row per period, the columns named
// as the JSON fields (durations flattened, then per clock "sla:NAME_met",
// "_missed", "_rate", per deadline "complaint_deadline:NAME_…" and per
// ageing bucket "ageing:LABEL"); an undefined figure is empty.
func (k KPIReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cols := append(slices.Clip(kpiCSVColumns), k.kpiCSVTallies()...)
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.name
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for pi := range k.Periods {
		for i, c := range cols {
			switch v := c.get(&k.Periods[pi]).(type) {
			case string:
				row[i] = v
			case int64:
				row[i] = strconv.FormatInt(v, 10)
			case *float64:
				row[i] = ""
				if v != nil {
					row[i] = strconv.FormatFloat(*v, 'g', -1, 64)
				}
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// KPIRequestFromQuery reads a KPI request from URL parameters: from, to,
// by, channel, team, agent, case_type, product.
func KPIRequestFromQuery(v func(string) string) service.KPIRequest {
	return service.KPIRequest{From: v("from"), To: v("to"), By: v("by"), Channel: v("channel"), Team: v("team"),
		Agent: v("agent"), CaseType: v("case_type"), Product: v("product")}
}

func (a *API) getKPIs(w http.ResponseWriter, r *http.Request) error {
	figs, err := a.svc.KPIs(r.Context(), KPIRequestFromQuery(newQuery(r).str))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="kpis.csv"`)
		return NewKPIReport(figs).WriteCSV(w)
	}
	return writeJSON(w, http.StatusOK, NewKPIReport(figs))
}

type surveyFormDTO struct {
	CaseReference string              `json:"case_reference"`
	ExpiresAt     *string             `json:"expires_at"`
	Answered      bool                `json:"answered"`
	Expired       bool                `json:"expired"`
	Questions     []surveyQuestionDTO `json:"questions"`
}

type surveyQuestionDTO struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	Min  int    `json:"min"`
	Max  int    `json:"max"`
}

var surveyQuestions = []surveyQuestionDTO{
	{"csat", "How satisfied are you with how we handled your case?", 1, 5},
	{"nps", "How likely are you to recommend us to a friend or colleague?", 0, 10},
	{"ces", "How easy was it to get your issue resolved?", 1, 7},
}

type surveyAnswerInput struct {
	CSAT *int `json:"csat"`
	NPS  *int `json:"nps"`
	CES  *int `json:"ces"`
}

// getSurvey is public: the link's token is the credential.
func (a *API) getSurvey(w http.ResponseWriter, r *http.Request) error {
	f, err := a.svc.FindSurvey(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, surveyFormDTO{CaseReference: f.CaseReference, ExpiresAt: stamp(f.ExpiresAt),
		Answered: f.Answered, Expired: f.Expired, Questions: surveyQuestions})
}

// answerSurvey is public: the link's token is the credential, used once.
func (a *API) answerSurvey(w http.ResponseWriter, r *http.Request) error {
	var in surveyAnswerInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.AnswerSurvey(r.Context(), r.PathValue("token"), service.SurveyAnswers{CSAT: in.CSAT, NPS: in.NPS, CES: in.CES}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
