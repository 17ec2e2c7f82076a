package care

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Case is the unit of care work. Every interaction belongs to a case, so an
// auditor can trace any contact to its outcome (ISO 10002 traceability).
type Case struct {
	ID          int64
	Reference   string // human reference, e.g. CD-2026-000123; unique, never reused
	Type        string // CaseTypes
	Channel     string // Channels: channel of first contact
	Status      string // CaseStatuses
	Priority    string // Priorities
	CustomerID  int64  // 0 when unknown yet
	PolicyID    int64  // 0 when none
	TeamID      int64  // 0 when unassigned to a team
	AssigneeID  int64  // 0 when unassigned
	Subject     string
	Description string
	Regimes     []string  // regulatory regimes whose clocks run on the case (SLA clocks always run)
	Tier        string    // CaseTiers: frontline, tier2, executive, referred
	ReceivedAt  time.Time // first receipt anywhere in the firm; never changes
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time // zero while open
	Version     int64     // incremented by each update; guards concurrent edits
}

// CaseTypes are the kinds of care work.
var CaseTypes = enum{"enquiry", "service_request", "claim", "complaint"}

// Channels are the ways a contact reaches the firm.
var Channels = enum{"phone", "email", "chat", "web", "post", "in_person", "social"}

// CaseStatuses, in lifecycle order. A case in a closed status has ClosedAt set.
var CaseStatuses = enum{"new", "open", "waiting_customer", "waiting_third_party", "resolved", "closed"}

// Priorities, lowest first.
var Priorities = enum{"low", "normal", "high", "urgent"}

// CaseTypeList returns the valid case types, for messages and forms.
func CaseTypeList() []string { return append([]string(nil), CaseTypes...) }

// ChannelList returns the valid channels.
func ChannelList() []string { return append([]string(nil), Channels...) }

// CaseStatusList returns the valid case statuses.
func CaseStatusList() []string { return append([]string(nil), CaseStatuses...) }

// PriorityList returns the valid priorities.
func PriorityList() []string { return append([]string(nil), Priorities...) }

// IsClosedStatus reports whether status ends the case's active life.
func IsClosedStatus(status string) bool { return status == "resolved" || status == "closed" }

// Normalize trims input and fills defaults.
func (c *Case) Normalize() {
	c.Type = strings.TrimSpace(c.Type)
	c.Channel = strings.TrimSpace(c.Channel)
	c.Subject = strings.TrimSpace(c.Subject)
	if c.Status == "" {
		c.Status = "new"
	}
	if c.Priority == "" {
		c.Priority = "normal"
	}
	if c.Tier == "" {
		c.Tier = "frontline"
	}
}

// Validate reports every invalid field of a new case. now bounds received_at:
// a case cannot be received in the future (a small skew is tolerated).
func (c *Case) Validate(now time.Time) error {
	var p Problems
	p.Required("type", c.Type)
	CaseTypes.check(&p, "type", c.Type)
	p.Required("channel", c.Channel)
	Channels.check(&p, "channel", c.Channel)
	CaseStatuses.check(&p, "status", c.Status)
	Priorities.check(&p, "priority", c.Priority)
	p.Required("subject", c.Subject)
	p.MaxLen("subject", c.Subject, 300)
	p.MaxLen("description", c.Description, 100_000)
	if c.ReceivedAt.After(now.Add(5 * time.Minute)) {
		p.Add("received_at", "must not be in the future")
	}
	if !c.ReceivedAt.IsZero() && c.ReceivedAt.Before(now.AddDate(-10, 0, 0)) {
		p.Add("received_at", "must be within the last ten years")
	}
	return p.Err()
}

// CaseReference formats the human reference of the n-th case of a year.
func CaseReference(year int, n int64) string {
	return fmt.Sprintf("CD-%d-%06d", year, n)
}

var referencePattern = regexp.MustCompile(`^CD-\d{4}-\d{6,}$`)

// LooksLikeReference reports whether s has the shape of a case reference.
func LooksLikeReference(s string) bool {
	return referencePattern.MatchString(strings.ToUpper(strings.TrimSpace(s)))
}

// CaseUpdate holds the fields of a case that may change; nil leaves a field
// as it is. Zero IDs (0) in TeamID or AssigneeID clear the assignment.
type CaseUpdate struct {
	Status     *string
	Priority   *string
	TeamID     *int64
	AssigneeID *int64
	Subject    *string
	Type       *string // reclassification; ReceivedAt never changes with it
	CustomerID *int64  // link the caller once identified (0 clears)
	PolicyID   *int64  // link the policy concerned (0 clears)
	Version    int64   // when non-zero, the update fails with ECONFLICT unless it matches
}

// Validate reports every invalid field of an update.
func (u *CaseUpdate) Validate() error {
	var p Problems
	if u.Status != nil {
		p.Required("status", *u.Status)
		CaseStatuses.check(&p, "status", *u.Status)
	}
	if u.Priority != nil {
		p.Required("priority", *u.Priority)
		Priorities.check(&p, "priority", *u.Priority)
	}
	if u.Type != nil {
		p.Required("type", *u.Type)
		CaseTypes.check(&p, "type", *u.Type)
	}
	if u.Subject != nil {
		p.Required("subject", *u.Subject)
		p.MaxLen("subject", *u.Subject, 300)
	}
	if u.TeamID != nil && *u.TeamID < 0 {
		p.Add("team_id", "must be a team id, or 0 to clear")
	}
	if u.AssigneeID != nil && *u.AssigneeID < 0 {
		p.Add("assignee_id", "must be a user id, or 0 to clear")
	}
	if u.CustomerID != nil && *u.CustomerID < 0 {
		p.Add("customer_id", "must be a customer id, or 0 to clear")
	}
	if u.PolicyID != nil && *u.PolicyID < 0 {
		p.Add("policy_id", "must be a policy id, or 0 to clear")
	}
	if u.Status == nil && u.Priority == nil && u.TeamID == nil && u.AssigneeID == nil && u.Subject == nil && u.Type == nil &&
		u.CustomerID == nil && u.PolicyID == nil {
		p.Add("body", "names no field to change (status, priority, team_id, assignee_id, subject, type, customer_id, policy_id)")
	}
	return p.Err()
}

// CaseFilter selects cases. Zero fields do not filter. Results are ordered by
// ID descending (newest first); After is the keyset cursor.
type CaseFilter struct {
	Status     []string
	Type       string
	TeamID     int64
	AssigneeID int64
	CustomerID int64
	Open       bool  // only cases not resolved or closed
	Before     int64 // keyset cursor: cases with ID lower than this
	Limit      int
}

// IsCaseStatus reports whether s is a valid case status.
func IsCaseStatus(s string) bool { return CaseStatuses.valid(s) }

// IsCaseType reports whether s is a valid case type.
func IsCaseType(s string) bool { return CaseTypes.valid(s) }
