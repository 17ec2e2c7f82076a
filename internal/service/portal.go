package service

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// Limits on what the public portal accepts in one request.
const (
	PortalMaxFiles     = 5        // documents per submission or upload
	PortalMaxFileBytes = 10 << 20 // bytes per document
)

// PortalKinds are what a policyholder may submit on the portal, each mapped
// to the case type it opens.
var PortalKinds = map[string]string{"complaint": "complaint", "claim": "claim", "enquiry": "enquiry"}

// PortalSubmission is what a member of the public sent through the portal.
// It is untrusted: every field is validated, and all text is redacted
// before it is stored.
type PortalSubmission struct {
	Kind              string // "complaint", "claim" or "enquiry"
	Name              string
	Email             string
	Phone             string // optional
	PolicyNumber      string // optional, except for a claim
	Summary           string // optional short summary; the subject is derived from the description when blank
	Description       string
	LossDate          string // claim: YYYY-MM-DD, in the firm's time zone
	LossTime          string // claim: HH:MM, optional
	LossPlace         string // claim
	Vulnerable        bool   // the customer told us of circumstances that need care
	VulnerabilityNote string
	Consent           bool
	Files             []NewAttachment
	// Key identifies the form the portal served (random, at most 64 of
	// A–Z a–z 0–9 - _). A second submission with the same key, a double
	// click or a refresh of the confirmation, returns the first receipt
	// instead of opening another case. Optional.
	Key string
}

// PortalReceipt is what the portal may show the submitter: the reference
// and what happens next. It carries nothing the submitter did not send.
type PortalReceipt struct {
	Reference  string
	Kind       string
	ReceivedAt time.Time
	Email      string
	Next       *PortalMilestone // the next date we owe them something; nil when none runs
	Documents  int
	Repeat     bool // the same form was sent before: this is the first one's receipt
}

// PortalMilestone is a promise to the customer in plain words.
type PortalMilestone struct {
	Name  string    // the clock's milestone, e.g. "final_response"
	Text  string    // e.g. "We will send our final response by"
	Due   time.Time // the deadline
	Zone  string    // IANA time zone in which Due is a date
	Final bool      // the regulatory final response (a complaint)
}

// DueDate formats the deadline as a date in its own time zone, such as
// "14 December 2026".
func (m *PortalMilestone) DueDate() string {
	loc, err := time.LoadLocation(m.Zone)
	if err != nil {
		loc = time.UTC
	}
	return m.Due.In(loc).Format("2 January 2006")
}

// PublicCaseView is the minimal public view of a case: never notes, agent
// names, other cases, or anything the customer did not send.
type PublicCaseView struct {
	Reference      string
	Kind           string // case type
	Status         string // in plain words
	Open           bool
	WaitingOnYou   bool
	ReceivedAt     time.Time
	Zone           string // time zone for dates
	Next           *PortalMilestone
	CanAddDocument bool
}

// ReceivedDate formats the receipt time as a date in the firm's time zone.
func (v *PublicCaseView) ReceivedDate() string {
	loc, err := time.LoadLocation(v.Zone)
	if err != nil {
		loc = time.UTC
	}
	return v.ReceivedAt.In(loc).Format("2 January 2006")
}

// errPortalNoMatch is the one answer to a status check that fails for any
// reason, so nobody can learn whether a reference, an email or a policy
// exists.
var errPortalNoMatch = care.Errorf(care.ENOTFOUND,
	"We could not find a request with that reference and those details. Check both and try again.")

// portalActor checks that ctx carries the portal's system actor.
func portalActor(ctx context.Context) error {
	a := care.ActorFromContext(ctx)
	if err := a.Require(care.PermCaseWrite); err != nil {
		return err
	}
	if a.Role != "system" || a.Source != "portal" {
		return care.Errorf(care.EFORBIDDEN, "Only the portal may act as the portal (actor %s).", a)
	}
	return nil
}

// validate normalises the submission and reports every bad field by its
// form name.
func (in *PortalSubmission) validate(now time.Time, loc *time.Location) (time.Time, error) {
	in.Kind = strings.TrimSpace(in.Kind)
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Phone = care.NormalizePhone(in.Phone)
	in.PolicyNumber = strings.ToUpper(strings.TrimSpace(in.PolicyNumber))
	in.Summary = strings.TrimSpace(in.Summary)
	in.Description = strings.TrimSpace(in.Description)
	in.LossPlace = strings.TrimSpace(in.LossPlace)
	in.VulnerabilityNote = strings.TrimSpace(in.VulnerabilityNote)
	var p care.Problems
	if _, ok := PortalKinds[in.Kind]; !ok {
		p.Add("kind", "must be complaint, claim or enquiry")
	}
	p.Required("name", in.Name)
	p.MaxLen("name", in.Name, 200)
	if in.Email == "" {
		p.Add("email", "is required, so that we can reply to you")
	} else {
		care.CheckEmail(&p, "email", in.Email)
	}
	if in.Phone != "" {
		c := care.Customer{Name: "x", Phone: in.Phone}
		for _, f := range care.ErrorFields(c.Validate()) {
			p.Add("phone", "%s", f.Message)
		}
	}
	p.MaxLen("policy_number", in.PolicyNumber, 50)
	p.MaxLen("summary", in.Summary, 150)
	if in.Description == "" {
		p.Add("description", "is required: tell us in your own words")
	}
	p.MaxLen("description", in.Description, 20_000)
	p.MaxLen("vulnerability_note", in.VulnerabilityNote, 2000)
	if !in.Consent {
		p.Add("consent", "must be ticked so that we may use these details to handle your request")
	}
	if len(in.Files) > PortalMaxFiles {
		p.Add("documents", "send at most %d documents at a time", PortalMaxFiles)
	}
	var loss time.Time
	if in.Kind == "claim" {
		if in.PolicyNumber == "" {
			p.Add("policy_number", "is required for a claim")
		}
		p.Required("loss_place", in.LossPlace)
		p.MaxLen("loss_place", in.LossPlace, 300)
		loss = parseLoss(&p, in.LossDate, in.LossTime, now, loc)
	}
	return loss, p.Err()
}

// parseLoss reads the date and optional time of a loss in loc.
func parseLoss(p *care.Problems, date, clockTime string, now time.Time, loc *time.Location) time.Time {
	date, clockTime = strings.TrimSpace(date), strings.TrimSpace(clockTime)
	if date == "" {
		p.Add("loss_date", "is required: when did it happen?")
		return time.Time{}
	}
	var d time.Time
	var err error
	// A browser's date picker sends 2006-01-02; where it has none, people
	// type the date as they write it (day first, as in the UK).
	for _, layout := range []string{time.DateOnly, "2/1/2006", "2-1-2006", "2.1.2006", "2 January 2006", "2 Jan 2006"} {
		if d, err = time.ParseInLocation(layout, date, loc); err == nil {
			break
		}
	}
	if err != nil {
		p.Add("loss_date", "must be a date such as 3/11/2026 or 3 November 2026")
		return time.Time{}
	}
	if clockTime != "" {
		t, err := time.Parse("15:04", clockTime)
		if err != nil {
			p.Add("loss_time", "must be a time such as 14:30")
			return time.Time{}
		}
		d = d.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	switch {
	case d.After(now):
		p.Add("loss_date", "must not be in the future")
	case d.Before(now.AddDate(-10, 0, 0)):
		p.Add("loss_date", "must be within the last ten years")
	}
	return d
}

// portalText builds the case description staff read: the customer's words
// and, for a claim, the first notice of loss in labelled lines.
func (in *PortalSubmission) portalText(loss time.Time, policyNote string) string {
	var b strings.Builder
	if in.Kind == "claim" {
		when := loss.Format("2 January 2006")
		if in.LossTime != "" {
			when = loss.Format("2 January 2006 15:04 MST")
		}
		fmt.Fprintf(&b, "First notice of loss\nPolicy number: %s%s\nDate of loss: %s\nPlace: %s\n\nWhat happened:\n",
			in.PolicyNumber, policyNote, when, in.LossPlace)
	} else if in.PolicyNumber != "" {
		fmt.Fprintf(&b, "Policy number: %s%s\n\n", in.PolicyNumber, policyNote)
	}
	b.WriteString(in.Description)
	if in.Phone != "" {
		fmt.Fprintf(&b, "\n\nPhone: %s", in.Phone)
	}
	return b.String()
}

// subject derives a case subject from the summary or the description's
// first line.
func (in *PortalSubmission) subject() string {
	s := in.Summary
	if s == "" {
		s, _, _ = strings.Cut(in.Description, "\n")
	}
	if r := []rune(strings.TrimSpace(s)); len(r) > 80 {
		s = strings.TrimSpace(string(r[:80])) + "…"
	}
	k := kindWords(in.Kind)
	return strings.ToUpper(k[:1]) + k[1:] + " (portal): " + s
}

// SubmitFromPortal records a complaint, claim or enquiry from the public
// portal: the customer (matched by email, or created), the case with its
// first interaction and running clocks, the documents, and the
// acknowledgement email, all in one transaction, so a refused document or
// any failure leaves nothing behind. The actor must be
// care.SystemActor("portal").
func (s *Service) SubmitFromPortal(ctx context.Context, in PortalSubmission) (*PortalReceipt, error) {
	if err := portalActor(ctx); err != nil {
		return nil, err
	}
	now := s.Now()
	cal, err := calendar.New(s.cfg.Calendar)
	if err != nil {
		return nil, err
	}
	loss, verr := in.validate(now, cal.Location())
	files, ferr := s.preparePortalFiles(in.Files)
	if err := joinProblems(verr, ferr, checkPortalKey(in.Key)); err != nil {
		return nil, err
	}
	if rec, err := s.portalRepeat(ctx, in.Key); rec != nil || err != nil {
		return rec, err
	}
	in.Name, in.Summary, in.LossPlace = s.mask(in.Name), s.mask(in.Summary), s.mask(in.LossPlace)
	in.Description, in.VulnerabilityNote = s.mask(in.Description), s.mask(in.VulnerabilityNote)
	var rec *PortalReceipt
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		cust, err := s.portalCustomer(ctx, tx, &in)
		if err != nil {
			return err
		}
		c := care.Case{Type: PortalKinds[in.Kind], Channel: "web", CustomerID: cust.ID, ReceivedAt: now,
			Regimes: s.cfg.DefaultRegimes[PortalKinds[in.Kind]]}
		note := ""
		if in.PolicyNumber != "" {
			pol, err := tx.FindPolicyByNumber(ctx, in.PolicyNumber)
			switch {
			case err == nil && pol.CustomerID == cust.ID:
				c.PolicyID = pol.ID
			case err == nil || care.ErrorCode(err) == care.ENOTFOUND:
				// Not linked, and never said so to the public: staff see it.
				note = " (not matched to this customer's policies; check before relying on it)"
			default:
				return err
			}
		}
		c.Subject, c.Description = s.mask(in.subject()), s.mask(in.portalText(loss, note))
		if rec, err = s.openPortalCase(ctx, tx, &c, &in, files); err != nil {
			return err
		}
		rec.Email = cust.Email
		return s.queuePortalAck(ctx, tx, &c, cust, rec)
	})
	if care.ErrorCode(err) == care.ECONFLICT && in.Key != "" {
		// The same form, sent twice at once: the other request won.
		if rec, rerr := s.portalRepeat(ctx, in.Key); rec != nil || rerr != nil {
			return rec, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// checkPortalKey refuses a malformed form key.
func checkPortalKey(key string) error {
	if len(key) > 64 || strings.Trim(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return care.Invalid("key", "must be at most 64 letters, digits, - or _")
	}
	return nil
}

// portalRepeat returns the receipt of the case a form with this key
// already opened, or nil when there is none.
func (s *Service) portalRepeat(ctx context.Context, key string) (*PortalReceipt, error) {
	if key == "" {
		return nil, nil
	}
	var rec *PortalReceipt
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := tx.FindCaseByInteractionExternalID(ctx, "portal:"+key)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		cust, err := tx.FindCustomerByID(ctx, c.CustomerID)
		if err != nil {
			return err
		}
		atts, err := tx.FindAttachmentsByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		next, err := s.portalNext(ctx, tx, c)
		if err != nil {
			return err
		}
		rec = &PortalReceipt{Reference: c.Reference, Kind: c.Type, ReceivedAt: c.ReceivedAt, Email: cust.Email,
			Next: next, Documents: len(atts), Repeat: true}
		return audit(ctx, tx, "read", "case", c.ID, map[string]any{"portal_repeat": true})
	})
	return rec, err
}

// joinProblems merges validation errors into one listing every field.
func joinProblems(errs ...error) error {
	var p care.Problems
	for _, err := range errs {
		if err == nil {
			continue
		}
		fields := care.ErrorFields(err)
		if fields == nil {
			return err
		}
		for _, f := range fields {
			p.Add(f.Field, "%s", f.Message)
		}
	}
	return p.Err()
}

// preparePortalFiles checks and redacts every document before the
// transaction, naming the offending document by its position and name.
func (s *Service) preparePortalFiles(in []NewAttachment) ([]prepared, error) {
	var p care.Problems
	var out []prepared
	for i, f := range in {
		field := fmt.Sprintf("documents[%d]", i)
		if len(f.Data) > PortalMaxFileBytes {
			p.Add(field, "%s is larger than %d MiB", care.CleanFilename(f.Filename), PortalMaxFileBytes>>20)
			continue
		}
		a, data, err := s.prepareAttachment(f, "portal")
		if err != nil {
			for _, fe := range care.ErrorFields(err) {
				p.Add(field, "%s: %s", care.CleanFilename(f.Filename), fe.Message)
			}
			if care.ErrorFields(err) == nil {
				return nil, err
			}
			continue
		}
		out = append(out, prepared{a, data})
	}
	return out, p.Err()
}

// prepared is a checked, redacted document ready to store.
type prepared struct {
	a    *care.Attachment
	data []byte
}

// portalCustomer finds the customer by email, or creates one. A match
// never changes the customer's name or contact details (the form is not
// proof of identity), but a disclosed vulnerability is raised on them.
func (s *Service) portalCustomer(ctx context.Context, tx *store.Tx, in *PortalSubmission) (*care.Customer, error) {
	found, _, err := tx.FindCustomers(ctx, care.CustomerFilter{Email: in.Email, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		cust := found[0]
		if in.Vulnerable && !cust.Vulnerable {
			cust.Vulnerable = true
			if err := tx.UpdateCustomer(ctx, cust); err != nil {
				return nil, err
			}
			if err := audit(ctx, tx, "update", "customer", cust.ID, map[string]any{"fields": []string{"vulnerable"},
				"reason": "disclosed on the portal"}); err != nil {
				return nil, err
			}
		}
		return cust, nil
	}
	cust := &care.Customer{Name: in.Name, Email: in.Email, Phone: in.Phone, Vulnerable: in.Vulnerable,
		VulnerabilityNote: in.VulnerabilityNote}
	cust.Normalize()
	if err := cust.Validate(); err != nil {
		return nil, err
	}
	if err := tx.CreateCustomer(ctx, cust); err != nil {
		return nil, err
	}
	return cust, audit(ctx, tx, "create", "customer", cust.ID, map[string]any{"kind": cust.Kind,
		"vulnerable": cust.Vulnerable, "source": "portal"})
}

// openPortalCase creates the case, its first interaction, a note of any
// vulnerability disclosed, its documents and clocks, inside tx. The
// on-screen confirmation that follows is the customer's written
// acknowledgement, so the acknowledgement milestone is met now.
func (s *Service) openPortalCase(ctx context.Context, tx *store.Tx, c *care.Case, in *PortalSubmission, files []prepared) (*PortalReceipt, error) {
	c.Normalize()
	if err := joinProblems(c.Validate(tx.Now()), checkRegimes(c.Regimes)); err != nil {
		return nil, err
	}
	if err := tx.CreateCase(ctx, c); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, "create", "case", c.ID, map[string]any{"reference": c.Reference, "type": c.Type,
		"channel": c.Channel, "received_at": c.ReceivedAt, "customer_id": c.CustomerID, "source": "portal"}); err != nil {
		return nil, err
	}
	// Keep in step with CreateCase, whose transaction this mirrors (it
	// cannot be reused: the customer, documents and acknowledgement must
	// share one transaction with the case).
	if err := emitCaseCreated(ctx, tx, c); err != nil {
		return nil, err
	}
	first := &care.Interaction{CaseID: c.ID, Channel: "web", Direction: "inbound", Subject: c.Subject, Body: c.Description,
		OfferedAt: c.ReceivedAt}
	if in.Key != "" {
		first.ExternalID = "portal:" + in.Key
	}
	if err := createInteraction(ctx, tx, first); err != nil {
		return nil, err
	}
	if in.Vulnerable {
		body := "The customer disclosed circumstances that may need extra care (on the portal)."
		if in.VulnerabilityNote != "" {
			body += "\n\nIn their words: " + in.VulnerabilityNote
		}
		if err := createInteraction(ctx, tx, &care.Interaction{CaseID: c.ID, Channel: "note", Direction: "internal",
			Subject: "Vulnerability disclosed", Body: body, OfferedAt: c.ReceivedAt}); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		f.a.CaseID, f.a.InteractionID = c.ID, first.ID
		if err := s.addAttachment(ctx, tx, f.a, f.data); err != nil {
			return nil, err
		}
	}
	if err := s.startCaseClocks(ctx, tx, c); err != nil {
		return nil, err
	}
	if err := s.portalAcknowledged(ctx, tx, c); err != nil {
		return nil, err
	}
	next, err := s.portalNext(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	return &PortalReceipt{Reference: c.Reference, Kind: c.Type, ReceivedAt: c.ReceivedAt, Next: next, Documents: len(files)}, nil
}

// kindWords names a case type as the customer would.
func kindWords(typ string) string {
	switch typ {
	case "service_request":
		return "request"
	case "enquiry", "claim", "complaint":
		return typ
	}
	return "request"
}

// portalAcknowledged records the acknowledgement the customer sees on
// screen (and receives by email), meeting the acknowledge milestones.
func (s *Service) portalAcknowledged(ctx context.Context, tx *store.Tx, c *care.Case) error {
	at := tx.Now()
	stood, fresh, err := tx.RecordCaseEvent(ctx, c.ID, clock.EventAcknowledged, at)
	if err != nil || !fresh {
		return err
	}
	if err := audit(ctx, tx, "update", "case", c.ID, map[string]any{"event": clock.EventAcknowledged, "at": stood,
		"reason": "acknowledged on screen and by email by the portal"}); err != nil {
		return err
	}
	if err := s.meetClocks(ctx, tx, c, at, named("acknowledge")); err != nil {
		return err
	}
	return s.startClocksFor(ctx, tx, c, clock.EventAcknowledged, stood)
}

// customerMilestones are the clocks whose due time is a promise to the
// customer, best first; SLA targets and internal reviews are not shown.
var customerMilestones = []string{"final_response", "decision", "status_update", "update", "acknowledge"}

// portalNext picks the milestone to tell the customer about: for a
// complaint its final response, otherwise the soonest running promise.
func (s *Service) portalNext(ctx context.Context, tx *store.Tx, c *care.Case) (*PortalMilestone, error) {
	if care.IsClosedStatus(c.Status) {
		return nil, nil
	}
	clocks, err := tx.FindClocksByCase(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var best *care.Clock
	for _, k := range clocks {
		if !k.Active() || k.Regime == care.SLARegime || !slices.Contains(customerMilestones, k.Name) {
			continue
		}
		if best == nil || rank(k) < rank(best) || rank(k) == rank(best) && k.DueAt.Before(best.DueAt) {
			best = k
		}
	}
	if best == nil {
		return nil, nil
	}
	return &PortalMilestone{Name: best.Name, Text: milestoneWords(best.Name), Due: best.DueAt, Zone: best.Zone,
		Final: best.Name == "final_response"}, nil
}

func rank(k *care.Clock) int { return slices.Index(customerMilestones, k.Name) }

func milestoneWords(name string) string {
	switch name {
	case "final_response":
		return "We will send you our final response by"
	case "decision":
		return "We will tell you our decision on your claim by"
	case "status_update", "update":
		return "We will next update you on progress by"
	}
	return "We will be in touch by"
}

// queuePortalAck puts the acknowledgement email in the outbox, inside tx.
func (s *Service) queuePortalAck(ctx context.Context, tx *store.Tx, c *care.Case, cust *care.Customer, rec *PortalReceipt) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\nThank you for contacting us. We have received your %s and its reference is %s.\n"+
		"Please quote it whenever you contact us about it.\n\n", cust.Name, kindWords(c.Type), c.Reference)
	if rec.Next != nil {
		fmt.Fprintf(&b, "%s %s.\n", rec.Next.Text, rec.Next.DueDate())
	}
	if c.Type == "complaint" {
		b.WriteString("If you are unhappy with our final response, or have not had it by then, you may be able to " +
			"refer your complaint to the ombudsman, free of charge; our final response will explain how.\n")
	}
	if rec.Documents > 0 {
		fmt.Fprintf(&b, "We have kept the %d document(s) you sent.\n", rec.Documents)
	}
	b.WriteString("\nYou can check its progress, and send us more documents, on our website with this reference and " +
		"your email address")
	if s.cfg.BaseURL != "" {
		b.WriteString(": " + strings.TrimRight(s.cfg.BaseURL, "/") + "/portal/status")
	}
	b.WriteString(".\n\nThis is an automatic acknowledgement. You can reply to this email to add to your " +
		kindWords(c.Type) + ".\n")
	m := &store.OutboundMail{MessageID: newMessageID(), To: cust.Email,
		Subject: fmt.Sprintf("We have received your %s [%s]", kindWords(c.Type), c.Reference),
		Body:    b.String(), Kind: "portal.acknowledgement", CaseID: c.ID}
	return tx.EnqueueMail(ctx, m)
}

// findPortalCase finds a case by reference and checks the second factor:
// the email address of its customer or its policy number. Every failure is
// the same errPortalNoMatch.
func findPortalCase(ctx context.Context, tx *store.Tx, reference, factor string) (*care.Case, string, error) {
	reference, factor = strings.ToUpper(strings.TrimSpace(reference)), strings.TrimSpace(factor)
	if !care.LooksLikeReference(reference) || factor == "" || len(factor) > 254 {
		return nil, "", errPortalNoMatch
	}
	c, err := tx.FindCaseByReference(ctx, reference)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, "", errPortalNoMatch
	} else if err != nil {
		return nil, "", err
	}
	if c.CustomerID != 0 {
		cust, err := tx.FindCustomerByID(ctx, c.CustomerID)
		if err != nil {
			return nil, "", err
		}
		if cust.Email != "" && equalFold(cust.Email, factor) {
			return c, "email", nil
		}
	}
	if c.PolicyID != 0 {
		pol, err := tx.FindPolicyByID(ctx, c.PolicyID)
		if err != nil {
			return nil, "", err
		}
		if equalFold(pol.Number, factor) {
			return c, "policy", nil
		}
	}
	return nil, "", errPortalNoMatch
}

// equalFold compares case-insensitively in constant time for equal lengths.
func equalFold(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(a)), []byte(strings.ToLower(b))) == 1
}

// PortalCaseStatus returns the public view of a case to whoever knows its
// reference and a second factor (its customer's email or its policy
// number). A wrong reference and a wrong factor get the same answer. Each
// attempt is audited, refused ones too.
func (s *Service) PortalCaseStatus(ctx context.Context, reference, secondFactor string) (*PublicCaseView, error) {
	if err := portalActor(ctx); err != nil {
		return nil, err
	}
	var v *PublicCaseView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, factor, err := findPortalCase(ctx, tx, reference, secondFactor)
		if err != nil {
			return err
		}
		if v, err = s.publicView(ctx, tx, c); err != nil {
			return err
		}
		return audit(ctx, tx, "read", "case", c.ID, map[string]any{"portal_status": true, "factor": factor})
	})
	if errors.Is(err, errPortalNoMatch) {
		s.auditPortalRefusal(ctx, "status", reference)
	}
	return v, err
}

// auditPortalRefusal records a failed status check in a transaction of its
// own (the refused one rolled back), so repeated guessing shows in the
// trail. The reference is kept only when it is well-formed.
func (s *Service) auditPortalRefusal(ctx context.Context, what, reference string) {
	ref := strings.ToUpper(strings.TrimSpace(reference))
	if !care.LooksLikeReference(ref) {
		ref = ""
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		return audit(ctx, tx, "read", "case", "", map[string]any{"portal_" + what: "refused", "reference": ref})
	})
	if err != nil {
		s.log.Error("audit a refused portal check", "err", err)
	}
}

func (s *Service) publicView(ctx context.Context, tx *store.Tx, c *care.Case) (*PublicCaseView, error) {
	next, err := s.portalNext(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	zone := "UTC"
	if cal, err := calendar.New(s.cfg.Calendar); err == nil {
		zone = cal.Location().String()
	}
	open := !care.IsClosedStatus(c.Status)
	return &PublicCaseView{Reference: c.Reference, Kind: c.Type, Status: statusWords(c.Status), Open: open,
		WaitingOnYou: c.Status == "waiting_customer", ReceivedAt: c.ReceivedAt, Zone: zone, Next: next,
		CanAddDocument: open}, nil
}

func statusWords(status string) string {
	switch status {
	case "new":
		return "Received: it is waiting to be picked up by our team"
	case "open":
		return "Being looked at by our team"
	case "waiting_customer":
		return "Waiting for information from you"
	case "waiting_third_party":
		return "Waiting for information from someone else (for example a repairer or another insurer)"
	case "resolved":
		return "Resolved"
	case "closed":
		return "Closed"
	}
	return "Being looked at by our team"
}

// AddPortalDocuments adds documents to an open case for whoever knows its
// reference and second factor, with an inbound contact that tells staff
// (and, on a case waiting for the customer, reopens it). All or none are
// kept. It returns the refreshed public view.
func (s *Service) AddPortalDocuments(ctx context.Context, reference, secondFactor string, files []NewAttachment) (*PublicCaseView, error) {
	if err := portalActor(ctx); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, care.Invalid("documents", "choose at least one document to send")
	}
	if len(files) > PortalMaxFiles {
		return nil, care.Invalid("documents", "send at most %d documents at a time", PortalMaxFiles)
	}
	var v *PublicCaseView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, _, err := findPortalCase(ctx, tx, reference, secondFactor)
		if err != nil {
			return err
		}
		if care.IsClosedStatus(c.Status) {
			return care.Errorf(care.EPRECONDITION, "This request is closed, so it cannot take more documents. "+
				"If you have something new to tell us, start a new request.")
		}
		prep, err := s.preparePortalFiles(files)
		if err != nil {
			return err
		}
		names := make([]string, len(prep))
		for i, f := range prep {
			names[i] = f.a.Filename
		}
		i := &care.Interaction{CaseID: c.ID, Channel: "web", Direction: "inbound", OfferedAt: tx.Now(),
			Subject: "Documents sent on the portal", Body: s.mask("The customer sent: " + strings.Join(names, ", "))}
		if err := createInteraction(ctx, tx, i); err != nil {
			return err
		}
		for _, f := range prep {
			f.a.CaseID, f.a.InteractionID = c.ID, i.ID
			if err := s.addAttachment(ctx, tx, f.a, f.data); err != nil {
				return err
			}
		}
		if err := s.clocksAfterContact(ctx, tx, c, i); err != nil {
			return err
		}
		v, err = s.publicView(ctx, tx, c)
		return err
	})
	if errors.Is(err, errPortalNoMatch) {
		s.auditPortalRefusal(ctx, "upload", reference)
	}
	return v, err
}
