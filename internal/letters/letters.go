// Package letters renders complaint letters from their templates and checks
// them before they go out: every letter kind has blocks a regulator expects
// it to contain (the final response's referral rights, the holding letter's
// reasons for delay), and a letter lacking one, or whose block rendered
// empty, is refused. Templates are text/template texts with named blocks
// ({{block "outcome" .}}…{{end}}); the result is plain text, typeset as a
// PDF by PDF. The package is pure: no I/O beyond what its caller passes in.
package letters

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/caredesk/caredesk/internal/care"
)

// Data is everything a letter template can use. Text fields are plain
// text; empty ones make the blocks that guard on them ({{with}}) empty.
type Data struct {
	Firm         string
	Date         string // the letter's date, "21 November 2026"
	Customer     Party
	Reference    string // the case reference, CD-2026-000123
	Subject      string // what the complaint is about
	ReceivedOn   string // the day the complaint was first received
	Handler      string // who signs the letter
	Contact      string // who the customer deals with
	RemedySought string
	Outcome      string // upheld, partly_upheld, not_upheld, withdrawn
	OutcomeText  string // the outcome in words
	Reasoning    string
	Redress      []RedressLine
	NoRedressDue bool   // not upheld or withdrawn: nothing to put right
	ResponseDue  string // when the final response is due, if a clock says
	Referral     *care.ReferralContact

	// What the handler filled in (care.LetterFields).
	Reasons       string
	ExpectedDate  string
	TermsReliedOn string
	NextSteps     string
	Resolution    string
	Extra         string
}

// Party is the addressee.
type Party struct {
	Name    string
	Address string
	Email   string
}

// RedressLine is one redress item in words.
type RedressLine struct {
	Kind   string // Compensation, Goodwill payment, Refund
	Amount string // GBP 150.00
	Status string // offered, paid on 3 December 2026, declined
}

// Template is a parsed letter template.
type Template struct {
	subject *template.Template
	body    *template.Template
}

// Parse parses a template's subject and body. Errors name the field.
func Parse(subject, body string) (*Template, error) {
	var p care.Problems
	s, err := template.New("subject").Option("missingkey=error").Parse(subject)
	if err != nil {
		p.Add("subject", "%s", cleanErr(err))
	}
	b, err := template.New("letter").Option("missingkey=error").Parse(body)
	if err != nil {
		p.Add("body", "%s", cleanErr(err))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &Template{subject: s, body: b}, nil
}

func cleanErr(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "template: "), "letter:")
}

// Blocks lists the named blocks the body defines and its main text calls.
func (t *Template) Blocks() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TemplateNode:
			if !seen[n.Name] && t.body.Lookup(n.Name) != nil {
				seen[n.Name] = true
				out = append(out, n.Name)
				if sub := t.body.Lookup(n.Name); sub.Tree != nil {
					walk(sub.Tree.Root)
				}
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	if t.body.Tree != nil {
		walk(t.body.Tree.Root)
	}
	return out
}

// Rendered is a letter rendered from its template.
type Rendered struct {
	Subject string
	Text    string
	// Problems names each mandatory block that is missing from the letter
	// or rendered no text, with why it matters; empty when it may be sent.
	Problems []care.FieldError
}

// OK reports whether the letter passed its pre-send check.
func (r *Rendered) OK() bool { return len(r.Problems) == 0 }

// Err is the pre-send check's refusal, naming every missing block as a
// field "blocks.NAME"; nil when the letter may be sent.
func (r *Rendered) Err() error {
	if r.OK() {
		return nil
	}
	names := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		names[i] = strings.TrimPrefix(p.Field, "blocks.")
	}
	return &care.Error{Code: care.EINVALID, Fields: r.Problems,
		Message: "The letter cannot be sent: it lacks what it must tell the customer (" + strings.Join(names, ", ") + ")."}
}

const markB, markE = "\x01B:", "\x01E:"

var markRe = regexp.MustCompile("\x01[BE]:[A-Za-z0-9_]*\x01")

// Render executes the template on d and checks that every mandatory block
// was rendered with some text. A block never reached (dropped from the
// template, or inside a condition that did not hold) is missing; one that
// rendered only white space is empty.
func (t *Template) Render(d *Data, mandatory []string) (*Rendered, error) {
	body, err := t.body.Clone()
	if err != nil {
		return nil, err
	}
	// Each mandatory block is wrapped in markers, so its output can be found
	// in the letter wherever the template placed it.
	for _, name := range mandatory {
		orig := body.Lookup(name)
		if orig == nil || orig.Tree == nil {
			continue
		}
		if _, err := body.AddParseTree("caredesk_block_"+name, orig.Tree); err != nil {
			return nil, err
		}
		wrap := fmt.Sprintf(`{{%q}}{{template "caredesk_block_%s" .}}{{%q}}`, markB+name+"\x01", name, markE+name+"\x01")
		if _, err := body.New(name).Parse(wrap); err != nil {
			return nil, err
		}
	}
	var out, subj bytes.Buffer
	if err := body.ExecuteTemplate(&out, "letter", d); err != nil {
		return nil, care.Invalid("body", "the template cannot be rendered: %s", cleanErr(err))
	}
	if err := t.subject.Execute(&subj, d); err != nil {
		return nil, care.Invalid("subject", "the subject cannot be rendered: %s", cleanErr(err))
	}
	raw := out.String()
	r := &Rendered{Subject: strings.Join(strings.Fields(subj.String()), " "), Text: tidy(markRe.ReplaceAllString(raw, ""))}
	for _, name := range mandatory {
		switch text, found := blockText(raw, name); {
		case !found:
			r.Problems = append(r.Problems, care.FieldError{Field: "blocks." + name,
				Message: "is missing: the letter must state " + care.BlockLabel(name)})
		case strings.TrimSpace(text) == "":
			r.Problems = append(r.Problems, care.FieldError{Field: "blocks." + name,
				Message: "is empty: the letter must state " + care.BlockLabel(name) + hint(name)})
		}
	}
	return r, nil
}

// hint says which input fills a block that rendered empty.
func hint(block string) string {
	switch block {
	case "outcome", "reasoning":
		return " (record the complaint's outcome first)"
	case "redress":
		return " (record the redress offered, or an outcome of not upheld)"
	case "referral_rights":
		return " (choose the ombudsman or regulator: referral_body)"
	case "reasons", "expected_date", "terms_relied_on", "resolution", "next_steps":
		return " (fill in " + block + ")"
	case "contact":
		return " (fill in contact_name)"
	}
	return ""
}

// blockText returns the text of every rendering of a block, joined, and
// whether it was rendered at all.
func blockText(raw, name string) (string, bool) {
	b, e := markB+name+"\x01", markE+name+"\x01"
	var parts []string
	found := false
	for {
		i := strings.Index(raw, b)
		if i < 0 {
			break
		}
		rest := raw[i+len(b):]
		j := strings.Index(rest, e)
		if j < 0 {
			break
		}
		found = true
		parts = append(parts, markRe.ReplaceAllString(rest[:j], ""))
		raw = rest[j+len(e):]
	}
	return strings.Join(parts, ""), found
}

var blankRun = regexp.MustCompile(`\n{3,}`)

// tidy trims trailing spaces and collapses the blank lines empty optional
// paragraphs leave behind.
func tidy(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(blankRun.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")) + "\n"
}

// Sample is data for checking that a template renders: every field set, as
// an administrator's edit is tried before it is saved.
func Sample() *Data {
	fos := care.ReferralContacts["FOS"]
	return &Data{Firm: "Example Insurance", Date: "21 November 2026",
		Customer:  Party{Name: "Alex Example", Address: "1 High Street\nLondon", Email: "alex@example.com"},
		Reference: "CD-2026-000001", Subject: "Claim handling", ReceivedOn: "2 November 2026", Handler: "Sam Handler",
		Contact: "Sam Handler", RemedySought: "An apology", Outcome: "upheld", OutcomeText: OutcomeText("upheld"),
		Reasoning: "Our reasons.", Redress: []RedressLine{{Kind: "Compensation", Amount: "GBP 150.00", Status: "offered"}},
		ResponseDue: "28 December 2026", Referral: &fos, Reasons: "We are waiting for a report.",
		ExpectedDate: "15 December 2026", TermsReliedOn: "Section 4 of your policy.", NextSteps: "Reply to accept.",
		Resolution: "We corrected your policy.", Extra: "A further note."}
}

// OutcomeText says an outcome in a sentence.
func OutcomeText(outcome string) string {
	switch outcome {
	case "upheld":
		return "We have upheld your complaint."
	case "partly_upheld":
		return "We have upheld your complaint in part."
	case "not_upheld":
		return "We have not upheld your complaint."
	case "withdrawn":
		return "You told us you wish to withdraw your complaint, so we have closed it."
	}
	return ""
}
