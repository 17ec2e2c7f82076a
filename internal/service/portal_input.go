package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

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

// checkPortalKey refuses a malformed form key.
func checkPortalKey(key string) error {
	if len(key) > 64 || strings.Trim(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return care.Invalid("key", "must be at most 64 letters, digits, - or _")
	}
	return nil
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
