package redact

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/caredesk/caredesk/internal/care"
)

func TestRedactMasks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"card 4111 1111 1111 1111 exp 12/27 cvv 123", "card [card •••• 1111] exp [expiry redacted] cvv [cvv redacted]"},
		{"4111-1111-1111-1111", "[card •••• 1111]"},
		{"my card is 4111 1111 / 1111 1111", "my card is [card •••• 1111]"},
		{"4111.1111.1111.1111 and 4111–1111–1111–1111", "[card •••• 1111] and [card •••• 1111]"},
		{"4111\u00a01111\u00a01111\u00a01111", "[card •••• 1111]"},
		{"sort code 20-00-00 account 55779911", "sort code [sort code redacted] account [account number redacted]"},
		{"BSB 062-000 acc 12345678", "BSB [bsb redacted] acc [account number redacted]"},
		{"IBAN GB82 WEST 1234 5698 7654 32.", "IBAN [iban redacted]."},
		{"SSN 123-45-6789", "SSN [ssn redacted]"},
		{"NI number AB 12 34 56 C", "NI number [ni number redacted]"},
		{"TFN 123 456 782", "TFN [tfn redacted]"},
		// look-alikes that must survive
		{"claim CLM-2026-00123, case CD-2026-000123", "claim CLM-2026-00123, case CD-2026-000123"},
		{"call 07700 900123 on 12/03/2026 about £1,234.56", "call 07700 900123 on 12/03/2026 about £1,234.56"},
		{"4111 1111 1111 1112", "4111 1111 1111 1112"},                           // fails Luhn
		{"SSN 000-12-3456", "SSN 000-12-3456"},                                   // never issued
		{"TFN 123 456 789", "TFN 123 456 789"},                                   // fails the ATO check
		{"IBAN GB82 WEST 1234 5698 7654 33", "IBAN GB82 WEST 1234 5698 7654 33"}, // fails mod 97
		{"my policy expires 12/27", "my policy expires 12/27"},                   // no card: a date
		{"", ""},
	}
	for _, tt := range tests {
		got, _ := Default().Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestFindingsPointAtMasks(t *testing.T) {
	out, fs := Default().Redact("pay 4111111111111111 or IBAN DE89370400440532013000, ssn 123-45-6789")
	kinds := []string{KindCard, KindIBAN, KindSSN}
	if len(fs) != len(kinds) {
		t.Fatalf("findings %v, want kinds %v", fs, kinds)
	}
	for i, f := range fs {
		m := out[f.Start:f.End]
		if f.Kind != kinds[i] || !strings.HasPrefix(m, "[") || !strings.HasSuffix(m, "]") {
			t.Errorf("finding %d = %+v over %q", i, f, m)
		}
	}
}

func TestCustomPatterns(t *testing.T) {
	r, err := New(Config{Custom: []Pattern{{Name: "Medicare", Expr: `\b\d{4} \d{5} \d\b`}}})
	if err != nil {
		t.Fatal(err)
	}
	got, fs := r.Redact("Medicare 2123 45670 1 please")
	if got != "Medicare [medicare redacted] please" || len(fs) != 1 || fs[0].Kind != "Medicare" {
		t.Errorf("got %q %v", got, fs)
	}
}

func TestNewRejectsBadPatterns(t *testing.T) {
	tests := []struct {
		p     Pattern
		field string
	}{
		{Pattern{Name: "policy", Expr: `POL-(\d+`}, "custom[0].expr"},
		{Pattern{Name: "anything", Expr: `x*`}, "custom[0].expr"},
		{Pattern{Name: "", Expr: `x`}, "custom[0].name"},
		{Pattern{Name: "card", Expr: `x`}, "custom[0].name"},
	}
	for _, tt := range tests {
		_, err := New(Config{Custom: []Pattern{tt.p}})
		if care.ErrorCode(err) != care.EINVALID {
			t.Errorf("New(%+v) = %v, want EINVALID", tt.p, err)
			continue
		}
		if f := care.ErrorFields(err); len(f) != 1 || f[0].Field != tt.field || !strings.Contains(f[0].Message, `"`+tt.p.Name+`"`) {
			t.Errorf("New(%+v) fields %+v, want %s naming the pattern", tt.p, f, tt.field)
		}
	}
	_, err := New(Config{Custom: []Pattern{{Name: "a", Expr: "x"}, {Name: "A", Expr: "y"}}})
	if care.ErrorCode(err) != care.EINVALID {
		t.Errorf("duplicate names: %v", err)
	}
}

// FuzzRedact checks the promises that hold for any input: no panic, no
// Luhn-valid 13–19 digit run of the input left in the output, idempotence,
// findings inside the output, valid UTF-8 kept valid.
func FuzzRedact(f *testing.F) {
	for _, l := range loadCorpus(f) {
		f.Add(l.Text)
	}
	f.Add("4111111111111111 12/27 123 4111 1111 1111 1111")
	f.Add("\xff4111111111111111\xc2\xa04111\xc2\xa01111\xc2\xa01111\xc2\xa01111")
	r := Default()
	f.Fuzz(func(t *testing.T, in string) {
		out, fs := r.Redact(in)
		outRuns := map[string]bool{}
		for _, g := range digitGroups(out) {
			outRuns[out[g.start:g.end]] = true
		}
		for _, g := range digitGroups(in) {
			run := in[g.start:g.end]
			if n := len(run); n >= 13 && n <= 19 && luhn([]byte(run)) && outRuns[run] {
				t.Fatalf("card-like run %q survived in %q", run, out)
			}
		}
		if again, _ := r.Redact(out); again != out {
			t.Fatalf("not idempotent:\n in   %q\n once %q\n twice %q", in, out, again)
		}
		for _, x := range fs {
			if x.Start < 0 || x.End > len(out) || x.Start >= x.End || out[x.Start] != '[' || out[x.End-1] != ']' {
				t.Fatalf("finding %+v does not point at a mask in %q", x, out)
			}
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("valid UTF-8 in, invalid out: %q", out)
		}
	})
}
