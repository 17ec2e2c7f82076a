package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// date stores a calendar date as YYYY-MM-DD text, which sorts as it reads.
func date(t time.Time) string { return t.Format(time.DateOnly) }

func parseDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// UpdatePolicy writes p's status, term and premium.
func (tx *Tx) UpdatePolicy(ctx context.Context, p *care.Policy) error {
	p.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE policies SET status = $1, start_date = $2, end_date = $3, premium_minor = $4, updated_at = $5
		WHERE id = $6`, p.Status, date(p.Start), date(p.End), p.PremiumMinor, micros(tx.now), p.ID)
	return err
}

// LockPolicy returns the policy with the given ID, locking its row on
// PostgreSQL so two transitions of one policy run one after the other.
func (tx *Tx) LockPolicy(ctx context.Context, id int64) (*care.Policy, error) {
	if _, err := tx.exec(ctx, `UPDATE policies SET updated_at = updated_at WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return tx.FindPolicyByID(ctx, id)
}

// CreatePolicyEvent records a lifecycle transition.
func (tx *Tx) CreatePolicyEvent(ctx context.Context, e *care.PolicyEvent) error {
	e.At = tx.now
	var err error
	e.ID, err = tx.insert(ctx, `INSERT INTO policy_events (policy_id, from_status, to_status, reason, actor, term_start, term_end, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		e.PolicyID, e.From, e.To, e.Reason, e.Actor, date(e.TermStart), date(e.TermEnd), micros(tx.now))
	return err
}

// FindPolicyEvents returns a policy's lifecycle, oldest first.
func (tx *Tx) FindPolicyEvents(ctx context.Context, policyID int64) ([]*care.PolicyEvent, error) {
	rows, err := tx.query(ctx, `SELECT id, policy_id, from_status, to_status, reason, actor, term_start, term_end, at
		FROM policy_events WHERE policy_id = $1 ORDER BY id LIMIT 1000`, policyID)
	return collect(rows, err, func(row scanner) (*care.PolicyEvent, error) {
		var e care.PolicyEvent
		var start, end string
		var at sql.NullInt64
		err := row.Scan(&e.ID, &e.PolicyID, &e.From, &e.To, &e.Reason, &e.Actor, &start, &end, &at)
		e.TermStart, e.TermEnd, e.At = parseDate(start), parseDate(end), fromMicros(at)
		return &e, err
	})
}

const renewalColumns = `id, policy_id, term_start, term_end, line, premium_minor, offered_at, outcome, outcome_reason,
	outcome_by, outcome_at, next_reminder_at, created_at, updated_at`

func scanRenewal(row scanner) (*care.PolicyRenewal, error) {
	var r care.PolicyRenewal
	var start, end string
	var offered, outcomeAt, next, created, updated sql.NullInt64
	if err := row.Scan(&r.ID, &r.PolicyID, &start, &end, &r.Line, &r.PremiumMinor, &offered, &r.Outcome, &r.OutcomeReason,
		&r.OutcomeBy, &outcomeAt, &next, &created, &updated); err != nil {
		return nil, err
	}
	r.TermStart, r.TermEnd = parseDate(start), parseDate(end)
	r.OfferedAt, r.OutcomeAt, r.NextReminderAt = fromMicros(offered), fromMicros(outcomeAt), fromMicros(next)
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &r, nil
}

// EnsureRenewal returns the renewal of p's current term, creating it (due
// for the reminder job now) when there is none. Two transactions racing to
// create it meet on the unique (policy, term end) key.
func (tx *Tx) EnsureRenewal(ctx context.Context, p *care.Policy) (*care.PolicyRenewal, error) {
	if _, err := tx.exec(ctx, `INSERT INTO policy_renewals (policy_id, term_start, term_end, line, next_reminder_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5, $5) ON CONFLICT (policy_id, term_end) DO NOTHING`,
		p.ID, date(p.Start), date(p.End), p.Line, micros(tx.now)); err != nil {
		return nil, err
	}
	return tx.FindRenewal(ctx, p.ID, p.End)
}

// FindRenewal returns the renewal of the term of policyID ending on end.
func (tx *Tx) FindRenewal(ctx context.Context, policyID int64, end time.Time) (*care.PolicyRenewal, error) {
	r, err := scanRenewal(tx.queryRow(ctx, `SELECT `+renewalColumns+` FROM policy_renewals WHERE policy_id = $1 AND term_end = $2`,
		policyID, date(end)))
	if err == sql.ErrNoRows {
		return nil, notFound("renewal", date(end))
	}
	return r, mapErr(err)
}

// FindRenewals returns a policy's renewals, latest term first.
func (tx *Tx) FindRenewals(ctx context.Context, policyID int64) ([]*care.PolicyRenewal, error) {
	rows, err := tx.query(ctx, `SELECT `+renewalColumns+` FROM policy_renewals WHERE policy_id = $1 ORDER BY term_end DESC LIMIT 100`, policyID)
	return collect(rows, err, scanRenewal)
}

// UpdateRenewal writes a renewal's offer, outcome and next reminder time.
// It reports false, writing nothing, when the row no longer has the
// expected next reminder time: another process handled it first.
func (tx *Tx) UpdateRenewal(ctx context.Context, r *care.PolicyRenewal, expectNext time.Time) (bool, error) {
	r.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE policy_renewals SET premium_minor = $1, offered_at = $2, outcome = $3, outcome_reason = $4,
		outcome_by = $5, outcome_at = $6, next_reminder_at = $7, updated_at = $8
		WHERE id = $9 AND COALESCE(next_reminder_at, 0) = $10`,
		r.PremiumMinor, micros(r.OfferedAt), r.Outcome, r.OutcomeReason, r.OutcomeBy, micros(r.OutcomeAt),
		micros(r.NextReminderAt), micros(tx.now), r.ID, expectMicros(expectNext))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func expectMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// pendingRenewal is the predicate of the partial index
// policies_renewal_pending, repeated verbatim so both databases use it.
const pendingRenewal = `status IN ('in_force', 'renewed') AND renewal_opened <> end_date`

// OpenDueRenewals creates the renewal of up to n policies in force whose
// term ends on or before lastDay and whose renewal is not open yet, so the
// reminder job sees them. It marks the policies first (renewal_opened),
// taking their row locks before it touches policy_renewals, the order every
// policy change follows (LockPolicy, then the renewal), so it cannot
// deadlock with a transition; the predicate is repeated in the outer WHERE
// so a second process waiting on a row lock skips what the first marked.
// It returns how many renewals it created and how many policies it marked
// (n means there may be more).
func (tx *Tx) OpenDueRenewals(ctx context.Context, lastDay time.Time, n int) (opened, marked int64, err error) {
	rows, err := tx.query(ctx, `UPDATE policies SET renewal_opened = end_date
		WHERE id IN (SELECT p.id FROM policies p WHERE p.`+pendingRenewal+` AND p.end_date <= $1 ORDER BY p.end_date LIMIT $2)
		AND `+pendingRenewal+` AND end_date <= $1
		RETURNING id, start_date, end_date, line`, date(lastDay), n)
	type due struct {
		id               int64
		start, end, line string
	}
	got, err := collect(rows, err, func(row scanner) (due, error) {
		var d due
		return d, row.Scan(&d.id, &d.start, &d.end, &d.line)
	})
	if err != nil {
		return 0, 0, mapErr(err)
	}
	for _, d := range got {
		res, err := tx.exec(ctx, `INSERT INTO policy_renewals (policy_id, term_start, term_end, line, next_reminder_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5, $5) ON CONFLICT (policy_id, term_end) DO NOTHING`, d.id, d.start, d.end, d.line, micros(tx.now))
		if err != nil {
			return 0, 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, 0, err
		}
		opened += k
	}
	return opened, int64(len(got)), nil
}

// FindDueRenewals returns up to n open renewals whose reminder time has
// come, earliest first.
func (tx *Tx) FindDueRenewals(ctx context.Context, n int) ([]*care.PolicyRenewal, error) {
	rows, err := tx.query(ctx, `SELECT `+renewalColumns+` FROM policy_renewals
		WHERE next_reminder_at <= $1 ORDER BY next_reminder_at, id LIMIT $2`, micros(tx.now), n)
	return collect(rows, err, scanRenewal)
}

// CreateReminder records a reminder; it reports false when one of that
// kind was already recorded for the renewal (it is sent at most once).
func (tx *Tx) CreateReminder(ctx context.Context, m *care.PolicyReminder) (bool, error) {
	m.SentAt = tx.now
	rows, err := tx.query(ctx, `INSERT INTO policy_reminders (renewal_id, policy_id, kind, to_addr, mail_id, note, sent_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (renewal_id, kind) DO NOTHING RETURNING id`,
		m.RenewalID, m.PolicyID, m.Kind, m.To, nullID(m.MailID), m.Note, micros(tx.now))
	if err != nil {
		return false, mapErr(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return false, mapErr(rows.Err())
	}
	return true, mapErr(rows.Scan(&m.ID))
}

// SetReminderMail links a recorded reminder to the outbox message carrying it.
func (tx *Tx) SetReminderMail(ctx context.Context, id, mailID int64) error {
	_, err := tx.exec(ctx, `UPDATE policy_reminders SET mail_id = $1 WHERE id = $2`, mailID, id)
	return err
}

// FindReminders returns a policy's reminders, newest first.
func (tx *Tx) FindReminders(ctx context.Context, policyID int64) ([]*care.PolicyReminder, error) {
	rows, err := tx.query(ctx, `SELECT m.id, m.renewal_id, m.policy_id, m.kind, m.to_addr, m.mail_id, m.note, m.sent_at, r.term_end
		FROM policy_reminders m JOIN policy_renewals r ON r.id = m.renewal_id
		WHERE m.policy_id = $1 ORDER BY m.id DESC LIMIT 200`, policyID)
	return collect(rows, err, func(row scanner) (*care.PolicyReminder, error) {
		var m care.PolicyReminder
		var mail, sent sql.NullInt64
		var end string
		err := row.Scan(&m.ID, &m.RenewalID, &m.PolicyID, &m.Kind, &m.To, &mail, &m.Note, &sent, &end)
		m.MailID, m.SentAt, m.TermEnd = mail.Int64, fromMicros(sent), parseDate(end)
		return &m, err
	})
}

// RemindersSent returns the kinds of reminder recorded for a renewal.
func (tx *Tx) RemindersSent(ctx context.Context, renewalID int64) (map[string]bool, error) {
	rows, err := tx.query(ctx, `SELECT kind FROM policy_reminders WHERE renewal_id = $1`, renewalID)
	kinds, err := collect(rows, err, func(row scanner) (string, error) {
		var k string
		return k, row.Scan(&k)
	})
	out := map[string]bool{}
	for _, k := range kinds {
		out[k] = true
	}
	return out, err
}

// OpenRenewal is an undecided renewal with what a renewals list shows.
type OpenRenewal struct {
	Renewal      *care.PolicyRenewal
	Number       string
	Status       string
	CustomerID   int64
	CustomerName string
	Email        string
	LastReminder string // the kind of the latest reminder sent, "" for none
}

// FindOpenRenewals returns up to n renewals without an outcome whose term
// ends on or before lastDay, soonest first (at most 1,000).
func (tx *Tx) FindOpenRenewals(ctx context.Context, lastDay time.Time, n int) ([]*OpenRenewal, error) {
	rows, err := tx.query(ctx, `SELECT r.id, r.policy_id, r.term_start, r.term_end, r.line, r.premium_minor, r.offered_at, r.outcome,
		r.outcome_reason, r.outcome_by, r.outcome_at, r.next_reminder_at, r.created_at, r.updated_at,
		p.number, p.status, c.id, c.name, c.email,
		COALESCE((SELECT m.kind FROM policy_reminders m WHERE m.renewal_id = r.id ORDER BY m.id DESC LIMIT 1), '')
		FROM policy_renewals r JOIN policies p ON p.id = r.policy_id JOIN customers c ON c.id = p.customer_id
		WHERE r.outcome = '' AND r.term_end <= $1 ORDER BY r.term_end, r.id LIMIT $2`, date(lastDay), limit(n, 200, 1000))
	return collect(rows, err, func(row scanner) (*OpenRenewal, error) {
		var o OpenRenewal
		r, err := scanRenewal(openRenewalScanner{row, &o})
		o.Renewal = r
		return &o, err
	})
}

// openRenewalScanner appends the list's columns to a renewal scan.
type openRenewalScanner struct {
	row scanner
	o   *OpenRenewal
}

func (s openRenewalScanner) Scan(dest ...any) error {
	return s.row.Scan(append(dest, &s.o.Number, &s.o.Status, &s.o.CustomerID, &s.o.CustomerName, &s.o.Email, &s.o.LastReminder)...)
}
