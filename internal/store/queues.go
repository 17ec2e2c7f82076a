package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// FindQueue returns a page of open cases by nearest deadline and the cursor
// of the next page (zero when there is none). Cases with a deadline come
// first, keyset-paged on (next_due_at, id) over the partial indexes
// cases_assignee_due and cases_team_due; those without one follow, by ID.
// Splitting the two keeps the order the same on SQLite (NULLs first) and
// PostgreSQL (NULLs last).
func (tx *Tx) FindQueue(ctx context.Context, f care.QueueFilter) ([]*care.Case, care.QueueCursor, error) {
	n := limit(f.Limit, 50, 500)
	base := func() *where {
		w := &where{}
		// "is_open" alone, not "is_open = $n": the planner matches a
		// partial index only against its own condition, written the same.
		w.add("is_open")
		switch {
		case f.AssigneeID != 0:
			w.add("assignee_id = ?", f.AssigneeID)
		case f.TeamID != 0:
			w.add("team_id = ?", f.TeamID)
		}
		if f.Unassigned {
			w.add("assignee_id IS NULL")
		}
		return w
	}
	var out []*queueCase
	if f.After.IsZero() || !f.After.Due.IsZero() {
		w := base()
		w.add("next_due_at IS NOT NULL")
		if !f.After.IsZero() {
			d := f.After.Due.UnixMicro()
			w.add("(next_due_at > ? OR (next_due_at = ? AND id > ?))", d, d, f.After.ID)
		}
		rows, err := tx.query(ctx, `SELECT `+caseColumns+`, next_due_at FROM cases`+
			w.sql("ORDER BY next_due_at, id LIMIT ?", n+1), w.args...)
		dated, err := collect(rows, err, scanQueueCase)
		if err != nil {
			return nil, care.QueueCursor{}, err
		}
		out = dated
	}
	if len(out) <= n {
		w := base()
		w.add("next_due_at IS NULL")
		if f.After.Due.IsZero() && f.After.ID != 0 {
			w.add("id > ?", f.After.ID)
		}
		rows, err := tx.query(ctx, `SELECT `+caseColumns+`, next_due_at FROM cases`+
			w.sql("ORDER BY id LIMIT ?", n+1-len(out)), w.args...)
		undated, err := collect(rows, err, scanQueueCase)
		if err != nil {
			return nil, care.QueueCursor{}, err
		}
		out = append(out, undated...)
	}
	if len(out) <= n {
		return stripDue(out), care.QueueCursor{}, nil
	}
	out = out[:n]
	last := out[n-1]
	return stripDue(out), care.QueueCursor{Due: last.due, ID: last.c.ID}, nil
}

// queueCase is a case with the next_due_at that orders it.
type queueCase struct {
	c   *care.Case
	due time.Time
}

func scanQueueCase(row scanner) (*queueCase, error) {
	var due sql.NullInt64
	c, err := scanCase(suffixScanner{row, []any{&due}})
	if err != nil {
		return nil, err
	}
	return &queueCase{c: c, due: fromMicros(due)}, nil
}

func stripDue(qs []*queueCase) []*care.Case {
	out := make([]*care.Case, len(qs))
	for i, q := range qs {
		out[i] = q.c
	}
	return out
}

// suffixScanner lets a scan function read the leading columns of a wider
// row, the rest going to tail.
type suffixScanner struct {
	row  scanner
	tail []any
}

func (s suffixScanner) Scan(dst ...any) error { return s.row.Scan(append(dst, s.tail...)...) }

// FindCasesByIDs returns the cases with the given IDs, in no set order.
func (tx *Tx) FindCasesByIDs(ctx context.Context, ids []int64) ([]*care.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var w where
	w.add("id IN (" + placeholders(&w, ids) + ")")
	rows, err := tx.query(ctx, `SELECT `+caseColumns+` FROM cases`+w.sql(""), w.args...)
	return collect(rows, err, scanCase)
}

// FindActiveClocks returns the running, warning, paused and breached clocks
// of the given cases, nearest due first.
func (tx *Tx) FindActiveClocks(ctx context.Context, caseIDs []int64) ([]*care.Clock, error) {
	if len(caseIDs) == 0 {
		return nil, nil
	}
	var w where
	w.add("case_id IN (" + placeholders(&w, caseIDs) + ")")
	w.add("state IN ('running', 'warning', 'paused', 'breached')")
	rows, err := tx.query(ctx, `SELECT `+clockColumns+` FROM case_clocks`+w.sql("ORDER BY due_at, id"), w.args...)
	return collect(rows, err, scanClock)
}

// FindCustomerNames maps customer IDs to names.
func (tx *Tx) FindCustomerNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	w.add("id IN (" + placeholders(&w, ids) + ")")
	rows, err := tx.query(ctx, `SELECT id, name FROM customers`+w.sql(""), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// placeholders adds each id as an argument and returns "$a, $b, …".
func placeholders(w *where, ids []int64) string {
	ps := make([]string, len(ids))
	for i, id := range ids {
		ps[i] = w.arg(id)
	}
	return strings.Join(ps, ", ")
}

// FindBacklog counts open cases per team by age since receipt; bounds are
// the upper ends of the buckets, youngest first (the last is open-ended).
func (tx *Tx) FindBacklog(ctx context.Context, bounds []time.Duration) ([]*care.BacklogRow, error) {
	var w where
	cols := make([]string, 0, len(bounds)+2)
	for i := range bounds {
		var cond []string
		if i < len(bounds)-1 {
			cond = append(cond, "received_at > "+w.arg(tx.now.Add(-bounds[i]).UnixMicro()))
		}
		if i > 0 {
			cond = append(cond, "received_at <= "+w.arg(tx.now.Add(-bounds[i-1]).UnixMicro()))
		}
		if len(cond) == 0 {
			cond = []string{"1 = 1"}
		}
		cols = append(cols, "SUM(CASE WHEN "+strings.Join(cond, " AND ")+" THEN 1 ELSE 0 END)")
	}
	cols = append(cols, "COUNT(*)", "SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END)")
	w.add("is_open")
	rows, err := tx.query(ctx, `SELECT team_id, `+strings.Join(cols, ", ")+` FROM cases`+
		w.sql("GROUP BY team_id ORDER BY team_id"), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*care.BacklogRow
	for rows.Next() {
		var team sql.NullInt64
		r := &care.BacklogRow{Buckets: make([]int64, len(bounds))}
		dst := []any{&team}
		for i := range r.Buckets {
			dst = append(dst, &r.Buckets[i])
		}
		dst = append(dst, &r.Total, &r.Unassigned)
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		r.TeamID = team.Int64
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindAtRisk returns open cases with a clock past its warning point (still
// running) or past its due time, nearest due first, with that clock (a case
// may appear once per such clock). A clock the sweep has not yet marked
// counts by its times, so the view is right between sweeps.
func (tx *Tx) FindAtRisk(ctx context.Context, teamID int64, n int) ([]*care.RiskItem, error) {
	var w where
	w.add("c.is_open")
	w.add("(k.state IN ('running', 'warning') AND k.warn_at <= ? OR k.state = 'breached')", tx.now.UnixMicro())
	if teamID != 0 {
		w.add("c.team_id = ?", teamID)
	}
	cols := "k." + strings.Join(strings.Fields(strings.ReplaceAll(clockColumns, ",", " ")), ", k.")
	rows, err := tx.query(ctx, `SELECT `+cols+` FROM case_clocks k JOIN cases c ON c.id = k.case_id`+
		w.sql("ORDER BY k.due_at, k.id LIMIT ?", limit(n, 100, 500)), w.args...)
	clocks, err := collect(rows, err, scanClock)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(clocks))
	for _, k := range clocks {
		ids = append(ids, k.CaseID)
	}
	cases, err := tx.FindCasesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*care.Case, len(cases))
	for _, c := range cases {
		byID[c.ID] = c
	}
	out := make([]*care.RiskItem, 0, len(clocks))
	for _, k := range clocks {
		out = append(out, &care.RiskItem{Case: byID[k.CaseID], Clock: k})
	}
	return out, nil
}

// FindEscalated returns open cases in review tiers (tier2, executive) that
// the supervisors must look at, oldest receipt first.
func (tx *Tx) FindEscalated(ctx context.Context, n int) ([]*care.Case, error) {
	rows, err := tx.query(ctx, `SELECT `+caseColumns+` FROM cases WHERE is_open AND tier IN ('tier2', 'executive')
		ORDER BY received_at, id LIMIT $1`, limit(n, 100, 500))
	return collect(rows, err, scanCase)
}
