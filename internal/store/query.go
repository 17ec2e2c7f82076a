package store

import (
	"database/sql"
	"strings"
)

// scanner is what both *sql.Row and *sql.Rows offer.
type scanner interface{ Scan(...any) error }

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// page trims a result fetched with LIMIT n+1 to n items and returns the
// keyset cursor of the next page: the key of the last item kept, or 0 when
// there is no next page. Fetching one extra row tells whether more exist
// without counting them all.
func page[T any](items []T, n int, key func(T) int64) ([]T, int64) {
	if len(items) <= n {
		return items, 0
	}
	items = items[:n]
	return items, key(items[n-1])
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds a value and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + itoa(len(w.args))
}

// add appends a condition in which each "?" takes the next of vals.
func (w *where) add(cond string, vals ...any) {
	for _, v := range vals {
		cond = strings.Replace(cond, "?", w.arg(v), 1)
	}
	w.conds = append(w.conds, cond)
}

// sql returns " WHERE …" (or "") followed by tail, in which "?" takes the
// next of vals (for LIMIT).
func (w *where) sql(tail string, vals ...any) string {
	s := ""
	if len(w.conds) > 0 {
		s = " WHERE " + strings.Join(w.conds, " AND ")
	}
	for _, v := range vals {
		tail = strings.Replace(tail, "?", w.arg(v), 1)
	}
	return s + " " + tail
}
