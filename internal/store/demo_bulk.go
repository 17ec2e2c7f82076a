package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
)

// Bulk writers: many rows per statement, ids reserved up front, for
// history at scale (the demo generator, benchmarks). They write the same
// columns as the one-row Create methods; the service decides what else a
// batch needs (KPI cells and facts, audit), in the same transaction.

// bulkRowsPerStatement bounds a multi-row INSERT: 500 rows of 20 columns
// stays far below SQLite's and PostgreSQL's limits on bound parameters.
const bulkRowsPerStatement = 500

// insertRows inserts rows (each len(cols) values) into table, many rows per
// statement.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), bulkRowsPerStatement)
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, n*len(cols))
		for r, row := range rows[:n] {
			if len(row) != len(cols) {
				return fmt.Errorf("bulk insert into %s: row has %d values for %d columns", table, len(row), len(cols))
			}
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString(tx.placeholder(len(args) + c + 1))
			}
			b.WriteByte(')')
			args = append(args, row...)
		}
		// Only the full-size statement is worth a place in the statement
		// cache; the last, shorter one of each batch varies in size.
		var err error
		if n == bulkRowsPerStatement {
			_, err = tx.exec(ctx, b.String(), args...)
		} else {
			_, err = tx.tx.ExecContext(ctx, b.String(), args...)
		}
		if err != nil {
			return fmt.Errorf("bulk insert into %s: %w", table, mapErr(err))
		}
		rows = rows[n:]
	}
	return nil
}

// placeholder returns the n-th bound parameter. SQLite looks "$n" up by
// name, in time growing with the number of parameters already seen, which
// makes a statement of thousands quadratic to parse; its plain "?" is
// numbered in order, as the values are.
func (tx *Tx) placeholder(n int) string {
	if tx.dialect == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// reserveIDs returns the first of n fresh ids of table's id column. The
// block starts after the largest id; on PostgreSQL the identity sequence is
// moved past it, so later one-row inserts do not collide with it.
func (tx *Tx) reserveIDs(ctx context.Context, table string, n int) (int64, error) {
	var last int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
		return 0, mapErr(err)
	}
	if tx.dialect == Postgres && n > 0 {
		if _, err := tx.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), $1)`, last+int64(n)); err != nil {
			return 0, err
		}
	}
	return last + 1, nil
}

// at is micros of t, or of def when t is zero.
func at(t, def time.Time) any {
	if t.IsZero() {
		return micros(def)
	}
	return micros(t)
}

// CreateCustomersBulk inserts customers and sets their ids and times.
func (tx *Tx) CreateCustomersBulk(ctx context.Context, cs []*care.Customer) error {
	first, err := tx.reserveIDs(ctx, "customers", len(cs))
	if err != nil {
		return err
	}
	rows := make([][]any, len(cs))
	for k, c := range cs {
		c.ID = first + int64(k)
		if c.CreatedAt.IsZero() {
			c.CreatedAt = tx.now
		}
		c.UpdatedAt = c.CreatedAt
		rows[k] = []any{c.ID, c.Kind, c.Name, c.Email, c.Phone, c.Address, c.Vulnerable, c.VulnerabilityNote, c.ExternalRef,
			micros(c.CreatedAt), micros(c.UpdatedAt)}
	}
	return tx.insertRows(ctx, "customers", []string{"id", "kind", "name", "email", "phone", "address", "vulnerable",
		"vulnerability_note", "external_ref", "created_at", "updated_at"}, rows)
}

// CreatePoliciesBulk inserts policies and sets their ids.
func (tx *Tx) CreatePoliciesBulk(ctx context.Context, ps []*care.Policy) error {
	first, err := tx.reserveIDs(ctx, "policies", len(ps))
	if err != nil {
		return err
	}
	rows := make([][]any, len(ps))
	for k, p := range ps {
		p.ID = first + int64(k)
		rows[k] = []any{p.ID, p.CustomerID, p.Number, p.Line, p.Status, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly),
			p.PremiumMinor, p.Currency, micros(tx.now), micros(tx.now)}
	}
	return tx.insertRows(ctx, "policies", []string{"id", "customer_id", "number", "line", "status", "start_date", "end_date",
		"premium_minor", "currency", "created_at", "updated_at"}, rows)
}

// CreateCasesBulk inserts cases with their ids and references: each case
// takes the next reference of the year it was received, as it would have
// when it arrived. Times not set default to the receipt; a closed case
// must carry its ClosedAt.
func (tx *Tx) CreateCasesBulk(ctx context.Context, cs []*care.Case) error {
	first, err := tx.reserveIDs(ctx, "cases", len(cs))
	if err != nil {
		return err
	}
	perYear := map[int]int64{}
	for _, c := range cs {
		perYear[c.ReceivedAt.Year()]++
	}
	next := map[int]int64{}
	for year, n := range perYear {
		var last int64
		if err := tx.queryRow(ctx, `INSERT INTO reference_counters (year, last) VALUES ($1, $2)
			ON CONFLICT (year) DO UPDATE SET last = reference_counters.last + $2 RETURNING last`, year, n).Scan(&last); err != nil {
			return mapErr(err)
		}
		next[year] = last - n + 1
	}
	rows := make([][]any, len(cs))
	for k, c := range cs {
		y := c.ReceivedAt.Year()
		c.ID, c.Reference = first+int64(k), care.CaseReference(y, next[y])
		next[y]++
		if c.CreatedAt.IsZero() {
			c.CreatedAt = c.ReceivedAt
		}
		if c.UpdatedAt.IsZero() {
			c.UpdatedAt = c.CreatedAt
		}
		if c.Tier == "" {
			c.Tier = "frontline"
		}
		c.Version = 1
		rows[k] = []any{c.ID, c.Reference, c.Type, c.Channel, c.Status, c.Priority, nullID(c.CustomerID), nullID(c.PolicyID),
			nullID(c.TeamID), nullID(c.AssigneeID), c.Subject, c.Description, strings.Join(c.Regimes, ","), micros(c.ReceivedAt),
			!care.IsClosedStatus(c.Status), micros(c.CreatedAt), micros(c.UpdatedAt), micros(c.ClosedAt), c.Tier, int64(1)}
	}
	return tx.insertRows(ctx, "cases", []string{"id", "reference", "type", "channel", "status", "priority", "customer_id",
		"policy_id", "team_id", "assignee_id", "subject", "description", "regimes", "received_at", "is_open", "created_at",
		"updated_at", "closed_at", "tier", "version"}, rows)
}

// CreateInteractionsBulk inserts interactions (CaseID set) and sets their
// ids; CreatedAt defaults to when the contact ended, else was offered.
func (tx *Tx) CreateInteractionsBulk(ctx context.Context, is []*care.Interaction) error {
	first, err := tx.reserveIDs(ctx, "interactions", len(is))
	if err != nil {
		return err
	}
	rows := make([][]any, len(is))
	for k, i := range is {
		i.ID = first + int64(k)
		if i.CreatedAt.IsZero() {
			i.CreatedAt = i.OfferedAt
			if !i.EndedAt.IsZero() {
				i.CreatedAt = i.EndedAt
			}
		}
		rows[k] = []any{i.ID, i.CaseID, i.Channel, i.Direction, nullID(i.AgentID), i.Queue, nullString(i.Disposition), i.Subject,
			i.Body, micros(i.OfferedAt), micros(i.AnsweredAt), micros(i.EndedAt), micros(i.WrapUpEndedAt), i.Abandoned,
			nullString(i.ExternalID), micros(i.CreatedAt)}
	}
	return tx.insertRows(ctx, "interactions", []string{"id", "case_id", "channel", "direction", "agent_id", "queue",
		"disposition", "subject", "body", "offered_at", "answered_at", "ended_at", "wrap_up_ended_at", "abandoned",
		"external_id", "created_at"}, rows)
}

// CreateSurveysBulk inserts survey answers (at most one per interaction and
// kind, as CreateSurvey keeps) and sets their ids.
func (tx *Tx) CreateSurveysBulk(ctx context.Context, ss []*Survey) error {
	first, err := tx.reserveIDs(ctx, "surveys", len(ss))
	if err != nil {
		return err
	}
	rows := make([][]any, len(ss))
	for k, s := range ss {
		s.ID, s.CreatedAt = first+int64(k), s.AnsweredAt
		rows[k] = []any{s.ID, s.InteractionID, s.Kind, s.Score, micros(s.AnsweredAt), nullID(s.AgentID), s.Source, micros(s.CreatedAt)}
	}
	return tx.insertRows(ctx, "surveys", []string{"id", "interaction_id", "kind", "score", "answered_at", "agent_id", "source",
		"created_at"}, rows)
}

// SetKPIFactsBulk records what new records (kind "contact" or "case", none
// recorded before) added to the KPI cells, as SetKPIFacts does one by one.
func (tx *Tx) SetKPIFactsBulk(ctx context.Context, kind string, ids []int64, facts []any) error {
	if len(ids) != len(facts) {
		return fmt.Errorf("kpi facts: %d ids for %d facts", len(ids), len(facts))
	}
	table, col := factsTable(kind)
	rows := make([][]any, len(ids))
	for k, id := range ids {
		raw, err := json.Marshal(facts[k])
		if err != nil {
			return err
		}
		rows[k] = []any{id, string(raw)}
	}
	return tx.insertRows(ctx, table, []string{col, "facts"}, rows)
}

// FindPolicyLines returns the line of business of each policy named.
func (tx *Tx) FindPolicyLines(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), bulkRowsPerStatement)
		// Always as many placeholders (the first id repeated), so one
		// statement serves every batch.
		ph := make([]string, bulkRowsPerStatement)
		args := make([]any, bulkRowsPerStatement)
		for k := range ph {
			ph[k], args[k] = tx.placeholder(k+1), ids[0]
			if k < n {
				args[k] = ids[k]
			}
		}
		rows, err := tx.query(ctx, `SELECT id, line FROM policies WHERE id IN (`+strings.Join(ph, ", ")+`)`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var id int64
			var line string
			if err := rows.Scan(&id, &line); err != nil {
				rows.Close()
				return nil, mapErr(err)
			}
			out[id] = line
		}
		if err := rows.Close(); err != nil {
			return nil, mapErr(err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// kpiBulkCells is how many cells one statement of ApplyKPIBulk reads or
// writes.
const kpiBulkCells = 200

// cellEntry is one cell of a delta.
type cellEntry struct {
	c kpi.Cell
	t *kpi.Totals
}

// ApplyKPIBulk adds delta to every persisted rollup, as ApplyKPI does, but
// a few hundred cells per statement: it reads the cells the delta touches
// that already exist, merges, deletes those and inserts the merged cells.
// It is for large deltas (history in bulk), where ApplyKPI's round trips
// per cell dominate. On PostgreSQL the cells read are locked (FOR UPDATE),
// so a concurrent writer waits rather than loses its update.
func (tx *Tx) ApplyKPIBulk(ctx context.Context, delta *kpi.Rollup) error {
	for _, dims := range KPIShapes {
		p, err := project(delta, dims)
		if err != nil {
			return err
		}
		var es []cellEntry
		for c, t := range p.Cells() {
			es = append(es, cellEntry{c, t})
		}
		slices.SortFunc(es, func(a, b cellEntry) int { return compareCells(a.c, b.c) })
		for len(es) > 0 {
			n := min(len(es), kpiBulkCells)
			if err := tx.applyCells(ctx, dims, delta.Options(), es[:n]); err != nil {
				return err
			}
			es = es[n:]
		}
	}
	return nil
}

// applyCells merges es into the persisted cells of rollup dims.
func (tx *Tx) applyCells(ctx context.Context, dims kpi.Dims, opts kpi.Options, es []cellEntry) error {
	acc, err := kpi.NewRollup(dims, opts)
	if err != nil {
		return err
	}
	var keys strings.Builder
	var args []any
	for k, e := range es {
		if k > 0 {
			keys.WriteString(" OR ")
		}
		// Each term names the whole key, so each is one probe of the
		// cells' unique index (a shared dims = ? outside would scan).
		n := len(args)
		fmt.Fprintf(&keys, "(dims = %s AND day = %s AND channel = %s AND team_id = %s AND agent_id = %s AND case_type = %s AND product = %s)",
			tx.placeholder(n+1), tx.placeholder(n+2), tx.placeholder(n+3), tx.placeholder(n+4), tx.placeholder(n+5),
			tx.placeholder(n+6), tx.placeholder(n+7))
		args = append(args, int64(dims), int64(e.c.Day), e.c.Key.Channel, e.c.Key.TeamID, e.c.Key.AgentID, e.c.Key.CaseType, e.c.Key.Product)
	}
	where := ` FROM kpi_cells WHERE ` + keys.String()
	lock := ""
	if tx.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT day, channel, team_id, agent_id, case_type, product, totals, lags`+where+lock, args...)
	if err != nil {
		return mapErr(err)
	}
	found := 0
	for rows.Next() {
		var day int64
		var k kpi.Key
		var totals, lags string
		if err := rows.Scan(&day, &k.Channel, &k.TeamID, &k.AgentID, &k.CaseType, &k.Product, &totals, &lags); err != nil {
			rows.Close()
			return mapErr(err)
		}
		t, err := decodeTotals(totals, lags)
		if err != nil {
			rows.Close()
			return err
		}
		acc.Load(kpi.Cell{Day: kpi.Day(day), Key: k}, t)
		found++
	}
	if err := rows.Close(); err != nil {
		return mapErr(err)
	}
	if found > 0 {
		if _, err := tx.tx.ExecContext(ctx, `DELETE`+where, args...); err != nil {
			return mapErr(err)
		}
	}
	for _, e := range es {
		acc.Load(e.c, e.t)
	}
	out := make([][]any, 0, len(es))
	for c, t := range acc.Cells() {
		totals, lags, maxLag, err := encodeTotals(t)
		if err != nil {
			return err
		}
		out = append(out, []any{int64(dims), int64(c.Day), c.Key.Channel, c.Key.TeamID, c.Key.AgentID, c.Key.CaseType,
			c.Key.Product, totals, lags, maxLag})
	}
	return tx.insertRows(ctx, "kpi_cells", []string{"dims", "day", "channel", "team_id", "agent_id", "case_type", "product",
		"totals", "lags", "max_lag"}, out)
}
