package service

import (
	"context"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// Search finds cases and customers from one box: a case reference, a
// customer's email, phone, name or number, a policy number, or words from a
// case's subject or description. Customers are shown only to roles that may
// read them. The search is audited with the IDs it revealed but not its
// text, which may itself be personal data.
func (s *Service) Search(ctx context.Context, f care.SearchFilter) (*care.SearchResult, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	q := strings.TrimSpace(f.Query)
	if len([]rune(q)) < 2 {
		return nil, care.Invalid("q", "type at least two characters to search")
	}
	if len(q) > 200 {
		return nil, care.Invalid("q", "must be at most 200 characters")
	}
	res := &care.SearchResult{}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var custIDs, polIDs []int64
		if care.LooksLikeReference(q) || care.LooksLikeClaimNumber(q) {
			c, err := findCaseOrClaim(ctx, tx, q)
			if err == nil && f.Before == 0 {
				items, err := queueItems(ctx, tx, []*care.Case{c})
				if err != nil {
					return err
				}
				res.Cases = items
				return auditSearch(ctx, tx, res)
			} else if care.ErrorCode(err) != care.ENOTFOUND && err != nil {
				return err
			}
		}
		if pol, err := tx.FindPolicyByNumber(ctx, strings.ToUpper(q)); err == nil {
			polIDs = append(polIDs, pol.ID)
			custIDs = append(custIDs, pol.CustomerID)
		} else if care.ErrorCode(err) != care.ENOTFOUND {
			return err
		}
		custs, err := tx.SearchCustomers(ctx, q, 20)
		if err != nil {
			return err
		}
		for _, c := range custs {
			custIDs = append(custIDs, c.ID)
		}
		if actor.Can(care.PermCustomerRead) && f.Before == 0 {
			res.Customers = custs
		}
		// A search by email or phone is about the customer; matching those
		// characters inside case text would only add noise.
		text := q
		if strings.Contains(q, "@") || len(custs) > 0 && !strings.Contains(q, " ") && strings.ContainsAny(q, "0123456789") {
			text = ""
		}
		cases, next, err := tx.SearchCases(ctx, text, custIDs, polIDs, f.Before, f.Limit)
		if err != nil {
			return err
		}
		if res.Cases, err = queueItems(ctx, tx, cases); err != nil {
			return err
		}
		res.Next = next
		return auditSearch(ctx, tx, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func auditSearch(ctx context.Context, tx *store.Tx, res *care.SearchResult) error {
	if len(res.Customers) > 0 {
		if err := audit(ctx, tx, "list", "customer", "", map[string]any{"search": true,
			"ids": ids(res.Customers, func(c *care.Customer) int64 { return c.ID })}); err != nil {
			return err
		}
	}
	return auditCaseList(ctx, tx, res.Cases, map[string]any{"search": true})
}

// findCaseOrClaim finds a case by its reference or by its claim's number.
func findCaseOrClaim(ctx context.Context, tx *store.Tx, q string) (*care.Case, error) {
	if !care.LooksLikeClaimNumber(q) {
		return tx.FindCaseByReference(ctx, q)
	}
	k, err := tx.FindClaimByNumber(ctx, strings.ToUpper(q))
	if err != nil {
		return nil, err
	}
	return tx.FindCaseByID(ctx, k.CaseID)
}
