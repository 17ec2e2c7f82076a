package service

import (
	"context"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/store"
)

// PolicyJobReport says what one pass of the policy job did.
type PolicyJobReport struct {
	Opened  int // renewals that came within the reminder window
	Sent    int // reminders recorded (mail queued, or noted as unsendable)
	Lapsed  int // policies lapsed because their term ended undecided
	Stopped int // renewal sequences stopped (renewed, cancelled or moved on)
	Missed  int // instalments marked missed
}

// RemindPolicies runs one pass of the policy servicing job: it opens the
// renewal of every policy in force ending within 14 days, sends each open
// renewal the reminder whose day has come (14 days before the end of
// cover, 7 days, and a final notice 2 days before) through the outbox,
// lapses a policy whose cover ended with no renewal, and marks unpaid
// instalments past their due date missed, telling the customer.
//
// Each reminder is sent at most once however many processes run the job:
// each renewal is handled in a transaction that first locks its policy,
// re-reads the renewal and writes it only if its next reminder time is
// unchanged, and the reminder's (renewal, kind) key is unique. A renewal
// whose policy was renewed or cancelled has its sequence stopped.
func (s *Service) RemindPolicies(ctx context.Context, batch int) (PolicyJobReport, error) {
	ctx = care.NewContextWithActor(ctx, care.SystemActor("job"))
	var rep PolicyJobReport
	if batch <= 0 {
		batch = 200
	}
	for {
		var opened, marked int64
		err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
			opened, marked, err = tx.OpenDueRenewals(ctx, care.DateOf(tx.Now()).AddDate(0, 0, care.ReminderWindow), batch)
			return err
		})
		rep.Opened += int(opened)
		if err != nil {
			return rep, err
		}
		if marked < int64(batch) || ctx.Err() != nil {
			break
		}
	}
	if err := s.remindDue(ctx, batch, &rep); err != nil {
		return rep, err
	}
	return rep, s.missInstalments(ctx, batch, &rep)
}

func (s *Service) remindDue(ctx context.Context, batch int, rep *PolicyJobReport) error {
	for ctx.Err() == nil {
		var due []*care.PolicyRenewal
		if err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
			due, err = tx.FindDueRenewals(ctx, batch)
			return err
		}); err != nil {
			return err
		}
		for _, r := range due {
			if err := s.store.Write(ctx, func(tx *store.Tx) error { return s.remindOne(ctx, tx, r, rep) }); err != nil {
				return fmt.Errorf("renewal %d of policy %d: %w", r.ID, r.PolicyID, err)
			}
		}
		if len(due) < batch {
			return nil
		}
	}
	return ctx.Err()
}

// remindOne moves one renewal's sequence on, inside tx.
func (s *Service) remindOne(ctx context.Context, tx *store.Tx, seen *care.PolicyRenewal, rep *PolicyJobReport) error {
	p, err := tx.LockPolicy(ctx, seen.PolicyID)
	if err != nil {
		return err
	}
	r, err := tx.FindRenewal(ctx, seen.PolicyID, seen.TermEnd)
	if err != nil {
		return err
	}
	now := tx.Now()
	if r.NextReminderAt.IsZero() || r.NextReminderAt.After(now) {
		return nil // another process moved it on
	}
	expect := r.NextReminderAt
	if r.Outcome != "" || !care.PolicyActive(p.Status) || !p.End.Equal(r.TermEnd) {
		r.NextReminderAt = time.Time{}
		rep.Stopped++
		_, err := tx.UpdateRenewal(ctx, r, expect)
		return err
	}
	sent, err := tx.RemindersSent(ctx, r.ID)
	if err != nil {
		return err
	}
	kind, next := care.ReminderDue(now, r.TermEnd, sent)
	if kind == care.ReminderLapse {
		err := s.transition(ctx, tx, p, PolicyTransition{To: "lapsed", Reason: "not renewed by the end of cover on " +
			r.TermEnd.Format(time.DateOnly)})
		if err != nil {
			return err
		}
		rep.Lapsed++
		note := ""
		if now.Sub(r.TermEnd) > lapseNoticeWithin {
			// A policy loaded long after its cover ended (an import, a job
			// that did not run) lapses without a letter out of the blue.
			note = "not sent: cover ended on " + r.TermEnd.Format(time.DateOnly) + ", too long ago for a lapse notice"
		}
		return s.sendReminder(ctx, tx, p, r, kind, note, rep)
	}
	if kind != "" {
		if err := s.sendReminder(ctx, tx, p, r, kind, "", rep); err != nil {
			return err
		}
	}
	r.NextReminderAt = next
	ok, err := tx.UpdateRenewal(ctx, r, expect)
	return orConflict(err, ok, "renewal reminder raced")
}

// lapseNoticeWithin is how long after the end of cover a lapse notice is
// still sent.
const lapseNoticeWithin = 8 * 24 * time.Hour

// sendReminder records a reminder of kind for r and queues its email to
// the policyholder, unless note says why it is not sent; without an email
// address it is recorded as not sent, so staff see it on the policy page
// and can phone instead.
func (s *Service) sendReminder(ctx context.Context, tx *store.Tx, p *care.Policy, r *care.PolicyRenewal, kind, note string, rep *PolicyJobReport) error {
	c, err := tx.FindCustomerByID(ctx, p.CustomerID)
	if err != nil {
		return err
	}
	m := &care.PolicyReminder{RenewalID: r.ID, PolicyID: p.ID, Kind: kind, To: c.Email, Note: note}
	if c.Email == "" {
		m.Note = "not sent: the customer has no email address"
	}
	if ok, err := tx.CreateReminder(ctx, m); err != nil || !ok {
		return err // !ok: this reminder was recorded before
	}
	rep.Sent++
	detail := map[string]any{"number": p.Number, "kind": kind, "term_end": r.TermEnd.Format(time.DateOnly)}
	if m.Note == "" {
		premium := ""
		if r.PremiumMinor > 0 {
			premium = p.Currency + " " + care.FormatMoney(r.PremiumMinor)
		}
		subject, body := mail.RenewalReminder(mail.RenewalData{Name: c.Name, Number: p.Number, Line: lineLabel(p.Line),
			EndDate: r.TermEnd.Format("Mon 2 January 2006"), DaysLeft: care.PolicyDaysLeft(&care.Policy{End: r.TermEnd}, tx.Now()),
			Premium: premium, Kind: kind})
		out := &store.OutboundMail{MessageID: newMessageID(), To: c.Email, Subject: subject, Body: body,
			Kind: "policy.renewal_" + kind}
		if err := tx.EnqueueMail(ctx, out); err != nil {
			return err
		}
		if err := tx.SetReminderMail(ctx, m.ID, out.ID); err != nil {
			return err
		}
		detail["mail_id"] = out.ID
	}
	return audit(ctx, tx, "remind", "policy", p.ID, detail)
}

// lineLabel writes a line of business for a letter ("income_protection" →
// "income protection").
func lineLabel(line string) string {
	out := []byte(line)
	for i, b := range out {
		if b == '_' {
			out[i] = ' '
		}
	}
	return string(out)
}

// missInstalments marks every instalment unpaid after its due date missed
// and tells the customer, once per instalment.
func (s *Service) missInstalments(ctx context.Context, batch int, rep *PolicyJobReport) error {
	for ctx.Err() == nil {
		var due []*care.Instalment
		if err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
			due, err = tx.FindOverdueInstalments(ctx, care.DateOf(tx.Now()), batch)
			return err
		}); err != nil {
			return err
		}
		for _, it := range due {
			if err := s.store.Write(ctx, func(tx *store.Tx) error { return s.missOne(ctx, tx, it, rep) }); err != nil {
				return fmt.Errorf("instalment %d of policy %d: %w", it.ID, it.PolicyID, err)
			}
		}
		if len(due) < batch {
			return nil
		}
	}
	return ctx.Err()
}

func (s *Service) missOne(ctx context.Context, tx *store.Tx, it *care.Instalment, rep *PolicyJobReport) error {
	ok, err := tx.MissInstalment(ctx, it.ID)
	if err != nil || !ok {
		return err // !ok: paid meanwhile, or another process marked it
	}
	rep.Missed++
	p, err := tx.FindPolicyByID(ctx, it.PolicyID)
	if err != nil {
		return err
	}
	c, err := tx.FindCustomerByID(ctx, p.CustomerID)
	if err != nil {
		return err
	}
	detail := map[string]any{"number": p.Number, "instalment": it.Seq, "due": it.DueDate.Format(time.DateOnly),
		"amount_minor": it.AmountMinor}
	if c.Email != "" && care.PolicyActive(p.Status) {
		subject, body := mail.MissedPayment(mail.MissedPaymentData{Name: c.Name, Number: p.Number, Seq: it.Seq,
			DueDate: it.DueDate.Format("Mon 2 January 2006"), Amount: p.Currency + " " + care.FormatMoney(it.AmountMinor)})
		out := &store.OutboundMail{MessageID: newMessageID(), To: c.Email, Subject: subject, Body: body, Kind: "policy.missed_payment"}
		if err := tx.EnqueueMail(ctx, out); err != nil {
			return err
		}
		detail["mail_id"] = out.ID
	}
	return audit(ctx, tx, "missed_payment", "policy", p.ID, detail)
}

// FindPolicyReminders returns the renewal reminders sent for a policy,
// newest first.
func (s *Service) FindPolicyReminders(ctx context.Context, key string) ([]*care.PolicyReminder, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	var out []*care.PolicyReminder
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		p, err := findPolicy(ctx, tx, key)
		if err != nil {
			return err
		}
		if out, err = tx.FindReminders(ctx, p.ID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "policy_reminder", "", map[string]any{"policy_id": p.ID})
	})
	return out, err
}

// FindOpenRenewals returns the renewals still undecided whose term ends
// within days days (past ends included: those the job has yet to lapse),
// soonest first, with the last reminder sent: the renewals desk's list.
// The read is audited.
func (s *Service) FindOpenRenewals(ctx context.Context, days, limit int) ([]*store.OpenRenewal, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermPolicyRead); err != nil {
		return nil, err
	}
	if days < 0 || days > 366 {
		return nil, care.Invalid("within", "must be from 0 to 366 days")
	}
	var out []*store.OpenRenewal
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if out, err = tx.FindOpenRenewals(ctx, care.DateOf(tx.Now()).AddDate(0, 0, days), limit); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "policy", "", map[string]any{"renewals": true,
			"ids": ids(out, func(o *store.OpenRenewal) int64 { return o.Renewal.PolicyID })})
	})
	return out, err
}
