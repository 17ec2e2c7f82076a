package service

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// Report is a regulatory complaints report over a period: named columns,
// each documented, and rows of text in that order, so CSV and JSON carry
// the same figures.
type Report struct {
	Name     string
	From, To time.Time // first and last day, inclusive (midnight UTC)
	Columns  []ReportColumn
	Rows     [][]string
}

// ReportColumn names and documents one column.
type ReportColumn struct {
	Name, Description string
}

// MarshalJSON gives the report's JSON form, the same for the API, the CLI
// and the staff UI's download: its period, its documented columns, and one
// object per row keyed by column name.
func (r *Report) MarshalJSON() ([]byte, error) {
	type column struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	out := struct {
		Report  string              `json:"report"`
		From    string              `json:"from"`
		To      string              `json:"to"`
		Columns []column            `json:"columns"`
		Rows    []map[string]string `json:"rows"`
	}{Report: r.Name, From: r.From.Format(time.DateOnly), To: r.To.Format(time.DateOnly),
		Columns: make([]column, len(r.Columns)), Rows: make([]map[string]string, len(r.Rows))}
	for i, c := range r.Columns {
		out.Columns[i] = column{Name: c.Name, Description: c.Description}
	}
	for i, row := range r.Rows {
		m := make(map[string]string, len(row))
		for j, v := range row {
			m[r.Columns[j].Name] = v
		}
		out.Rows[i] = m
	}
	return json.Marshal(out)
}

// WriteCSV writes the report as CSV with a header line.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		head[i] = c.Name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	if err := cw.WriteAll(r.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// reportDef builds one report from the period's complaint rows.
type reportDef struct {
	columns []ReportColumn
	build   func(s *Service, rows []*store.ComplaintRow, from, to time.Time) ([][]string, error)
}

// ReportNames lists the complaints reports.
func ReportNames() []string {
	return []string{"fca-complaints-return", "asic-idr", "us-complaint-register"}
}

func reportDefs() map[string]reportDef {
	return map[string]reportDef{"fca-complaints-return": fcaReturn, "asic-idr": asicIDR, "us-complaint-register": usRegister}
}

// ComplaintReport builds a report over [from, to] (dates, inclusive, in
// the firm's calendar zone) for compliance staff; the export is audited.
func (s *Service) ComplaintReport(ctx context.Context, name string, from, to time.Time) (*Report, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermAuditRead); err != nil {
		return nil, err
	}
	def, ok := reportDefs()[name]
	var p care.Problems
	if !ok {
		p.Add("name", "must be one of: %s", strings.Join(ReportNames(), ", "))
	}
	if from.IsZero() {
		p.Add("from", "is required (a date such as 2026-01-01)")
	}
	if to.IsZero() {
		p.Add("to", "is required (a date such as 2026-06-30)")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		p.Add("to", "must not be before from")
	}
	if !from.IsZero() && to.Sub(from) > 366*24*time.Hour*3 {
		p.Add("to", "the period must be at most three years")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	cal, err := calendar.New(s.cfg.Calendar)
	if err != nil {
		return nil, err
	}
	start, end := cal.StartOfDay(calendar.DayFromTime(from)), cal.StartOfDay(calendar.DayFromTime(to).AddDays(1))
	rep := &Report{Name: name, From: from, To: to, Columns: def.columns}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		rows, err := tx.FindComplaintRows(ctx, start, end)
		if err != nil {
			return err
		}
		if rep.Rows, err = def.build(s, rows, start, end); err != nil {
			return err
		}
		return audit(ctx, tx, "export", "report", name, map[string]any{"from": from.Format(time.DateOnly),
			"to": to.Format(time.DateOnly), "rows": len(rep.Rows)})
	})
	return rep, err
}

func hasRegime(r *store.ComplaintRow, prefix string) bool {
	for _, g := range strings.Split(r.Regimes, ",") {
		if strings.HasPrefix(g, prefix) {
			return true
		}
	}
	return false
}

func in(t, from, to time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }

func pct(n, of int) string {
	if of == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f", 100*float64(n)/float64(of))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dateIn(t time.Time, cal *calendar.Calendar) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cal.Location()).Format(time.DateOnly)
}

// money lists amounts by currency, e.g. "GBP 150.00".
func moneyText(m map[string]int64) string {
	var out []string
	for cur, v := range m {
		out = append(out, cur+" "+care.FormatMoney(v))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func (s *Service) regimeCalendar(regime, def string) (*calendar.Calendar, error) {
	region := s.cfg.RegimeCalendars[regime]
	if region == "" {
		region = def
	}
	return calendar.New(region)
}

var fcaReturn = reportDef{
	columns: []ReportColumn{
		{"product_group", "FCA product/service group of the policy concerned (motor & transport, property, travel, pet, protection, private medical, other general insurance; 'not linked to a policy' when none)"},
		{"cause", "FCA cause category, mapped from the root cause (see docs/complaints.md)"},
		{"opened", "complaints received in the period"},
		{"closed", "complaints closed in the period"},
		{"closed_within_3_business_days_pct", "of those closed, % closed by the end of the 3rd business day after receipt (DISP 1.5; uk-fca calendar)"},
		{"closed_within_8_weeks_pct", "of those closed, % closed after 3 business days and within 8 weeks of receipt (DISP 1.6.2R)"},
		{"closed_after_8_weeks_pct", "of those closed, % closed more than 8 weeks after receipt"},
		{"upheld_pct", "of those closed, % upheld or partly upheld"},
		{"redress_paid", "redress paid on the complaints closed in the period, by currency"},
	},
	build: func(s *Service, rows []*store.ComplaintRow, from, to time.Time) ([][]string, error) {
		cal, err := s.regimeCalendar("uk-fca", "GB-ENG")
		if err != nil {
			return nil, err
		}
		type agg struct {
			opened, closed, in3, in8w, later, upheld int
			paid                                     map[string]int64
		}
		groups := map[[2]string]*agg{}
		for _, r := range rows {
			if !hasRegime(r, "uk-fca") {
				continue
			}
			key := [2]string{fcaProduct(r.PolicyLine), fcaCause(r.RootCause, r.RootCategory)}
			g := groups[key]
			if g == nil {
				g = &agg{paid: map[string]int64{}}
				groups[key] = g
			}
			if in(r.ReceivedAt, from, to) {
				g.opened++
			}
			if !in(r.ClosedAt, from, to) {
				continue
			}
			g.closed++
			switch {
			case !r.ClosedAt.After(cal.EndOfDay(cal.AddBusinessDays(cal.EffectiveReceiptDay(r.ReceivedAt), 3))):
				g.in3++
			case !r.ClosedAt.After(cal.EndOfDay(cal.AddWeeks(cal.LocalDay(r.ReceivedAt), 8))):
				g.in8w++
			default:
				g.later++
			}
			if r.Outcome == "upheld" || r.Outcome == "partly_upheld" {
				g.upheld++
			}
			for cur, v := range r.PaidMinor {
				g.paid[cur] += v
			}
		}
		keys := make([][2]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
		out := make([][]string, 0, len(keys))
		for _, k := range keys {
			g := groups[k]
			out = append(out, []string{k[0], k[1], itoa(g.opened), itoa(g.closed), pct(g.in3, g.closed), pct(g.in8w, g.closed),
				pct(g.later, g.closed), pct(g.upheld, g.closed), moneyText(g.paid)})
		}
		return out, nil
	},
}

func fcaProduct(line string) string {
	switch line {
	case "motor", "marine":
		return "Motor & transport"
	case "home":
		return "Property"
	case "travel":
		return "Travel"
	case "pet":
		return "Pet"
	case "life", "income_protection":
		return "Protection"
	case "health":
		return "Private medical"
	case "":
		return "Not linked to a policy"
	}
	return "Other general insurance"
}

func fcaCause(code, category string) string {
	switch code {
	case "claims_delay", "service_delay":
		return "Delays/timescales"
	case "claims_decision", "policy_terms", "claims_repair_quality":
		return "Terms and disputed sums/charges"
	case "sale_advice":
		return "Advising, selling and arranging"
	case "pricing_renewal", "cancellation_refund":
		return "Charges/fees"
	case "", "other", "data_protection":
		return "Other"
	}
	if category == "claims" {
		return "Terms and disputed sums/charges"
	}
	return "General admin/customer service"
}
