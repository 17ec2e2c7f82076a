package service

import (
	"context"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// CreateCustomer records a new customer.
func (s *Service) CreateCustomer(ctx context.Context, c *care.Customer) error {
	if err := care.ActorFromContext(ctx).Require(care.PermCustomerWrite); err != nil {
		return err
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCustomer(ctx, c); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "customer", c.ID, map[string]any{"kind": c.Kind, "vulnerable": c.Vulnerable})
	})
}

// CustomerUpdate holds the fields of a customer that may change; nil leaves
// a field as it is.
type CustomerUpdate struct {
	Name, Email, Phone, Address, ExternalRef, VulnerabilityNote, Kind *string
	Vulnerable                                                        *bool
}

// UpdateCustomer changes a customer's details.
func (s *Service) UpdateCustomer(ctx context.Context, id int64, upd CustomerUpdate) (*care.Customer, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCustomerWrite); err != nil {
		return nil, err
	}
	var c *care.Customer
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = tx.FindCustomerByID(ctx, id); err != nil {
			return err
		}
		before := *c
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&c.Name, upd.Name)
		set(&c.Email, upd.Email)
		set(&c.Phone, upd.Phone)
		set(&c.Address, upd.Address)
		set(&c.ExternalRef, upd.ExternalRef)
		set(&c.VulnerabilityNote, upd.VulnerabilityNote)
		set(&c.Kind, upd.Kind)
		if upd.Vulnerable != nil {
			c.Vulnerable = *upd.Vulnerable
		}
		c.Normalize()
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.UpdateCustomer(ctx, c); err != nil {
			return err
		}
		// Record which fields changed, not their values: the trail must not
		// become a second copy of personal data.
		var fields []string
		for _, f := range []struct {
			name string
			a, b string
		}{{"name", before.Name, c.Name}, {"email", before.Email, c.Email}, {"phone", before.Phone, c.Phone},
			{"address", before.Address, c.Address}, {"external_ref", before.ExternalRef, c.ExternalRef},
			{"vulnerability_note", before.VulnerabilityNote, c.VulnerabilityNote}, {"kind", before.Kind, c.Kind}} {
			if f.a != f.b {
				fields = append(fields, f.name)
			}
		}
		if before.Vulnerable != c.Vulnerable {
			fields = append(fields, "vulnerable")
		}
		return audit(ctx, tx, "update", "customer", c.ID, map[string]any{"fields": fields})
	})
	return c, err
}

// FindCustomerByID returns a customer; the read is audited.
func (s *Service) FindCustomerByID(ctx context.Context, id int64) (*care.Customer, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCustomerRead); err != nil {
		return nil, err
	}
	var c *care.Customer
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = tx.FindCustomerByID(ctx, id); err != nil {
			return err
		}
		return audit(ctx, tx, "read", "customer", id, nil)
	})
	return c, err
}

// FindCustomers searches customers; the IDs revealed are audited.
func (s *Service) FindCustomers(ctx context.Context, f care.CustomerFilter) ([]*care.Customer, int64, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCustomerRead); err != nil {
		return nil, 0, err
	}
	var out []*care.Customer
	var next int64
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if out, next, err = tx.FindCustomers(ctx, f); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "customer", "", map[string]any{
			"query": f.Query != "" || f.Email != "" || f.Phone != "",
			"ids":   ids(out, func(c *care.Customer) int64 { return c.ID })})
	})
	return out, next, err
}

// CreatePolicy records a policy for an existing customer.
func (s *Service) CreatePolicy(ctx context.Context, p *care.Policy) error {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyWrite); err != nil {
		return err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.FindCustomerByID(ctx, p.CustomerID); care.ErrorCode(err) == care.ENOTFOUND {
			return care.Invalid("customer_id", "no customer %d", p.CustomerID)
		} else if err != nil {
			return err
		}
		if _, err := tx.FindPolicyByNumber(ctx, p.Number); err == nil {
			return &care.Error{Code: care.ECONFLICT, Message: "That policy number is already recorded.",
				Fields: []care.FieldError{{Field: "number", Message: "policy " + p.Number + " already exists"}}}
		}
		if err := tx.CreatePolicy(ctx, p); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "policy", p.ID, map[string]any{"number": p.Number, "customer_id": p.CustomerID})
	})
}

// FindPolicy returns a policy by ID or number; the read is audited.
func (s *Service) FindPolicy(ctx context.Context, key string) (*care.Policy, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	id, number := parseKey(key)
	var p *care.Policy
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if id != 0 {
			p, err = tx.FindPolicyByID(ctx, id)
		} else {
			p, err = tx.FindPolicyByNumber(ctx, strings.ToUpper(number))
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, "read", "policy", p.ID, nil)
	})
	return p, err
}

// FindPoliciesByCustomer returns a customer's policies; the read is audited.
func (s *Service) FindPoliciesByCustomer(ctx context.Context, customerID int64) ([]*care.Policy, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	var out []*care.Policy
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if out, err = tx.FindPoliciesByCustomer(ctx, customerID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "policy", "", map[string]any{"customer_id": customerID,
			"ids": ids(out, func(p *care.Policy) int64 { return p.ID })})
	})
	return out, err
}
