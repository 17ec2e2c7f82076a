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
)

// CDRColumns are the columns a call detail record file may have, in any
// order, named in its header row; call_id and offered_at are required.
// docs/telephony.md describes each.
var CDRColumns = []string{"call_id", "channel", "direction", "queue", "agent_email", "agent_id", "caller_phone",
	"caller_email", "customer_id", "case", "offered_at", "answered_at", "ended_at", "wrap_up_ended_at", "abandoned",
	"disposition"}

// CDRReport says what an import did. Lines count from 1, the header.
type CDRReport struct {
	Rows      int // data rows read
	Recorded  int // rows that added something
	Unchanged int // rows already imported: every event they carry was recorded before
	Errors    []CDRError
}

// CDRError is one bad field of one row; the row was skipped.
type CDRError struct {
	Line    int
	Field   string
	Message string
}

// ImportCDR reads call detail records as CSV and records each row as the
// events of one call (offered, answered, ended or abandoned, wrap-up
// ended), with event ids derived from the call id, so importing the same
// file again changes nothing and a call also reported by live events merges
// with them. Each row is its own transaction: bad rows are reported with
// their line numbers and skipped, good rows are kept.
func (s *Service) ImportCDR(ctx context.Context, r io.Reader) (*CDRReport, error) {
	a := care.ActorFromContext(ctx)
	if err := a.Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	if err := a.Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, care.Invalid("header", "the file is empty; the first line must name the columns: %s", strings.Join(CDRColumns, ","))
	} else if err != nil {
		return nil, care.Invalid("header", "line 1 cannot be read as CSV: %v", err)
	}
	cols, err := cdrHeader(header)
	if err != nil {
		return nil, err
	}
	rep := &CDRReport{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Rows++
			rep.Errors = append(rep.Errors, CDRError{Line: pe.Line, Field: "row", Message: pe.Err.Error()})
			continue
		} else if err != nil {
			return rep, err
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		rep.Rows++
		if err := s.importRow(ctx, cols, rec, line, rep); err != nil {
			return rep, err
		}
	}
}

// cdrHeader maps column names to their positions.
func cdrHeader(header []string) (map[string]int, error) {
	var p care.Problems
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch _, dup := cols[h]; {
		case !slices.Contains(CDRColumns, h):
			p.Add("header", "line 1, column %d: unknown column %q; the columns are: %s", i+1, h, strings.Join(CDRColumns, ", "))
		case dup:
			p.Add("header", "line 1: column %q appears twice", h)
		}
		cols[h] = i
	}
	for _, need := range []string{"call_id", "offered_at"} {
		if _, ok := cols[need]; !ok {
			p.Add("header", "line 1: the %s column is required", need)
		}
	}
	return cols, p.Err()
}

// importRow records one row; a bad row adds to rep.Errors, and only an
// infrastructure failure is returned.
func (s *Service) importRow(ctx context.Context, cols map[string]int, rec []string, line int, rep *CDRReport) error {
	get := func(name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	evs, err := cdrEvents(get, s.Now())
	if err == nil {
		var res *TelephonyResult
		if res, err = s.recordTelephony(ctx, evs, "cdr"); err == nil {
			if res.Duplicate {
				rep.Unchanged++
			} else {
				rep.Recorded++
			}
			return nil
		}
	}
	fields := care.ErrorFields(err)
	if fields == nil && care.ErrorCode(err) == care.EINTERNAL {
		return err
	}
	if fields == nil {
		fields = []care.FieldError{{Field: "row", Message: care.ErrorMessage(err)}}
	}
	for _, f := range fields {
		field := f.Field
		switch field {
		case "at":
			field = "offered_at"
		case "type":
			field = "channel"
		}
		rep.Errors = append(rep.Errors, CDRError{Line: line, Field: field, Message: f.Message})
	}
	return nil
}

// cdrEvents turns a row into the events of its call.
func cdrEvents(get func(string) string, now time.Time) ([]TelephonyEvent, error) {
	var p care.Problems
	when := func(col string) time.Time {
		v := get(col)
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			p.Add(col, "must be an RFC 3339 time such as 2026-11-21T09:30:00.250Z")
		}
		return t.UTC()
	}
	id := func(col string) int64 {
		v := get(col)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			p.Add(col, "must be a positive whole number")
		}
		return n
	}
	prefix := "call"
	switch ch := strings.ToLower(get("channel")); ch {
	case "", "phone":
	case "chat":
		prefix = "chat"
	default:
		p.Add("channel", "must be phone or chat")
	}
	abandoned := false
	switch v := strings.ToLower(get("abandoned")); v {
	case "", "false", "0", "no", "n":
	case "true", "1", "yes", "y":
		abandoned = true
	default:
		p.Add("abandoned", "must be true or false")
	}
	call := get("call_id")
	i := care.Interaction{Channel: "phone", OfferedAt: when("offered_at"), AnsweredAt: when("answered_at"),
		EndedAt: when("ended_at"), WrapUpEndedAt: when("wrap_up_ended_at"), Abandoned: abandoned}
	base := TelephonyEvent{CallID: call, Queue: get("queue"), AgentEmail: get("agent_email"), AgentID: id("agent_id"),
		CallerPhone: get("caller_phone"), CallerEmail: get("caller_email"), CustomerID: id("customer_id"),
		Case: get("case"), Direction: strings.ToLower(get("direction"))}
	if call == "" {
		p.Add("call_id", "is required")
	}
	if i.OfferedAt.IsZero() && !p.Has("offered_at") {
		p.Add("offered_at", "is required")
	}
	if abandoned && i.EndedAt.IsZero() && !p.Has("ended_at") {
		p.Add("ended_at", "is required for an abandoned call (when the caller hung up)")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := i.Validate(now); err != nil {
		return nil, err
	}
	ev := func(stage string, at time.Time) TelephonyEvent {
		e := base
		e.EventID, e.Type, e.At = "cdr:"+call+":"+stage, prefix+"."+stage, at
		return e
	}
	evs := []TelephonyEvent{ev("offered", i.OfferedAt)}
	if !i.AnsweredAt.IsZero() {
		evs = append(evs, ev("answered", i.AnsweredAt))
	}
	switch {
	case abandoned:
		evs = append(evs, ev("abandoned", i.EndedAt))
	case !i.EndedAt.IsZero():
		evs = append(evs, ev("ended", i.EndedAt))
	}
	if !i.WrapUpEndedAt.IsZero() {
		evs = append(evs, ev("wrap_up_ended", i.WrapUpEndedAt))
	}
	evs[len(evs)-1].Disposition = get("disposition")
	return evs, nil
}
