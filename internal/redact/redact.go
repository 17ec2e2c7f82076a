// Package redact masks payment card numbers (with their security codes and
// expiry dates), bank account details, IBANs, US social security numbers, UK
// National Insurance numbers, Australian tax file numbers and
// admin-configured patterns in free text, before the text is stored, indexed
// or logged. It is pure and deterministic: no I/O, no clock, no globals that
// change.
//
// A mask keeps the shape readable for the agent ("[card •••• 1111]",
// "[iban redacted]"); the unmasked value never leaves Redact: findings carry
// only the kind and where the mask sits in the output.
package redact

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// Kinds of finding reported by the built-in detectors. Custom patterns report
// their own name as the kind.
const (
	KindCard        = "card"         // payment card number (Luhn-checked, 13–19 digits)
	KindCVV         = "cvv"          // card security code near a card or after "CVV"
	KindExpiry      = "expiry"       // card expiry date near a card
	KindSortCode    = "sort_code"    // UK sort code
	KindBSB         = "bsb"          // Australian bank-state-branch number
	KindBankAccount = "bank_account" // bank account number
	KindIBAN        = "iban"         // IBAN (mod-97 checked)
	KindSSN         = "ssn"          // US social security number
	KindNINO        = "ni_number"    // UK National Insurance number
	KindTFN         = "tfn"          // Australian tax file number (checksum-checked)
)

// Pattern is an admin-configured pattern: text matching the regular
// expression Expr (RE2 syntax) is masked as "[name redacted]", with Name
// lower-cased, and reported with Name as the finding's kind.
type Pattern struct {
	Name, Expr string
}

// Config configures a Redactor beyond the built-in detectors.
type Config struct {
	Custom []Pattern
}

// Finding is one masked value. Start and End are byte offsets of the mask in
// the redacted output; the original value is deliberately not kept.
type Finding struct {
	Kind       string
	Start, End int
}

// Redactor masks sensitive values in text. It is safe for concurrent use.
type Redactor struct {
	custom []customPattern
}

type customPattern struct {
	kind, mask string
	re         *regexp.Regexp
}

// span is a value to mask, in input offsets.
type span struct {
	start, end int
	kind       string
	last4      string // cards only
}

var validName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 _-]{0,39}$`)

// New returns a Redactor with the built-in detectors and cfg's custom
// patterns. A pattern with a bad name or expression, or one that matches
// empty text, is an EINVALID error naming the pattern.
func New(cfg Config) (*Redactor, error) {
	r := &Redactor{}
	seen := map[string]bool{}
	for i, p := range cfg.Custom {
		field := fmt.Sprintf("custom[%d]", i)
		if !validName.MatchString(p.Name) {
			return nil, care.Invalid(field+".name", "redaction pattern name %q must start with a letter and use only letters, digits, spaces, _ or - (at most 40)", p.Name)
		}
		if _, builtin := masks[strings.ToLower(p.Name)]; builtin || strings.EqualFold(p.Name, KindCard) {
			return nil, care.Invalid(field+".name", "redaction pattern %q uses the name of a built-in detector", p.Name)
		}
		if seen[strings.ToLower(p.Name)] {
			return nil, care.Invalid(field+".name", "redaction pattern %q is configured twice", p.Name)
		}
		seen[strings.ToLower(p.Name)] = true
		re, err := regexp.Compile(p.Expr)
		if err != nil {
			return nil, care.Invalid(field+".expr", "redaction pattern %q has an invalid expression: %v", p.Name, err)
		}
		if re.MatchString("") {
			return nil, care.Invalid(field+".expr", "redaction pattern %q matches empty text; it must match at least one character", p.Name)
		}
		r.custom = append(r.custom, customPattern{kind: p.Name, mask: "[" + strings.ToLower(p.Name) + " redacted]", re: re})
	}
	return r, nil
}

// Default returns a Redactor with only the built-in detectors.
func Default() *Redactor { return &Redactor{} }

// Redact returns s with every sensitive value masked, and one finding per
// mask in output order. Overlapping detections are merged into one mask so
// that no fragment of either value survives.
//
// Redact is idempotent: a mask changes what borders its neighbours (a digit
// becomes ']'), which can expose a value that its neighbour hid, so the
// output is scanned again until nothing more is found.
func (r *Redactor) Redact(s string) (string, []Finding) {
	spans := merge(r.find(s))
	out, fs := r.apply(s, spans)
	for pass := 0; pass < 4 && needsRescan(s, spans); pass++ {
		s = out
		if spans = merge(r.find(out)); len(spans) == 0 {
			break
		}
		var next []Finding
		out, next = r.apply(out, spans)
		fs = carry(fs, spans, next)
	}
	return out, fs
}

// needsRescan reports whether masking spans in s can change how a
// neighbour is read: only when a span touches a letter or digit, or is
// joined to one by a single separator, does a detector's boundary check
// ("not glued to a word", "not part of a longer number") look at the span.
// Labels cannot be read through a mask (masks end in ']'), and cards,
// their details and bank accounts are found from the masked values
// themselves, so text further away reads the same after masking.
func needsRescan(s string, spans []span) bool {
	for _, x := range spans {
		before, after := byte(0), byte(0)
		if x.start > 0 {
			before = s[x.start-1]
		}
		if x.end < len(s) {
			after = s[x.end]
		}
		switch {
		case isAlnum(before) || isAlnum(after):
			return true
		case (before == ' ' || before == '\t') && digitAt(s, x.start-2),
			(after == ' ' || after == '\t') && digitAt(s, x.end+1):
			return true
		case (before == '-' || before == '/' || before == '.') && alnumAt(s, x.start-2),
			(after == '-' || after == '/' || after == '.') && alnumAt(s, x.end+1):
			return true
		}
	}
	return false
}

// apply writes s with spans (sorted, disjoint) replaced by their masks.
func (r *Redactor) apply(s string, spans []span) (string, []Finding) {
	if len(spans) == 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s) + 8*len(spans))
	findings := make([]Finding, 0, len(spans))
	prev := 0
	for _, x := range spans {
		b.WriteString(s[prev:x.start])
		start := b.Len()
		b.WriteString(x.mask(r))
		findings = append(findings, Finding{Kind: x.kind, Start: start, End: b.Len()})
		prev = x.end
	}
	b.WriteString(s[prev:])
	return b.String(), findings
}

// carry moves the findings of an earlier pass to the offsets of the output
// of a later pass that replaced spans, dropping those the new masks cover,
// and adds the later pass's findings.
func carry(old []Finding, spans []span, next []Finding) []Finding {
	out := make([]Finding, 0, len(old)+len(next))
	for _, f := range old {
		delta, covered := 0, false
		for k, x := range spans {
			if x.end <= f.Start {
				delta += (next[k].End - next[k].Start) - (x.end - x.start)
			} else if x.start < f.End {
				covered = true
			}
		}
		if !covered {
			out = append(out, Finding{Kind: f.Kind, Start: f.Start + delta, End: f.End + delta})
		}
	}
	out = append(out, next...)
	slices.SortFunc(out, func(a, b Finding) int { return a.Start - b.Start })
	return out
}

// find runs every detector over s and returns unmerged spans.
func (r *Redactor) find(s string) []span {
	var out []span
	if strings.ContainsAny(s, "0123456789") {
		gs := digitGroups(s)
		var cards []int
		out, cards = findCards(s, gs, out)
		out = findCardDetails(s, gs, cards, out)
		out = findBank(s, gs, out)
		out = findIBANs(s, gs, out)
		out = findNational(s, gs, out)
	}
	for _, c := range r.custom {
		for _, m := range c.re.FindAllStringIndex(s, -1) {
			if m[1] > m[0] {
				out = append(out, span{start: m[0], end: m[1], kind: c.kind})
			}
		}
	}
	return out
}

// merge sorts spans and joins overlapping ones; the first keeps its kind.
func merge(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	out := spans[:1]
	for _, x := range spans[1:] {
		cur := &out[len(out)-1]
		if x.start < cur.end {
			cur.end = max(cur.end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

var masks = map[string]string{
	KindCVV:         "[cvv redacted]",
	KindExpiry:      "[expiry redacted]",
	KindSortCode:    "[sort code redacted]",
	KindBSB:         "[bsb redacted]",
	KindBankAccount: "[account number redacted]",
	KindIBAN:        "[iban redacted]",
	KindSSN:         "[ssn redacted]",
	KindNINO:        "[ni number redacted]",
	KindTFN:         "[tfn redacted]",
}

// mask is the replacement text: the last four digits of a card (which PCI
// DSS allows to be shown) and otherwise only the kind.
func (x span) mask(r *Redactor) string {
	if x.kind == KindCard {
		return "[card •••• " + x.last4 + "]"
	}
	if m, ok := masks[x.kind]; ok {
		return m
	}
	for _, c := range r.custom {
		if c.kind == x.kind {
			return c.mask
		}
	}
	return "[redacted]"
}
