package kpi

import (
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// Key names the slice a record belongs to. Zero values are real values
// ("no team", "no agent"), not wildcards; filters say explicitly which
// dimensions they match on (Query.FilterDims).
type Key struct {
	Channel  string // care.Channels
	TeamID   int64
	AgentID  int64
	CaseType string // care.CaseTypes
	Product  string // the policy's line of business, care.PolicyLines
}

// Dims is a set of Key dimensions.
type Dims uint8

// The dimensions of a Key.
const (
	DimChannel Dims = 1 << iota
	DimTeam
	DimAgent
	DimCaseType
	DimProduct

	AllDims = DimChannel | DimTeam | DimAgent | DimCaseType | DimProduct
)

// Project returns k with the dimensions outside d cleared.
func (k Key) Project(d Dims) Key {
	if d&DimChannel == 0 {
		k.Channel = ""
	}
	if d&DimTeam == 0 {
		k.TeamID = 0
	}
	if d&DimAgent == 0 {
		k.AgentID = 0
	}
	if d&DimCaseType == 0 {
		k.CaseType = ""
	}
	if d&DimProduct == 0 {
		k.Product = ""
	}
	return k
}

// Contact is one interaction as the KPIs see it: its timestamps, taken from
// care.Interaction, and its slice. It counts on the day it was offered.
type Contact struct {
	Key           Key    // Key.Channel is the contact's channel
	Direction     string // "inbound" (also when empty), "outbound" or "internal"
	OfferedAt     time.Time
	AnsweredAt    time.Time // zero when not answered
	EndedAt       time.Time // end of talk, or the moment an unanswered contact abandoned
	WrapUpEndedAt time.Time // zero when there was no wrap-up
	Hold          time.Duration
	Abandoned     bool
}

// ContactFromInteraction copies an interaction's timestamps into a Contact.
// Channel and AgentID come from the interaction; the team, case type and
// product, which live on other records, come from k.
func ContactFromInteraction(i *care.Interaction, k Key) Contact {
	k.Channel, k.AgentID = i.Channel, i.AgentID
	return Contact{
		Key: k, Direction: i.Direction, OfferedAt: i.OfferedAt, AnsweredAt: i.AnsweredAt,
		EndedAt: i.EndedAt, WrapUpEndedAt: i.WrapUpEndedAt, Abandoned: i.Abandoned,
	}
}

// FCRFlag is an agent's or a survey's verdict on first-contact resolution,
// which overrides the computed one.
type FCRFlag int

// FCR verdicts.
const (
	FCRComputed FCRFlag = iota // no verdict: computed from Case.Contacts
	FCRYes                     // resolved at first contact, whatever the contacts say
	FCRNo                      // not resolved at first contact
)

// Deadline is a regulatory deadline on a complaint, e.g. "fca_8_weeks".
type Deadline struct {
	Name string
	Due  time.Time
}

// Case is a case as the KPIs see it. A case contributes on several days:
// received (backlog, complaints received), first response, resolution (FCR,
// resolution time, complaint deadlines). Its state changes, so a rollup
// takes it out with RemoveCase and back in with AddCase on every change.
type Case struct {
	Key             Key // Key.CaseType "complaint" makes it a complaint
	ReceivedAt      time.Time
	FirstResponseAt time.Time // zero until the first response
	ResolvedAt      time.Time // zero while open
	// FirstResponseBusiness and ResolutionBusiness are the same spans
	// counted in business hours by the caller's calendar. They are used
	// when Options.BusinessTime is nil.
	FirstResponseBusiness time.Duration
	ResolutionBusiness    time.Duration
	// Contacts are the customer's contacts about the case (inbound
	// interactions), in any order. Empty means the receipt was the only one.
	Contacts  []time.Time
	FCR       FCRFlag
	Deadlines []Deadline // complaints: regulatory deadlines, for "% closed within"
	// Clocks are the case's settled SLA and regulatory clocks, counted
	// with the case's key (so they move with it when it is reassigned),
	// like ClockResult.
	Clocks []CaseClock
}

// CaseClock is a settled clock of a case: met when Done is set and not
// after Due, breached otherwise; counted on Due's day either way.
type CaseClock struct {
	Name string // e.g. "sla/first_response"
	Due  time.Time
	Done time.Time
}

// SurveyKind is the scale of a survey answer.
type SurveyKind string

// Survey kinds and their scales.
const (
	CSAT SurveyKind = "csat" // 1–5, satisfied = 4 or 5
	NPS  SurveyKind = "nps"  // 0–10, promoter 9–10, detractor 0–6
	CES  SurveyKind = "ces"  // 1–7, effortless = 5–7
)

// Survey is one survey answer; it counts on the day it was answered.
type Survey struct {
	Key   Key
	At    time.Time
	Kind  SurveyKind
	Score int
}

// validate reports an out-of-scale score, which would otherwise index out
// of the score counts or skew a mean.
func (s Survey) validate() error {
	if s.At.IsZero() {
		return care.Invalid("at", "is required")
	}
	lo, hi := 0, -1
	switch s.Kind {
	case CSAT:
		lo, hi = 1, 5
	case NPS:
		lo, hi = 0, 10
	case CES:
		lo, hi = 1, 7
	default:
		return care.Invalid("kind", "must be one of: csat, nps, ces")
	}
	if s.Score < lo || s.Score > hi {
		return care.Invalid("score", "must be from %d to %d for %s", lo, hi, s.Kind)
	}
	return nil
}

// ClockResult is a settled SLA or regulatory clock: met when Done is set
// and not after Due, breached otherwise. It counts on Due's day either way,
// so attainment is "met on time / clocks due in the period". Pass only
// settled clocks: done, or past due.
type ClockResult struct {
	Key   Key
	Clock string // rule name, e.g. "first_response_4h"
	Due   time.Time
	Done  time.Time
}

// metOnTime reports whether a clock was done at or before it fell due.
func metOnTime(due, done time.Time) bool { return !done.IsZero() && !done.After(due) }

// Renewal is a policy up for renewal; it counts on the day it was due.
type Renewal struct {
	Key     Key // Key.Product is the policy's line
	Due     time.Time
	Renewed bool
}

// Options fix the definitions a rollup is built with. Thresholds are baked
// into the counts, so rollups merge only with rollups of equal options and
// a change of threshold means rebuilding (docs/kpis.md).
type Options struct {
	Location *time.Location // days, weeks and months are civil in this zone; nil is UTC
	// ShortAbandon: abandons after a wait shorter than this are left out of
	// the abandonment rate and service level. Zero means the default, 5 s;
	// negative counts every abandon.
	ShortAbandon time.Duration
	// ServiceLevel is the answer threshold per channel; channels not listed
	// use DefaultServiceLevel (zero means 20 s).
	ServiceLevel        map[string]time.Duration
	DefaultServiceLevel time.Duration
	// QueueChannels are the channels whose inbound contacts queue and count
	// as offered; nil means phone and chat. Email and post are measured by
	// first response time, not by queue figures.
	QueueChannels []string
	// RepeatDays is the FCR window: a further contact within this many
	// calendar days of the first makes it a repeat. Zero means 7.
	RepeatDays int
	// Ageing are the inclusive upper bounds, in days, of the backlog age
	// buckets; the last bucket is open-ended. Nil means 2, 5, 10, 20, 40, 56.
	Ageing []int
	// BusinessTime, when set, computes business-hours spans for cases;
	// otherwise Case.FirstResponseBusiness and ResolutionBusiness are used.
	// The function keeps this package free of calendar imports.
	BusinessTime func(from, to time.Time) time.Duration
}

// normalized returns o with the defaults filled in.
func (o Options) normalized() Options {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.ShortAbandon == 0 {
		o.ShortAbandon = 5 * time.Second
	}
	if o.DefaultServiceLevel == 0 {
		o.DefaultServiceLevel = 20 * time.Second
	}
	if o.ServiceLevel == nil {
		o.ServiceLevel = map[string]time.Duration{"phone": 20 * time.Second, "chat": 60 * time.Second}
	}
	if o.QueueChannels == nil {
		o.QueueChannels = []string{"phone", "chat"}
	}
	if o.RepeatDays == 0 {
		o.RepeatDays = 7
	}
	if o.Ageing == nil {
		o.Ageing = []int{2, 5, 10, 20, 40, 56}
	}
	return o
}

// validate reports options that cannot define a KPI.
func (o Options) validate() error {
	var p care.Problems
	if o.RepeatDays < 0 {
		p.Add("repeat_days", "must be zero (default) or positive")
	}
	for i, b := range o.Ageing {
		if b < 0 || i > 0 && b <= o.Ageing[i-1] {
			p.Add("ageing", "must be increasing day counts, zero or more")
			break
		}
	}
	for ch, d := range o.ServiceLevel {
		if d < 0 {
			p.Add("service_level", "threshold for %s must not be negative", ch)
		}
	}
	return p.Err()
}

// sameDefinitions reports whether rollups built with o and p count alike.
func (o Options) sameDefinitions(p Options) bool {
	if o.Location.String() != p.Location.String() || o.ShortAbandon != p.ShortAbandon ||
		o.DefaultServiceLevel != p.DefaultServiceLevel || o.RepeatDays != p.RepeatDays ||
		len(o.ServiceLevel) != len(p.ServiceLevel) || !slices.Equal(o.QueueChannels, p.QueueChannels) {
		return false
	}
	for k, v := range o.ServiceLevel {
		if w, ok := p.ServiceLevel[k]; !ok || w != v {
			return false
		}
	}
	return true
}
