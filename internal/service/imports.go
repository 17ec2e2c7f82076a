package service

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// ImportOptions tune a CSV import.
type ImportOptions struct {
	// AllOrNothing refuses the whole file when any row is bad: nothing is
	// written. Otherwise bad rows are reported and the good ones kept.
	AllOrNothing bool
	// BatchSize is the number of rows per transaction (default 500).
	BatchSize int
	// Progress, when set, is called after each batch.
	Progress func(ImportProgress)
}

// ImportProgress says how far an import has gone.
type ImportProgress struct {
	Rows  int   // data rows read
	Bytes int64 // bytes of the file read
}

// ImportReport says what an import did. Lines count from 1, the header.
type ImportReport struct {
	Rows      int  // data rows read
	Imported  int  // rows that added something
	Unchanged int  // rows already imported before
	Refused   bool // AllOrNothing and some row was bad: nothing was written
	Errors    []ImportError
}

// ImportError is one bad field of one row; the row was skipped.
type ImportError struct {
	Line    int
	Field   string
	Message string
}

// importRow is one data row of a CSV file.
type importRow struct {
	line int
	rec  []string
	cols map[string]int
}

func (r *importRow) get(name string) string {
	if i, ok := r.cols[name]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// importBatch is what the rows of one transaction share: the KPI changes,
// applied once, and the cases to recount.
type importBatch struct {
	delta *kpi.Rollup
	cases []int64
}

// rowFunc records one row in tx. It returns imported = false for a row
// already imported, a care error with fields for a bad row, and any other
// error for a failure that stops the import.
type rowFunc func(ctx context.Context, tx *store.Tx, r *importRow, b *importBatch) (imported bool, err error)

// errRefused rolls back an all-or-nothing import.
var errRefused = errors.New("import refused")

// runImport reads a CSV file with a header row naming columns and records
// its rows in batched transactions, each audited as one "import" entry.
func (s *Service) runImport(ctx context.Context, entity string, r io.Reader, columns, required []string, opt ImportOptions, fn rowFunc) (*ImportReport, error) {
	a := care.ActorFromContext(ctx)
	// Importing history is an administrator's task, and also writes cases and contacts.
	for _, p := range []care.Permission{care.PermConfigAdmin, care.PermInteractionWrite, care.PermCaseWrite} {
		if err := a.Require(p); err != nil {
			return nil, err
		}
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	cr := &countingReader{r: r}
	rd := csv.NewReader(cr)
	rd.FieldsPerRecord = -1
	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return nil, care.Invalid("header", "the file is empty; line 1 must name the columns: %s", strings.Join(columns, ","))
	} else if err != nil {
		return nil, care.Invalid("header", "line 1 cannot be read as CSV: %v", err)
	}
	cols, err := importHeader(header, columns, required)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{}
	imp := &importer{s: s, entity: entity, rd: rd, cols: cols, rep: rep, opt: opt, fn: fn, cr: cr}
	if opt.AllOrNothing {
		err = s.store.Write(ctx, func(tx *store.Tx) error {
			for {
				more, err := imp.batch(ctx, tx)
				if err != nil || !more {
					if err == nil && len(rep.Errors) > 0 {
						return errRefused
					}
					return err
				}
			}
		})
		if len(rep.Errors) > 0 && (err == nil || errors.Is(err, errRefused) || care.ErrorMessage(err) == errRefused.Error()) {
			rep.Refused, rep.Imported, rep.Unchanged, err = true, 0, 0, nil
		}
		return rep, err
	}
	for {
		var more bool
		err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
			more, err = imp.batch(ctx, tx)
			return err
		})
		if err != nil || !more {
			return rep, err
		}
	}
}

// importer reads one file's rows batch by batch.
type importer struct {
	s      *Service
	entity string
	rd     *csv.Reader
	cr     *countingReader
	cols   map[string]int
	rep    *ImportReport
	opt    ImportOptions
	fn     rowFunc
}

// batch records up to BatchSize rows in tx and reports whether rows remain.
func (m *importer) batch(ctx context.Context, tx *store.Tx) (more bool, err error) {
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return false, err
	}
	b := &importBatch{}
	if b.delta, err = kpi.NewRollup(kpiDims, opts); err != nil {
		return false, err
	}
	stats := map[string]int{}
	first := 0
	for n := 0; n < m.opt.BatchSize; {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		rec, err := m.rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		line, _ := m.rd.FieldPos(0)
		if errors.As(err, &pe) {
			m.rep.Rows++
			n++
			m.rep.Errors = append(m.rep.Errors, ImportError{Line: pe.StartLine, Field: "row", Message: pe.Err.Error()})
			continue
		} else if err != nil {
			return false, err
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		m.rep.Rows++
		n++
		if first == 0 {
			first = line
		}
		stats["last_line"] = line
		imported, err := m.fn(ctx, tx, &importRow{line: line, rec: rec, cols: m.cols}, b)
		switch {
		case err == nil && imported:
			m.rep.Imported++
			stats["imported"]++
		case err == nil:
			m.rep.Unchanged++
			stats["unchanged"]++
		case care.ErrorCode(err) == care.EINTERNAL:
			return false, err
		default:
			m.rep.Errors = append(m.rep.Errors, rowErrors(line, err)...)
			stats["bad"]++
		}
		more = true
	}
	if err := m.finish(ctx, tx, b, stats, first); err != nil {
		return false, err
	}
	if m.opt.Progress != nil {
		m.opt.Progress(ImportProgress{Rows: m.rep.Rows, Bytes: m.cr.n})
	}
	return more, nil
}

// finish recounts the batch's cases, applies its KPI changes and audits it
// as one entry.
func (m *importer) finish(ctx context.Context, tx *store.Tx, b *importBatch, stats map[string]int, first int) error {
	if stats["imported"] == 0 {
		return nil
	}
	slices.Sort(b.cases)
	for _, id := range slices.Compact(b.cases) {
		if _, err := kpiCaseDelta(ctx, tx, b.delta, id); err != nil {
			return err
		}
	}
	if err := tx.ApplyKPI(ctx, b.delta); err != nil {
		return err
	}
	stats["first_line"] = first
	return audit(ctx, tx, "import", m.entity, "", stats)
}

// rowErrors turns a row's error into one ImportError per field.
func rowErrors(line int, err error) []ImportError {
	fields := care.ErrorFields(err)
	if fields == nil {
		return []ImportError{{Line: line, Field: "row", Message: care.ErrorMessage(err)}}
	}
	out := make([]ImportError, len(fields))
	for i, f := range fields {
		out[i] = ImportError{Line: line, Field: f.Field, Message: f.Message}
	}
	return out
}

// importHeader maps column names to their positions.
func importHeader(header, columns, required []string) (map[string]int, error) {
	var p care.Problems
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch _, dup := cols[h]; {
		case !slices.Contains(columns, h):
			p.Add("header", "line 1, column %d: unknown column %q; the columns are: %s", i+1, h, strings.Join(columns, ", "))
		case dup:
			p.Add("header", "line 1: column %q appears twice", h)
		}
		cols[h] = i
	}
	for _, need := range required {
		if _, ok := cols[need]; !ok {
			p.Add("header", "line 1: the %s column is required", need)
		}
	}
	return cols, p.Err()
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// parseTime reads an RFC 3339 time; "" is the zero time.
func parseTime(p *care.Problems, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		p.Add(field, "must be an RFC 3339 time such as 2026-11-21T09:30:00Z, not %q", v)
	}
	return t.UTC()
}

// parseBool reads true/false, 1/0, yes/no; "" is false.
func parseBool(p *care.Problems, field, v string) bool {
	switch strings.ToLower(v) {
	case "", "false", "0", "no", "n":
		return false
	case "true", "1", "yes", "y":
		return true
	}
	p.Add(field, "must be true or false, not %q", v)
	return false
}

// InteractionColumns are the columns of an interaction history file, in
// any order, named in its header row; docs/import.md describes each.
var InteractionColumns = []string{"id", "case_ref", "channel", "direction", "queue", "agent", "offered_at", "answered_at",
	"ended_at", "wrap_up_ended_at", "abandoned", "disposition", "customer_id", "case_type", "subject", "case_status",
	"case_resolved_at"}

// importPrefix marks the external ids of imported interactions, so they
// cannot collide with ids of live sources (telephony, mail).
const importPrefix = "import:"

// ImportInteractions records the interactions of a previous system from a
// CSV file. Each row is one interaction, known by its id: importing the
// same file again changes nothing. Its case is found by case_ref (a
// reference an earlier import saw, or a caredesk reference) or created with
// type case_type; its agent is matched by email. Rows go in transactions of
// BatchSize, each audited as one "import" entry, with the KPI rollups
// updated in the same transaction.
func (s *Service) ImportInteractions(ctx context.Context, r io.Reader, opt ImportOptions) (*ImportReport, error) {
	return s.runImport(ctx, "interaction", r, InteractionColumns, []string{"id", "case_ref", "channel", "offered_at"}, opt,
		s.importInteraction)
}

// interactionRow is a parsed interaction row.
type interactionRow struct {
	i          care.Interaction
	ref        string
	agent      string
	customer   string
	caseType   string
	subject    string
	status     string
	resolvedAt time.Time
}

func parseInteractionRow(r *importRow, now time.Time) (*interactionRow, error) {
	var p care.Problems
	x := &interactionRow{ref: r.get("case_ref"), agent: r.get("agent"), customer: r.get("customer_id"),
		caseType: strings.ToLower(r.get("case_type")), subject: r.get("subject"), status: strings.ToLower(r.get("case_status"))}
	x.i = care.Interaction{Channel: strings.ToLower(r.get("channel")), Direction: strings.ToLower(r.get("direction")),
		Queue: r.get("queue"), Disposition: r.get("disposition"), OfferedAt: parseTime(&p, "offered_at", r.get("offered_at")),
		AnsweredAt: parseTime(&p, "answered_at", r.get("answered_at")), EndedAt: parseTime(&p, "ended_at", r.get("ended_at")),
		WrapUpEndedAt: parseTime(&p, "wrap_up_ended_at", r.get("wrap_up_ended_at")),
		Abandoned:     parseBool(&p, "abandoned", r.get("abandoned"))}
	x.resolvedAt = parseTime(&p, "case_resolved_at", r.get("case_resolved_at"))
	id := r.get("id")
	p.Required("id", id)
	p.MaxLen("id", id, 190)
	p.Required("case_ref", x.ref)
	p.MaxLen("case_ref", x.ref, 200)
	if x.i.OfferedAt.IsZero() && !p.Has("offered_at") {
		p.Add("offered_at", "is required")
	}
	if x.status != "" && !slices.Contains(care.CaseStatuses, x.status) {
		p.Add("case_status", "must be one of: %s", strings.Join(care.CaseStatuses, ", "))
	}
	if x.caseType != "" && !slices.Contains(care.CaseTypes, x.caseType) {
		p.Add("case_type", "must be one of: %s", strings.Join(care.CaseTypes, ", "))
	}
	x.i.ExternalID = importPrefix + id
	x.i.Normalize()
	if err := p.Err(); err != nil {
		return nil, err
	}
	return x, x.i.Validate(now)
}

// importInteraction records one interaction row: checks first, writes last,
// so a bad row leaves nothing behind.
func (s *Service) importInteraction(ctx context.Context, tx *store.Tx, r *importRow, b *importBatch) (bool, error) {
	x, err := parseInteractionRow(r, tx.Now())
	if err != nil {
		return false, err
	}
	if _, err := tx.FindInteractionByExternalID(ctx, x.i.ExternalID); err == nil {
		return false, nil
	} else if care.ErrorCode(err) != care.ENOTFOUND {
		return false, err
	}
	if err := resolveImportRefs(ctx, tx, x); err != nil {
		return false, err
	}
	c, err := importCase(ctx, tx, x)
	if err != nil {
		return false, err
	}
	x.i.CaseID = c.ID
	if err := tx.CreateInteraction(ctx, &x.i); err != nil {
		return false, err
	}
	if _, err := kpiContactDelta(ctx, tx, b.delta, x.i.ID); err != nil {
		return false, err
	}
	b.cases = append(b.cases, c.ID)
	return true, nil
}

// resolveImportRefs checks the agent, disposition and customer a row names.
func resolveImportRefs(ctx context.Context, tx *store.Tx, x *interactionRow) error {
	var p care.Problems
	if x.agent != "" {
		u, err := tx.FindUserByEmail(ctx, strings.ToLower(x.agent))
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			p.Add("agent", "no user with email %s", x.agent)
		case err != nil:
			return err
		default:
			x.i.AgentID = u.ID
		}
	}
	if x.i.Disposition != "" {
		d, err := tx.FindDispositionCode(ctx, x.i.Disposition)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			p.Add("disposition", "no disposition code %q", x.i.Disposition)
		case err != nil:
			return err
		case !d.Active:
			p.Add("disposition", "disposition code %q is retired", x.i.Disposition)
		}
	}
	return p.Err()
}

// importCase finds the row's case by reference or creates it; a row with a
// resolution time resolves an open case.
func importCase(ctx context.Context, tx *store.Tx, x *interactionRow) (*care.Case, error) {
	c, err := findImportCase(ctx, tx, x.ref)
	if err != nil {
		return nil, err
	}
	if c == nil {
		if c, err = newImportCase(ctx, tx, x); err != nil {
			return nil, err
		}
	}
	if !x.resolvedAt.IsZero() && !care.IsClosedStatus(c.Status) {
		c.Status, c.ClosedAt = "resolved", x.resolvedAt
		if x.status == "closed" {
			c.Status = "closed"
		}
		if err := tx.UpdateCase(ctx, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func findImportCase(ctx context.Context, tx *store.Tx, ref string) (*care.Case, error) {
	id, err := tx.FindImportedCase(ctx, ref)
	if err != nil {
		return nil, err
	}
	if id != 0 {
		return tx.FindCaseByID(ctx, id)
	}
	if !care.LooksLikeReference(ref) {
		return nil, nil
	}
	c, err := tx.FindCaseByReference(ctx, strings.ToUpper(ref))
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil
	}
	return c, err
}

// newImportCase creates the case of a reference seen for the first time,
// received when its first imported contact was offered.
func newImportCase(ctx context.Context, tx *store.Tx, x *interactionRow) (*care.Case, error) {
	var p care.Problems
	c := &care.Case{Type: x.caseType, Channel: x.i.Channel, Subject: x.subject, ReceivedAt: x.i.OfferedAt,
		AssigneeID: x.i.AgentID}
	if c.Subject == "" {
		c.Subject = "Imported case " + x.ref
	}
	if c.Type == "" {
		p.Add("case_type", "is required for a case not seen before (%s)", x.ref)
	}
	if !slices.Contains(care.Channels, c.Channel) {
		p.Add("channel", "a case cannot start with a %s; the first row of case %s must be a contact", c.Channel, x.ref)
	}
	if x.customer != "" {
		id, err := importCustomer(ctx, tx, x.customer)
		if err != nil {
			return nil, err
		}
		if id == 0 {
			p.Add("customer_id", "no customer with id or external reference %s", x.customer)
		}
		c.CustomerID = id
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	c.Normalize()
	if err := c.Validate(tx.Now()); err != nil {
		return nil, err
	}
	if err := tx.CreateCase(ctx, c); err != nil {
		return nil, err
	}
	return c, tx.SetImportedCase(ctx, x.ref, c.ID)
}

// importCustomer finds a customer by caredesk id, else by the previous
// system's reference; 0 when neither matches.
func importCustomer(ctx context.Context, tx *store.Tx, v string) (int64, error) {
	if id, err := tx.FindCustomerIDByExternalRef(ctx, v); err != nil || id != 0 {
		return id, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, nil
	}
	c, err := tx.FindCustomerByID(ctx, n)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return c.ID, nil
}
