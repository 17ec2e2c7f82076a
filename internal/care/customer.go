package care

import (
	"net/mail"
	"strings"
	"time"
)

// Customer is a party the firm cares for: a policyholder, claimant, broker or
// third party. Name, email, phone and address identify a person, so reading a
// customer is audited.
type Customer struct {
	ID                int64
	Kind              string // CustomerKinds
	Name              string
	Email             string
	Phone             string
	Address           string
	Vulnerable        bool // changes handling: shorter clocks, routing, QA sampling
	VulnerabilityNote string
	ExternalRef       string // the customer's number in the policy admin system
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// CustomerKinds are the roles a party may play.
var CustomerKinds = enum{"policyholder", "claimant", "broker", "third_party"}

// Normalize trims whitespace and lower-cases the email so lookups match.
func (c *Customer) Normalize() {
	c.Kind = strings.TrimSpace(c.Kind)
	if c.Kind == "" {
		c.Kind = "policyholder"
	}
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	c.Phone = NormalizePhone(c.Phone)
	c.Address = strings.TrimSpace(c.Address)
	c.ExternalRef = strings.TrimSpace(c.ExternalRef)
}

// Validate reports every invalid field of a new or updated customer.
func (c *Customer) Validate() error {
	var p Problems
	p.Required("name", c.Name)
	p.MaxLen("name", c.Name, 200)
	CustomerKinds.check(&p, "kind", c.Kind)
	if c.Email != "" {
		CheckEmail(&p, "email", c.Email)
	}
	if c.Phone != "" && !validPhone(c.Phone) {
		p.Add("phone", "must be a phone number of 6 to 15 digits, optionally starting with +")
	}
	p.MaxLen("address", c.Address, 1000)
	p.MaxLen("external_ref", c.ExternalRef, 100)
	p.MaxLen("vulnerability_note", c.VulnerabilityNote, 2000)
	return p.Err()
}

// CheckEmail records a problem on field when s is not a bare email address.
func CheckEmail(p *Problems, field, s string) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		p.Add(field, "must be an email address such as name@example.com")
	}
	p.MaxLen(field, s, 254)
}

// NormalizePhone keeps a leading + and the digits of s, dropping spaces,
// dashes, dots and brackets, so the same number always matches.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return s // leave it as typed so validation can reject it
		}
	}
	return b.String()
}

func validPhone(s string) bool {
	digits := strings.TrimPrefix(s, "+")
	if len(digits) < 6 || len(digits) > 15 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CustomerFilter selects customers. Zero fields do not filter.
type CustomerFilter struct {
	Email string
	Phone string
	Query string // matches name, email, phone or external reference
	After int64  // keyset cursor: customers with ID greater than this
	Limit int
}
