package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

const customerColumns = `id, kind, name, email, phone, address, vulnerable, vulnerability_note, external_ref, created_at, updated_at`

func scanCustomer(row scanner) (*care.Customer, error) {
	var c care.Customer
	var created, updated sql.NullInt64
	err := row.Scan(&c.ID, &c.Kind, &c.Name, &c.Email, &c.Phone, &c.Address, &c.Vulnerable,
		&c.VulnerabilityNote, &c.ExternalRef, &created, &updated)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, err
}

// CreateCustomer inserts c and sets its ID and timestamps.
func (tx *Tx) CreateCustomer(ctx context.Context, c *care.Customer) error {
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	var err error
	c.ID, err = tx.insert(ctx, `INSERT INTO customers (kind, name, email, phone, address, vulnerable,
		vulnerability_note, external_ref, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		c.Kind, c.Name, c.Email, c.Phone, c.Address, c.Vulnerable, c.VulnerabilityNote, c.ExternalRef,
		micros(tx.now), micros(tx.now))
	return err
}

// UpdateCustomer writes every mutable field of c.
func (tx *Tx) UpdateCustomer(ctx context.Context, c *care.Customer) error {
	c.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE customers SET kind = $1, name = $2, email = $3, phone = $4,
		address = $5, vulnerable = $6, vulnerability_note = $7, external_ref = $8, updated_at = $9 WHERE id = $10`,
		c.Kind, c.Name, c.Email, c.Phone, c.Address, c.Vulnerable, c.VulnerabilityNote, c.ExternalRef,
		micros(tx.now), c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("customer", c.ID)
	}
	return nil
}

// FindCustomerByID returns the customer with the given ID.
func (tx *Tx) FindCustomerByID(ctx context.Context, id int64) (*care.Customer, error) {
	c, err := scanCustomer(tx.queryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("customer", id)
	}
	return c, err
}

// FindCustomers returns customers matching f, lowest ID first, and the
// cursor for the next page (0 when there is none).
func (tx *Tx) FindCustomers(ctx context.Context, f care.CustomerFilter) ([]*care.Customer, int64, error) {
	var w where
	if f.Email != "" {
		w.add("email = ?", strings.ToLower(f.Email))
	}
	if f.Phone != "" {
		w.add("phone = ?", care.NormalizePhone(f.Phone))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := w.arg("%" + escapeLike(strings.ToLower(q)) + "%")
		w.add("(lower(name) LIKE " + p + " ESCAPE '\\' OR email LIKE " + p + " ESCAPE '\\' OR phone LIKE " + p +
			" ESCAPE '\\' OR lower(external_ref) LIKE " + p + " ESCAPE '\\')")
	}
	if f.After > 0 {
		w.add("id > ?", f.After)
	}
	n := limit(f.Limit, 50, 500)
	rows, err := tx.query(ctx, `SELECT `+customerColumns+` FROM customers`+w.sql("ORDER BY id LIMIT ?", n+1), w.args...)
	out, err := collect(rows, err, scanCustomer)
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(c *care.Customer) int64 { return c.ID })
	return out, next, nil
}

// escapeLike escapes LIKE wildcards so user input matches literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
