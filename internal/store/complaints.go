package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

const complaintColumns = `case_id, stage, claim_number, remedy_sought, severity, complexity, impact, immediate_action,
	vulnerable, vulnerability_note, referred_to, outcome, outcome_reasoning, root_cause, customer_response,
	response_issued_at, closed_at, created_at, updated_at`

func scanComplaint(row scanner) (*care.Complaint, error) {
	var c care.Complaint
	var issued, closed, created, updated sql.NullInt64
	err := row.Scan(&c.CaseID, &c.Stage, &c.ClaimNumber, &c.RemedySought, &c.Severity, &c.Complexity, &c.Impact,
		&c.ImmediateAction, &c.Vulnerable, &c.VulnerabilityNote, &c.ReferredTo, &c.Outcome, &c.OutcomeReasoning,
		&c.RootCause, &c.CustomerResponse, &issued, &closed, &created, &updated)
	c.ResponseIssuedAt, c.ClosedAt = fromMicros(issued), fromMicros(closed)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, err
}

// CreateComplaint inserts the complaint record of a case. A case that
// already has one keeps it (created=false), so intake can be retried.
func (tx *Tx) CreateComplaint(ctx context.Context, c *care.Complaint) (bool, error) {
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	res, err := tx.exec(ctx, `INSERT INTO complaints (case_id, stage, claim_number, remedy_sought, severity, complexity,
		impact, immediate_action, vulnerable, vulnerability_note, referred_to, outcome, outcome_reasoning, root_cause,
		customer_response, response_issued_at, closed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		ON CONFLICT (case_id) DO NOTHING`,
		c.CaseID, c.Stage, c.ClaimNumber, c.RemedySought, c.Severity, c.Complexity, c.Impact, c.ImmediateAction,
		c.Vulnerable, c.VulnerabilityNote, c.ReferredTo, c.Outcome, c.OutcomeReasoning, c.RootCause, c.CustomerResponse,
		micros(c.ResponseIssuedAt), micros(c.ClosedAt), micros(tx.now), micros(tx.now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FindComplaint returns the complaint record of a case.
func (tx *Tx) FindComplaint(ctx context.Context, caseID int64) (*care.Complaint, error) {
	c, err := scanComplaint(tx.queryRow(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE case_id = $1`, caseID))
	if err == sql.ErrNoRows {
		return nil, notFound("complaint for case", caseID)
	}
	return c, err
}

// UpdateComplaint writes every mutable field of a complaint record.
func (tx *Tx) UpdateComplaint(ctx context.Context, c *care.Complaint) error {
	c.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE complaints SET stage = $1, claim_number = $2, remedy_sought = $3, severity = $4,
		complexity = $5, impact = $6, immediate_action = $7, vulnerable = $8, vulnerability_note = $9, referred_to = $10,
		outcome = $11, outcome_reasoning = $12, root_cause = $13, customer_response = $14, response_issued_at = $15,
		closed_at = $16, updated_at = $17 WHERE case_id = $18`,
		c.Stage, c.ClaimNumber, c.RemedySought, c.Severity, c.Complexity, c.Impact, c.ImmediateAction, c.Vulnerable,
		c.VulnerabilityNote, c.ReferredTo, c.Outcome, c.OutcomeReasoning, c.RootCause, c.CustomerResponse,
		micros(c.ResponseIssuedAt), micros(c.ClosedAt), micros(tx.now), c.CaseID)
	return err
}

// CreateComplaintTransition records one move of a complaint.
func (tx *Tx) CreateComplaintTransition(ctx context.Context, t *care.ComplaintTransition) error {
	t.At = tx.now
	var err error
	t.ID, err = tx.insert(ctx, `INSERT INTO complaint_transitions (case_id, kind, from_value, to_value, actor_id,
		actor_name, reviewer_id, referred_to, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		t.CaseID, t.Kind, t.From, t.To, t.ActorID, t.ActorName, nullID(t.ReviewerID), t.ReferredTo, t.Note, micros(tx.now))
	return err
}

// FindComplaintTransitions lists a complaint's moves, oldest first.
func (tx *Tx) FindComplaintTransitions(ctx context.Context, caseID int64) ([]*care.ComplaintTransition, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, kind, from_value, to_value, actor_id, actor_name, reviewer_id,
		referred_to, note, at FROM complaint_transitions WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, func(row scanner) (*care.ComplaintTransition, error) {
		var t care.ComplaintTransition
		var reviewer, at sql.NullInt64
		err := row.Scan(&t.ID, &t.CaseID, &t.Kind, &t.From, &t.To, &t.ActorID, &t.ActorName, &reviewer,
			&t.ReferredTo, &t.Note, &at)
		t.ReviewerID, t.At = reviewer.Int64, fromMicros(at)
		return &t, err
	})
}

// AddTierHandler records that a user handled a complaint at a tier; a
// repeat changes nothing.
func (tx *Tx) AddTierHandler(ctx context.Context, caseID int64, tier string, userID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO complaint_handlers (case_id, tier, user_id, since) VALUES ($1, $2, $3, $4)
		ON CONFLICT (case_id, tier, user_id) DO NOTHING`, caseID, tier, userID, micros(tx.now))
	return err
}

// FindTierHandlers lists who handled a complaint at each tier, in order.
func (tx *Tx) FindTierHandlers(ctx context.Context, caseID int64) ([]care.TierHandler, error) {
	rows, err := tx.query(ctx, `SELECT tier, user_id, since FROM complaint_handlers WHERE case_id = $1
		ORDER BY since, user_id`, caseID)
	return collect(rows, err, func(row scanner) (care.TierHandler, error) {
		var h care.TierHandler
		var since sql.NullInt64
		err := row.Scan(&h.Tier, &h.UserID, &since)
		h.Since = fromMicros(since)
		return h, err
	})
}

// CreateSignalDecision records an agent's verdict on an interaction's
// complaint signal; a second verdict on the same interaction is ECONFLICT.
func (tx *Tx) CreateSignalDecision(ctx context.Context, d *care.SignalDecision) error {
	d.DecidedAt = tx.now
	var err error
	d.ID, err = tx.insert(ctx, `INSERT INTO complaint_signals (interaction_id, case_id, score, reasons, decision, note,
		decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		d.InteractionID, d.CaseID, d.Score, d.Reasons, d.Decision, d.Note, nullID(d.DecidedBy), micros(tx.now))
	return err
}

// FindSignalDecision returns the verdict on an interaction, or nil.
func (tx *Tx) FindSignalDecision(ctx context.Context, interactionID int64) (*care.SignalDecision, error) {
	var d care.SignalDecision
	var by, at sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, interaction_id, case_id, score, reasons, decision, note, decided_by, decided_at
		FROM complaint_signals WHERE interaction_id = $1`, interactionID).Scan(&d.ID, &d.InteractionID, &d.CaseID,
		&d.Score, &d.Reasons, &d.Decision, &d.Note, &by, &at)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	d.DecidedBy, d.DecidedAt = by.Int64, fromMicros(at)
	return &d, err
}

// ComplaintQueueFilter selects complaints for a handler's queue. Zero
// fields do not filter.
type ComplaintQueueFilter struct {
	Stage      string
	Tier       string
	AssigneeID int64
	TeamID     int64 // the case's team
	Vulnerable bool  // only complaints with signs of vulnerability recorded
	Open       bool  // only complaints not yet closed
	Offset     int
	Limit      int
}

// ComplaintQueueItem is one complaint in a queue: its case id, stage and
// nearest running deadline (zero when none runs).
type ComplaintQueueItem struct {
	CaseID     int64
	Stage      string
	NextDue    time.Time
	Vulnerable bool // signs of vulnerability recorded at intake
}

// FindComplaintQueue lists complaints by nearest deadline (those with none
// last), then by id, and whether more follow. Complaint cases without a
// complaint record yet count as received.
func (tx *Tx) FindComplaintQueue(ctx context.Context, f ComplaintQueueFilter) ([]ComplaintQueueItem, bool, error) {
	w := where{}
	w.add("c.type = 'complaint'")
	if f.Stage != "" {
		w.add("COALESCE(k.stage, 'received') = ?", f.Stage)
	}
	if f.Tier != "" {
		w.add("c.tier = ?", f.Tier)
	}
	if f.AssigneeID != 0 {
		w.add("c.assignee_id = ?", f.AssigneeID)
	}
	if f.TeamID != 0 {
		w.add("c.team_id = ?", f.TeamID)
	}
	if f.Vulnerable {
		w.add("k.vulnerable = ?", true)
	}
	if f.Open {
		w.add("c.is_open = ?", true)
	}
	n := limit(f.Limit, 50, 500)
	rows, err := tx.query(ctx, `SELECT c.id, COALESCE(k.stage, 'received'), c.next_due_at, COALESCE(k.vulnerable, FALSE)
		FROM cases c LEFT JOIN complaints k ON k.case_id = c.id`+
		w.sql("ORDER BY c.next_due_at IS NULL, c.next_due_at, c.id LIMIT ? OFFSET ?", n+1, max(f.Offset, 0)), w.args...)
	items, err := collect(rows, err, func(row scanner) (ComplaintQueueItem, error) {
		var it ComplaintQueueItem
		var due sql.NullInt64
		err := row.Scan(&it.CaseID, &it.Stage, &due, &it.Vulnerable)
		it.NextDue = fromMicros(due)
		return it, err
	})
	if err != nil {
		return nil, false, err
	}
	if len(items) > n {
		return items[:n], true, nil
	}
	return items, false, nil
}
