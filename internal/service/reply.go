package service

import (
	"context"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// ReplyByEmail sends the customer of a case an email and records it as an
// outbound interaction, in one transaction: the message goes to the mail
// outbox (sent after commit by the mail job, retried until delivered) and
// the reply meets the case's response clocks. It carries In-Reply-To (the
// customer's latest mail) and References (the case's mail so far), so the
// customer's answer threads back into the case. Subject and body are
// redacted like any other stored text.
func (s *Service) ReplyByEmail(ctx context.Context, caseKey, subject, body string) (*care.Case, *care.Interaction, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermInteractionWrite); err != nil {
		return nil, nil, err
	}
	body, subject = s.mask(strings.TrimRight(body, " \t\r\n")), s.mask(subject)
	var p care.Problems
	p.Required("body", body)
	p.MaxLen("body", body, 100_000)
	p.MaxLen("subject", subject, 300)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	var c *care.Case
	var i *care.Interaction
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, caseKey); err != nil {
			return err
		}
		if c.CustomerID == 0 {
			return care.Errorf(care.EPRECONDITION, "Case %s has no customer to reply to; link one first.", c.Reference)
		}
		cust, err := tx.FindCustomerByID(ctx, c.CustomerID)
		if err != nil {
			return err
		}
		if cust.Email == "" {
			return care.Errorf(care.EPRECONDITION, "%s has no email address on record; reply by phone or letter and log the contact.", cust.Name)
		}
		subj := strings.TrimSpace(subject)
		if subj == "" {
			subj = "Re: " + c.Subject
		}
		// The reference in the subject lets the customer's answer find its
		// case again, whatever their mail program does to the headers.
		if !strings.Contains(subj, c.Reference) {
			subj += " [" + c.Reference + "]"
		}
		refs, lastInbound, err := tx.CaseMailIDs(ctx, c.ID, 20)
		if err != nil {
			return err
		}
		m := &store.OutboundMail{MessageID: newMessageID(), To: cust.Email, Subject: subj, Body: body, Kind: mailKindReply,
			CaseID: c.ID, Headers: threadHeaders(lastInbound, refs)}
		if err := tx.EnqueueMail(ctx, m); err != nil {
			return err
		}
		i = &care.Interaction{CaseID: c.ID, Channel: "email", Direction: "outbound", AgentID: actor.UserID,
			Subject: subj, Body: body, OfferedAt: tx.Now(), ExternalID: m.MessageID}
		if err := createInteraction(ctx, tx, i); err != nil {
			return err
		}
		return s.clocksAfterContact(ctx, tx, c, i)
	})
	if err != nil {
		return nil, nil, err
	}
	return c, i, nil
}

// CaseClosure closes a case with its outcome: the final status (resolved or
// closed), a disposition code and what was done, in words.
type CaseClosure struct {
	Status      string
	Disposition string
	Outcome     string
	Version     int64 // when non-zero, the close fails with ECONFLICT unless it matches
}

// CloseCase records the outcome as an internal note with its disposition
// and closes the case, in one transaction; closing meets every clock.
func (s *Service) CloseCase(ctx context.Context, caseKey string, in CaseClosure) (*care.Case, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermCaseWrite); err != nil {
		return nil, err
	}
	if err := actor.Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	var p care.Problems
	if in.Status != "resolved" && in.Status != "closed" {
		p.Add("status", "must be resolved or closed")
	}
	in.Outcome = strings.TrimSpace(in.Outcome)
	p.Required("outcome", in.Outcome)
	p.MaxLen("outcome", in.Outcome, 10_000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if c, err = findCase(ctx, tx, caseKey); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != c.Version {
			return care.Errorf(care.ECONFLICT, "Case %s was changed by someone else (version %d, yours %d); reload it and try again.",
				c.Reference, c.Version, in.Version)
		}
		if care.IsClosedStatus(c.Status) {
			return care.Errorf(care.EPRECONDITION, "Case %s is already %s.", c.Reference, c.Status)
		}
		note := &care.Interaction{CaseID: c.ID, Channel: "note", Direction: "internal", AgentID: actor.UserID,
			Disposition: strings.TrimSpace(in.Disposition), Subject: "Outcome", Body: in.Outcome, OfferedAt: tx.Now()}
		if err := createInteraction(ctx, tx, note); err != nil {
			return err
		}
		ch, err := s.applyCaseUpdate(ctx, tx, c, care.CaseUpdate{Status: &in.Status})
		if err != nil {
			return err
		}
		if err := s.complaintClosedByCase(ctx, tx, c, ch); err != nil { // a complaint closes only with its outcome
			return err
		}
		if err := tx.UpdateCase(ctx, c); err != nil {
			return err
		}
		detail := map[string]any{"disposition": note.Disposition, "outcome_note": note.ID}
		for k, v := range ch {
			detail[k] = v
		}
		if err := audit(ctx, tx, "update", "case", c.ID, detail); err != nil {
			return err
		}
		return s.clocksAfterUpdate(ctx, tx, c, ch)
	})
	return c, err
}
