package service

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

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
	ClaimNumber    string // a claim's number ("" for other cases)
	ClaimStage     string // the claim's stage, in the policyholder's words
	ClaimStep      int    // the claim's stage, 1-based, of ClaimSteps
	ClaimSteps     int
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

// findPortalCase finds a case by reference and checks the second factor:
// the email address of its customer or its policy number. Every failure is
// the same errPortalNoMatch.
func findPortalCase(ctx context.Context, tx *store.Tx, reference, factor string) (*care.Case, string, error) {
	reference, factor = strings.ToUpper(strings.TrimSpace(reference)), strings.TrimSpace(factor)
	if !(care.LooksLikeReference(reference) || care.LooksLikeClaimNumber(reference)) || factor == "" || len(factor) > 254 {
		return nil, "", errPortalNoMatch
	}
	c, err := findCaseOrClaim(ctx, tx, reference)
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
	v := &PublicCaseView{Reference: c.Reference, Kind: c.Type, Status: statusWords(c.Status), Open: open,
		WaitingOnYou: c.Status == "waiting_customer", ReceivedAt: c.ReceivedAt, Zone: zone, Next: next,
		CanAddDocument: open}
	return v, claimPublicView(ctx, tx, c, v)
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
