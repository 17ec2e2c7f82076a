package care

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditEntry records that an actor read or changed something. Entries form a
// hash chain: each stores the hash of the one before it, so editing, deleting
// or reordering any entry breaks the chain (ISO/IEC 27001 A.8.15 logging).
type AuditEntry struct {
	Seq       int64 // 1, 2, 3 … with no gaps
	At        time.Time
	ActorID   int64
	ActorName string
	Source    string
	IP        string
	Action    string // AuditActions
	Entity    string // "case", "customer", "policy", "interaction", "user", "team", "token", …
	EntityID  string
	Detail    string // what changed or what was read, as compact JSON
	PrevHash  string // hex SHA-256 of the previous entry; "" for the first
	Hash      string // hex SHA-256 of this entry, over every field above
}

// AuditActions are the kinds of audited event.
var AuditActions = enum{"create", "read", "update", "delete", "list", "login", "login_failed", "logout", "export"}

// ComputeHash returns the hex SHA-256 of the entry's content and PrevHash.
// Fields are length-prefixed so that no two different entries serialise the
// same way.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	write := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	write("v1")
	write(strconv.FormatInt(e.Seq, 10))
	write(e.At.UTC().Format(time.RFC3339Nano))
	write(strconv.FormatInt(e.ActorID, 10))
	write(e.ActorName)
	write(e.Source)
	write(e.IP)
	write(e.Action)
	write(e.Entity)
	write(e.EntityID)
	write(e.Detail)
	write(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries, newest first, with Before as the keyset
// cursor on Seq.
type AuditFilter struct {
	Entity   string
	EntityID string
	ActorID  int64
	Action   string
	Since    time.Time
	Until    time.Time
	Before   int64
	Limit    int
}

// AuditBreak describes the first entry at which an audit chain fails to verify.
type AuditBreak struct {
	Seq    int64
	Reason string
}

// String describes the break for operators.
func (b AuditBreak) String() string {
	var s strings.Builder
	s.WriteString("audit entry ")
	s.WriteString(strconv.FormatInt(b.Seq, 10))
	s.WriteString(": ")
	s.WriteString(b.Reason)
	return s.String()
}
