package care

import (
	"slices"
	"strings"
	"time"
)

// User is a member of staff who signs in to caredesk.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      string // Roles
	TeamID    int64  // 0 when in no team
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Team groups users who share a queue.
type Team struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Validate reports every invalid field of a team.
func (t *Team) Validate() error {
	var p Problems
	t.Name = strings.TrimSpace(t.Name)
	p.Required("name", t.Name)
	p.MaxLen("name", t.Name, 100)
	return p.Err()
}

// Normalize trims input and lower-cases the email.
func (u *User) Normalize() {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	u.Role = strings.TrimSpace(u.Role)
}

// Validate reports every invalid field of a user.
func (u *User) Validate() error {
	var p Problems
	p.Required("email", u.Email)
	if u.Email != "" {
		CheckEmail(&p, "email", u.Email)
	}
	p.Required("name", u.Name)
	p.MaxLen("name", u.Name, 200)
	p.Required("role", u.Role)
	if u.Role != "" && !ValidRole(u.Role) {
		p.Add("role", "must be one of: %s", strings.Join(RoleNames(), ", "))
	}
	return p.Err()
}

// UserUpdate holds the fields of a user an administrator may change.
type UserUpdate struct {
	Name   *string
	Role   *string
	TeamID *int64
	Active *bool
}

// Validate reports every invalid field of a user update.
func (u *UserUpdate) Validate() error {
	var p Problems
	if u.Name != nil {
		p.Required("name", *u.Name)
		p.MaxLen("name", *u.Name, 200)
	}
	if u.Role != nil && !ValidRole(*u.Role) {
		p.Add("role", "must be one of: %s", strings.Join(RoleNames(), ", "))
	}
	if u.TeamID != nil && *u.TeamID < 0 {
		p.Add("team_id", "must be a team id, or 0 to clear")
	}
	return p.Err()
}

// APIToken is a long-lived credential for the API. Only the SHA-256 of the
// secret is stored; the secret is shown once, at creation.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // first characters of the secret, to recognise it in lists
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Permission names one action on one kind of thing.
type Permission string

// Permissions. Each service method checks exactly one of these.
const (
	PermCaseRead         Permission = "case:read"
	PermCaseWrite        Permission = "case:write"
	PermCaseAssign       Permission = "case:assign" // assign to others, change team
	PermCustomerRead     Permission = "customer:read"
	PermCustomerWrite    Permission = "customer:write"
	PermPolicyRead       Permission = "policy:read"
	PermPolicyWrite      Permission = "policy:write"
	PermInteractionRead  Permission = "interaction:read"
	PermInteractionWrite Permission = "interaction:write"
	PermUserRead         Permission = "user:read"
	PermUserAdmin        Permission = "user:admin"
	PermTeamAdmin        Permission = "team:admin"
	PermConfigAdmin      Permission = "config:admin"
	PermAuditRead        Permission = "audit:read"
	PermTokenCreateOwn   Permission = "token:create_own"
	PermKPIRead          Permission = "kpi:read" // contact-centre and case KPIs, by any slice
)

// Role is a named set of permissions (least privilege: each role gets only
// what its work needs).
type Role struct {
	Name        string
	Label       string
	Permissions []Permission
}

var (
	caseWork = []Permission{PermCaseRead, PermCaseWrite, PermCustomerRead, PermCustomerWrite,
		PermPolicyRead, PermInteractionRead, PermInteractionWrite, PermUserRead, PermTokenCreateOwn}
	readAll = []Permission{PermCaseRead, PermCustomerRead, PermPolicyRead, PermInteractionRead, PermUserRead}
	// Claims work by stage (care/claim.go): customer service takes FNOL and
	// tells the policyholder; claims handlers review, reserve and settle.
	claimIntake  = []Permission{PermClaimRead, PermClaimIntake}
	claimHandler = []Permission{PermClaimRead, PermClaimIntake, PermClaimReview, PermClaimHandle, PermClaimSettle}
)

func perms(groups ...[]Permission) []Permission {
	var out []Permission
	for _, g := range groups {
		for _, p := range g {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// Roles caredesk ships, in the order shown to administrators.
var Roles = []Role{
	{"agent", "Contact-centre agent", perms(caseWork, claimIntake)},
	{"supervisor", "Supervisor", perms(caseWork, claimHandler, []Permission{PermCaseAssign, PermPolicyWrite, PermKPIRead, PermClaimAdmin})},
	{"complaints_handler", "Complaints handler", perms(caseWork, []Permission{PermCaseAssign, PermClaimRead})},
	{"claims_handler", "Claims handler", perms(caseWork, claimHandler, []Permission{PermPolicyWrite})},
	{"adjuster", "Claims adjuster", perms(caseWork, []Permission{PermClaimRead, PermClaimHandle, PermClaimAssess})},
	{"underwriter", "Underwriter", perms(caseWork, []Permission{PermClaimRead, PermClaimUnderwrite})},
	{"accounts", "Accounts (claims payments)", perms(readAll, []Permission{PermClaimRead, PermClaimPay, PermTokenCreateOwn})},
	{"qa_analyst", "Quality analyst", perms(readAll, []Permission{PermTokenCreateOwn, PermKPIRead})},
	{"workforce_planner", "Workforce planner", []Permission{PermCaseRead, PermUserRead, PermTokenCreateOwn, PermKPIRead}},
	{"compliance", "Compliance officer", perms(readAll, []Permission{PermAuditRead, PermTokenCreateOwn, PermKPIRead, PermClaimRead})},
	{"auditor", "Auditor (read-only)", perms(readAll, []Permission{PermAuditRead, PermKPIRead, PermClaimRead})},
	{"admin", "Administrator", perms(caseWork, readAll, claimHandler, []Permission{PermCaseAssign, PermPolicyWrite,
		PermUserAdmin, PermTeamAdmin, PermConfigAdmin, PermAuditRead, PermKPIRead,
		PermClaimAssess, PermClaimUnderwrite, PermClaimPay, PermClaimAdmin})},
}

// RoleNames lists the role names.
func RoleNames() []string {
	out := make([]string, len(Roles))
	for i, r := range Roles {
		out[i] = r.Name
	}
	return out
}

// ValidRole reports whether name is a known role.
func ValidRole(name string) bool { return FindRole(name) != nil }

// FindRole returns the role called name, or nil.
func FindRole(name string) *Role {
	for i := range Roles {
		if Roles[i].Name == name {
			return &Roles[i]
		}
	}
	return nil
}

// RoleCan reports whether the role grants the permission.
func RoleCan(role string, p Permission) bool {
	r := FindRole(role)
	return r != nil && slices.Contains(r.Permissions, p)
}
