package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
)

// KPISettings are the definitions the persisted rollup cells were counted
// by. They live in the database beside the cells, so every process counts
// the same way; changing them needs a rebuild (caredesk kpi rebuild).
type KPISettings struct {
	TimeZone            string           `json:"time_zone"`                // IANA name; days are civil in it
	ShortAbandonMillis  int64            `json:"short_abandon_ms"`         // 0: the kpi default, 5 s
	ServiceLevelMillis  map[string]int64 `json:"service_level_ms"`         // per channel; nil: phone 20 s, chat 60 s
	DefaultServiceLevel int64            `json:"default_service_level_ms"` // 0: 20 s
	RepeatDays          int              `json:"repeat_days"`              // FCR window; 0: 7
	// Calendar is the region whose business hours and holidays count the
	// business-hours first response and resolution; "" means GB-ENG, the
	// firm's default calendar. A rebuild records the firm's configured one.
	Calendar string `json:"calendar,omitempty"`
	// Targets are what the dashboard's gauges compare against; nil means
	// DefaultKPITargets. They are read at display time, so changing them
	// needs no rebuild.
	Targets *KPITargets `json:"targets,omitempty"`
	// TeamRollup says the channel × team × case type rollup holds every
	// record (KPITeamShape): set by a rebuild, or when the first cells
	// were written with it. Team reports use the team × product rollup
	// until it does.
	TeamRollup bool `json:"team_rollup,omitempty"`
}

// KPITargets are the dashboard's targets. Rates are fractions 0–1.
type KPITargets struct {
	ASASeconds       float64 `json:"asa_seconds"`        // voice: at most
	AbandonmentRate  float64 `json:"abandonment_rate"`   // below
	FCRRate          float64 `json:"fcr_rate"`           // at least
	CSAT             float64 `json:"csat"`               // at least
	ComplaintsInTime float64 `json:"complaints_in_time"` // complaints resolved within their final-response deadline, at least
}

// DefaultKPITargets are common contact-centre practice: answer calls within
// 30 s on average, lose under 5 % of them, resolve 75 % at first contact,
// satisfy 85 % of surveyed customers, resolve 90 % of complaints within the
// regulatory deadline.
func DefaultKPITargets() KPITargets {
	return KPITargets{ASASeconds: 30, AbandonmentRate: 0.05, FCRRate: 0.75, CSAT: 0.85, ComplaintsInTime: 0.90}
}

// KPITargets returns the stored targets or the defaults.
func (k KPISettings) KPITargets() KPITargets {
	if k.Targets == nil {
		return DefaultKPITargets()
	}
	return *k.Targets
}

// Validate names each target out of range.
func (t KPITargets) Validate() error {
	var p care.Problems
	if !(t.ASASeconds > 0 && t.ASASeconds <= 3600) {
		p.Add("asa_seconds", "must be more than 0 and at most 3600 seconds")
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"abandonment_rate", t.AbandonmentRate}, {"fcr_rate", t.FCRRate}, {"csat", t.CSAT}, {"complaints_in_time", t.ComplaintsInTime}} {
		if !(r.v > 0 && r.v <= 1) {
			p.Add(r.name, "must be a fraction more than 0 and at most 1, such as 0.85")
		}
	}
	return p.Err()
}

// SetKPITargets stores the dashboard's targets beside the settings,
// leaving the settings and their build time alone.
func (tx *Tx) SetKPITargets(ctx context.Context, t KPITargets) error {
	set, err := tx.KPISettings(ctx)
	if err != nil {
		return err
	}
	set.Targets = &t
	raw, err := json.Marshal(set)
	if err != nil {
		return err
	}
	tx.kpiSettings = nil
	_, err = tx.exec(ctx, `INSERT INTO kpi_settings (id, options, built_at) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET options = excluded.options`, string(raw), micros(tx.now))
	return err
}

// DefaultKPICalendar is the business calendar of settings that name none.
const DefaultKPICalendar = "GB-ENG"

// BusinessCalendar returns the calendar region the settings count business
// hours on.
func (k KPISettings) BusinessCalendar() string {
	if k.Calendar == "" {
		return DefaultKPICalendar
	}
	return k.Calendar
}

// DefaultKPISettings are used until an operator rebuilds with others: days
// in Europe/London (the firm's default calendar is GB-ENG) and the kpi
// package's thresholds.
func DefaultKPISettings() KPISettings { return KPISettings{TimeZone: "Europe/London"} }

// Options converts the settings to the kpi package's options.
func (k KPISettings) Options() (kpi.Options, error) {
	loc, err := time.LoadLocation(k.TimeZone)
	if err != nil || k.TimeZone == "" {
		return kpi.Options{}, care.Invalid("time_zone", "%q is not an IANA time zone such as Europe/London", k.TimeZone)
	}
	o := kpi.Options{Location: loc, ShortAbandon: time.Duration(k.ShortAbandonMillis) * time.Millisecond,
		DefaultServiceLevel: time.Duration(k.DefaultServiceLevel) * time.Millisecond, RepeatDays: k.RepeatDays}
	if k.ShortAbandonMillis < 0 {
		o.ShortAbandon = -1
	}
	if k.ServiceLevelMillis != nil {
		o.ServiceLevel = map[string]time.Duration{}
		for ch, ms := range k.ServiceLevelMillis {
			o.ServiceLevel[ch] = time.Duration(ms) * time.Millisecond
		}
	}
	return o, nil
}

// KPISettings returns the stored settings, or the defaults when none were
// stored yet.
func (tx *Tx) KPISettings(ctx context.Context) (KPISettings, error) {
	if tx.kpiSettings != nil {
		return *tx.kpiSettings, nil
	}
	var raw string
	k := DefaultKPISettings()
	err := tx.queryRow(ctx, `SELECT options FROM kpi_settings WHERE id = 1`).Scan(&raw)
	if err != nil && err != sql.ErrNoRows {
		return KPISettings{}, mapErr(err)
	} else if err == nil {
		k = KPISettings{}
		if err := json.Unmarshal([]byte(raw), &k); err != nil {
			return KPISettings{}, fmt.Errorf("kpi settings: %w", err)
		}
	}
	tx.kpiSettings = &k
	return k, nil
}

// SetKPISettings stores the settings the cells are counted by.
func (tx *Tx) SetKPISettings(ctx context.Context, k KPISettings) error {
	raw, err := json.Marshal(k)
	if err != nil {
		return err
	}
	tx.kpiSettings = nil
	_, err = tx.exec(ctx, `INSERT INTO kpi_settings (id, options, built_at) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET options = excluded.options, built_at = excluded.built_at`, string(raw), micros(tx.now))
	return err
}

// ResetKPI deletes every rollup cell and what each record added, before a
// rebuild.
func (tx *Tx) ResetKPI(ctx context.Context) error {
	for _, t := range []string{"kpi_cells", "kpi_contacts", "kpi_cases"} {
		if _, err := tx.exec(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return nil
}

// KPIShapes are the rollups kept in kpi_cells, smallest first: the whole
// centre by channel and case type; by team as well; by team and product;
// by agent (with team, channel and case type). A report reads the first
// that keeps every dimension it filters or groups by (Tx.KPIShapeFor).
var KPIShapes = []kpi.Dims{
	kpi.DimChannel | kpi.DimCaseType,
	KPITeamShape,
	kpi.DimChannel | kpi.DimTeam | kpi.DimCaseType | kpi.DimProduct,
	kpi.DimChannel | kpi.DimTeam | kpi.DimAgent | kpi.DimCaseType,
}

// KPITeamShape is the rollup by channel, team and case type: a team's
// dashboard reads as few cells from it as the centre's, where the team ×
// product rollup holds up to six times more. Databases counted before it
// existed lack its cells until a rebuild (KPISettings.TeamRollup).
const KPITeamShape = kpi.DimChannel | kpi.DimTeam | kpi.DimCaseType

// KPIShapeFor returns the smallest kept rollup with every dimension in
// need, or false when none has them all.
func KPIShapeFor(need kpi.Dims) (kpi.Dims, bool) {
	return kpiShapeFor(need, true)
}

func kpiShapeFor(need kpi.Dims, withTeam bool) (kpi.Dims, bool) {
	for _, d := range KPIShapes {
		if need&^d == 0 && (withTeam || d != KPITeamShape) {
			return d, true
		}
	}
	return 0, false
}

// KPIShapeFor is KPIShapeFor for this database: the team rollup only once
// its cells are complete (counted from the first cell, or rebuilt).
func (tx *Tx) KPIShapeFor(ctx context.Context, need kpi.Dims) (kpi.Dims, bool, error) {
	d, ok := kpiShapeFor(need, true)
	if !ok || d != KPITeamShape {
		return d, ok, nil
	}
	built, err := tx.kpiTeamRollupBuilt(ctx)
	if err != nil || built {
		return d, ok, err
	}
	d, ok = kpiShapeFor(need, false)
	return d, ok, nil
}

// kpiTeamRollupBuilt reports whether the team rollup's cells are complete:
// as the settings say, or, with no settings stored yet, when it has cells
// (the cells were written with it) or no rollup has any (nothing to miss).
func (tx *Tx) kpiTeamRollupBuilt(ctx context.Context) (bool, error) {
	var raw string
	err := tx.queryRow(ctx, `SELECT options FROM kpi_settings WHERE id = 1`).Scan(&raw)
	if err == nil {
		var k KPISettings
		if err := json.Unmarshal([]byte(raw), &k); err != nil {
			return false, fmt.Errorf("kpi settings: %w", err)
		}
		return k.TeamRollup, nil
	} else if err != sql.ErrNoRows {
		return false, mapErr(err)
	}
	var team, cells int64
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM kpi_cells WHERE dims = $1 LIMIT 1) t`,
		int64(KPITeamShape)).Scan(&team); err != nil {
		return false, mapErr(err)
	}
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM kpi_cells LIMIT 1) t`).Scan(&cells); err != nil {
		return false, mapErr(err)
	}
	return team > 0 || cells == 0, nil
}

// ensureKPISettings stores the default settings before the first cells are
// written, recording whether the team rollup is complete: it is when no
// cell existed yet, since every write from now on includes it.
func (tx *Tx) ensureKPISettings(ctx context.Context) error {
	built, counted := DefaultKPISettings(), DefaultKPISettings()
	built.TeamRollup = true
	a, err := json.Marshal(built)
	if err != nil {
		return err
	}
	b, err := json.Marshal(counted)
	if err != nil {
		return err
	}
	tx.kpiSettings = nil
	_, err = tx.exec(ctx, `INSERT INTO kpi_settings (id, options, built_at)
		SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM kpi_cells) THEN $2 ELSE $1 END, $3
		WHERE NOT EXISTS (SELECT 1 FROM kpi_settings)
		ON CONFLICT (id) DO NOTHING`, string(a), string(b), micros(tx.now))
	return err
}

// project returns r's cells summed into a rollup of dims.
func project(r *kpi.Rollup, dims kpi.Dims) (*kpi.Rollup, error) {
	p, err := kpi.NewRollup(dims, r.Options())
	if err != nil {
		return nil, err
	}
	for c, t := range r.Cells() {
		p.Load(c, t)
	}
	return p, nil
}

// ApplyKPI adds the cells of delta (which may hold removals as negative
// counts; any dimensions) to every persisted rollup. The cells are written
// once, when the transaction commits (flushKPI): every change of the
// transaction together, shape by shape and in key order, so two
// transactions touching the same cells wait for each other rather than
// lose an update or deadlock, however many records each recounts (a reply
// that meets a clock recounts its case twice).
func (tx *Tx) ApplyKPI(ctx context.Context, delta *kpi.Rollup) error {
	if tx.kpiPending == nil {
		tx.kpiPending = map[kpi.Dims]*kpi.Rollup{}
	}
	for _, dims := range KPIShapes {
		p := tx.kpiPending[dims]
		if p == nil {
			var err error
			if p, err = kpi.NewRollup(dims, delta.Options()); err != nil {
				return err
			}
			tx.kpiPending[dims] = p
		}
		for c, t := range delta.Cells() {
			p.Load(c, t)
		}
	}
	return nil
}

// flushKPI writes the transaction's pending KPI changes, before commit.
func (tx *Tx) flushKPI(ctx context.Context) error {
	if len(tx.kpiPending) == 0 {
		return nil
	}
	if err := tx.ensureKPISettings(ctx); err != nil {
		return err
	}
	for _, dims := range KPIShapes {
		if p := tx.kpiPending[dims]; p != nil {
			if err := tx.applyShape(ctx, p); err != nil {
				return err
			}
		}
	}
	tx.kpiPending = nil
	return nil
}

func (tx *Tx) applyShape(ctx context.Context, delta *kpi.Rollup) error {
	type entry struct {
		c kpi.Cell
		t *kpi.Totals
	}
	var cells []entry
	for c, t := range delta.Cells() {
		cells = append(cells, entry{c, t})
	}
	slices.SortFunc(cells, func(a, b entry) int { return compareCells(a.c, b.c) })
	acc, err := kpi.NewRollup(delta.Dims(), delta.Options())
	if err != nil {
		return err
	}
	dims := int64(delta.Dims())
	for _, e := range cells {
		k := e.c.Key
		// The no-op update on conflict takes the row lock on PostgreSQL
		// and returns the current totals in the same statement.
		var totals, lags string
		err := tx.queryRow(ctx, `INSERT INTO kpi_cells (dims, day, channel, team_id, agent_id, case_type, product, totals)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '{}')
			ON CONFLICT (dims, day, channel, team_id, agent_id, case_type, product) DO UPDATE SET max_lag = kpi_cells.max_lag
			RETURNING totals, lags`, dims, int64(e.c.Day), k.Channel, k.TeamID, k.AgentID, k.CaseType, k.Product).Scan(&totals, &lags)
		if err != nil {
			return mapErr(err)
		}
		cur, err := decodeTotals(totals, lags)
		if err != nil {
			return err
		}
		acc.Load(e.c, cur)
		acc.Load(e.c, e.t)
	}
	for c, t := range acc.Cells() {
		totals, lags, maxLag, err := encodeTotals(t)
		if err != nil {
			return err
		}
		k := c.Key
		if _, err := tx.exec(ctx, `UPDATE kpi_cells SET totals = $8, lags = $9, max_lag = $10
			WHERE dims = $1 AND day = $2 AND channel = $3 AND team_id = $4 AND agent_id = $5 AND case_type = $6 AND product = $7`,
			dims, int64(c.Day), k.Channel, k.TeamID, k.AgentID, k.CaseType, k.Product, totals, lags, maxLag); err != nil {
			return err
		}
	}
	return nil
}

// WriteKPI inserts the cells of a rollup built from scratch (after
// ResetKPI) into every persisted rollup.
func (tx *Tx) WriteKPI(ctx context.Context, r *kpi.Rollup) error {
	for _, dims := range KPIShapes {
		p, err := project(r, dims)
		if err != nil {
			return err
		}
		for c, t := range p.Cells() {
			totals, lags, maxLag, err := encodeTotals(t)
			if err != nil {
				return err
			}
			k := c.Key
			if _, err := tx.exec(ctx, `INSERT INTO kpi_cells (dims, day, channel, team_id, agent_id, case_type, product, totals, lags, max_lag)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				int64(dims), int64(c.Day), k.Channel, k.TeamID, k.AgentID, k.CaseType, k.Product, totals, lags, maxLag); err != nil {
				return err
			}
		}
	}
	return nil
}

func compareCells(a, b kpi.Cell) int {
	return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Key.Channel, b.Key.Channel), cmp.Compare(a.Key.TeamID, b.Key.TeamID),
		cmp.Compare(a.Key.AgentID, b.Key.AgentID), cmp.Compare(a.Key.CaseType, b.Key.CaseType), cmp.Compare(a.Key.Product, b.Key.Product))
}

// Cells hold totals and lags in the kpi package's compact binary form,
// base64 in the TEXT columns after a "~" (compactPrefix). Cells written
// before it hold JSON, which is still read: a cell moves to the compact
// form the next time a change rewrites it, and a rebuild rewrites them all.
// Decoding JSON was most of a 24-month dashboard's cost.
const compactPrefix = "~"

// encodeTotals splits totals into their compact form without lags, the
// lags' form ("" when none) and the largest lag (−1 when none).
func encodeTotals(t *kpi.Totals) (totals, lags string, maxLag int64, err error) {
	totals = compactPrefix + base64.RawStdEncoding.EncodeToString(t.AppendBinary(nil))
	maxLag = -1
	var live []kpi.Lag
	for _, l := range t.Lags {
		if l.Cases != 0 || l.Complaints != 0 {
			live = append(live, l)
			maxLag = max(maxLag, int64(l.Days))
		}
	}
	if len(live) > 0 {
		lags = compactPrefix + base64.RawStdEncoding.EncodeToString(kpi.AppendLags(nil, live))
	}
	return totals, lags, maxLag, nil
}

func decodeTotals(totals, lags string) (*kpi.Totals, error) {
	var t kpi.Totals
	if raw, ok := strings.CutPrefix(totals, compactPrefix); ok {
		b, err := base64.RawStdEncoding.DecodeString(raw)
		if err == nil {
			err = t.UnmarshalBinary(b)
		}
		if err != nil {
			return nil, fmt.Errorf("kpi cell totals: %w", err)
		}
	} else if err := json.Unmarshal([]byte(totals), &t); err != nil {
		return nil, fmt.Errorf("kpi cell totals: %w", err)
	}
	if raw, ok := strings.CutPrefix(lags, compactPrefix); ok {
		b, err := base64.RawStdEncoding.DecodeString(raw)
		if err == nil {
			t.Lags, err = kpi.ParseLags(b)
		}
		if err != nil {
			return nil, fmt.Errorf("kpi cell lags: %w", err)
		}
	} else if lags != "" {
		if err := json.Unmarshal([]byte(lags), &t.Lags); err != nil {
			return nil, fmt.Errorf("kpi cell lags: %w", err)
		}
	}
	return &t, nil
}

// LoadKPI loads into r, whose dimensions must be one of KPIShapes, the
// persisted cells of that rollup for days from..to (inclusive) matching
// filter on dims, and the backlog lags of earlier days whose cases may
// still be open on day from, so r.Report answers for those days without
// reading a raw row.
func (tx *Tx) LoadKPI(ctx context.Context, r *kpi.Rollup, from, to kpi.Day, filter kpi.Key, dims kpi.Dims) error {
	if !slices.Contains(KPIShapes, r.Dims()) {
		return care.Invalid("dims", "no rollup keeps exactly these dimensions")
	}
	var w where
	w.add("dims = ?", int64(r.Dims()))
	w.add("day >= ?", int64(from))
	w.add("day <= ?", int64(to))
	filterCells(&w, filter, dims)
	const cols = `SELECT day, channel, team_id, agent_id, case_type, product, totals, lags FROM kpi_cells`
	if err := tx.loadCells(ctx, r, cols+w.sql(""), w.args, true); err != nil {
		return err
	}
	var e where
	e.add("dims = ?", int64(r.Dims()))
	e.add("max_lag >= 0")
	e.add("day < ?", int64(from))
	e.add("day + max_lag >= ?", int64(from))
	filterCells(&e, filter, dims)
	return tx.loadCells(ctx, r, `SELECT day, channel, team_id, agent_id, case_type, product, '', lags FROM kpi_cells`+e.sql(""), e.args, false)
}

func filterCells(w *where, k kpi.Key, dims kpi.Dims) {
	if dims&kpi.DimChannel != 0 {
		w.add("channel = ?", k.Channel)
	}
	if dims&kpi.DimTeam != 0 {
		w.add("team_id = ?", k.TeamID)
	}
	if dims&kpi.DimAgent != 0 {
		w.add("agent_id = ?", k.AgentID)
	}
	if dims&kpi.DimCaseType != 0 {
		w.add("case_type = ?", k.CaseType)
	}
	if dims&kpi.DimProduct != 0 {
		w.add("product = ?", k.Product)
	}
}

func (tx *Tx) loadCells(ctx context.Context, r *kpi.Rollup, q string, args []any, withTotals bool) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var day int64
		var k kpi.Key
		var totals, lags string
		if err := rows.Scan(&day, &k.Channel, &k.TeamID, &k.AgentID, &k.CaseType, &k.Product, &totals, &lags); err != nil {
			return mapErr(err)
		}
		if !withTotals {
			totals = "{}"
		}
		t, err := decodeTotals(totals, lags)
		if err != nil {
			return err
		}
		r.LoadOwned(kpi.Cell{Day: kpi.Day(day), Key: k}, t) // t is fresh: no copy needed
	}
	return mapErr(rows.Err())
}

// KPIFacts returns what a record (table "contact" or "case", by id) last
// added to the cells, decoded into v; found is false when nothing was.
func (tx *Tx) KPIFacts(ctx context.Context, kind string, id int64, v any) (found bool, err error) {
	table, col := factsTable(kind)
	var raw string
	err = tx.queryRow(ctx, `SELECT facts FROM `+table+` WHERE `+col+` = $1`, id).Scan(&raw)
	if err == sql.ErrNoRows {
		return false, nil
	} else if err != nil {
		return false, mapErr(err)
	}
	return true, json.Unmarshal([]byte(raw), v)
}

// SetKPIFacts records what a record added to the cells.
func (tx *Tx) SetKPIFacts(ctx context.Context, kind string, id int64, v any) error {
	table, col := factsTable(kind)
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO `+table+` (`+col+`, facts) VALUES ($1, $2)
		ON CONFLICT (`+col+`) DO UPDATE SET facts = excluded.facts`, id, string(raw))
	return err
}

func factsTable(kind string) (table, col string) {
	if kind == "case" {
		return "kpi_cases", "case_id"
	}
	return "kpi_contacts", "interaction_id"
}

// KPIKeyed is a record with the slice it counts in: the interaction's
// channel and agent, the agent's team (else the case's), the case's type and
// its policy's line.
type KPIKeyed struct {
	Key    kpi.Key
	CaseID int64
}

// KPIContact is an interaction as the rollup needs it.
type KPIContact struct {
	KPIKeyed
	Interaction *care.Interaction
}

const kpiContactFrom = ` FROM interactions i JOIN cases c ON c.id = i.case_id
	LEFT JOIN policies p ON p.id = c.policy_id LEFT JOIN users u ON u.id = i.agent_id`

const kpiKeyColumns = `i.case_id, COALESCE(u.team_id, c.team_id, 0), c.type, COALESCE(p.line, '')`

func scanKPIContact(row scanner) (*KPIContact, error) {
	var k KPIContact
	var i care.Interaction
	var agent, offered, answered, ended, wrapped sql.NullInt64
	if err := row.Scan(&i.ID, &i.CaseID, &i.Channel, &i.Direction, &agent, &offered, &answered, &ended, &wrapped, &i.Abandoned,
		&k.CaseID, &k.Key.TeamID, &k.Key.CaseType, &k.Key.Product); err != nil {
		return nil, err
	}
	i.AgentID = agent.Int64
	i.OfferedAt, i.AnsweredAt, i.EndedAt, i.WrapUpEndedAt = fromMicros(offered), fromMicros(answered), fromMicros(ended), fromMicros(wrapped)
	k.Key.Channel, k.Key.AgentID, k.Interaction = i.Channel, i.AgentID, &i
	return &k, nil
}

const kpiContactSelect = `SELECT i.id, i.case_id, i.channel, i.direction, i.agent_id, i.offered_at, i.answered_at, i.ended_at,
	i.wrap_up_ended_at, i.abandoned, ` + kpiKeyColumns + kpiContactFrom

// FindKPIContact returns one interaction with its slice.
func (tx *Tx) FindKPIContact(ctx context.Context, id int64) (*KPIContact, error) {
	k, err := scanKPIContact(tx.queryRow(ctx, kpiContactSelect+` WHERE i.id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("interaction", id)
	}
	return k, mapErr(err)
}

// FindKPIContacts returns n interactions after id afterID, by id, for a
// rebuild, with the cursor of the next page (0 at the end).
func (tx *Tx) FindKPIContacts(ctx context.Context, afterID int64, n int) ([]*KPIContact, int64, error) {
	rows, err := tx.query(ctx, kpiContactSelect+` WHERE i.id > $1 ORDER BY i.id LIMIT $2`, afterID, n+1)
	out, err := collect(rows, err, scanKPIContact)
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(k *KPIContact) int64 { return k.Interaction.ID })
	return out, next, nil
}

// KPICase is a case as the rollup needs it: its slice, its contacts and its
// clocks.
type KPICase struct {
	Case     *care.Case
	Product  string
	Contacts []*care.Interaction // channel, direction and times only
	Clocks   []*care.Clock
}

// FindKPICase returns a case with its policy's line and its interactions.
func (tx *Tx) FindKPICase(ctx context.Context, id int64) (*KPICase, error) {
	cs, _, err := tx.FindKPICases(ctx, id-1, 1)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 || cs[0].Case.ID != id {
		return nil, notFound("case", id)
	}
	rows, err := tx.query(ctx, `SELECT channel, direction, offered_at, answered_at, abandoned FROM interactions WHERE case_id = $1`, id)
	cs[0].Contacts, err = collect(rows, err, func(row scanner) (*care.Interaction, error) {
		var i care.Interaction
		var offered, answered sql.NullInt64
		err := row.Scan(&i.Channel, &i.Direction, &offered, &answered, &i.Abandoned)
		i.OfferedAt, i.AnsweredAt = fromMicros(offered), fromMicros(answered)
		return &i, err
	})
	if err != nil {
		return nil, err
	}
	cs[0].Clocks, err = tx.FindClocksByCase(ctx, id)
	return cs[0], err
}

// FindKPIClocks returns the clocks of the cases with ids in (afterID,
// lastID], by case, for a rebuild.
func (tx *Tx) FindKPIClocks(ctx context.Context, afterID, lastID int64) (map[int64][]*care.Clock, error) {
	ks, err := tx.findClocks(ctx, `SELECT `+clockColumns+` FROM case_clocks WHERE case_id > $1 AND case_id <= $2
		ORDER BY case_id, due_at, id`, afterID, lastID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]*care.Clock{}
	for _, k := range ks {
		out[k.CaseID] = append(out[k.CaseID], k)
	}
	return out, nil
}

// FindKPICases returns n cases after id afterID with their policies' lines,
// without contacts, and the cursor of the next page.
func (tx *Tx) FindKPICases(ctx context.Context, afterID int64, n int) ([]*KPICase, int64, error) {
	rows, err := tx.query(ctx, `SELECT c.id, c.reference, c.type, c.channel, c.status, c.priority, c.customer_id, c.policy_id,
		c.team_id, c.assignee_id, c.subject, c.description, c.regimes, c.tier, c.received_at, c.created_at, c.updated_at,
		c.closed_at, c.version, COALESCE(p.line, '') FROM cases c LEFT JOIN policies p ON p.id = c.policy_id
		WHERE c.id > $1 ORDER BY c.id LIMIT $2`, afterID, n+1)
	out, err := collect(rows, err, func(row scanner) (*KPICase, error) {
		var k KPICase
		var err error
		k.Case, err = scanCase(productScanner{row, &k.Product})
		return &k, err
	})
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(k *KPICase) int64 { return k.Case.ID })
	return out, next, nil
}

// productScanner appends the product column to a case scan.
type productScanner struct {
	row     scanner
	product *string
}

func (p productScanner) Scan(dest ...any) error { return p.row.Scan(append(dest, p.product)...) }
