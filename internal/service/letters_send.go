package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/letters"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/store"
)

// LetterRequest asks for a letter on a complaint: its kind, how it goes
// (email, or post: printed and posted by the firm), and what the handler
// fills in (care.LetterFields). Regime and language default to the
// complaint's regime and English.
type LetterRequest struct {
	Kind     string
	Channel  string
	Regime   string
	Language string
	Fields   map[string]string
}

// LetterDraft is a letter rendered but not sent: what it would say, from
// which template version, and why it could not be sent yet.
type LetterDraft struct {
	Letter         *care.Letter
	Blocks         []string          // the blocks the letter must contain
	Problems       []care.FieldError // the pre-send check's and the channel's problems; empty when it may go
	ReferralBodies []care.ReferralBody
}

// validate checks a request on its own and tidies its fields.
func (r *LetterRequest) validate(sending bool) error {
	var p care.Problems
	r.Kind, r.Channel = strings.TrimSpace(r.Kind), strings.TrimSpace(r.Channel)
	r.Regime, r.Language = strings.TrimSpace(r.Regime), strings.TrimSpace(r.Language)
	p.Required("kind", r.Kind)
	care.LetterKinds.Check(&p, "kind", r.Kind)
	if sending {
		p.Required("channel", r.Channel)
	}
	care.LetterChannels.Check(&p, "channel", r.Channel)
	care.LetterRegimes.Check(&p, "regime", r.Regime)
	if r.Language != "" && !care.ValidLanguage(r.Language) {
		p.Add("language", "must be a language tag such as en, ga or en-AU")
	}
	fields := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(r.Fields)) {
		v := strings.TrimSpace(strings.ReplaceAll(r.Fields[k], "\r\n", "\n"))
		if !slices.Contains(care.LetterFields, k) {
			p.Add("fields."+k, "is not a letter field; the fields are: %s", strings.Join(care.LetterFields, ", "))
			continue
		}
		p.MaxLen("fields."+k, v, 10_000)
		if v != "" {
			fields[k] = v
		}
	}
	if d, ok := fields["expected_date"]; ok {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			p.Add("fields.expected_date", "must be a date, YYYY-MM-DD")
		}
	}
	if b, ok := fields["referral_body"]; ok {
		fields["referral_body"] = strings.ToUpper(b)
	}
	r.Fields = fields
	return p.Err()
}

// letterInput is everything a letter is made from, read inside one
// transaction.
type letterInput struct {
	c        *care.Case
	k        *care.Complaint
	cust     *care.Customer
	tpl      *care.LetterTemplate
	regime   string
	language string
	loc      *time.Location
}

// draftLetter renders a letter for a complaint inside tx and runs the
// pre-send check.
func (s *Service) draftLetter(ctx context.Context, tx *store.Tx, key string, req LetterRequest) (*LetterDraft, *letterInput, error) {
	c, k, err := complaintFor(ctx, tx, key)
	if err != nil {
		return nil, nil, err
	}
	in := &letterInput{c: c, k: k, regime: req.Regime, language: req.Language, loc: time.UTC}
	if in.regime == "" {
		in.regime = care.LetterRegimeFor(c.Regimes)
	}
	if in.language == "" {
		in.language = "en"
	}
	if req.Kind == care.LetterSummaryResolution && in.regime != "uk-fca" {
		return nil, nil, care.Invalid("kind", "the summary resolution communication is for complaints under uk-fca (DISP 1.5); "+
			"complaint %s is under %s", c.Reference, in.regime)
	}
	if in.tpl, err = templateInUse(ctx, tx, req.Kind, in.regime, in.language); err != nil {
		return nil, nil, err
	}
	if c.CustomerID != 0 {
		if in.cust, err = tx.FindCustomerByID(ctx, c.CustomerID); err != nil {
			return nil, nil, err
		}
	}
	data, err := s.letterData(ctx, tx, in, req.Fields)
	if err != nil {
		return nil, nil, err
	}
	tp, err := letters.Parse(in.tpl.Subject, in.tpl.Body)
	if err != nil {
		return nil, nil, err
	}
	mandatory := care.MandatoryBlocks(req.Kind, in.regime)
	r, err := tp.Render(data, mandatory)
	if err != nil {
		return nil, nil, err
	}
	l := &care.Letter{CaseID: c.ID, Kind: req.Kind, Regime: in.regime, Language: in.language, TemplateVersion: in.tpl.Version,
		Subject: r.Subject, Body: r.Text, Fields: req.Fields, Channel: req.Channel}
	d := &LetterDraft{Letter: l, Blocks: mandatory, Problems: r.Problems, ReferralBodies: care.ReferralBodiesFor(c.Regimes)}
	if !strings.Contains(l.Subject, c.Reference) {
		l.Subject += " [" + c.Reference + "]"
	}
	if req.Channel != "" {
		to, problem := letterAddress(in.cust, req.Channel)
		l.To = to
		if problem != "" {
			d.Problems = append(d.Problems, care.FieldError{Field: "channel", Message: problem})
		}
	}
	return d, in, nil
}

// letterAddress is where a letter goes by channel, or why it cannot.
func letterAddress(cust *care.Customer, channel string) (to, problem string) {
	switch {
	case cust == nil:
		return "", "the complaint has no customer to write to; link one first"
	case channel == "email" && cust.Email == "":
		return "", cust.Name + " has no email address on record: send the letter by post"
	case channel == "email":
		return cust.Email, ""
	case cust.Address == "":
		return "", cust.Name + " has no postal address on record: send the letter by email, or record the address"
	}
	return cust.Address, ""
}

// letterData gathers what a template can say about a complaint.
func (s *Service) letterData(ctx context.Context, tx *store.Tx, in *letterInput, fields map[string]string) (*letters.Data, error) {
	c, k := in.c, in.k
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	due := time.Time{}
	for _, ck := range clocks {
		if ck.Zone != "" && in.loc == time.UTC {
			if loc, err := time.LoadLocation(ck.Zone); err == nil {
				in.loc = loc
			}
		}
		if ck.Name == "final_response" && ck.Outstanding() && (due.IsZero() || ck.DueAt.Before(due)) {
			due = ck.DueAt
		}
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(in.loc).Format("2 January 2006")
	}
	signer, err := signerName(ctx, tx)
	if err != nil {
		return nil, err
	}
	d := &letters.Data{Firm: s.firmName(), Date: day(tx.Now()), Reference: c.Reference, Subject: c.Subject,
		ReceivedOn: day(c.ReceivedAt), Handler: signer, Contact: signer, RemedySought: k.RemedySought,
		Outcome: k.Outcome, OutcomeText: letters.OutcomeText(k.Outcome), Reasoning: k.OutcomeReasoning,
		NoRedressDue: k.Outcome == "not_upheld" || k.Outcome == "withdrawn", ResponseDue: day(due)}
	if in.cust != nil {
		d.Customer = letters.Party{Name: in.cust.Name, Address: in.cust.Address, Email: in.cust.Email}
	}
	redress, err := tx.FindRedressByCase(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range redress {
		status := r.Status
		switch r.Status {
		case "declined":
			continue
		case "paid":
			status = "paid on " + day(r.PaidAt)
		}
		d.Redress = append(d.Redress, letters.RedressLine{Kind: redressKindLabel(r.Kind),
			Amount: r.Currency + " " + care.FormatMoney(r.AmountMinor), Status: status})
	}
	code := fields["referral_body"]
	if code == "" {
		code = care.DefaultReferralBody(c.Regimes)
	} else if !slices.ContainsFunc(care.ReferralBodiesFor(c.Regimes), func(b care.ReferralBody) bool { return b.Code == code }) {
		return nil, care.Invalid("fields.referral_body", "must be one of the bodies open to complaint %s: %s", c.Reference,
			strings.Join(bodyCodes(care.ReferralBodiesFor(c.Regimes)), ", "))
	}
	if rc, ok := care.ReferralContacts[code]; ok {
		d.Referral = &rc
	}
	f := func(name string) string { return s.mask(fields[name]) }
	d.Reasons, d.TermsReliedOn, d.NextSteps, d.Resolution, d.Extra = f("reasons"), f("terms_relied_on"), f("next_steps"),
		f("resolution"), f("extra")
	if v := f("contact_name"); v != "" {
		d.Contact = v
	}
	if v := fields["expected_date"]; v != "" {
		t, _ := time.Parse(time.DateOnly, v)
		d.ExpectedDate = t.Format("2 January 2006")
	}
	return d, nil
}

// signerName is the name a letter is signed with: the sender's name as
// staff know it, not the sign-in email the actor may carry.
func signerName(ctx context.Context, tx *store.Tx) (string, error) {
	actor := care.ActorFromContext(ctx)
	if actor.UserID == 0 {
		return actor.Name, nil
	}
	u, err := tx.FindUserByID(ctx, actor.UserID)
	if err != nil {
		return "", err
	}
	if u.Name != "" {
		return u.Name, nil
	}
	return actor.Name, nil
}

func bodyCodes(bs []care.ReferralBody) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Code
	}
	return out
}

func redressKindLabel(kind string) string {
	switch kind {
	case "compensation":
		return "Compensation"
	case "goodwill":
		return "A goodwill payment"
	case "refund":
		return "A refund"
	}
	return kind
}

// firmName is the name letters are signed with.
func (s *Service) firmName() string {
	if s.cfg.FirmName != "" {
		return s.cfg.FirmName
	}
	return "Customer Care"
}

// PreviewLetter renders a letter without sending it, with the pre-send
// check's problems, so the handler sees what is missing before sending.
func (s *Service) PreviewLetter(ctx context.Context, key string, req LetterRequest) (*LetterDraft, error) {
	if err := care.ActorFromContext(ctx).Require(PermComplaintAct); err != nil {
		return nil, err
	}
	if err := req.validate(false); err != nil {
		return nil, err
	}
	var d *LetterDraft
	// A write: a case that became a complaint another way gets its
	// complaint record on first use.
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		d, _, err = s.draftLetter(ctx, tx, key, req)
		return err
	})
	return d, err
}

// FindLetters lists a complaint's letters, oldest first; the read is
// audited.
func (s *Service) FindLetters(ctx context.Context, key string) ([]*care.Letter, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out []*care.Letter
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, key)
		if err != nil {
			return err
		}
		if out, err = tx.FindLetters(ctx, c.ID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "letter", "", map[string]any{"case_id": c.ID,
			"ids": ids(out, func(l *care.Letter) int64 { return l.ID })})
	})
	return out, err
}

// FindLetterPDF returns a sent letter and its PDF; the read is audited.
func (s *Service) FindLetterPDF(ctx context.Context, key string, id int64) (*care.Letter, *care.Attachment, []byte, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermInteractionRead); err != nil {
		return nil, nil, nil, err
	}
	var l *care.Letter
	var a *care.Attachment
	var data []byte
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, key)
		if err != nil {
			return err
		}
		if l, err = tx.FindLetter(ctx, c.ID, id); err != nil {
			return err
		}
		if a, data, err = tx.FindAttachment(ctx, l.AttachmentID); err != nil {
			return err
		}
		return audit(ctx, tx, "read", "attachment", a.ID, map[string]any{"case_id": c.ID, "letter": l.ID})
	})
	return l, a, data, err
}

// SendLetter renders a letter, refuses it when the pre-send check finds a
// mandatory block missing or empty, and otherwise, in one transaction:
// keeps it with the case as a PDF, emails it to the customer with the PDF
// attached (through the outbox, sent after commit) or marks it for post,
// logs it on the case's timeline (which meets the acknowledge and update
// clocks as any reply does), records the letter, and moves the complaint
// on as the letter says: an acknowledgement acknowledges it; a summary
// resolution or final response issues the response, meeting the
// response clocks.
func (s *Service) SendLetter(ctx context.Context, key string, req LetterRequest) (*care.Letter, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(PermComplaintAct); err != nil {
		return nil, err
	}
	if err := actor.Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	if err := req.validate(true); err != nil {
		return nil, err
	}
	var l *care.Letter
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		d, in, err := s.draftLetter(ctx, tx, key, req)
		if err != nil {
			return err
		}
		if err := presend(d); err != nil {
			return err
		}
		l = d.Letter
		return s.dispatchLetter(ctx, tx, in, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// presend is the pre-send check's refusal: every block missing or empty,
// and a channel that cannot reach the customer.
func presend(d *LetterDraft) error {
	if len(d.Problems) == 0 {
		return nil
	}
	var names []string
	for _, p := range d.Problems {
		names = append(names, strings.TrimPrefix(p.Field, "blocks."))
	}
	return &care.Error{Code: care.EINVALID, Fields: d.Problems,
		Message: "The letter cannot be sent: it lacks what it must tell the customer or cannot reach them (" + strings.Join(names, ", ") + ")."}
}

// dispatchLetter keeps, sends and records a checked letter inside tx.
func (s *Service) dispatchLetter(ctx context.Context, tx *store.Tx, in *letterInput, l *care.Letter) error {
	actor := care.ActorFromContext(ctx)
	c, now := in.c, tx.Now()
	i := &care.Interaction{CaseID: c.ID, Channel: l.Channel, Direction: "outbound", AgentID: actor.UserID,
		Subject: l.Subject, Body: l.Body, OfferedAt: now}
	var m *store.OutboundMail
	if l.Channel == "email" {
		refs, lastInbound, err := tx.CaseMailIDs(ctx, c.ID, 20)
		if err != nil {
			return err
		}
		m = &store.OutboundMail{MessageID: newMessageID(), To: l.To, Subject: l.Subject, Kind: "letter", CaseID: c.ID,
			Body: l.Body + "\nA copy of this letter is attached as a PDF.\n", Headers: threadHeaders(lastInbound, refs)}
		i.ExternalID = m.MessageID
	}
	if err := createInteraction(ctx, tx, i); err != nil {
		return err
	}
	pdf, err := letters.PDF(l.Body, letters.PDFInfo{Title: l.Subject, Firm: s.firmName(), Reference: c.Reference, Created: now})
	if err != nil {
		return err
	}
	a, data, err := s.prepareAttachment(NewAttachment{ContentType: "application/pdf", Data: pdf, InteractionID: i.ID,
		Filename: fmt.Sprintf("%s-%s-%s.pdf", c.Reference, strings.ReplaceAll(l.Kind, "_", "-"), now.In(in.loc).Format("2006-01-02"))},
		actor.Source)
	if err != nil {
		return err
	}
	a.CaseID, a.Text = c.ID, l.Body
	if err := s.addAttachment(ctx, tx, a, data); err != nil {
		return err
	}
	signer, err := signerName(ctx, tx)
	if err != nil {
		return err
	}
	l.AttachmentID, l.InteractionID, l.SentBy, l.SentByName = a.ID, i.ID, actor.UserID, signer
	l.Status = care.LetterMarkedForPost
	if m != nil {
		if err := tx.EnqueueMail(ctx, m); err != nil {
			return err
		}
		if err := tx.AttachToMail(ctx, m.ID, a.ID); err != nil {
			return err
		}
		l.MailID, l.Status = m.ID, care.LetterSent
	}
	if err := tx.CreateLetter(ctx, l); err != nil {
		return err
	}
	if err := audit(ctx, tx, "create", "letter", l.ID, map[string]any{"case_id": c.ID, "kind": l.Kind, "regime": l.Regime,
		"language": l.Language, "template_version": l.TemplateVersion, "channel": l.Channel, "status": l.Status,
		"attachment_id": a.ID, "interaction_id": i.ID}); err != nil {
		return err
	}
	if err := emit(ctx, tx, "complaint.letter_sent", map[string]any{"case": caseData(c), "letter": map[string]any{
		"id": l.ID, "kind": l.Kind, "regime": l.Regime, "language": l.Language, "template_version": l.TemplateVersion,
		"channel": l.Channel, "status": l.Status, "attachment_id": a.ID,
		"pdf": "/api/v1/complaints/" + c.Reference + "/letters/" + idString(l.ID) + "/pdf"}}); err != nil {
		return err
	}
	if err := s.clocksAfterContact(ctx, tx, c, i); err != nil {
		return err
	}
	return s.moveByLetter(ctx, tx, in, l)
}

// moveByLetter moves the complaint on as a sent letter says, through the
// same transitions as POST /complaints/{key}/transitions, so the same
// clocks are met and the same independence rule applies.
func (s *Service) moveByLetter(ctx context.Context, tx *store.Tx, in *letterInput, l *care.Letter) error {
	c, k := in.c, in.k
	note := fmt.Sprintf("%s sent (letter %d, %s)", care.LetterKindLabel(l.Kind), l.ID, strings.ReplaceAll(l.Status, "_", " "))
	move := func(to string) error {
		return s.moveStage(ctx, tx, c, k, care.TransitionRequest{To: to, Note: note})
	}
	switch l.Kind {
	case care.LetterAcknowledgement:
		if k.Stage == care.StageReceived {
			return move(care.StageAcknowledged)
		}
	case care.LetterSummaryResolution, care.LetterFinalResponse:
		if k.Stage == care.StageReceived {
			if err := move(care.StageAcknowledged); err != nil {
				return err
			}
		}
		if k.Stage == care.StageAcknowledged || k.Stage == care.StageInvestigating {
			return move(care.StageResponseIssued)
		}
	}
	return nil
}

// attachMailFiles adds the files an outbox message carries (a letter's
// PDF) to the message being sent.
func (s *Service) attachMailFiles(ctx context.Context, m *store.OutboundMail, msg *mail.Message) error {
	return s.store.Read(ctx, func(tx *store.Tx) error {
		files, err := tx.FindMailAttachments(ctx, m.ID)
		for _, f := range files {
			msg.Attachments = append(msg.Attachments, mail.Attachment{Filename: f.Filename, ContentType: f.ContentType, Data: f.Data})
		}
		return err
	})
}
