package httpapi

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// The DTOs below are what the API answers with. Domain types carry no JSON
// tags, so only the fields named here can ever leave the process.

// stamp formats a time as RFC 3339 in UTC; nil (JSON null) when unset.
func stamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// ref returns nil (JSON null) for the 0 that means "no such link".
func ref(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

type customerDTO struct {
	ID                int64   `json:"id"`
	Kind              string  `json:"kind"`
	Name              string  `json:"name"`
	Email             string  `json:"email"`
	Phone             string  `json:"phone"`
	Address           string  `json:"address"`
	Vulnerable        bool    `json:"vulnerable"`
	VulnerabilityNote string  `json:"vulnerability_note"`
	ExternalRef       string  `json:"external_ref"`
	CreatedAt         *string `json:"created_at"`
	UpdatedAt         *string `json:"updated_at"`
}

func toCustomer(c *care.Customer) customerDTO {
	return customerDTO{ID: c.ID, Kind: c.Kind, Name: c.Name, Email: c.Email, Phone: c.Phone, Address: c.Address,
		Vulnerable: c.Vulnerable, VulnerabilityNote: c.VulnerabilityNote, ExternalRef: c.ExternalRef,
		CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt)}
}

type caseDTO struct {
	ID          int64    `json:"id"`
	Reference   string   `json:"reference"`
	Type        string   `json:"type"`
	Channel     string   `json:"channel"`
	Status      string   `json:"status"`
	Priority    string   `json:"priority"`
	CustomerID  *int64   `json:"customer_id"`
	PolicyID    *int64   `json:"policy_id"`
	TeamID      *int64   `json:"team_id"`
	AssigneeID  *int64   `json:"assignee_id"`
	Subject     string   `json:"subject"`
	Description string   `json:"description"`
	Regimes     []string `json:"regimes"`
	Tier        string   `json:"tier"`
	ReceivedAt  *string  `json:"received_at"`
	CreatedAt   *string  `json:"created_at"`
	UpdatedAt   *string  `json:"updated_at"`
	ClosedAt    *string  `json:"closed_at"`
	Version     int64    `json:"version"`
}

func toCase(c *care.Case) caseDTO {
	regimes := slices.Clone(c.Regimes)
	if regimes == nil {
		regimes = []string{}
	}
	return caseDTO{ID: c.ID, Reference: c.Reference, Type: c.Type, Channel: c.Channel, Status: c.Status,
		Priority: c.Priority, CustomerID: ref(c.CustomerID), PolicyID: ref(c.PolicyID), TeamID: ref(c.TeamID),
		AssigneeID: ref(c.AssigneeID), Subject: c.Subject, Description: c.Description, Regimes: regimes,
		Tier: c.Tier, ReceivedAt: stamp(c.ReceivedAt), CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt),
		ClosedAt: stamp(c.ClosedAt), Version: c.Version}
}

type interactionDTO struct {
	ID            int64   `json:"id"`
	CaseID        int64   `json:"case_id"`
	Channel       string  `json:"channel"`
	Direction     string  `json:"direction"`
	AgentID       *int64  `json:"agent_id"`
	Queue         string  `json:"queue"`
	Disposition   string  `json:"disposition"`
	Subject       string  `json:"subject"`
	Body          string  `json:"body"`
	OfferedAt     *string `json:"offered_at"`
	AnsweredAt    *string `json:"answered_at"`
	EndedAt       *string `json:"ended_at"`
	WrapUpEndedAt *string `json:"wrap_up_ended_at"`
	Abandoned     bool    `json:"abandoned"`
	ExternalID    string  `json:"external_id"`
	CreatedAt     *string `json:"created_at"`
}

func toInteraction(i *care.Interaction) interactionDTO {
	return interactionDTO{ID: i.ID, CaseID: i.CaseID, Channel: i.Channel, Direction: i.Direction,
		AgentID: ref(i.AgentID), Queue: i.Queue, Disposition: i.Disposition, Subject: i.Subject, Body: i.Body,
		OfferedAt: stamp(i.OfferedAt), AnsweredAt: stamp(i.AnsweredAt), EndedAt: stamp(i.EndedAt),
		WrapUpEndedAt: stamp(i.WrapUpEndedAt), Abandoned: i.Abandoned, ExternalID: i.ExternalID,
		CreatedAt: stamp(i.CreatedAt)}
}

type policyDTO struct {
	ID         int64   `json:"id"`
	CustomerID int64   `json:"customer_id"`
	Number     string  `json:"number"`
	Line       string  `json:"line"`
	Status     string  `json:"status"`
	Start      *string `json:"start"`
	End        *string `json:"end"`
	Premium    string  `json:"premium"`
	Currency   string  `json:"currency"`
	CreatedAt  *string `json:"created_at"`
	UpdatedAt  *string `json:"updated_at"`
}

// day formats a calendar date; nil when unset.
func day(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}

func toPolicy(p *care.Policy) policyDTO {
	return policyDTO{ID: p.ID, CustomerID: p.CustomerID, Number: p.Number, Line: p.Line, Status: p.Status,
		Start: day(p.Start), End: day(p.End), Premium: care.FormatMoney(p.PremiumMinor), Currency: p.Currency,
		CreatedAt: stamp(p.CreatedAt), UpdatedAt: stamp(p.UpdatedAt)}
}

type userDTO struct {
	ID        int64   `json:"id"`
	Email     string  `json:"email"`
	Name      string  `json:"name"`
	Role      string  `json:"role"`
	TeamID    *int64  `json:"team_id"`
	Active    bool    `json:"active"`
	CreatedAt *string `json:"created_at"`
	UpdatedAt *string `json:"updated_at"`
}

func toUser(u *care.User) userDTO {
	return userDTO{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, TeamID: ref(u.TeamID), Active: u.Active,
		CreatedAt: stamp(u.CreatedAt), UpdatedAt: stamp(u.UpdatedAt)}
}

type teamDTO struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	CreatedAt *string `json:"created_at"`
}

func toTeam(t *care.Team) teamDTO {
	return teamDTO{ID: t.ID, Name: t.Name, CreatedAt: stamp(t.CreatedAt)}
}

type dispositionDTO struct {
	Code      string  `json:"code"`
	Label     string  `json:"label"`
	Active    bool    `json:"active"`
	CreatedAt *string `json:"created_at"`
}

func toDisposition(d *care.DispositionCode) dispositionDTO {
	return dispositionDTO{Code: d.Code, Label: d.Label, Active: d.Active, CreatedAt: stamp(d.CreatedAt)}
}

type tokenDTO struct {
	ID        int64   `json:"id"`
	UserID    int64   `json:"user_id"`
	Name      string  `json:"name"`
	Prefix    string  `json:"prefix"`
	Token     string  `json:"token,omitempty"` // the secret: only in the answer that created it
	CreatedAt *string `json:"created_at"`
}

type auditDTO struct {
	Seq       int64           `json:"seq"`
	At        *string         `json:"at"`
	ActorID   *int64          `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	Source    string          `json:"source"`
	IP        string          `json:"ip"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Detail    json.RawMessage `json:"detail"`
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
}

func toAudit(e *care.AuditEntry) auditDTO {
	// Detail is compact JSON written by the service; anything else is passed
	// on as a string rather than breaking the whole answer.
	detail := json.RawMessage("null")
	if e.Detail != "" && json.Valid([]byte(e.Detail)) {
		detail = json.RawMessage(e.Detail)
	} else if e.Detail != "" {
		detail, _ = json.Marshal(e.Detail)
	}
	return auditDTO{Seq: e.Seq, At: stamp(e.At), ActorID: ref(e.ActorID), ActorName: e.ActorName, Source: e.Source,
		IP: e.IP, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, Detail: detail,
		PrevHash: e.PrevHash, Hash: e.Hash}
}

// mapAll maps a slice of domain values to DTOs; never nil, so lists encode as [].
func mapAll[D any, T any](items []T, fn func(T) D) []D {
	out := make([]D, len(items))
	for i, it := range items {
		out[i] = fn(it)
	}
	return out
}
