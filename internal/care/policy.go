package care

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Policy is an insurance contract held by a customer.
type Policy struct {
	ID           int64
	CustomerID   int64
	Number       string
	Line         string    // PolicyLines
	Status       string    // PolicyStatuses
	Start        time.Time // first day of cover (a date, midnight UTC)
	End          time.Time // last day of cover (a date, midnight UTC)
	PremiumMinor int64     // annual premium in minor units (pence, cents)
	Currency     string    // ISO 4217
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PolicyLines are the lines of business caredesk knows.
var PolicyLines = enum{"motor", "home", "travel", "pet", "life", "health", "income_protection", "commercial", "liability", "marine", "other"}

// PolicyStatuses follow a policy's lifecycle.
var PolicyStatuses = enum{"application", "in_force", "renewed", "lapsed", "cancelled", "expired"}

// Currencies accepted for premiums and amounts; minor units are two digits.
var Currencies = enum{"GBP", "EUR", "AUD", "USD", "NZD", "CAD"}

// Normalize trims and upper-cases identifying fields.
func (p *Policy) Normalize() {
	p.Number = strings.ToUpper(strings.TrimSpace(p.Number))
	p.Line = strings.TrimSpace(p.Line)
	p.Status = strings.TrimSpace(p.Status)
	if p.Status == "" {
		p.Status = "in_force"
	}
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if p.Currency == "" {
		p.Currency = "GBP"
	}
}

// Validate reports every invalid field of a policy.
func (p *Policy) Validate() error {
	var pr Problems
	if p.CustomerID <= 0 {
		pr.Add("customer_id", "is required")
	}
	pr.Required("number", p.Number)
	pr.MaxLen("number", p.Number, 50)
	pr.Required("line", p.Line)
	PolicyLines.check(&pr, "line", p.Line)
	PolicyStatuses.check(&pr, "status", p.Status)
	Currencies.check(&pr, "currency", p.Currency)
	if p.Start.IsZero() {
		pr.Add("start", "is required (a date such as 2026-01-31)")
	}
	if p.End.IsZero() {
		pr.Add("end", "is required (a date such as 2027-01-30)")
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		pr.Add("end", "must not be before start")
	}
	if p.PremiumMinor < 0 {
		pr.Add("premium", "must not be negative")
	}
	return pr.Err()
}

// InForceOn reports whether the policy covers the given date.
func (p *Policy) InForceOn(day time.Time) bool {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	return (p.Status == "in_force" || p.Status == "renewed") && !d.Before(p.Start) && !d.After(p.End)
}

// ParsePeriod reads a report period's from and to dates (YYYY-MM-DD),
// naming each bad one; empty ones stay zero for the caller to require.
func ParsePeriod(from, to string) (time.Time, time.Time, error) {
	var p Problems
	parse := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := ParseDate(s)
		if err != nil {
			p.Add(field, "must be a date such as 2026-01-31")
		}
		return t
	}
	f, t := parse("from", from), parse("to", to)
	return f, t, p.Err()
}

// ParseDate reads a calendar date (YYYY-MM-DD) as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, strings.TrimSpace(s))
}

// ParseMoney reads a decimal amount such as "123.45", "123.4" or "123" into
// minor units. It refuses more than two decimal places rather than rounding,
// because a silently rounded premium is a wrong premium.
func ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("%q is not an amount with at most two decimal places", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseUint(whole, 10, 50)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount with at most two decimal places", s)
	}
	f, err := strconv.ParseUint(frac, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount with at most two decimal places", s)
	}
	v := int64(w)*100 + int64(f)
	if neg {
		v = -v
	}
	return v, nil
}

// FormatMoney writes minor units as a decimal string with two places.
func FormatMoney(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}
