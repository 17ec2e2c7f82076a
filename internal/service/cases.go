package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// NewCase is the input of CreateCase: the case and, optionally, its first
// interaction. When First is nil and the case has a description, the first
// interaction is the inbound contact that described it.
type NewCase struct {
	Case  care.Case
	First *care.Interaction

	after func(context.Context, *store.Tx, *care.Case) error // more to write in the same transaction (complaint intake)
}

// CreateCase opens a case with its first interaction in one transaction and
// returns it with its reference.
func (s *Service) CreateCase(ctx context.Context, in NewCase) (*care.Case, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	c := in.Case
	c.Normalize()
	c.Subject, c.Description = s.mask(c.Subject), s.mask(c.Description)
	now := s.Now()
	if len(c.Regimes) == 0 {
		c.Regimes = s.cfg.DefaultRegimes[c.Type]
	}
	if err := errors.Join(c.Validate(now), checkRegimes(c.Regimes)); err != nil {
		return nil, mergeProblems(err)
	}
	first := in.First
	if first == nil && strings.TrimSpace(c.Description) != "" {
		first = &care.Interaction{Channel: c.Channel, Direction: "inbound", Subject: c.Subject, Body: c.Description, OfferedAt: c.ReceivedAt}
	}
	if first != nil {
		first.Normalize()
		first.Subject, first.Body = s.mask(first.Subject), s.mask(first.Body)
		if err := first.Validate(now); err != nil {
			return nil, prefixFields(err, "interaction.")
		}
	}
	if (c.AssigneeID != 0 && c.AssigneeID != actor.UserID) || c.TeamID != 0 {
		if err := actor.Require(care.PermCaseAssign); err != nil {
			return nil, err
		}
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		if err := checkCaseRefs(ctx, tx, &c); err != nil {
			return err
		}
		if err := s.openCase(ctx, tx, &c, first, ""); err != nil {
			return err
		}
		if in.after == nil {
			return nil
		}
		return in.after(ctx, tx, &c)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// openCase writes a validated new case and everything that comes with it,
// inside tx: the row and its reference, its audit entry, the case.created
// event, the KPI rollups, the first interaction (if any) and the clocks.
// Every intake path (API, portal, mail, telephony, import) goes through it,
// so none can forget a step. source names the path in the audit entry.
func (s *Service) openCase(ctx context.Context, tx *store.Tx, c *care.Case, first *care.Interaction, source string) error {
	if err := tx.CreateCase(ctx, c); err != nil {
		return err
	}
	detail := map[string]any{"reference": c.Reference, "type": c.Type, "channel": c.Channel,
		"received_at": c.ReceivedAt, "customer_id": c.CustomerID}
	if source != "" {
		detail["source"] = source
	}
	if err := audit(ctx, tx, "create", "case", c.ID, detail); err != nil {
		return err
	}
	// The first interaction goes in before any shared row (KPI cells) is
	// touched: when two transactions race to open a case for the same
	// contact, its unique external_id is the first lock they meet, so the
	// loser waits and retries instead of deadlocking.
	if first != nil {
		first.CaseID = c.ID
		if first.OfferedAt.IsZero() {
			first.OfferedAt = c.ReceivedAt
		}
		if err := addInteraction(ctx, tx, first, false); err != nil {
			return prefixFields(err, "interaction.")
		}
	}
	if err := emitCaseCreated(ctx, tx, c); err != nil {
		return err
	}
	// KPI rollups, in the transaction of the change: the first contact
	// and the case in one delta, one pass over the cells.
	var firstID int64
	if first != nil {
		firstID = first.ID
	}
	if err := s.kpiOpened(ctx, tx, c.ID, firstID); err != nil {
		return err
	}
	return s.startCaseClocks(ctx, tx, c)
}

// checkCaseRefs turns dangling references into field errors that name the
// field, rather than a database constraint message.
func checkCaseRefs(ctx context.Context, tx *store.Tx, c *care.Case) error {
	var p care.Problems
	if c.CustomerID != 0 {
		if _, err := tx.FindCustomerByID(ctx, c.CustomerID); care.ErrorCode(err) == care.ENOTFOUND {
			p.Add("customer_id", "no customer %d", c.CustomerID)
		} else if err != nil {
			return err
		}
	}
	if c.PolicyID != 0 {
		pol, err := tx.FindPolicyByID(ctx, c.PolicyID)
		switch {
		case care.ErrorCode(err) == care.ENOTFOUND:
			p.Add("policy_id", "no policy %d", c.PolicyID)
		case err != nil:
			return err
		case c.CustomerID != 0 && pol.CustomerID != c.CustomerID:
			p.Add("policy_id", "policy %s belongs to another customer", pol.Number)
		case c.CustomerID == 0:
			c.CustomerID = pol.CustomerID
		}
	}
	for _, check := range []error{checkTeam(ctx, tx, "team_id", c.TeamID), checkUser(ctx, tx, "assignee_id", c.AssigneeID)} {
		if fe := care.ErrorFields(check); fe != nil {
			p.Add(fe[0].Field, "%s", fe[0].Message)
		} else if check != nil {
			return check
		}
	}
	return p.Err()
}

// prefixFields qualifies the field names of a validation error, so an error
// in a nested object names its full path.
func prefixFields(err error, prefix string) error {
	fields := care.ErrorFields(err)
	if fields == nil {
		return err
	}
	e := &care.Error{Code: care.ErrorCode(err), Message: care.ErrorMessage(err)}
	for _, f := range fields {
		e.Fields = append(e.Fields, care.FieldError{Field: prefix + f.Field, Message: f.Message})
	}
	return e
}

// findCase looks a case up by numeric ID or by reference.
func findCase(ctx context.Context, tx *store.Tx, key string) (*care.Case, error) {
	id, ref := parseKey(key)
	if id != 0 {
		return tx.FindCaseByID(ctx, id)
	}
	if !care.LooksLikeReference(ref) {
		return nil, care.Errorf(care.ENOTFOUND, "No case %q: give a case id or a reference such as CD-2026-000123.", ref)
	}
	return tx.FindCaseByReference(ctx, ref)
}

// FindCase returns a case by ID or reference; the read is audited.
func (s *Service) FindCase(ctx context.Context, key string) (*care.Case, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, key); err != nil {
			return err
		}
		return audit(ctx, tx, "read", "case", c.ID, nil)
	})
	return c, err
}

// FindCases lists cases, newest first; the IDs revealed are audited.
func (s *Service) FindCases(ctx context.Context, f care.CaseFilter) ([]*care.Case, int64, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, 0, err
	}
	var p care.Problems
	for _, st := range f.Status {
		if !care.IsCaseStatus(st) {
			p.Add("status", "must be one of: %s", strings.Join(care.CaseStatusList(), ", "))
			break
		}
	}
	if f.Type != "" && !care.IsCaseType(f.Type) {
		p.Add("type", "must be one of: %s", strings.Join(care.CaseTypeList(), ", "))
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	var out []*care.Case
	var next int64
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if out, next, err = tx.FindCases(ctx, f); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "case", "", map[string]any{"ids": ids(out, func(c *care.Case) int64 { return c.ID })})
	})
	return out, next, err
}

// UpdateCase changes a case's status, priority, team, assignee, subject or
// type. Reclassification never moves ReceivedAt, so no regulatory clock
// restarts.
func (s *Service) UpdateCase(ctx context.Context, key string, upd care.CaseUpdate) (*care.Case, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	if upd.TeamID != nil || (upd.AssigneeID != nil && *upd.AssigneeID != actor.UserID && *upd.AssigneeID != 0) {
		if err := actor.Require(care.PermCaseAssign); err != nil {
			return nil, err
		}
	}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, key); err != nil {
			return err
		}
		if upd.Version != 0 && upd.Version != c.Version {
			return care.Errorf(care.ECONFLICT, "Case %s was changed by someone else (version %d, yours %d); reload it and try again.",
				c.Reference, c.Version, upd.Version)
		}
		ch, err := s.applyCaseUpdate(ctx, tx, c, upd)
		if err != nil {
			return err
		}
		if len(ch) == 0 {
			return nil
		}
		if err := s.complaintClosedByCase(ctx, tx, c, ch); err != nil { // a complaint closes only with its outcome
			return err
		}
		if err := tx.UpdateCase(ctx, c); err != nil {
			return err
		}
		if err := s.kpiCase(ctx, tx, c.ID); err != nil { // KPI rollups: resolution, reassignment
			return err
		}
		if err := audit(ctx, tx, "update", "case", c.ID, ch); err != nil {
			return err
		}
		if err := emitCaseUpdated(ctx, tx, c, ch); err != nil {
			return err
		}
		return s.clocksAfterUpdate(ctx, tx, c, ch)
	})
	return c, err
}

// startCaseClocks records a new case's receipt and starts the clocks that
// count from it: its regimes' and the SLA policy's.
func (s *Service) startCaseClocks(ctx context.Context, tx *store.Tx, c *care.Case) error {
	if _, _, err := tx.RecordCaseEvent(ctx, c.ID, clock.EventReceived, c.ReceivedAt); err != nil {
		return err
	}
	if care.IsClosedStatus(c.Status) {
		return nil // logged after the fact: nothing left to time
	}
	if err := s.startClocksFor(ctx, tx, c, clock.EventReceived, c.ReceivedAt); err != nil {
		return err
	}
	if c.Status == "waiting_customer" {
		return s.pauseClocks(ctx, tx, c)
	}
	return nil
}

// clocksAfterUpdate keeps the clocks in step with a case update: closing
// meets every clock, waiting on the customer pauses the pausable ones, and
// reclassifying as a complaint starts the complaint regimes from the
// original receipt time (regulatory clocks never restart).
func (s *Service) clocksAfterUpdate(ctx context.Context, tx *store.Tx, c *care.Case, ch changes) error {
	if _, ok := ch["regimes"]; ok && !care.IsClosedStatus(c.Status) {
		if err := s.startClocksFor(ctx, tx, c, clock.EventReceived, c.ReceivedAt); err != nil {
			return err
		}
	}
	st, ok := ch["status"]
	if !ok {
		return nil
	}
	switch {
	case care.IsClosedStatus(c.Status):
		return s.meetClocks(ctx, tx, c, tx.Now(), func(*care.Clock) bool { return true })
	case c.Status == "waiting_customer":
		return s.pauseClocks(ctx, tx, c)
	case st[0] == "waiting_customer":
		return s.resumeClocks(ctx, tx, c)
	}
	return nil
}

// mergeProblems folds several validation errors into one that lists every
// field.
func mergeProblems(err error) error {
	var p care.Problems
	var other error
	for _, e := range unjoin(err) {
		fields := care.ErrorFields(e)
		if fields == nil {
			other = e
		}
		for _, f := range fields {
			p.Add(f.Field, "%s", f.Message)
		}
	}
	if other != nil {
		return other
	}
	return p.Err()
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (s *Service) applyCaseUpdate(ctx context.Context, tx *store.Tx, c *care.Case, upd care.CaseUpdate) (changes, error) {
	ch := changes{}
	if upd.TeamID != nil {
		if err := checkTeam(ctx, tx, "team_id", *upd.TeamID); err != nil {
			return nil, err
		}
		ch.note("team_id", c.TeamID, *upd.TeamID)
		c.TeamID = *upd.TeamID
	}
	if upd.AssigneeID != nil {
		if err := checkUser(ctx, tx, "assignee_id", *upd.AssigneeID); err != nil {
			return nil, err
		}
		if c.Type == "complaint" { // a reviewer must not have handled an earlier tier
			if err := independent(ctx, tx, c, c.Tier, *upd.AssigneeID, "assignee_id"); err != nil {
				return nil, err
			}
		}
		ch.note("assignee_id", c.AssigneeID, *upd.AssigneeID)
		c.AssigneeID = *upd.AssigneeID
	}
	if upd.CustomerID != nil || upd.PolicyID != nil {
		if err := linkCaseParties(ctx, tx, c, upd, ch); err != nil {
			return nil, err
		}
	}
	if upd.Status != nil {
		ch.note("status", c.Status, *upd.Status)
		wasClosed := care.IsClosedStatus(c.Status)
		c.Status = *upd.Status
		switch isClosed := care.IsClosedStatus(c.Status); {
		case isClosed && !wasClosed:
			c.ClosedAt = tx.Now()
		case !isClosed && wasClosed:
			c.ClosedAt = time.Time{} // reopened
		}
	}
	if upd.Priority != nil {
		ch.note("priority", c.Priority, *upd.Priority)
		c.Priority = *upd.Priority
	}
	if upd.Subject != nil {
		subject := s.mask(strings.TrimSpace(*upd.Subject))
		ch.note("subject", c.Subject, subject)
		c.Subject = subject
	}
	if upd.Type != nil {
		ch.note("type", c.Type, *upd.Type)
		c.Type = *upd.Type
		if c.Type == "complaint" && len(c.Regimes) == 0 {
			c.Regimes = s.cfg.DefaultRegimes["complaint"]
			ch.note("regimes", "", strings.Join(c.Regimes, ","))
		}
	}
	return ch, nil
}

// linkCaseParties links (or unlinks) the case's customer and policy, with
// the same checks as at creation: both must exist and the policy must be
// the customer's; a policy alone brings its customer.
func linkCaseParties(ctx context.Context, tx *store.Tx, c *care.Case, upd care.CaseUpdate, ch changes) error {
	next := *c
	if upd.CustomerID != nil {
		next.CustomerID = *upd.CustomerID
		if upd.PolicyID == nil && next.CustomerID != c.CustomerID {
			next.PolicyID = 0 // the old policy belonged to the old customer
		}
	}
	if upd.PolicyID != nil {
		next.PolicyID = *upd.PolicyID
		if upd.CustomerID == nil && next.PolicyID != 0 {
			next.CustomerID = 0 // taken from the policy below
		}
	}
	if next.CustomerID == 0 && next.PolicyID == 0 && upd.CustomerID == nil {
		next.CustomerID = c.CustomerID
	}
	if err := checkCaseRefs(ctx, tx, &next); err != nil {
		return err
	}
	ch.note("customer_id", c.CustomerID, next.CustomerID)
	ch.note("policy_id", c.PolicyID, next.PolicyID)
	c.CustomerID, c.PolicyID = next.CustomerID, next.PolicyID
	return nil
}
