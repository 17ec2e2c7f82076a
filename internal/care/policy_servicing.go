package care

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// PolicyTransitions are the lifecycle moves a policy may make. A renewed
// policy is in force on a new term and may be renewed again; lapsed,
// cancelled and expired are final.
var PolicyTransitions = map[string][]string{
	"application": {"in_force", "cancelled"},
	"in_force":    {"renewed", "lapsed", "cancelled"},
	"renewed":     {"renewed", "lapsed", "cancelled"},
}

// CheckPolicyTransition refuses a move the lifecycle does not allow, naming
// the moves that are allowed from the current status.
func CheckPolicyTransition(from, to string) error {
	if !PolicyStatuses.valid(to) {
		return Invalid("to", "must be one of: %s", PolicyStatuses.list())
	}
	allowed := PolicyTransitions[from]
	for _, s := range allowed {
		if s == to {
			return nil
		}
	}
	if len(allowed) == 0 {
		return Invalid("to", "a policy that is %s cannot change status (%s is final)", from, from)
	}
	return Invalid("to", "a policy that is %s can move to %s, not %s", from, strings.Join(allowed, " or "), to)
}

// PolicyActive reports whether a policy in this status is in force on its
// current term (so it can come up for renewal).
func PolicyActive(status string) bool { return status == "in_force" || status == "renewed" }

// PolicyEvent is one lifecycle transition of a policy.
type PolicyEvent struct {
	ID        int64
	PolicyID  int64
	From, To  string
	Reason    string
	Actor     string
	TermStart time.Time // the term in force after the transition
	TermEnd   time.Time
	At        time.Time
}

// RenewalOutcomes end a term's renewal: renewed keeps the customer; lapsed
// and cancelled lose them and count as churn.
var RenewalOutcomes = enum{"renewed", "lapsed", "cancelled"}

// PolicyRenewal is one term of a policy coming up for renewal: the offer,
// the reminder sequence and the outcome.
type PolicyRenewal struct {
	ID             int64
	PolicyID       int64
	TermStart      time.Time
	TermEnd        time.Time // the renewal is due on this day (the last day of cover)
	Line           string
	PremiumMinor   int64 // the renewal premium offered; 0 until an offer is made
	OfferedAt      time.Time
	Outcome        string // "" while open; RenewalOutcomes
	OutcomeReason  string
	OutcomeBy      string
	OutcomeAt      time.Time
	NextReminderAt time.Time // zero: the sequence is finished
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Reminder kinds, in the order they are sent before a term ends.
const (
	ReminderFirst = "first"  // 14 days before the end of cover
	ReminderMid   = "mid"    // 7 days before
	ReminderFinal = "final"  // 2 days before: the final notice
	ReminderLapse = "lapsed" // the day after the end, when nothing was decided
)

// RenewalReminderDays are how many days before the last day of cover each
// reminder is sent.
var RenewalReminderDays = []struct {
	Kind string
	Days int
}{{ReminderFirst, 14}, {ReminderMid, 7}, {ReminderFinal, 2}}

// ReminderWindow is how far ahead of the end of cover the reminder job
// opens a renewal.
const ReminderWindow = 14

// ReminderDue returns the reminder to send on day today for a term ending
// on end, given the kinds already sent, and the day the job should look
// again (zero: never). Only the latest reminder whose day has come is sent:
// a term first seen 5 days before its end gets the mid-cycle reminder, not
// three letters at once. After the end of cover the term lapses.
func ReminderDue(today, end time.Time, sent map[string]bool) (kind string, next time.Time) {
	today, end = DateOf(today), DateOf(end)
	if today.After(end) {
		return ReminderLapse, time.Time{}
	}
	next = end.AddDate(0, 0, 1)
	for i := len(RenewalReminderDays) - 1; i >= 0; i-- {
		r := RenewalReminderDays[i]
		day := end.AddDate(0, 0, -r.Days)
		if !today.Before(day) {
			if !sent[r.Kind] && !laterSent(sent, i) {
				kind = r.Kind
			}
			return kind, next
		}
		next = day
	}
	return "", next
}

// laterSent reports whether a reminder after the i-th was already sent.
func laterSent(sent map[string]bool, i int) bool {
	for _, r := range RenewalReminderDays[i+1:] {
		if sent[r.Kind] {
			return true
		}
	}
	return false
}

// DateOf returns the calendar date of t (in t's location) as midnight UTC.
func DateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// PolicyReminder is one renewal reminder sent (or, without an email
// address, recorded as not sendable).
type PolicyReminder struct {
	ID        int64
	RenewalID int64
	PolicyID  int64
	Kind      string
	To        string
	MailID    int64
	Note      string
	SentAt    time.Time
	TermEnd   time.Time
}

// PolicyChangeKinds are the mid-term changes a policyholder may ask for.
var PolicyChangeKinds = enum{"add_vehicle", "remove_vehicle", "change_vehicle", "add_driver", "remove_driver",
	"change_address", "change_cover", "change_sum_insured", "change_payment", "other"}

// PolicyChangeStatuses follow a change request: requested → approved →
// applied, or rejected before it is applied.
var PolicyChangeStatuses = enum{"requested", "approved", "applied", "rejected"}

var policyChangeMoves = map[string][]string{
	"requested": {"approved", "rejected"},
	"approved":  {"applied", "rejected"},
}

// CheckPolicyChangeMove refuses a move of a change request the workflow
// does not allow, naming the allowed ones.
func CheckPolicyChangeMove(from, to string) error {
	if !PolicyChangeStatuses.valid(to) {
		return Invalid("status", "must be one of: %s", PolicyChangeStatuses.list())
	}
	allowed := policyChangeMoves[from]
	for _, s := range allowed {
		if s == to {
			return nil
		}
	}
	if len(allowed) == 0 {
		return Invalid("status", "a change that is %s is final", from)
	}
	return Invalid("status", "a %s change can move to %s, not %s", from, strings.Join(allowed, " or "), to)
}

// PolicyChange is a mid-term change to a policy, handled as a service
// request: its case carries the SLA clocks and sits in the queues.
type PolicyChange struct {
	ID                     int64
	PolicyID               int64
	CaseID                 int64
	CaseReference          string
	Kind                   string // PolicyChangeKinds
	Details                string
	EffectiveDate          time.Time
	Status                 string // PolicyChangeStatuses
	PremiumAdjustmentMinor int64  // added to the annual premium when applied; negative for a refund
	Reason                 string // why it was rejected, or a note on approval
	RequestedBy            string
	DecidedBy              string
	DecidedAt              time.Time
	AppliedAt              time.Time
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// Validate reports every invalid field of a new change request against the
// policy it changes: the effective date must fall within the current term.
func (c *PolicyChange) Validate(p *Policy) error {
	var pr Problems
	c.Kind, c.Details = strings.TrimSpace(c.Kind), strings.TrimSpace(c.Details)
	pr.Required("kind", c.Kind)
	PolicyChangeKinds.check(&pr, "kind", c.Kind)
	pr.MaxLen("details", c.Details, 4000)
	if c.Kind == "other" && c.Details == "" {
		pr.Add("details", "is required when kind is other")
	}
	switch {
	case c.EffectiveDate.IsZero():
		pr.Add("effective_date", "is required (a date such as 2026-01-31)")
	case c.EffectiveDate.Before(p.Start) || c.EffectiveDate.After(p.End):
		pr.Add("effective_date", "must fall within the policy's current term, %s to %s",
			p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly))
	}
	if !PolicyActive(p.Status) && p.Status != "application" {
		pr.Add("policy", "a %s policy cannot be changed", p.Status)
	}
	return pr.Err()
}

// InstalmentStatuses: due until paid; missed when still unpaid after its
// due date (a missed instalment paid later becomes paid, keeping MissedAt).
var InstalmentStatuses = enum{"due", "paid", "missed"}

// Instalment is one scheduled premium payment.
type Instalment struct {
	ID          int64
	PolicyID    int64
	Seq         int
	DueDate     time.Time
	AmountMinor int64
	Status      string
	PaymentID   int64
	PaidAt      time.Time
	MissedAt    time.Time
	CreatedAt   time.Time
}

// InstalmentPlan splits a premium into count monthly instalments from
// first, the remainder of the division on the first, so they add up to
// the premium exactly.
func InstalmentPlan(premiumMinor int64, count int, first time.Time) ([]*Instalment, error) {
	var pr Problems
	if count < 1 || count > 12 {
		pr.Add("count", "must be from 1 to 12")
	}
	if first.IsZero() {
		pr.Add("first_due", "is required (a date such as 2026-01-31)")
	}
	if premiumMinor <= 0 {
		pr.Add("premium", "the policy has no premium to split")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	each := premiumMinor / int64(count)
	out := make([]*Instalment, count)
	for i := range out {
		out[i] = &Instalment{Seq: i + 1, DueDate: addMonths(first, i), AmountMinor: each, Status: "due"}
	}
	out[0].AmountMinor += premiumMinor - each*int64(count)
	return out, nil
}

// addMonths moves a date n months on, keeping the day where the month has
// it and otherwise taking the month's last day (31 Jan + 1 month = 28 Feb).
func addMonths(d time.Time, n int) time.Time {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// PaymentMethods are the ways a premium payment arrives.
var PaymentMethods = enum{"direct_debit", "card", "bank_transfer", "cheque", "cash", "other"}

// Payment is a premium payment received.
type Payment struct {
	ID            int64
	PolicyID      int64
	InstalmentID  int64 // the instalment it settled, if any
	AmountMinor   int64
	Method        string
	Reference     string
	ReceivedOn    time.Time
	RecordedBy    string
	CreatedAt     time.Time
	InstalmentSeq int // set when it settled an instalment
}

// Validate reports every invalid field of a payment.
func (p *Payment) Validate() error {
	var pr Problems
	p.Method, p.Reference = strings.TrimSpace(p.Method), strings.TrimSpace(p.Reference)
	if p.AmountMinor <= 0 {
		pr.Add("amount", "must be more than 0")
	}
	pr.Required("method", p.Method)
	PaymentMethods.check(&pr, "method", p.Method)
	pr.MaxLen("reference", p.Reference, 100)
	if p.ReceivedOn.IsZero() {
		pr.Add("received_on", "is required (a date such as 2026-01-31)")
	}
	return pr.Err()
}

// NextTerm returns the term after one ending on end: from the next day for
// as long as the current term ran (a year for an annual policy).
func NextTerm(start, end time.Time) (time.Time, time.Time) {
	ns := end.AddDate(0, 0, 1)
	// The term's length in whole months, rounded: a year from 29 February
	// to 28 February is still twelve months.
	months := int(math.Round(ns.Sub(start).Hours() / 24 / 30.436875))
	return ns, addMonths(ns, max(months, 1)).AddDate(0, 0, -1)
}

// PolicyDaysLeft is how many days of cover remain after today.
func PolicyDaysLeft(p *Policy, today time.Time) int {
	return int(DateOf(p.End).Sub(DateOf(today)).Hours() / 24)
}

// ReminderLabel names a reminder kind for letters and pages.
func ReminderLabel(kind string) string {
	switch kind {
	case ReminderFirst:
		return "Renewal reminder (14 days)"
	case ReminderMid:
		return "Mid-cycle reminder (7 days)"
	case ReminderFinal:
		return "Final notice"
	case ReminderLapse:
		return "Lapse notice"
	}
	return fmt.Sprintf("Reminder %q", kind)
}

// RenewalOutcomeValid refuses an outcome that is not renewed, lapsed or
// cancelled.
func RenewalOutcomeValid(v string) error {
	if !RenewalOutcomes.valid(v) {
		return Invalid("outcome", "must be one of: %s", RenewalOutcomes.list())
	}
	return nil
}

// EndsWithin reports whether the policy is in force on day and its cover
// ends within days days of it (for "renewal due" hints).
func (p *Policy) EndsWithin(day time.Time, days int) bool {
	left := PolicyDaysLeft(p, day)
	return p.InForceOn(day) && left >= 0 && left <= days
}
