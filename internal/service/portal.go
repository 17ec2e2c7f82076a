package service

import (
	"context"
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
	// ClaimNumber is the claim's number when a claim was matched to the
	// customer's policy and registered at once ("" otherwise).
	ClaimNumber string
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
		var matched *care.Policy // the customer's own policy named on the form
		if in.PolicyNumber != "" {
			pol, err := tx.FindPolicyByNumber(ctx, in.PolicyNumber)
			switch {
			case err == nil && pol.CustomerID == cust.ID:
				c.PolicyID, matched = pol.ID, pol
			case err == nil || care.ErrorCode(err) == care.ENOTFOUND:
				// Not linked, and never said so to the public: staff see it.
				note = " (not matched to this customer's policies; check before relying on it)"
			default:
				return err
			}
		}
		c.Subject, c.Description = s.mask(in.subject()), s.mask(in.portalText(loss, note))
		if in.Kind == "claim" && matched != nil {
			c.Regimes = s.claimRegimes(care.LossTypeForLine(matched.Line))
		}
		if rec, err = s.openPortalCase(ctx, tx, &c, &in, files); err != nil {
			return err
		}
		if in.Kind == "claim" && matched != nil { // a claim record, with its number (claims.go)
			if rec.ClaimNumber, err = s.portalClaim(ctx, tx, &c, matched, &in, loss); err != nil {
				return err
			}
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
// vulnerability disclosed, its documents and clocks, and for a complaint
// its complaint record, inside tx.
func (s *Service) openPortalCase(ctx context.Context, tx *store.Tx, c *care.Case, in *PortalSubmission, files []prepared) (*PortalReceipt, error) {
	c.Normalize()
	if err := joinProblems(c.Validate(tx.Now()), checkRegimes(c.Regimes)); err != nil {
		return nil, err
	}
	first := &care.Interaction{Channel: "web", Direction: "inbound", Subject: c.Subject, Body: c.Description,
		OfferedAt: c.ReceivedAt}
	if in.Key != "" {
		first.ExternalID = "portal:" + in.Key
	}
	if err := s.openCase(ctx, tx, c, first, "portal"); err != nil {
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
	// The on-screen confirmation and the email are the customer's written
	// acknowledgement, so the acknowledge milestones are met now.
	if err := s.recordCaseEvent(ctx, tx, c, clock.EventAcknowledged, tx.Now()); err != nil {
		return nil, err
	}
	if c.Type == "complaint" {
		if err := portalComplaint(ctx, tx, c, in); err != nil {
			return nil, err
		}
	}
	next, err := s.portalNext(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	return &PortalReceipt{Reference: c.Reference, Kind: c.Type, ReceivedAt: c.ReceivedAt, Next: next, Documents: len(files)}, nil
}

// portalComplaint creates a complaint's ISO 10002 record, acknowledged
// (the portal acknowledges on receipt), with any vulnerability the
// complainant disclosed, as CreateComplaint does for staff.
func portalComplaint(ctx context.Context, tx *store.Tx, c *care.Case, in *PortalSubmission) error {
	k, err := ensureComplaint(ctx, tx, c)
	if err != nil {
		return err
	}
	if in.Vulnerable {
		k.Vulnerable, k.VulnerabilityNote = true, in.VulnerabilityNote
		if err := tx.UpdateComplaint(ctx, k); err != nil {
			return err
		}
	}
	return audit(ctx, tx, "create", "complaint", c.ID, intakeDetail(k))
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
