package service

import (
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/store"
)

var asicIDR = reportDef{
	columns: []ReportColumn{
		{"complaint_id", "the firm's unique complaint reference (IDR: unique identifier)"},
		{"date_received", "date the complaint was first received, AU calendar (IDR: complaint received date)"},
		{"channel", "channel of first contact"},
		{"complainant_type", "individual (policyholder, claimant, third party) or broker; empty when the customer is unknown"},
		{"product", "line of business of the policy concerned (IDR: product or service)"},
		{"issue", "root cause label from the taxonomy (IDR: issue)"},
		{"status", "open or closed at the end of the period (IDR: complaint status)"},
		{"date_closed", "date closed, AU calendar; empty while open (IDR: date complaint closed)"},
		{"days_to_close", "calendar days from receipt to closure"},
		{"within_idr_timeframe", "closed by the RG 271 final-response deadline (30 calendar days from receipt): yes/no; empty while open"},
		{"outcome", "in_favour_of_complainant, partly_in_favour_of_complainant, in_favour_of_firm, withdrawn (IDR: financial firm's response)"},
		{"remedy", "redress kinds offered or paid (compensation, goodwill, refund) joined by '|', or none (IDR: remedy)"},
		{"compensation_paid", "redress paid, by currency (IDR: compensation amount)"},
		{"referred_to_afca", "yes when the complaint went to AFCA"},
		{"vulnerable", "the complainant showed signs of vulnerability"},
	},
	build: func(s *Service, rows []*store.ComplaintRow, from, to time.Time) ([][]string, error) {
		cal, err := s.regimeCalendar("au-asic", "AU-NSW")
		if err != nil {
			return nil, err
		}
		var out [][]string
		for _, r := range rows {
			if !hasRegime(r, "au-asic") {
				continue
			}
			closed := r.ClosedAt
			if !closed.IsZero() && !closed.Before(to) {
				closed = time.Time{} // closed after the period: open at its end
			}
			status, days, within := "open", "", ""
			if !closed.IsZero() {
				status = "closed"
				days = strconv.Itoa(int(cal.LocalDay(closed) - cal.LocalDay(r.ReceivedAt)))
				within = yesNo(!closed.After(cal.EndOfDay(cal.AddCalendarDays(cal.LocalDay(r.ReceivedAt), 30))))
			}
			remedy := strings.Join(r.RedressKinds, "|")
			if remedy == "" {
				remedy = "none"
			}
			out = append(out, []string{r.Reference, dateIn(r.ReceivedAt, cal), r.Channel, complainantType(r.CustomerKind),
				r.PolicyLine, r.RootLabel, status, dateIn(closed, cal), days, within, asicOutcome(r.Outcome), remedy,
				moneyText(r.PaidMinor), yesNo(r.ReferredTo == "AFCA"), yesNo(r.Vulnerable)})
		}
		return out, nil
	},
}

func complainantType(kind string) string {
	switch kind {
	case "":
		return ""
	case "broker":
		return "broker"
	}
	return "individual"
}

func asicOutcome(o string) string {
	switch o {
	case "upheld":
		return "in_favour_of_complainant"
	case "partly_upheld":
		return "partly_in_favour_of_complainant"
	case "not_upheld":
		return "in_favour_of_firm"
	}
	return o
}

var usRegister = reportDef{
	columns: []ReportColumn{
		{"complaint_id", "the firm's complaint reference"},
		{"function", "NAIC function: claims handling, marketing & sales, underwriting, policyholder service (from the root cause)"},
		{"reason", "root cause label from the taxonomy"},
		{"line_of_insurance", "line of business of the policy concerned, NAIC style"},
		{"disposition", "company position overturned (upheld), compromised settlement (partly upheld), company position upheld (not upheld), withdrawn; empty while open"},
		{"date_received", "date received, US calendar"},
		{"date_closed", "date closed, US calendar; empty while open"},
		{"insurance_department_complaint", "yes when the complaint was referred to (or came through) a state insurance department"},
		{"state", "two-letter state of that department, or of the firm's US regime (us-ca-claims: CA)"},
	},
	build: func(s *Service, rows []*store.ComplaintRow, from, to time.Time) ([][]string, error) {
		cal, err := calendar.New("US")
		if err != nil {
			return nil, err
		}
		var out [][]string
		for _, r := range rows {
			dept := strings.HasPrefix(r.ReferredTo, "US-")
			if !hasRegime(r, "us-") && !dept {
				continue
			}
			state := ""
			if dept {
				state = strings.Split(r.ReferredTo, "-")[1]
			} else if hasRegime(r, "us-ca") {
				state = "CA"
			}
			closed := r.ClosedAt
			if !closed.IsZero() && !closed.Before(to) {
				closed = time.Time{}
			}
			disposition := ""
			if !closed.IsZero() {
				disposition = usDisposition(r.Outcome)
			}
			out = append(out, []string{r.Reference, usFunction(r.RootCause, r.RootCategory), r.RootLabel, usLine(r.PolicyLine),
				disposition, dateIn(r.ReceivedAt, cal), dateIn(closed, cal), yesNo(dept), state})
		}
		return out, nil
	},
}

func usFunction(code, category string) string {
	switch {
	case category == "claims":
		return "Claims handling"
	case code == "sale_advice":
		return "Marketing & sales"
	case code == "pricing_renewal" || code == "policy_terms":
		return "Underwriting"
	case code == "":
		return ""
	}
	return "Policyholder service"
}

func usLine(line string) string {
	switch line {
	case "motor":
		return "Private passenger auto"
	case "home":
		return "Homeowners"
	case "life":
		return "Life"
	case "health", "income_protection":
		return "Accident & health"
	case "commercial", "liability":
		return "Commercial multi-peril / liability"
	case "":
		return ""
	}
	return "Other: " + line
}

func usDisposition(o string) string {
	switch o {
	case "upheld":
		return "Company position overturned"
	case "partly_upheld":
		return "Compromised settlement/resolution"
	case "not_upheld":
		return "Company position upheld"
	case "withdrawn":
		return "Withdrawn"
	}
	return "No outcome recorded"
}
