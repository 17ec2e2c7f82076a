package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

type claimPartyDTO struct {
	Role    string `json:"role"`
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Note    string `json:"note"`
}

type coverProblemDTO struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type claimStageDTO struct {
	Stage      string `json:"stage"`
	Label      string `json:"label"`
	Who        string `json:"who"`        // the team that acts at this stage
	Permission string `json:"permission"` // the permission that moves the claim on from it
}

type claimTransitionDTO struct {
	ID        int64   `json:"id"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	ActorID   *int64  `json:"actor_id"`
	ActorName string  `json:"actor_name"`
	Note      string  `json:"note"`
	At        *string `json:"at"`
}

type claimReserveDTO struct {
	ID        int64   `json:"id"`
	Amount    string  `json:"amount"`
	Previous  string  `json:"previous"`
	Note      string  `json:"note"`
	ActorName string  `json:"actor_name"`
	At        *string `json:"at"`
}

type claimPaymentDTO struct {
	ID        int64   `json:"id"`
	Amount    string  `json:"amount"`
	Payee     string  `json:"payee"`
	Method    string  `json:"method"`
	Reference string  `json:"reference"`
	ActorName string  `json:"actor_name"`
	At        *string `json:"at"`
}

// claimDTO is a claim: the first notice of loss, the stage and who acts
// at it, the cover problems, the money, the history and the milestones.
type claimDTO struct {
	ID                 int64                `json:"id"` // the claim's case id
	Number             string               `json:"number"`
	Reference          string               `json:"reference"` // the case reference
	Stage              string               `json:"stage"`
	StageInfo          claimStageDTO        `json:"stage_info"`
	NextStages         []string             `json:"next_stages"`
	PolicyID           int64                `json:"policy_id"`
	PolicyNumber       string               `json:"policy_number"`
	CustomerID         *int64               `json:"customer_id"`
	LossAt             *string              `json:"loss_at"`
	ReportedAt         *string              `json:"reported_at"`
	LossType           string               `json:"loss_type"`
	Place              string               `json:"place"`
	Description        string               `json:"description"`
	Channel            string               `json:"channel"`
	Parties            []claimPartyDTO      `json:"parties"`
	CoverProblems      []coverProblemDTO    `json:"cover_problems"`
	CatastropheID      *int64               `json:"catastrophe_id"`
	Currency           string               `json:"currency"`
	Reserve            string               `json:"reserve"`
	Settled            string               `json:"settled"`
	Paid               string               `json:"paid"`
	Outstanding        string               `json:"outstanding"`
	SettledBy          *int64               `json:"settled_by"`
	Decision           string               `json:"decision"`
	ComplaintID        *int64               `json:"complaint_id"`
	ComplaintReference *string              `json:"complaint_reference"`
	InspectionAt       *string              `json:"inspection_at"`
	Inspector          string               `json:"inspector"`
	Reopened           int                  `json:"reopened"`
	Complexity         string               `json:"complexity"`      // motor: simple or complex; "" for other loss types
	ComplexityNote     string               `json:"complexity_note"` // why
	Estimate           *string              `json:"estimate"`        // the damage estimated at the first notice; null when not given
	CreatedAt          *string              `json:"created_at"`
	UpdatedAt          *string              `json:"updated_at"`
	ClosedAt           *string              `json:"closed_at"`
	Case               caseDTO              `json:"case"`
	Clocks             []clockDTO           `json:"clocks"`
	Transitions        []claimTransitionDTO `json:"transitions"`
	Reserves           []claimReserveDTO    `json:"reserves"`
	Payments           []claimPaymentDTO    `json:"payments"`
}

func toStage(stage string) claimStageDTO {
	s := care.StageInfo(stage)
	return claimStageDTO{Stage: s.Stage, Label: s.Label, Who: s.Who, Permission: string(s.Perm)}
}

func toClaim(v *service.ClaimView, now time.Time) claimDTO {
	k := v.Claim
	d := claimDTO{ID: k.CaseID, Number: k.Number, Reference: v.Case.Reference, Stage: k.Stage, StageInfo: toStage(k.Stage),
		NextStages: care.ClaimMoves(k.Stage), PolicyID: k.PolicyID, PolicyNumber: v.Policy.Number,
		CustomerID: ref(v.Case.CustomerID), LossAt: stamp(k.LossAt), ReportedAt: stamp(k.ReportedAt), LossType: k.LossType,
		Place: k.Place, Description: k.Description, Channel: k.Channel, CatastropheID: ref(k.CatastropheID),
		Currency: k.Currency, Reserve: care.FormatMoney(k.ReserveMinor), Settled: care.FormatMoney(k.SettledMinor),
		Paid: care.FormatMoney(k.PaidMinor), Outstanding: care.FormatMoney(k.OutstandingMinor()), SettledBy: ref(k.SettledBy),
		Decision: k.Decision, ComplaintID: ref(k.ComplaintID), InspectionAt: stamp(k.InspectionAt), Inspector: k.Inspector,
		Reopened: k.Reopened, CreatedAt: stamp(k.CreatedAt), UpdatedAt: stamp(k.UpdatedAt), ClosedAt: stamp(k.ClosedAt),
		Case:   toCase(v.Case),
		Clocks: mapAll(v.Clocks, func(c *care.Clock) clockDTO { return toClock(c, now) }),
		Parties: mapAll(k.Parties, func(p care.ClaimParty) claimPartyDTO {
			return claimPartyDTO{Role: p.Role, Name: p.Name, Contact: p.Contact, Note: p.Note}
		}),
		CoverProblems: mapAll(k.CoverProblems, func(p care.CoverProblem) coverProblemDTO {
			return coverProblemDTO{Code: p.Code, Message: p.Message}
		}),
		Transitions: mapAll(v.Transitions, func(t *care.ClaimTransition) claimTransitionDTO {
			return claimTransitionDTO{ID: t.ID, From: t.From, To: t.To, ActorID: ref(t.ActorID), ActorName: t.ActorName,
				Note: t.Note, At: stamp(t.At)}
		}),
		Reserves: mapAll(v.Reserves, func(r *care.ClaimReserve) claimReserveDTO {
			return claimReserveDTO{ID: r.ID, Amount: care.FormatMoney(r.AmountMinor), Previous: care.FormatMoney(r.PrevMinor),
				Note: r.Note, ActorName: r.ActorName, At: stamp(r.At)}
		}),
		Payments: mapAll(v.Payments, func(p *care.ClaimPayment) claimPaymentDTO {
			return claimPaymentDTO{ID: p.ID, Amount: care.FormatMoney(p.AmountMinor), Payee: p.Payee, Method: p.Method,
				Reference: p.Reference, ActorName: p.ActorName, At: stamp(p.At)}
		})}
	if v.Complaint != nil {
		d.ComplaintReference = &v.Complaint.Reference
	}
	d.Complexity, d.ComplexityNote = k.Complexity, k.ComplexityNote
	if k.EstimateMinor > 0 {
		e := care.FormatMoney(k.EstimateMinor)
		d.Estimate = &e
	}
	return d
}

func (a *API) writeClaim(w http.ResponseWriter, status int, v *service.ClaimView) error {
	if status == http.StatusCreated {
		return created(w, "/api/v1/claims/"+url.PathEscape(v.Claim.Number), toClaim(v, a.svc.Now()))
	}
	return writeJSON(w, status, toClaim(v, a.svc.Now()))
}

type claimInput struct {
	PolicyNumber  string          `json:"policy_number"`
	LossAt        timestamp       `json:"loss_at"`
	ReportedAt    timestamp       `json:"reported_at"`
	LossType      string          `json:"loss_type"`
	Place         string          `json:"place"`
	Description   string          `json:"description"`
	Channel       string          `json:"channel"`
	Parties       []claimPartyDTO `json:"parties"`
	CatastropheID int64           `json:"catastrophe_id"`
	Priority      string          `json:"priority"`
	Injuries      bool            `json:"injuries"`           // someone was hurt (motor: complex)
	TotalLoss     bool            `json:"total_loss"`         // a write-off (motor: complex)
	Liability     bool            `json:"liability_disputed"` // fault contested or unclear (motor: complex)
	Estimate      money           `json:"estimate"`           // the damage estimate, if known
}

func (a *API) createClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	estimate, err := in.Estimate.minor("estimate")
	if err != nil {
		return err
	}
	n := care.NewClaim{PolicyNumber: in.PolicyNumber, LossAt: in.LossAt.Time, ReportedAt: in.ReportedAt.Time,
		LossType: in.LossType, Place: in.Place, Description: in.Description, Channel: in.Channel,
		CatastropheID: in.CatastropheID, Priority: in.Priority, Injuries: in.Injuries, TotalLoss: in.TotalLoss,
		LiabilityDisputed: in.Liability,
		EstimateMinor:     estimate,
		Parties: mapAll(in.Parties, func(p claimPartyDTO) care.ClaimParty {
			return care.ClaimParty{Role: p.Role, Name: p.Name, Contact: p.Contact, Note: p.Note}
		})}
	v, err := a.svc.CreateClaim(r.Context(), n)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusCreated, v)
}

func (a *API) getClaim(w http.ResponseWriter, r *http.Request) error {
	v, err := a.svc.FindClaim(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

type claimSummaryDTO struct {
	ID            int64             `json:"id"`
	Number        string            `json:"number"`
	Reference     string            `json:"reference"`
	Stage         string            `json:"stage"`
	StageInfo     claimStageDTO     `json:"stage_info"`
	LossType      string            `json:"loss_type"`
	LossAt        *string           `json:"loss_at"`
	ReportedAt    *string           `json:"reported_at"`
	PolicyNumber  string            `json:"policy_number"`
	CustomerID    *int64            `json:"customer_id"`
	CustomerName  string            `json:"customer_name"`
	AssigneeID    *int64            `json:"assignee_id"`
	Currency      string            `json:"currency"`
	Reserve       string            `json:"reserve"`
	Settled       string            `json:"settled"`
	Paid          string            `json:"paid"`
	CoverProblems []coverProblemDTO `json:"cover_problems"`
	NextDue       *string           `json:"next_due"`
}

func toClaimSummary(r *store.ClaimRow) claimSummaryDTO {
	k := r.Claim
	return claimSummaryDTO{ID: k.CaseID, Number: k.Number, Reference: r.Reference, Stage: k.Stage, StageInfo: toStage(k.Stage),
		LossType: k.LossType, LossAt: stamp(k.LossAt), ReportedAt: stamp(k.ReportedAt), PolicyNumber: r.PolicyNumber,
		CustomerID: ref(r.CustomerID), CustomerName: r.CustomerName, AssigneeID: ref(r.AssigneeID), Currency: k.Currency,
		Reserve: care.FormatMoney(k.ReserveMinor), Settled: care.FormatMoney(k.SettledMinor), Paid: care.FormatMoney(k.PaidMinor),
		CoverProblems: mapAll(k.CoverProblems, func(p care.CoverProblem) coverProblemDTO {
			return coverProblemDTO{Code: p.Code, Message: p.Message}
		}), NextDue: stamp(r.NextDueAt)}
}

func (a *API) listClaims(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := care.ClaimFilter{Stage: q.str("stage"), CustomerID: q.id("customer_id"), CatastropheID: q.id("catastrophe_id"),
		Limit: q.limit()}
	if q.str("open") != "" {
		open := q.flag("open")
		f.Open = &open
	}
	if c := q.str("cursor"); c != "" {
		k, err := care.ParseClaimKey(c)
		if err != nil {
			q.p.Add("cursor", "%s", care.ErrorFields(err)[0].Message)
		} else {
			f.After = &k
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	rows, next, err := a.svc.FindClaims(r.Context(), f)
	if err != nil {
		return err
	}
	p := page[claimSummaryDTO]{Items: mapAll(rows, toClaimSummary)}
	if next != nil {
		c := next.String()
		p.NextCursor = &c
	}
	return writeJSON(w, http.StatusOK, p)
}

type claimTransitionInput struct {
	To   string `json:"to"`
	Note string `json:"note"`
}

func (a *API) transitionClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimTransitionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.TransitionClaim(r.Context(), r.PathValue("key"), in.To, in.Note)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

type claimAmountInput struct {
	Amount money  `json:"amount"`
	Note   string `json:"note"`
}

func (in claimAmountInput) required() (int64, error) {
	if !in.Amount.set {
		return 0, care.Invalid("amount", "is required, such as 1250.00")
	}
	return in.Amount.minor("amount")
}

func (a *API) settleClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimAmountInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	amount, err := in.required()
	if err != nil {
		return err
	}
	v, err := a.svc.ApproveSettlement(r.Context(), r.PathValue("key"), amount, in.Note)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

func (a *API) reserveClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimAmountInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	amount, err := in.required()
	if err != nil {
		return err
	}
	v, err := a.svc.SetClaimReserve(r.Context(), r.PathValue("key"), amount, in.Note)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusCreated, v)
}

type claimDecisionInput struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
	Channel  string `json:"channel"`
}

func (a *API) decideClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimDecisionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.DecideClaim(r.Context(), r.PathValue("key"), service.ClaimDecisionInput{Decision: in.Decision,
		Note: in.Note, Channel: in.Channel})
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

type claimPaymentInput struct {
	Amount    money  `json:"amount"`
	Payee     string `json:"payee"`
	Method    string `json:"method"`
	Reference string `json:"reference"`
}

func (a *API) payClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimPaymentInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	amount, err := claimAmountInput{Amount: in.Amount}.required()
	if err != nil {
		return err
	}
	v, err := a.svc.AddClaimPayment(r.Context(), r.PathValue("key"), &care.ClaimPayment{AmountMinor: amount,
		Payee: in.Payee, Method: in.Method, Reference: in.Reference})
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusCreated, v)
}

type inspectionInput struct {
	At        timestamp `json:"at"`
	Inspector string    `json:"inspector"`
}

func (a *API) scheduleInspection(w http.ResponseWriter, r *http.Request) error {
	var in inspectionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.ScheduleInspection(r.Context(), r.PathValue("key"), in.At.Time, in.Inspector)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

type catastropheLinkInput struct {
	CatastropheID int64 `json:"catastrophe_id"`
}

func (a *API) linkClaimCatastrophe(w http.ResponseWriter, r *http.Request) error {
	var in catastropheLinkInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.LinkClaimCatastrophe(r.Context(), r.PathValue("key"), in.CatastropheID)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

type noteInput struct {
	Note string `json:"note"`
}

func (a *API) reopenClaim(w http.ResponseWriter, r *http.Request) error {
	var in noteInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.ReopenClaim(r.Context(), r.PathValue("key"), in.Note)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}

type catastropheDTO struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Region      string  `json:"region"`
	Active      bool    `json:"active"`
	StartedAt   *string `json:"started_at"`
	EndedAt     *string `json:"ended_at"`
	DeclaredBy  *int64  `json:"declared_by"`
}

func toCatastrophe(e *care.CatastropheEvent) catastropheDTO {
	return catastropheDTO{ID: e.ID, Name: e.Name, Description: e.Description, Region: e.Region, Active: e.Active(),
		StartedAt: stamp(e.StartedAt), EndedAt: stamp(e.EndedAt), DeclaredBy: ref(e.DeclaredBy)}
}

type catastropheInput struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Region      string    `json:"region"`
	StartedAt   timestamp `json:"started_at"`
}

func (a *API) declareCatastrophe(w http.ResponseWriter, r *http.Request) error {
	var in catastropheInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	e := &care.CatastropheEvent{Name: in.Name, Description: in.Description, Region: in.Region, StartedAt: in.StartedAt.Time}
	if err := a.svc.DeclareCatastrophe(r.Context(), e); err != nil {
		return err
	}
	return created(w, "/api/v1/catastrophes/"+strconv.FormatInt(e.ID, 10), toCatastrophe(e))
}

func (a *API) listCatastrophes(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindCatastrophes(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[catastropheDTO]{Items: mapAll(items, toCatastrophe)})
}

func (a *API) endCatastrophe(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := a.svc.EndCatastrophe(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCatastrophe(e))
}

type authorityDTO struct {
	ID        int64   `json:"id"`
	Role      string  `json:"role"`
	UserID    *int64  `json:"user_id"`
	Limit     string  `json:"limit"`
	Currency  string  `json:"currency"` // "" for every currency
	UpdatedAt *string `json:"updated_at"`
}

func toAuthority(a *care.SettlementAuthority) authorityDTO {
	return authorityDTO{ID: a.ID, Role: a.Role, UserID: ref(a.UserID), Limit: care.FormatMoney(a.LimitMinor),
		Currency: a.Currency, UpdatedAt: stamp(a.UpdatedAt)}
}

func (a *API) listAuthority(w http.ResponseWriter, r *http.Request) error {
	items, err := a.svc.FindSettlementAuthorities(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[authorityDTO]{Items: mapAll(items, toAuthority)})
}

type authorityInput struct {
	Role     string `json:"role"`
	UserID   int64  `json:"user_id"`
	Limit    money  `json:"limit"`
	Currency string `json:"currency"`
}

func (a *API) setAuthority(w http.ResponseWriter, r *http.Request) error {
	var in authorityInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if !in.Limit.set {
		return care.Invalid("limit", "is required, such as 5000.00")
	}
	limit, err := in.Limit.minor("limit")
	if err != nil {
		return err
	}
	s := &care.SettlementAuthority{Role: in.Role, UserID: in.UserID, LimitMinor: limit, Currency: in.Currency}
	if err := a.svc.SetSettlementAuthority(r.Context(), s); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAuthority(s))
}

type documentRequestInput struct {
	Documents []string `json:"documents"`
	Note      string   `json:"note"`
}

func (a *API) requestClaimDocuments(w http.ResponseWriter, r *http.Request) error {
	var in documentRequestInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	v, err := a.svc.RequestClaimDocuments(r.Context(), r.PathValue("key"), in.Documents, in.Note)
	if err != nil {
		return err
	}
	return a.writeClaim(w, http.StatusOK, v)
}
