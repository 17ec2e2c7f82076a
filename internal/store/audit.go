package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// AppendAudit adds e to the transaction's audit entries. They join the hash
// chain when the transaction commits, in the same transaction, so an audit
// entry exists exactly when the change it records does. The chain's head is
// locked only for that last step, which keeps concurrent writers on
// PostgreSQL from queuing behind each other's whole transactions. e's Seq,
// At, PrevHash and Hash are set then.
func (tx *Tx) AppendAudit(_ context.Context, e *care.AuditEntry) error {
	tx.audit = append(tx.audit, e)
	return nil
}

// auditBatch bounds the rows of one INSERT (12 parameters each).
const auditBatch = 50

// flushAudit chains the pending entries and writes them. Advancing
// audit_head first takes its row lock, which orders appenders so the chain
// never forks, whatever the number of caredesk processes.
func (tx *Tx) flushAudit(ctx context.Context) error {
	n := len(tx.audit)
	if n == 0 {
		return nil
	}
	var last int64
	var prev string
	if err := tx.queryRow(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`, n).
		Scan(&last, &prev); err != nil {
		return err
	}
	for i, e := range tx.audit {
		e.Seq, e.At, e.PrevHash = last-int64(n)+int64(i)+1, tx.now, prev
		e.Hash = e.ComputeHash()
		prev = e.Hash
	}
	for start := 0; start < n; start += auditBatch {
		if err := tx.insertAudit(ctx, tx.audit[start:min(start+auditBatch, n)]); err != nil {
			return err
		}
	}
	tx.audit = nil
	_, err := tx.exec(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, prev)
	return err
}

func (tx *Tx) insertAudit(ctx context.Context, entries []*care.AuditEntry) error {
	var q strings.Builder
	q.WriteString(`INSERT INTO audit_log (` + auditColumns + `) VALUES `)
	args := make([]any, 0, 12*len(entries))
	for i, e := range entries {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		for c := 0; c < 12; c++ {
			if c > 0 {
				q.WriteString(", ")
			}
			q.WriteString("$" + itoa(len(args)+c+1))
		}
		q.WriteString(")")
		args = append(args, e.Seq, micros(e.At), e.ActorID, e.ActorName, e.Source, e.IP, e.Action, e.Entity,
			e.EntityID, e.Detail, e.PrevHash, e.Hash)
	}
	_, err := tx.exec(ctx, q.String(), args...)
	return err
}

const auditColumns = `seq, at, actor_id, actor_name, source, ip, action, entity, entity_id, detail, prev_hash, hash`

func scanAudit(rows scanner) (*care.AuditEntry, error) {
	var e care.AuditEntry
	var at sql.NullInt64
	err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.Source, &e.IP, &e.Action, &e.Entity, &e.EntityID,
		&e.Detail, &e.PrevHash, &e.Hash)
	e.At = fromMicros(at)
	return &e, err
}

// FindAudit returns audit entries matching f, newest first, and the cursor
// for the next page.
func (tx *Tx) FindAudit(ctx context.Context, f care.AuditFilter) ([]*care.AuditEntry, int64, error) {
	var w where
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if !f.Since.IsZero() {
		w.add("at >= ?", f.Since.UnixMicro())
	}
	if !f.Until.IsZero() {
		w.add("at < ?", f.Until.UnixMicro())
	}
	if f.Before > 0 {
		w.add("seq < ?", f.Before)
	}
	n := limit(f.Limit, 100, 1000)
	rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.sql("ORDER BY seq DESC LIMIT ?", n+1), w.args...)
	out, err := collect(rows, err, scanAudit)
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(e *care.AuditEntry) int64 { return e.Seq })
	return out, next, nil
}

// VerifyAudit walks the whole chain in order and returns the first break, or
// nil when every entry's hash, link and sequence number hold and the head
// matches the last entry. It also returns how many entries it checked.
func (s *Store) VerifyAudit(ctx context.Context) (*care.AuditBreak, int64, error) {
	var brk *care.AuditBreak
	var n int64
	err := s.Read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		prev := ""
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			n++
			if brk = checkLink(e, n, prev); brk != nil {
				return nil
			}
			prev = e.Hash
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var headSeq int64
		var headHash string
		if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return err
		}
		if headSeq != n || headHash != prev {
			brk = &care.AuditBreak{Seq: n + 1, Reason: "the chain ends early: the head records " +
				itoa(int(headSeq)) + " entries, so the latest entries were deleted or the head was edited"}
		}
		return nil
	})
	return brk, n, err
}

func checkLink(e *care.AuditEntry, want int64, prev string) *care.AuditBreak {
	switch {
	case e.Seq != want:
		return &care.AuditBreak{Seq: want, Reason: "missing: the next entry stored is " + itoa(int(e.Seq)) + " (entries were deleted)"}
	case e.PrevHash != prev:
		return &care.AuditBreak{Seq: e.Seq, Reason: "its link to the previous entry does not match (an entry before it was edited or removed)"}
	case e.ComputeHash() != e.Hash:
		return &care.AuditBreak{Seq: e.Seq, Reason: "its content does not match its hash (the entry was edited)"}
	}
	return nil
}
