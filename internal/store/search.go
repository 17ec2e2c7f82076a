package store

import (
	"context"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// SearchCustomers finds customers by an exact email, an exact phone number
// (normalised), an exact customer number, or a part of the name. Email,
// phone and number use the customers_email, customers_phone indexes; the
// name is matched with LIKE on lower(name), which scans the table: at the
// size of a contact centre's customer book this is milliseconds, and the
// way to grow is a trigram index (pg_trgm) or FTS5 table, not a change of
// callers.
func (tx *Tx) SearchCustomers(ctx context.Context, q string, n int) ([]*care.Customer, error) {
	q = strings.TrimSpace(q)
	var w where
	switch {
	case strings.Contains(q, "@"):
		w.add("email = ?", strings.ToLower(q))
	case looksLikePhone(q):
		w.add("phone = ?", care.NormalizePhone(q))
	default:
		p := w.arg("%" + escapeLike(strings.ToLower(q)) + "%")
		w.add("(lower(name) LIKE " + p + " ESCAPE '\\' OR lower(external_ref) = " + w.arg(strings.ToLower(q)) + ")")
	}
	rows, err := tx.query(ctx, `SELECT `+customerColumns+` FROM customers`+w.sql("ORDER BY name, id LIMIT ?", limit(n, 20, 100)), w.args...)
	return collect(rows, err, scanCustomer)
}

// looksLikePhone reports whether q is a phone number: digits (at least six)
// with the separators people type.
func looksLikePhone(q string) bool {
	digits := 0
	for i, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits >= 6
}

// SearchCases returns cases, newest first, that belong to one of the
// customers or policies given, or whose subject or description contains
// text (case-insensitively), before the cursor. The customer and policy
// arms use cases_customer and the primary key; the free-text arm is a LIKE
// over the newest cases first and stops at the page size. Full-text search
// proper needs an FTS5 virtual table on SQLite and a tsvector column with a
// GIN index on PostgreSQL, each behind this one method.
func (tx *Tx) SearchCases(ctx context.Context, text string, customerIDs, policyIDs []int64, before int64, n int) ([]*care.Case, int64, error) {
	var w where
	var arms []string
	if len(customerIDs) > 0 {
		arms = append(arms, "customer_id IN ("+placeholders(&w, customerIDs)+")")
	}
	if len(policyIDs) > 0 {
		arms = append(arms, "policy_id IN ("+placeholders(&w, policyIDs)+")")
	}
	if text = strings.TrimSpace(text); text != "" {
		p := w.arg("%" + escapeLike(strings.ToLower(text)) + "%")
		arms = append(arms, "lower(subject) LIKE "+p+" ESCAPE '\\'", "lower(description) LIKE "+p+" ESCAPE '\\'")
	}
	if len(arms) == 0 {
		return nil, 0, nil
	}
	w.add("(" + strings.Join(arms, " OR ") + ")")
	if before > 0 {
		w.add("id < ?", before)
	}
	n = limit(n, 50, 200)
	rows, err := tx.query(ctx, `SELECT `+caseColumns+` FROM cases`+w.sql("ORDER BY id DESC LIMIT ?", n+1), w.args...)
	out, err := collect(rows, err, scanCase)
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(c *care.Case) int64 { return c.ID })
	return out, next, nil
}
