package letters

import (
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
)

// Every built-in template parses, defines every block its kind must
// contain, and renders a complete letter from complete data.
func TestDefaultsPassTheirOwnCheck(t *testing.T) {
	for _, regime := range care.LetterRegimes {
		for _, kind := range care.LetterKindsFor(regime) {
			subj, body, ok := Default(kind, regime, "en")
			if !ok {
				t.Fatalf("%s/%s: no default", kind, regime)
			}
			tp, err := Parse(subj, body)
			if err != nil {
				t.Fatalf("%s/%s: %v", kind, regime, err)
			}
			mandatory := care.MandatoryBlocks(kind, regime)
			for _, b := range mandatory {
				if !strings.Contains(strings.Join(tp.Blocks(), ","), b) {
					t.Errorf("%s/%s: no block %s in %v", kind, regime, b, tp.Blocks())
				}
			}
			r, err := tp.Render(Sample(), mandatory)
			if err != nil {
				t.Fatalf("%s/%s: %v", kind, regime, err)
			}
			if !r.OK() || strings.Contains(r.Text, "\x01") || !strings.Contains(r.Subject, "CD-2026-000001") {
				t.Errorf("%s/%s: problems %v, subject %q", kind, regime, r.Problems, r.Subject)
			}
		}
	}
	if _, _, ok := Default(care.LetterSummaryResolution, "au-asic", "en"); ok {
		t.Error("summary resolution is the FCA's alone")
	}
	if _, _, ok := Default(care.LetterFinalResponse, "uk-fca", "fr"); ok {
		t.Error("no French templates are shipped")
	}
}

// The pre-send check tells a dropped block from one that rendered empty,
// and names each.
func TestRenderRefusesMissingAndEmptyBlocks(t *testing.T) {
	tp, err := Parse("Re {{.Reference}}", `Dear {{.Customer.Name}},
{{block "outcome" .}}{{with .OutcomeText}}{{.}}{{end}}{{end}}
{{if false}}{{block "reasoning" .}}hidden{{end}}{{end}}
{{block "referral_rights" .}}{{with .Referral}}Refer to {{.Name}}{{end}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	d := Sample()
	d.OutcomeText, d.Referral = "", nil
	r, err := tp.Render(d, []string{"outcome", "reasoning", "redress", "referral_rights"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range r.Problems {
		got[p.Field] = p.Message
	}
	want := map[string]string{"blocks.outcome": "is empty", "blocks.reasoning": "is missing",
		"blocks.redress": "is missing", "blocks.referral_rights": "is empty"}
	if len(got) != len(want) {
		t.Fatalf("problems %v, want %v", got, want)
	}
	for f, prefix := range want {
		if !strings.HasPrefix(got[f], prefix) {
			t.Errorf("%s: %q, want %q…", f, got[f], prefix)
		}
	}
	err = r.Err()
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "referral_rights") {
		t.Errorf("err %v", err)
	}
	if strings.Contains(r.Text, "\x01") || strings.Contains(r.Text, "hidden") {
		t.Errorf("text %q", r.Text)
	}
}

func TestParseNamesTheBadField(t *testing.T) {
	_, err := Parse("ok", "{{block \"x\" .}}unclosed")
	if fs := care.ErrorFields(err); len(fs) != 1 || fs[0].Field != "body" {
		t.Fatalf("fields %v", fs)
	}
	tp, err := Parse("{{.Nope}}", "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tp.Render(Sample(), nil); care.ErrorFields(err)[0].Field != "subject" {
		t.Fatalf("err %v", err)
	}
}

func TestPDFKeepsTheText(t *testing.T) {
	b, err := PDF("Example Insurance\n\nDear Alex,\n\nOur decision\nWe have upheld (in full) your complaint.\n\nYours sincerely,\n",
		PDFInfo{Title: "t", Firm: "Example Insurance", Reference: "CD-2026-000001"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatal("not a PDF")
	}
	text := PDFText(b)
	for _, w := range []string{"We have upheld (in full) your complaint.", "Our decision", "CD-2026-000001"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q:\n%s", w, text)
		}
	}
}
