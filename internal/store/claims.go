package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

const claimColumns = `k.case_id, k.number, k.policy_id, k.loss_at, k.reported_at, k.loss_type, k.place, k.description,
	k.channel, k.parties, k.stage, k.cover_problems, k.catastrophe_id, k.currency, k.reserve_minor, k.settled_minor,
	k.paid_minor, k.settled_by, k.decision, k.complaint_id, k.inspection_at, k.inspector, k.reopened,
	k.created_at, k.updated_at, k.closed_at, k.complexity, k.complexity_note, k.estimate_minor`

// The stored shapes of a claim's JSON columns (domain types carry no tags).
type partyJSON struct {
	Role    string `json:"role"`
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
	Note    string `json:"note,omitempty"`
}

type problemJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func encodeParties(ps []care.ClaimParty) string {
	out := make([]partyJSON, len(ps))
	for i, p := range ps {
		out[i] = partyJSON(p)
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func encodeProblems(ps []care.CoverProblem) string {
	out := make([]problemJSON, len(ps))
	for i, p := range ps {
		out[i] = problemJSON(p)
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func scanClaim(row scanner) (*care.Claim, error) {
	var c care.Claim
	var parties, problems string
	var catastrophe, settledBy, complaint sql.NullInt64
	var loss, reported, inspection, created, updated, closed sql.NullInt64
	if err := row.Scan(&c.CaseID, &c.Number, &c.PolicyID, &loss, &reported, &c.LossType, &c.Place, &c.Description,
		&c.Channel, &parties, &c.Stage, &problems, &catastrophe, &c.Currency, &c.ReserveMinor, &c.SettledMinor,
		&c.PaidMinor, &settledBy, &c.Decision, &complaint, &inspection, &c.Inspector, &c.Reopened,
		&created, &updated, &closed, &c.Complexity, &c.ComplexityNote, &c.EstimateMinor); err != nil {
		return nil, err
	}
	var ps []partyJSON
	if err := json.Unmarshal([]byte(parties), &ps); err != nil {
		return nil, err
	}
	for _, p := range ps {
		c.Parties = append(c.Parties, care.ClaimParty(p))
	}
	var pr []problemJSON
	if err := json.Unmarshal([]byte(problems), &pr); err != nil {
		return nil, err
	}
	for _, p := range pr {
		c.CoverProblems = append(c.CoverProblems, care.CoverProblem(p))
	}
	c.CatastropheID, c.SettledBy, c.ComplaintID = catastrophe.Int64, settledBy.Int64, complaint.Int64
	c.LossAt, c.ReportedAt, c.InspectionAt = fromMicros(loss), fromMicros(reported), fromMicros(inspection)
	c.CreatedAt, c.UpdatedAt, c.ClosedAt = fromMicros(created), fromMicros(updated), fromMicros(closed)
	return &c, nil
}

// CreateClaim inserts the claim record of a case and gives it the next
// claim number of the reporting year.
func (tx *Tx) CreateClaim(ctx context.Context, c *care.Claim) error {
	year := c.ReportedAt.UTC().Year()
	var n int64
	if err := tx.queryRow(ctx, `INSERT INTO claim_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = claim_counters.last + 1 RETURNING last`, year).Scan(&n); err != nil {
		return err
	}
	c.Number = care.ClaimNumber(year, n)
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	_, err := tx.exec(ctx, `INSERT INTO claims (case_id, number, policy_id, loss_at, reported_at, loss_type, place,
		description, channel, parties, stage, cover_problems, catastrophe_id, currency, reserve_minor, settled_minor,
		paid_minor, settled_by, decision, complaint_id, inspection_at, inspector, reopened, created_at, updated_at, closed_at,
		complexity, complexity_note, estimate_minor)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
		$24, $25, $26, $27, $28, $29)`,
		c.CaseID, c.Number, c.PolicyID, micros(c.LossAt), micros(c.ReportedAt), c.LossType, c.Place, c.Description,
		c.Channel, encodeParties(c.Parties), c.Stage, encodeProblems(c.CoverProblems), nullID(c.CatastropheID),
		c.Currency, c.ReserveMinor, c.SettledMinor, c.PaidMinor, nullID(c.SettledBy), c.Decision, nullID(c.ComplaintID),
		micros(c.InspectionAt), c.Inspector, c.Reopened, micros(tx.now), micros(tx.now), micros(c.ClosedAt),
		c.Complexity, c.ComplexityNote, c.EstimateMinor)
	return err
}

// UpdateClaim writes every mutable field of a claim.
func (tx *Tx) UpdateClaim(ctx context.Context, c *care.Claim) error {
	c.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE claims SET stage = $1, cover_problems = $2, catastrophe_id = $3, reserve_minor = $4,
		settled_minor = $5, paid_minor = $6, settled_by = $7, decision = $8, complaint_id = $9, inspection_at = $10,
		inspector = $11, reopened = $12, updated_at = $13, closed_at = $14, parties = $15 WHERE case_id = $16`,
		c.Stage, encodeProblems(c.CoverProblems), nullID(c.CatastropheID), c.ReserveMinor, c.SettledMinor, c.PaidMinor,
		nullID(c.SettledBy), c.Decision, nullID(c.ComplaintID), micros(c.InspectionAt), c.Inspector, c.Reopened,
		micros(tx.now), micros(c.ClosedAt), encodeParties(c.Parties), c.CaseID)
	return err
}

// FindClaim returns the claim record of a case.
func (tx *Tx) FindClaim(ctx context.Context, caseID int64) (*care.Claim, error) {
	c, err := scanClaim(tx.queryRow(ctx, `SELECT `+claimColumns+` FROM claims k WHERE k.case_id = $1`, caseID))
	if err == sql.ErrNoRows {
		return nil, notFound("claim for case", caseID)
	}
	return c, err
}

// FindClaimByNumber returns the claim with the given number.
func (tx *Tx) FindClaimByNumber(ctx context.Context, number string) (*care.Claim, error) {
	c, err := scanClaim(tx.queryRow(ctx, `SELECT `+claimColumns+` FROM claims k WHERE k.number = $1`, number))
	if err == sql.ErrNoRows {
		return nil, notFound("claim", number)
	}
	return c, err
}

// FindClaimByComplaint returns the claim whose dispute opened the given
// complaint case.
func (tx *Tx) FindClaimByComplaint(ctx context.Context, complaintCaseID int64) (*care.Claim, error) {
	c, err := scanClaim(tx.queryRow(ctx, `SELECT `+claimColumns+` FROM claims k WHERE k.complaint_id = $1`, complaintCaseID))
	if err == sql.ErrNoRows {
		return nil, notFound("claim disputed by complaint", complaintCaseID)
	}
	return c, err
}

// ClaimRow is a claim in a list, with what the list shows of its case.
type ClaimRow struct {
	Claim        *care.Claim
	Reference    string
	Subject      string
	CustomerID   int64
	CustomerName string
	PolicyNumber string
	AssigneeID   int64
	NextDueAt    time.Time
}

// FindClaims lists claims by nearest running milestone (claims with none
// last), newest first among equals, one page at a time from f.After; next
// is the key to continue from, nil on the last page.
func (tx *Tx) FindClaims(ctx context.Context, f care.ClaimFilter) (out []*ClaimRow, next *care.ClaimKey, err error) {
	var w where
	if a := f.After; a != nil {
		if a.Due.IsZero() {
			w.add("c.next_due_at IS NULL AND k.case_id < ?", a.CaseID)
		} else {
			due := micros(a.Due)
			w.add("(c.next_due_at IS NULL OR c.next_due_at > ? OR (c.next_due_at = ? AND k.case_id < ?))", due, due, a.CaseID)
		}
	}
	if f.Stage != "" {
		w.add("k.stage = ?", f.Stage)
	}
	if f.Open != nil {
		if *f.Open {
			w.add("k.stage <> ?", care.ClaimClosed)
		} else {
			w.add("k.stage = ?", care.ClaimClosed)
		}
	}
	if f.CustomerID != 0 {
		w.add("c.customer_id = ?", f.CustomerID)
	}
	if f.CatastropheID != 0 {
		w.add("k.catastrophe_id = ?", f.CatastropheID)
	}
	n := limit(f.Limit, 100, 500)
	rows, err := tx.query(ctx, `SELECT `+claimColumns+`, c.reference, c.subject, c.customer_id, COALESCE(u.name, ''),
		p.number, c.assignee_id, c.next_due_at
		FROM claims k JOIN cases c ON c.id = k.case_id JOIN policies p ON p.id = k.policy_id
		LEFT JOIN customers u ON u.id = c.customer_id`+
		w.sql(`ORDER BY (c.next_due_at IS NULL), c.next_due_at, k.case_id DESC LIMIT ?`, n+1), w.args...)
	out, err = collect(rows, err, func(r scanner) (*ClaimRow, error) {
		var row ClaimRow
		var cust, assignee, due sql.NullInt64
		var c care.Claim
		var parties, problems string
		var catastrophe, settledBy, complaint sql.NullInt64
		var loss, reported, inspection, created, updated, closed sql.NullInt64
		if err := r.Scan(&c.CaseID, &c.Number, &c.PolicyID, &loss, &reported, &c.LossType, &c.Place, &c.Description,
			&c.Channel, &parties, &c.Stage, &problems, &catastrophe, &c.Currency, &c.ReserveMinor, &c.SettledMinor,
			&c.PaidMinor, &settledBy, &c.Decision, &complaint, &inspection, &c.Inspector, &c.Reopened,
			&created, &updated, &closed, &c.Complexity, &c.ComplexityNote, &c.EstimateMinor, &row.Reference, &row.Subject, &cust, &row.CustomerName, &row.PolicyNumber,
			&assignee, &due); err != nil {
			return nil, err
		}
		var pr []problemJSON
		if err := json.Unmarshal([]byte(problems), &pr); err != nil {
			return nil, err
		}
		for _, p := range pr {
			c.CoverProblems = append(c.CoverProblems, care.CoverProblem(p))
		}
		c.CatastropheID, c.SettledBy, c.ComplaintID = catastrophe.Int64, settledBy.Int64, complaint.Int64
		c.LossAt, c.ReportedAt, c.InspectionAt = fromMicros(loss), fromMicros(reported), fromMicros(inspection)
		c.CreatedAt, c.UpdatedAt, c.ClosedAt = fromMicros(created), fromMicros(updated), fromMicros(closed)
		row.Claim, row.CustomerID, row.AssigneeID, row.NextDueAt = &c, cust.Int64, assignee.Int64, fromMicros(due)
		return &row, nil
	})
	if err != nil || len(out) <= n {
		return out, nil, err
	}
	out = out[:n]
	last := out[n-1]
	return out, &care.ClaimKey{Due: last.NextDueAt, CaseID: last.Claim.CaseID}, nil
}

// CountClaimsByStage counts claims in each stage.
func (tx *Tx) CountClaimsByStage(ctx context.Context) (map[string]int, error) {
	rows, err := tx.query(ctx, `SELECT stage, COUNT(*) FROM claims GROUP BY stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// CreateClaimTransition records one move of a claim.
func (tx *Tx) CreateClaimTransition(ctx context.Context, t *care.ClaimTransition) error {
	t.At = tx.now
	var err error
	t.ID, err = tx.insert(ctx, `INSERT INTO claim_transitions (case_id, from_stage, to_stage, actor_id, actor_name, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		t.CaseID, t.From, t.To, t.ActorID, t.ActorName, t.Note, micros(tx.now))
	return err
}

// FindClaimTransitions lists a claim's moves, oldest first.
func (tx *Tx) FindClaimTransitions(ctx context.Context, caseID int64) ([]*care.ClaimTransition, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, from_stage, to_stage, actor_id, actor_name, note, at
		FROM claim_transitions WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, func(r scanner) (*care.ClaimTransition, error) {
		var t care.ClaimTransition
		var at sql.NullInt64
		err := r.Scan(&t.ID, &t.CaseID, &t.From, &t.To, &t.ActorID, &t.ActorName, &t.Note, &at)
		t.At = fromMicros(at)
		return &t, err
	})
}

// CreateClaimReserve records a new reserve on a claim.
func (tx *Tx) CreateClaimReserve(ctx context.Context, r *care.ClaimReserve) error {
	r.At = tx.now
	var err error
	r.ID, err = tx.insert(ctx, `INSERT INTO claim_reserves (case_id, amount_minor, prev_minor, note, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		r.CaseID, r.AmountMinor, r.PrevMinor, r.Note, r.ActorID, r.ActorName, micros(tx.now))
	return err
}

// FindClaimReserves lists a claim's reserve history, oldest first.
func (tx *Tx) FindClaimReserves(ctx context.Context, caseID int64) ([]*care.ClaimReserve, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, amount_minor, prev_minor, note, actor_id, actor_name, at
		FROM claim_reserves WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, func(r scanner) (*care.ClaimReserve, error) {
		var v care.ClaimReserve
		var at sql.NullInt64
		err := r.Scan(&v.ID, &v.CaseID, &v.AmountMinor, &v.PrevMinor, &v.Note, &v.ActorID, &v.ActorName, &at)
		v.At = fromMicros(at)
		return &v, err
	})
}

// CreateClaimPayment records a payment on a claim.
func (tx *Tx) CreateClaimPayment(ctx context.Context, p *care.ClaimPayment) error {
	p.At = tx.now
	var err error
	p.ID, err = tx.insert(ctx, `INSERT INTO claim_payments (case_id, amount_minor, payee, method, reference, actor_id,
		actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		p.CaseID, p.AmountMinor, p.Payee, p.Method, p.Reference, p.ActorID, p.ActorName, micros(tx.now))
	return err
}

// FindClaimPayments lists a claim's payments, oldest first.
func (tx *Tx) FindClaimPayments(ctx context.Context, caseID int64) ([]*care.ClaimPayment, error) {
	rows, err := tx.query(ctx, `SELECT id, case_id, amount_minor, payee, method, reference, actor_id, actor_name, at
		FROM claim_payments WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, func(r scanner) (*care.ClaimPayment, error) {
		var v care.ClaimPayment
		var at sql.NullInt64
		err := r.Scan(&v.ID, &v.CaseID, &v.AmountMinor, &v.Payee, &v.Method, &v.Reference, &v.ActorID, &v.ActorName, &at)
		v.At = fromMicros(at)
		return &v, err
	})
}
