package care

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Letter kinds: what a complaint letter is for.
const (
	LetterAcknowledgement   = "acknowledgement"
	LetterHolding           = "holding"
	LetterSummaryResolution = "summary_resolution"
	LetterFinalResponse     = "final_response"
)

// LetterKinds are the kinds of complaint letter, in the order a complaint
// meets them.
var LetterKinds = enum{LetterAcknowledgement, LetterHolding, LetterSummaryResolution, LetterFinalResponse}

// LetterRegimes are the regimes letter templates are kept for: the
// complaint regimes, with every US state regime sharing "us", and
// iso10002 as the generic fallback.
var LetterRegimes = enum{"uk-fca", "au-asic", "ie-cpc", "us", "iso10002"}

// LetterChannels are how a letter reaches the customer.
var LetterChannels = enum{"email", "post"}

// Letter statuses: sent by email, or printed and posted by the firm.
const (
	LetterSent          = "sent"
	LetterMarkedForPost = "marked_for_post"
)

// LetterFields are the fields a handler may fill in for a letter, beyond
// what the complaint record already says.
var LetterFields = enum{"reasons", "expected_date", "terms_relied_on", "next_steps", "resolution", "referral_body",
	"contact_name", "extra"}

// LetterKindLabel names a kind for people.
func LetterKindLabel(kind string) string {
	switch kind {
	case LetterAcknowledgement:
		return "Acknowledgement"
	case LetterHolding:
		return "Holding letter"
	case LetterSummaryResolution:
		return "Summary resolution communication"
	case LetterFinalResponse:
		return "Final response"
	}
	return kind
}

// LetterRegimeFor chooses the template regime for a complaint's regimes:
// the first regulatory regime with templates (any US regime counts as
// "us"), else iso10002.
func LetterRegimeFor(regimes []string) string {
	for _, r := range regimes {
		name, _, _ := strings.Cut(r, "/")
		switch {
		case strings.HasPrefix(name, "us-"):
			return "us"
		case name != "iso10002" && LetterRegimes.valid(name):
			return name
		}
	}
	return "iso10002"
}

// LetterKindsFor lists the kinds of letter a regime has templates for: the
// summary resolution communication is the FCA's alone (DISP 1.5).
func LetterKindsFor(regime string) []string {
	if regime == "uk-fca" {
		return slices.Clone(LetterKinds)
	}
	return []string{LetterAcknowledgement, LetterHolding, LetterFinalResponse}
}

// MandatoryBlocks lists the named blocks a letter of kind under regime
// must contain, each rendering some text, before it may be sent. The
// lists follow what each regime requires a letter to tell the customer:
// DISP 1.5.4R and 1.6.2R (FCA), RG 271.56–58 and 271.67 (ASIC), CPC
// 10.9 (Central Bank of Ireland), Cal. Code Regs. tit. 10 § 2695.7 (US),
// ISO 10002 8.3 and 8.8 (generic).
func MandatoryBlocks(kind, regime string) []string {
	switch kind {
	case LetterAcknowledgement:
		return []string{"reference", "contact", "next_steps"}
	case LetterHolding:
		return []string{"reasons", "expected_date", "referral_rights"}
	case LetterSummaryResolution:
		return []string{"resolution", "referral_rights"}
	case LetterFinalResponse:
		return []string{"outcome", "reasoning", "terms_relied_on", "redress", "next_steps", "referral_rights"}
	}
	return nil
}

// BlockLabel says in words what a mandatory block holds.
func BlockLabel(block string) string {
	switch block {
	case "reference":
		return "the complaint's reference and what it is about"
	case "contact":
		return "who is handling the complaint and how to reach them"
	case "next_steps":
		return "what happens next"
	case "reasons":
		return "the reasons for the delay"
	case "expected_date":
		return "when the customer can expect a response"
	case "referral_rights":
		return "the right to refer: the ombudsman's name, contact details and the time limit"
	case "resolution":
		return "how the complaint was resolved"
	case "outcome":
		return "the outcome"
	case "reasoning":
		return "the reasons for the decision"
	case "terms_relied_on":
		return "the policy terms or rules relied on"
	case "redress":
		return "the redress offered (or that none is due)"
	}
	return block
}

// ReferralContact is how a customer reaches an ombudsman or regulator, and
// how long they have to do so. The details are as published by each body
// in 2026; a firm should check them before relying on its letters.
type ReferralContact struct {
	Code      string
	Name      string
	Address   string
	Phone     string
	Email     string
	Website   string
	TimeLimit string // completes "You must refer your complaint …"
	Free      bool   // the service costs the customer nothing
}

// ReferralContacts holds the contact details of every ReferralBodies entry.
var ReferralContacts = map[string]ReferralContact{
	"FOS": {Code: "FOS", Name: "Financial Ombudsman Service", Address: "Exchange Tower, London E14 9SR",
		Phone: "0800 023 4567", Email: "complaint.info@financial-ombudsman.org.uk", Website: "www.financial-ombudsman.org.uk",
		TimeLimit: "within six months of the date of our final response (DISP 2.8.2R)", Free: true},
	"AFCA": {Code: "AFCA", Name: "Australian Financial Complaints Authority", Address: "GPO Box 3, Melbourne VIC 3001",
		Phone: "1800 931 678", Email: "info@afca.org.au", Website: "www.afca.org.au",
		TimeLimit: "within two years of the date of our final response (AFCA Rules B.4.3); other time limits may apply", Free: true},
	"FSPO": {Code: "FSPO", Name: "Financial Services and Pensions Ombudsman", Address: "Lincoln House, Lincoln Place, Dublin 2, D02 VH29",
		Phone: "+353 1 567 7000", Email: "info@fspo.ie", Website: "www.fspo.ie",
		TimeLimit: "within six years of the conduct complained of (Financial Services and Pensions Ombudsman Act 2017, s. 51); longer limits apply to long-term financial services", Free: true},
	"US-CA-CDI": {Code: "US-CA-CDI", Name: "California Department of Insurance, Consumer Communications Bureau",
		Address: "300 South Spring Street, South Tower, Los Angeles, CA 90013", Phone: "1-800-927-4357",
		Website: "www.insurance.ca.gov", TimeLimit: "as soon as you can: the Department sets no deadline, but time limits apply to any claim in court", Free: true},
	"US-NY-DFS": {Code: "US-NY-DFS", Name: "New York State Department of Financial Services, Consumer Assistance Unit",
		Address: "One Commerce Plaza, Albany, NY 12257", Phone: "1-800-342-3736", Website: "www.dfs.ny.gov",
		TimeLimit: "as soon as you can: the Department sets no deadline, but time limits apply to any claim in court", Free: true},
	"US-TX-TDI": {Code: "US-TX-TDI", Name: "Texas Department of Insurance, Consumer Protection",
		Address: "PO Box 12030, Austin, TX 78711-2030", Phone: "1-800-252-3439", Website: "www.tdi.texas.gov",
		TimeLimit: "as soon as you can: the Department sets no deadline, but time limits apply to any claim in court", Free: true},
	"US-FL-DFS": {Code: "US-FL-DFS", Name: "Florida Department of Financial Services, Division of Consumer Services",
		Address: "200 East Gaines Street, Tallahassee, FL 32399", Phone: "1-877-693-5236", Website: "www.myfloridacfo.com",
		TimeLimit: "as soon as you can: the Department sets no deadline, but time limits apply to any claim in court", Free: true},
	"US-IL-DOI": {Code: "US-IL-DOI", Name: "Illinois Department of Insurance, Consumer Services",
		Address: "320 West Washington Street, Springfield, IL 62767", Phone: "1-866-445-5364", Website: "idoi.illinois.gov",
		TimeLimit: "as soon as you can: the Department sets no deadline, but time limits apply to any claim in court", Free: true},
}

// DefaultReferralBody is the body a letter names when the handler names
// none: the regime's own ombudsman, the California department for the
// California claims regime, or "" (the handler must choose) otherwise.
func DefaultReferralBody(regimes []string) string {
	for _, r := range regimes {
		name, _, _ := strings.Cut(r, "/")
		switch name {
		case "uk-fca":
			return "FOS"
		case "au-asic":
			return "AFCA"
		case "ie-cpc":
			return "FSPO"
		case "us-ca-claims":
			return "US-CA-CDI"
		}
	}
	return ""
}

// LetterTemplate is one version of the template of a kind of letter for a
// regime and a language. Editing a template adds a version; the highest
// version is the one in use, and old versions are kept so every sent
// letter can be traced to the text it came from.
type LetterTemplate struct {
	ID         int64 // 0 for a built-in template not yet stored
	Kind       string
	Regime     string
	Language   string
	Version    int
	Subject    string // a text/template for the email subject
	Body       string // a text/template with named blocks
	Mandatory  []string
	Note       string // the editor's reason for the change
	AuthorID   int64  // 0 for the built-in version
	AuthorName string
	CreatedAt  time.Time
}

var languageRe = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)

// ValidLanguage reports whether s is a language tag caredesk keeps
// templates under: "en", "ga", "en-AU".
func ValidLanguage(s string) bool { return languageRe.MatchString(s) }

// CheckTemplateKey reports every invalid part of a template's key.
func CheckTemplateKey(p *Problems, kind, regime, language string) {
	LetterKinds.check(p, "kind", kind)
	LetterRegimes.check(p, "regime", regime)
	if kind == LetterSummaryResolution && regime != "uk-fca" && LetterRegimes.valid(regime) {
		p.Add("kind", "the summary resolution communication is for uk-fca only (DISP 1.5)")
	}
	if !ValidLanguage(language) {
		p.Add("language", "must be a language tag such as en, ga or en-AU")
	}
}

// Letter is a letter sent to a complainant: the text as rendered from its
// template version, how it went, and the PDF kept with the case.
type Letter struct {
	ID              int64
	CaseID          int64
	Kind            string
	Regime          string
	Language        string
	TemplateVersion int
	Subject         string
	Body            string            // the rendered text, as sent
	Fields          map[string]string // what the handler filled in
	Status          string            // LetterSent or LetterMarkedForPost
	Channel         string            // LetterChannels
	To              string            // the email address, or the postal address
	AttachmentID    int64             // the PDF kept with the case
	InteractionID   int64             // the outbound contact on the case's timeline
	MailID          int64             // the outbox message, for email
	SentBy          int64
	SentByName      string
	SentAt          time.Time
}
