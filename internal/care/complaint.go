package care

import (
	"slices"
	"strings"
	"time"
)

// Complaint holds what ISO 10002 asks of a complaint beyond its case: where
// it stands in the lifecycle, what the customer asks for, how serious it is,
// and how it ended. The customer's statement is the case's description
// (kept verbatim, redacted); the policy is the case's policy.
type Complaint struct {
	CaseID            int64
	Stage             string // ComplaintStages
	ClaimNumber       string // the claim it concerns, if any
	RemedySought      string
	Severity          string // Severities
	Complexity        string // Complexities
	Impact            string // Impacts
	ImmediateAction   bool   // needs action now (hardship, safety, imminent loss)
	Vulnerable        bool   // the complainant shows signs of vulnerability in this matter
	VulnerabilityNote string
	ReferredTo        string // ReferralBodies code once referred
	Outcome           string // Outcomes; "" until decided
	OutcomeReasoning  string
	RootCause         string // a ComplaintRootCause code
	CustomerResponse  string // CustomerResponses, recorded at closure
	ResponseIssuedAt  time.Time
	ClosedAt          time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Complaint lifecycle stages, in order.
const (
	StageReceived       = "received"
	StageAcknowledged   = "acknowledged"
	StageInvestigating  = "investigating"
	StageResponseIssued = "response_issued"
	StageClosed         = "closed"
)

// ComplaintStages are the ISO 10002 lifecycle stages, in order.
var ComplaintStages = enum{StageReceived, StageAcknowledged, StageInvestigating, StageResponseIssued, StageClosed}

// TransitionTargets are the values a transition may move a complaint to:
// a later stage, or a higher review tier.
var TransitionTargets = enum{StageAcknowledged, StageInvestigating, StageResponseIssued, StageClosed, "tier2", "executive", "referred"}

// Severities, Complexities and Impacts grade a complaint's initial assessment.
var (
	Severities   = enum{"low", "medium", "high", "critical"}
	Complexities = enum{"simple", "moderate", "complex"}
	Impacts      = enum{"low", "medium", "high"}
)

// Outcomes of a complaint.
var Outcomes = enum{"upheld", "partly_upheld", "not_upheld", "withdrawn"}

// CustomerResponses to the final response, recorded at closure.
var CustomerResponses = enum{"accepted", "disagreed"}

// TierRank orders the review tiers: a complaint never moves down.
func TierRank(tier string) int {
	return slices.Index(CaseTiers, tier)
}

// IsTier reports whether s is a review tier.
func IsTier(s string) bool { return CaseTiers.valid(s) }

// StageRank orders the lifecycle stages.
func StageRank(stage string) int { return slices.Index(ComplaintStages, stage) }

// ReferralBody is an ombudsman or regulator a complainant may refer a
// complaint to once the firm's own process is exhausted.
type ReferralBody struct {
	Code, Name, Regime string
}

// ReferralBodies lists, by regime, the external bodies a complaint may be
// referred to. iso10002 names none of its own: any body may be named.
var ReferralBodies = []ReferralBody{
	{"FOS", "Financial Ombudsman Service", "uk-fca"},
	{"AFCA", "Australian Financial Complaints Authority", "au-asic"},
	{"FSPO", "Financial Services and Pensions Ombudsman", "ie-cpc"},
	{"US-CA-CDI", "California Department of Insurance", "us-ca-claims"},
	{"US-NY-DFS", "New York State Department of Financial Services", "us-state"},
	{"US-TX-TDI", "Texas Department of Insurance", "us-state"},
	{"US-FL-DFS", "Florida Department of Financial Services", "us-state"},
	{"US-IL-DOI", "Illinois Department of Insurance", "us-state"},
}

// ReferralBodiesFor returns the bodies a complaint under the given regimes
// may be referred to: those of its regimes (a US claims regime adds every
// state department), or every body when its regimes name none.
func ReferralBodiesFor(regimes []string) []ReferralBody {
	var out []ReferralBody
	for _, b := range ReferralBodies {
		for _, r := range regimes {
			name, _, _ := strings.Cut(r, "/")
			if b.Regime == name || (b.Regime == "us-state" && strings.HasPrefix(name, "us-")) {
				out = append(out, b)
				break
			}
		}
	}
	if len(out) == 0 {
		return slices.Clone(ReferralBodies)
	}
	return out
}

// ComplaintIntake is what intake records about a complaint beyond the
// case. On an update, nil fields stay as they are.
type ComplaintIntake struct {
	ClaimNumber       *string
	RemedySought      *string
	Severity          *string
	Complexity        *string
	Impact            *string
	ImmediateAction   *bool
	Vulnerable        *bool
	VulnerabilityNote *string
}

// Validate reports every invalid field of an intake.
func (in *ComplaintIntake) Validate() error {
	var p Problems
	check := func(field string, v *string, e enum) {
		if v != nil {
			e.check(&p, field, strings.TrimSpace(*v))
		}
	}
	check("severity", in.Severity, Severities)
	check("complexity", in.Complexity, Complexities)
	check("impact", in.Impact, Impacts)
	maxLen := func(field string, v *string, n int) {
		if v != nil {
			p.MaxLen(field, *v, n)
		}
	}
	maxLen("claim_number", in.ClaimNumber, 60)
	maxLen("remedy_sought", in.RemedySought, 10_000)
	maxLen("vulnerability_note", in.VulnerabilityNote, 2_000)
	return p.Err()
}

// Apply copies the set fields of in onto c, trimmed.
func (in *ComplaintIntake) Apply(c *Complaint) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.ClaimNumber, in.ClaimNumber)
	set(&c.RemedySought, in.RemedySought)
	set(&c.Severity, in.Severity)
	set(&c.Complexity, in.Complexity)
	set(&c.Impact, in.Impact)
	set(&c.VulnerabilityNote, in.VulnerabilityNote)
	if in.ImmediateAction != nil {
		c.ImmediateAction = *in.ImmediateAction
	}
	if in.Vulnerable != nil {
		c.Vulnerable = *in.Vulnerable
	}
}

// ComplaintTransition records one move of a complaint: a stage ("stage")
// or a tier ("tier"), who made it and when.
type ComplaintTransition struct {
	ID         int64
	CaseID     int64
	Kind       string // "stage" or "tier"
	From, To   string
	ActorID    int64 // 0 for the system (escalation by a breached clock)
	ActorName  string
	ReviewerID int64 // the reviewer assigned with a move up a tier
	ReferredTo string
	Note       string
	At         time.Time
}

// TransitionRequest asks to move a complaint on.
type TransitionRequest struct {
	To               string // TransitionTargets
	ReviewerID       int64  // tier2/executive: the independent reviewer to assign
	ReferredTo       string // referred: a ReferralBodies code
	CustomerResponse string // closed: accepted or disagreed
	Note             string
}

// Validate checks the request on its own; the complaint's state is checked
// by the service.
func (r *TransitionRequest) Validate() error {
	var p Problems
	r.To, r.ReferredTo = strings.TrimSpace(r.To), strings.ToUpper(strings.TrimSpace(r.ReferredTo))
	r.CustomerResponse = strings.TrimSpace(r.CustomerResponse)
	p.Required("to", r.To)
	TransitionTargets.check(&p, "to", r.To)
	if r.ReviewerID < 0 {
		p.Add("reviewer_id", "must be a user id")
	}
	if r.ReviewerID != 0 && r.To != "tier2" && r.To != "executive" {
		p.Add("reviewer_id", "is only for a move to tier2 or executive")
	}
	if r.To == "referred" {
		p.Required("referred_to", r.ReferredTo)
	} else if r.ReferredTo != "" {
		p.Add("referred_to", "is only for a move to referred")
	}
	if r.CustomerResponse != "" && r.To != StageClosed {
		p.Add("customer_response", "is only recorded at closure")
	}
	CustomerResponses.check(&p, "customer_response", r.CustomerResponse)
	p.MaxLen("note", r.Note, 10_000)
	return p.Err()
}

// TierHandler is a member of staff who handled a complaint at a tier.
type TierHandler struct {
	Tier   string
	UserID int64
	Since  time.Time
}

// EvidenceKinds are the kinds of investigation evidence.
var EvidenceKinds = enum{"note", "interaction", "attachment", "link"}

// Evidence is one item gathered in an investigation.
type Evidence struct {
	ID            int64
	CaseID        int64
	Kind          string // EvidenceKinds
	Note          string
	InteractionID int64
	AttachmentID  int64
	URL           string // a link to a recording or a document elsewhere
	CreatedBy     int64
	CreatedAt     time.Time
}

// Validate reports every invalid field of new evidence.
func (e *Evidence) Validate() error {
	var p Problems
	e.Kind, e.URL, e.Note = strings.TrimSpace(e.Kind), strings.TrimSpace(e.URL), strings.TrimSpace(e.Note)
	p.Required("kind", e.Kind)
	EvidenceKinds.check(&p, "kind", e.Kind)
	p.MaxLen("note", e.Note, 100_000)
	switch e.Kind {
	case "note":
		p.Required("note", e.Note)
	case "interaction":
		if e.InteractionID <= 0 {
			p.Add("interaction_id", "is required for interaction evidence")
		}
	case "attachment":
		if e.AttachmentID <= 0 {
			p.Add("attachment_id", "is required for attachment evidence")
		}
	case "link":
		if !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
			p.Add("url", "must be an http(s) URL")
		}
		p.MaxLen("url", e.URL, 2_000)
	}
	if e.Kind != "interaction" && e.InteractionID != 0 {
		p.Add("interaction_id", "is only for interaction evidence")
	}
	if e.Kind != "attachment" && e.AttachmentID != 0 {
		p.Add("attachment_id", "is only for attachment evidence")
	}
	if e.Kind != "link" && e.URL != "" {
		p.Add("url", "is only for link evidence")
	}
	return p.Err()
}

// RequestTeams are the teams a complaints handler may ask for information.
var RequestTeams = enum{"claims", "underwriting", "finance", "legal", "operations", "sales", "other"}

// RequestStatuses of a request to another team.
var RequestStatuses = enum{"open", "answered", "cancelled"}

// TeamRequest asks another team for information or action during an
// investigation, by a due date.
type TeamRequest struct {
	ID         int64
	CaseID     int64
	Team       string // RequestTeams
	Question   string
	DueOn      time.Time // a date (midnight UTC)
	Status     string    // RequestStatuses
	Answer     string
	CreatedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	AnsweredAt time.Time
}

// Overdue reports whether an open request is past its due date on day.
func (r *TeamRequest) Overdue(day time.Time) bool {
	return r.Status == "open" && day.After(r.DueOn.AddDate(0, 0, 1))
}

// RedressKinds and RedressStatuses describe redress offered or paid.
var (
	RedressKinds    = enum{"compensation", "goodwill", "refund"}
	RedressStatuses = enum{"offered", "paid", "declined"}
)

// Redress is money offered or paid to put a complaint right, in minor
// units of its currency, linked to the payment record once paid.
type Redress struct {
	ID          int64
	CaseID      int64
	Kind        string // RedressKinds
	AmountMinor int64
	Currency    string // Currencies
	Status      string // RedressStatuses
	PaymentRef  string // the payment record in the firm's payment system
	PaidAt      time.Time
	Note        string
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Validate reports every invalid field of redress.
func (r *Redress) Validate() error {
	var p Problems
	r.Kind, r.Currency = strings.TrimSpace(r.Kind), strings.ToUpper(strings.TrimSpace(r.Currency))
	r.PaymentRef = strings.TrimSpace(r.PaymentRef)
	if r.Status == "" {
		r.Status = "offered"
	}
	p.Required("kind", r.Kind)
	RedressKinds.check(&p, "kind", r.Kind)
	RedressStatuses.check(&p, "status", r.Status)
	if r.AmountMinor <= 0 {
		p.Add("amount", "must be more than zero")
	}
	p.Required("currency", r.Currency)
	Currencies.check(&p, "currency", r.Currency)
	p.MaxLen("payment_ref", r.PaymentRef, 100)
	p.MaxLen("note", r.Note, 2_000)
	if r.Status == "paid" && r.PaymentRef == "" {
		p.Add("payment_ref", "is required once redress is paid: name the payment record")
	}
	return p.Err()
}

// CAPA kinds and statuses; Effectiveness records the review of a finished
// action.
var (
	CAPAKinds     = enum{"corrective", "preventive"}
	CAPAStatuses  = enum{"open", "in_progress", "done", "cancelled"}
	Effectiveness = enum{"effective", "not_effective"}
)

// CAPADefaultBusinessDays is how soon after a complaint's closure its
// corrective and preventive actions fall due by default (ISO 10002 8.7).
const CAPADefaultBusinessDays = 10

// CAPA is a corrective or preventive action arising from a complaint, with
// an owner, a due date and, once done, a review of whether it worked.
type CAPA struct {
	ID                  int64
	CaseID              int64
	Kind                string // CAPAKinds
	Description         string
	OwnerID             int64
	DueOn               time.Time // a date (midnight UTC)
	Status              string    // CAPAStatuses
	EffectivenessReview string
	Effective           string // Effectiveness, "" until reviewed
	ReviewedAt          time.Time
	CreatedBy           int64
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Validate reports every invalid field of a new CAPA.
func (a *CAPA) Validate() error {
	var p Problems
	a.Kind, a.Description = strings.TrimSpace(a.Kind), strings.TrimSpace(a.Description)
	if a.Status == "" {
		a.Status = "open"
	}
	p.Required("kind", a.Kind)
	CAPAKinds.check(&p, "kind", a.Kind)
	p.Required("description", a.Description)
	p.MaxLen("description", a.Description, 10_000)
	CAPAStatuses.check(&p, "status", a.Status)
	if a.OwnerID <= 0 {
		p.Add("owner_id", "is required")
	}
	return p.Err()
}

// RootCause is one entry of the root-cause taxonomy.
type RootCause struct {
	Code, Category, Label string
	Active                bool
	CreatedAt             time.Time
}

// Validate reports every invalid field of a root cause.
func (r *RootCause) Validate() error {
	var p Problems
	r.Code, r.Category, r.Label = strings.TrimSpace(r.Code), strings.TrimSpace(r.Category), strings.TrimSpace(r.Label)
	for _, f := range [][2]string{{"code", r.Code}, {"category", r.Category}} {
		p.Required(f[0], f[1])
		p.MaxLen(f[0], f[1], 60)
		for _, c := range f[1] {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
				p.Add(f[0], "must use lower-case letters, digits and underscores only")
				break
			}
		}
	}
	p.Required("label", r.Label)
	p.MaxLen("label", r.Label, 200)
	return p.Err()
}

// SignalDecisions are an agent's verdicts on a dissatisfaction signal.
var SignalDecisions = enum{"confirm", "dismiss"}

// SignalDecision records an agent's verdict on the complaint signal scored
// on an interaction, with the score and reasons as shown.
type SignalDecision struct {
	ID            int64
	InteractionID int64
	CaseID        int64
	Score         float64
	Reasons       string // JSON list of {signal, evidence, weight}
	Decision      string // SignalDecisions
	Note          string
	DecidedBy     int64
	DecidedAt     time.Time
}

// IsSignalDecision reports whether s is a valid decision.
func IsSignalDecision(s string) bool { return SignalDecisions.valid(s) }

// ValidOutcome reports whether s is an outcome.
func ValidOutcome(s string) bool { return Outcomes.valid(s) }

// OutcomeDecision is the outcome of a complaint as the handler records it.
type OutcomeDecision struct {
	Outcome   string // Outcomes
	Reasoning string
	RootCause string // a RootCause code (checked against the taxonomy by the service)
}

// Validate reports every invalid field of an outcome.
func (o *OutcomeDecision) Validate() error {
	var p Problems
	o.Outcome, o.RootCause = strings.TrimSpace(o.Outcome), strings.TrimSpace(o.RootCause)
	o.Reasoning = strings.TrimSpace(o.Reasoning)
	p.Required("outcome", o.Outcome)
	Outcomes.check(&p, "outcome", o.Outcome)
	if o.Outcome != "withdrawn" {
		p.Required("reasoning", o.Reasoning)
		p.Required("root_cause", o.RootCause)
	}
	p.MaxLen("reasoning", o.Reasoning, 100_000)
	return p.Err()
}

// Check records a problem on field when v is not one of the set's values
// (blank values are left to Problems.Required).
func (e enum) Check(p *Problems, field, v string) { e.check(p, field, v) }
