package care

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Claim is the claims record of a case of type "claim": the first notice of
// loss (FNOL), the workflow stage, the cover check, the settlement and the
// money reserved and paid. The case carries the timeline, interactions,
// attachments and clocks; the claim adds what only a claim has.
type Claim struct {
	CaseID        int64
	Number        string // CL-2026-000123; unique, never reused
	PolicyID      int64
	LossAt        time.Time
	ReportedAt    time.Time // when the loss was first reported to the firm (the case's received_at)
	LossType      string    // LossTypes
	Place         string
	Description   string
	Channel       string // channel of the first notice
	Parties       []ClaimParty
	Stage         string // ClaimStages
	CoverProblems []CoverProblem
	CatastropheID int64 // 0 when not linked to a catastrophe event
	Currency      string
	ReserveMinor  int64  // current outstanding reserve
	SettledMinor  int64  // the settlement amount approved (0 until approved)
	PaidMinor     int64  // total paid
	SettledBy     int64  // user who approved the settlement
	Decision      string // "", "accepted" or "disputed": the policyholder's answer to the offer
	ComplaintID   int64  // the complaint case opened by a dispute (0 when none)
	InspectionAt  time.Time
	Inspector     string
	Reopened      int // times reopened
	// Complexity is "simple" or "complex" for a motor claim ("" for other
	// loss types), decided at the first notice by ClaimComplexity; only a
	// simple motor claim owes the 10-day settlement milestone.
	Complexity     string
	ComplexityNote string // why, in words ("injuries reported; estimate above 5000.00")
	EstimateMinor  int64  // the damage estimated at the first notice (0: not given)
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ClosedAt       time.Time
}

// ClaimParty is someone involved in a loss: a driver, a witness, a third
// party, a neighbour whose property was damaged.
type ClaimParty struct {
	Role    string // ClaimPartyRoles
	Name    string
	Contact string // phone, email or address as given
	Note    string
}

// ClaimPartyRoles are the parts a party plays in a loss.
var ClaimPartyRoles = enum{"policyholder", "driver", "third_party", "witness", "injured", "other"}

// CoverProblem is one reason the loss may fall outside the policy. The FNOL
// is taken regardless; staff see the problems and decide.
type CoverProblem struct {
	Code    string // policy_not_in_force, loss_type_mismatch, loss_before_start, loss_after_end, reported_late
	Message string
}

// LossTypes are the kinds of loss a claim may be for.
var LossTypes = enum{"motor", "property", "liability", "health", "life", "travel", "pet", "income_protection", "marine", "other"}

// LossTypeList returns the loss types, for forms and messages.
func LossTypeList() []string { return append([]string(nil), LossTypes...) }

// lossLines maps a loss type to the policy lines that can cover it.
var lossLines = map[string][]string{
	"motor":             {"motor", "commercial"},
	"property":          {"home", "commercial"},
	"liability":         {"liability", "motor", "home", "commercial"},
	"health":            {"health", "travel"},
	"life":              {"life"},
	"travel":            {"travel"},
	"pet":               {"pet"},
	"income_protection": {"income_protection"},
	"marine":            {"marine", "commercial"},
}

// LossTypeForLine is the loss type a policy line most often claims for
// (home → property), used where the claimant names none.
func LossTypeForLine(line string) string {
	switch line {
	case "home":
		return "property"
	case "commercial", "other":
		return "other"
	}
	if LossTypes.valid(line) {
		return line
	}
	return "other"
}

// Claim stages, in workflow order.
const (
	ClaimIntake     = "intake"     // FNOL taken (customer service)
	ClaimReview     = "review"     // completeness review and document requests (claims)
	ClaimAssessment = "assessment" // investigation and assessment (adjuster)
	ClaimCoverage   = "coverage"   // coverage review (underwriting)
	ClaimSettlement = "settlement" // settlement evaluation (claims, within authority)
	ClaimOffer      = "offer"      // offer to be notified to the policyholder (customer service)
	ClaimDecision   = "decision"   // awaiting the policyholder's acceptance or dispute
	ClaimPaying     = "payment"    // payment (accounting)
	ClaimClosed     = "closed"
)

// ClaimStages lists the stages in workflow order.
var ClaimStages = enum{ClaimIntake, ClaimReview, ClaimAssessment, ClaimCoverage, ClaimSettlement, ClaimOffer,
	ClaimDecision, ClaimPaying, ClaimClosed}

// ClaimStageList returns the stages in order.
func ClaimStageList() []string { return append([]string(nil), ClaimStages...) }

// Claim permissions: one per stage's work, plus reading and administration.
const (
	PermClaimRead       Permission = "claim:read"
	PermClaimIntake     Permission = "claim:intake"     // take FNOL, notify offers, record the policyholder's decision
	PermClaimReview     Permission = "claim:review"     // completeness review, document requests, reopen
	PermClaimHandle     Permission = "claim:handle"     // reserves, inspections, catastrophe links
	PermClaimAssess     Permission = "claim:assess"     // investigation and assessment
	PermClaimUnderwrite Permission = "claim:underwrite" // coverage review
	PermClaimSettle     Permission = "claim:settle"     // settlement evaluation within authority
	PermClaimPay        Permission = "claim:pay"        // payments
	PermClaimAdmin      Permission = "claim:admin"      // settlement authority, catastrophe events
)

// ClaimStageInfo says who acts at a stage and in words what they do.
type ClaimStageInfo struct {
	Stage string
	Label string
	Perm  Permission // who may move the claim on from this stage
	Who   string     // the team, in words
}

// ClaimStageInfos describes every stage, in order.
var ClaimStageInfos = []ClaimStageInfo{
	{ClaimIntake, "First notice of loss", PermClaimIntake, "Customer service"},
	{ClaimReview, "Completeness review", PermClaimReview, "Claims"},
	{ClaimAssessment, "Investigation and assessment", PermClaimAssess, "Adjuster"},
	{ClaimCoverage, "Coverage review", PermClaimUnderwrite, "Underwriting"},
	{ClaimSettlement, "Settlement evaluation", PermClaimSettle, "Claims"},
	{ClaimOffer, "Offer notified", PermClaimIntake, "Customer service"},
	{ClaimDecision, "Policyholder decision", PermClaimIntake, "Customer service (recording the policyholder's answer)"},
	{ClaimPaying, "Payment", PermClaimPay, "Accounting"},
	{ClaimClosed, "Closed", PermClaimReview, "Claims (to reopen)"},
}

// StageInfo returns the description of a stage.
func StageInfo(stage string) ClaimStageInfo {
	for _, s := range ClaimStageInfos {
		if s.Stage == stage {
			return s
		}
	}
	return ClaimStageInfo{Stage: stage, Label: stage}
}

// claimMoves lists, for each stage, where a transition may take the claim.
// Settlement → offer needs an approved amount, and decision → payment an
// acceptance: both have their own requests (settle, decide).
var claimMoves = map[string][]string{
	ClaimIntake:     {ClaimReview, ClaimClosed},
	ClaimReview:     {ClaimAssessment, ClaimClosed},
	ClaimAssessment: {ClaimCoverage, ClaimReview},
	ClaimCoverage:   {ClaimSettlement, ClaimAssessment, ClaimClosed},
	ClaimSettlement: {ClaimOffer, ClaimAssessment},
	ClaimOffer:      {ClaimDecision},
	ClaimDecision:   {ClaimSettlement},
	ClaimPaying:     {ClaimClosed},
}

// ClaimMoves returns the stages a claim at stage may move to.
func ClaimMoves(stage string) []string { return append([]string(nil), claimMoves[stage]...) }

// CanMoveClaim reports whether a claim may go from one stage to another.
func CanMoveClaim(from, to string) bool { return slices.Contains(claimMoves[from], to) }

// ClaimNumber formats the number of the n-th claim of a year.
func ClaimNumber(year int, n int64) string { return fmt.Sprintf("CL-%d-%06d", year, n) }

var claimNumberPattern = regexp.MustCompile(`^CL-\d{4}-\d{6,}$`)

// LooksLikeClaimNumber reports whether s has the shape of a claim number.
func LooksLikeClaimNumber(s string) bool {
	return claimNumberPattern.MatchString(strings.ToUpper(strings.TrimSpace(s)))
}

// Open reports whether the claim is still being worked.
func (c *Claim) Open() bool { return c.Stage != ClaimClosed }

// OutstandingMinor is what is still owed of the approved settlement.
func (c *Claim) OutstandingMinor() int64 { return max(c.SettledMinor-c.PaidMinor, 0) }

// ClaimMilestoneVariant is the variant of the "claims" milestone regime
// for a loss type: property claims owe an inspection, motor claims a quick
// settlement; the rest share the standard milestones.
func ClaimMilestoneVariant(lossType string) string {
	switch lossType {
	case "property", "motor":
		return lossType
	}
	return "standard"
}

// ClaimComplexity decides at the first notice whether a motor claim is
// simple physical damage, which the firm settles within 10 days: no one
// hurt (the injuries flag, or a party in the role "injured"), not a total
// loss, liability not disputed (a third party who clearly caused the loss,
// such as a rear-end collision, keeps it simple), and a damage estimate,
// when one is given, below limitMinor (0 or less: no limit). Anything
// else is complex and runs the standard milestones. Other loss types have
// no complexity (""). The note says why, for the claim page.
func ClaimComplexity(n *NewClaim, limitMinor int64) (complexity, note string) {
	if n.LossType != "motor" {
		return "", ""
	}
	var why []string
	injured := n.Injuries
	for _, p := range n.Parties {
		injured = injured || p.Role == "injured"
	}
	if injured {
		why = append(why, "injuries reported")
	}
	if n.TotalLoss {
		why = append(why, "total loss")
	}
	if n.LiabilityDisputed {
		why = append(why, "liability disputed")
	}
	if limitMinor > 0 && n.EstimateMinor >= limitMinor {
		why = append(why, "estimate "+FormatMoney(n.EstimateMinor)+" not below "+FormatMoney(limitMinor))
	}
	if len(why) > 0 {
		return "complex", strings.Join(why, "; ")
	}
	return "simple", "physical damage only: no injuries, not a total loss, liability not disputed"
}

// CheckCover compares a loss with the policy it is claimed on. It never
// refuses: every problem is returned for staff to see and decide on.
func CheckCover(p *Policy, lossType string, lossAt time.Time) []CoverProblem {
	var out []CoverProblem
	day := time.Date(lossAt.Year(), lossAt.Month(), lossAt.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case day.Before(p.Start):
		out = append(out, CoverProblem{"loss_before_start", fmt.Sprintf("The loss (%s) is before the policy's cover starts (%s).",
			day.Format(time.DateOnly), p.Start.Format(time.DateOnly))})
	case day.After(p.End):
		out = append(out, CoverProblem{"loss_after_end", fmt.Sprintf("The loss (%s) is after the policy's cover ended (%s).",
			day.Format(time.DateOnly), p.End.Format(time.DateOnly))})
	case !p.InForceOn(day):
		out = append(out, CoverProblem{"policy_not_in_force", fmt.Sprintf("Policy %s is %s, not in force.",
			p.Number, strings.ReplaceAll(p.Status, "_", " "))})
	}
	if lines, ok := lossLines[lossType]; ok && !slices.Contains(lines, p.Line) {
		out = append(out, CoverProblem{"loss_type_mismatch", fmt.Sprintf("A %s loss is not usually covered by a %s policy (%s).",
			strings.ReplaceAll(lossType, "_", " "), strings.ReplaceAll(p.Line, "_", " "), p.Number)})
	}
	return out
}

// NewClaim is a first notice of loss as taken from any channel.
type NewClaim struct {
	PolicyNumber  string
	LossAt        time.Time
	ReportedAt    time.Time // zero: now
	LossType      string
	Place         string
	Description   string
	Channel       string // phone, email, web, … (Channels); "api" callers name the channel the customer used
	Parties       []ClaimParty
	CatastropheID int64
	Priority      string
	AssigneeID    int64
	TeamID        int64
	// What decides whether a motor claim is simple (ClaimComplexity).
	Injuries          bool  // someone was hurt
	TotalLoss         bool  // the vehicle is (probably) a write-off
	LiabilityDisputed bool  // who was at fault is contested or unclear
	EstimateMinor     int64 // the damage estimated at the first notice (0: not given)
}

// Normalize trims the input.
func (n *NewClaim) Normalize() {
	n.PolicyNumber = strings.ToUpper(strings.TrimSpace(n.PolicyNumber))
	n.LossType = strings.TrimSpace(n.LossType)
	n.Place = strings.TrimSpace(n.Place)
	n.Description = strings.TrimSpace(n.Description)
	n.Channel = strings.TrimSpace(n.Channel)
	if n.Channel == "" {
		n.Channel = "phone"
	}
	for i := range n.Parties {
		p := &n.Parties[i]
		p.Role, p.Name = strings.TrimSpace(p.Role), strings.TrimSpace(p.Name)
		p.Contact, p.Note = strings.TrimSpace(p.Contact), strings.TrimSpace(p.Note)
	}
}

// Validate reports every invalid field of a first notice of loss.
func (n *NewClaim) Validate(now time.Time) error {
	var p Problems
	p.Required("policy_number", n.PolicyNumber)
	p.MaxLen("policy_number", n.PolicyNumber, 50)
	p.Required("loss_type", n.LossType)
	LossTypes.check(&p, "loss_type", n.LossType)
	Channels.check(&p, "channel", n.Channel)
	p.Required("description", n.Description)
	p.MaxLen("description", n.Description, 20_000)
	p.MaxLen("place", n.Place, 300)
	if n.LossAt.IsZero() {
		p.Add("loss_at", "is required (RFC 3339, such as 2026-11-20T14:30:00Z)")
	} else if n.LossAt.After(now.Add(5 * time.Minute)) {
		p.Add("loss_at", "must not be in the future")
	} else if n.LossAt.Before(now.AddDate(-10, 0, 0)) {
		p.Add("loss_at", "must be within the last ten years")
	}
	if !n.ReportedAt.IsZero() {
		if n.ReportedAt.After(now.Add(5 * time.Minute)) {
			p.Add("reported_at", "must not be in the future")
		} else if !n.LossAt.IsZero() && n.ReportedAt.Before(n.LossAt) {
			p.Add("reported_at", "must not be before loss_at: a loss is reported after it happens")
		} else if n.ReportedAt.Before(now.AddDate(-10, 0, 0)) {
			p.Add("reported_at", "must be within the last ten years")
		}
	}
	if n.Priority != "" {
		Priorities.check(&p, "priority", n.Priority)
	}
	if n.EstimateMinor < 0 {
		p.Add("estimate", "must not be negative")
	}
	if len(n.Parties) > 50 {
		p.Add("parties", "at most 50 parties")
	}
	for i, party := range n.Parties {
		f := fmt.Sprintf("parties[%d].", i)
		p.Required(f+"role", party.Role)
		ClaimPartyRoles.check(&p, f+"role", party.Role)
		p.Required(f+"name", party.Name)
		p.MaxLen(f+"name", party.Name, 200)
		p.MaxLen(f+"contact", party.Contact, 300)
		p.MaxLen(f+"note", party.Note, 2000)
	}
	return p.Err()
}

// ClaimTransition is one move of a claim, with who made it and why.
type ClaimTransition struct {
	ID        int64
	CaseID    int64
	From      string
	To        string
	ActorID   int64
	ActorName string
	Note      string
	At        time.Time
}

// ClaimReserve is one setting of a claim's reserve: the amount the insurer
// expects to pay, kept up to date as the assessment goes on.
type ClaimReserve struct {
	ID          int64
	CaseID      int64
	AmountMinor int64 // the new reserve
	PrevMinor   int64
	Note        string
	ActorID     int64
	ActorName   string
	At          time.Time
}

// ClaimPayment is money paid on a claim.
type ClaimPayment struct {
	ID          int64
	CaseID      int64
	AmountMinor int64
	Payee       string
	Method      string // ClaimPaymentMethods
	Reference   string // the bank's or ledger's reference
	ActorID     int64
	ActorName   string
	At          time.Time
}

// ClaimPaymentMethods are the ways a claim is paid.
var ClaimPaymentMethods = enum{"bank_transfer", "cheque", "card", "repairer", "other"}

// ClaimPaymentMethodList returns the payment methods.
func ClaimPaymentMethodList() []string { return append([]string(nil), ClaimPaymentMethods...) }

// Validate reports every invalid field of a payment.
func (p *ClaimPayment) Validate() error {
	var pr Problems
	p.Payee, p.Method, p.Reference = strings.TrimSpace(p.Payee), strings.TrimSpace(p.Method), strings.TrimSpace(p.Reference)
	if p.AmountMinor <= 0 {
		pr.Add("amount", "must be more than zero")
	}
	pr.Required("payee", p.Payee)
	pr.MaxLen("payee", p.Payee, 200)
	pr.Required("method", p.Method)
	ClaimPaymentMethods.check(&pr, "method", p.Method)
	pr.MaxLen("reference", p.Reference, 100)
	return pr.Err()
}

// SettlementAuthority is how much one role or one user may approve as a
// settlement. A user's own limit overrides their role's.
type SettlementAuthority struct {
	ID         int64
	Role       string // set for a role default
	UserID     int64  // set for a per-user override
	LimitMinor int64
	Currency   string // "" applies to every currency
	UpdatedAt  time.Time
}

// CatastropheEvent is a declared event (storm, flood, wildfire) producing
// many claims at once. While it is active, the inspection clocks of the
// claims linked to it stand still.
type CatastropheEvent struct {
	ID          int64
	Name        string
	Description string
	Region      string
	StartedAt   time.Time
	EndedAt     time.Time // zero while active
	DeclaredBy  int64
	CreatedAt   time.Time
}

// Active reports whether the event is still declared.
func (e *CatastropheEvent) Active() bool { return e.EndedAt.IsZero() }

// Validate reports every invalid field of a catastrophe event.
func (e *CatastropheEvent) Validate() error {
	var p Problems
	e.Name, e.Description, e.Region = strings.TrimSpace(e.Name), strings.TrimSpace(e.Description), strings.TrimSpace(e.Region)
	p.Required("name", e.Name)
	p.MaxLen("name", e.Name, 200)
	p.MaxLen("description", e.Description, 5000)
	p.MaxLen("region", e.Region, 200)
	return p.Err()
}

// ClaimFilter selects claims for a list.
type ClaimFilter struct {
	Stage         string
	Open          *bool
	CustomerID    int64
	CatastropheID int64
	Limit         int
	After         *ClaimKey // the keyset position of the previous page's last claim; nil: the first page
}

// ClaimKey is a claim's place in the list ordered by nearest milestone:
// its case's next due time (zero: no milestone running, listed last) and
// its case id (newest first among equals).
type ClaimKey struct {
	Due    time.Time
	CaseID int64
}

// String encodes the key as an opaque cursor for a next-page link.
func (k ClaimKey) String() string {
	var due int64
	if !k.Due.IsZero() {
		due = k.Due.UnixMicro()
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(due, 10) + "." + strconv.FormatInt(k.CaseID, 10)))
}

// ParseClaimKey reads a cursor made by ClaimKey.String.
func ParseClaimKey(s string) (ClaimKey, error) {
	bad := Invalid("cursor", "is not a cursor this list returned; start again without it")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ClaimKey{}, bad
	}
	d, id, ok := strings.Cut(string(b), ".")
	due, err1 := strconv.ParseInt(d, 10, 64)
	caseID, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || due < 0 || caseID <= 0 {
		return ClaimKey{}, bad
	}
	k := ClaimKey{CaseID: caseID}
	if due > 0 {
		k.Due = time.UnixMicro(due).UTC()
	}
	return k, nil
}

// ValidCurrency reports whether caredesk accepts the currency code.
func ValidCurrency(code string) bool { return Currencies.valid(code) }
