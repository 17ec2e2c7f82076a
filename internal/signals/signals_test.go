package signals

import (
	"strings"
	"testing"
)

func TestScoreCases(t *testing.T) {
	tests := []struct {
		text      string
		complaint bool
		signal    string // a reason that must be present ("" for none required)
		evidence  string
	}{
		{"I want to make a formal complaint.", true, SignalComplaint, "formal complaint"},
		{"I am extremely disappointed with the delay.", true, SignalDissatisfaction, "extremely disappointed"},
		{"I'm not happy with the settlement.", true, SignalDissatisfaction, "not happy"},
		{"I'm going to the ombudsman.", true, SignalOmbudsman, "ombudsman"},
		{"I'll be reporting you to the FCA.", true, SignalRegulator, "FCA"},
		{"This is the third time I've called.", true, SignalRepeat, "third time"},
		{"Thanks for nothing.", true, SignalSarcasm, "Thanks for nothing"},
		{"Great, you've lost my documents again.", true, SignalSarcasm, "Great"},
		{"I want compensation for the damage your contractor did.", true, SignalRemedy, "compensation"},
		{"I'm not going to complain, the agent was lovely.", false, "", ""},
		{"This is not a complaint, just a question about my excess.", false, SignalNotComplaint, "not a complaint"},
		{"I'm so angry, someone hit my parked car. How do I claim?", false, "", ""},
		{"Can I change my direct debit date?", false, "", ""},
		{"Thank you so much, the claim was sorted quickly.", false, SignalPraise, "Thank you so much"},
		{"", false, "", ""},
	}
	for _, tt := range tests {
		res := Score(Input{Text: tt.text})
		if res.Complaint != tt.complaint {
			t.Errorf("Score(%q) complaint = %v (score %.3f, %v), want %v", tt.text, res.Complaint, res.Score, res.Reasons, tt.complaint)
		}
		if tt.signal != "" && !hasReason(res, tt.signal, tt.evidence) {
			t.Errorf("Score(%q) reasons %v, want %s %q", tt.text, res.Reasons, tt.signal, tt.evidence)
		}
	}
}

func hasReason(res Result, signal, evidence string) bool {
	for _, r := range res.Reasons {
		if r.Signal == signal && r.Evidence == evidence {
			return true
		}
	}
	return false
}

func TestPriorContacts(t *testing.T) {
	text := "Any update on my claim please?"
	if Score(Input{Text: text}).Complaint || Score(Input{Text: text, PriorContacts: 2}).Complaint {
		t.Error("a polite chase with up to two prior contacts is not a complaint by itself")
	}
	res := Score(Input{Text: text, PriorContacts: 4})
	if !res.Complaint || !hasReason(res, SignalRepeat, "4 earlier contacts on this matter in 30 days") {
		t.Errorf("four prior contacts: %+v", res)
	}
	if a, b := Score(Input{Text: "Still waiting.", PriorContacts: 1}), Score(Input{Text: "Still waiting."}); a.Score <= b.Score {
		t.Errorf("prior contacts should raise the score: %v <= %v", a.Score, b.Score)
	}
}

func TestReasonsAreCapped(t *testing.T) {
	res := Score(Input{Text: strings.Repeat("Unacceptable. Still waiting. ", 100)})
	if len(res.Reasons) != MaxReasons || !res.Complaint {
		t.Errorf("got %d reasons, complaint %v; want %d and true", len(res.Reasons), res.Complaint, MaxReasons)
	}
}

func TestScoreIsStable(t *testing.T) {
	text := "Oh brilliant, lost my documents AGAIN. Third time I've sent them. Not happy and I want compensation!"
	first := Score(Input{Text: text})
	for range 20 {
		if got := Score(Input{Text: text}); !equal(got, first) {
			t.Fatalf("Score is not deterministic: %+v vs %+v", got, first)
		}
	}
	for i := 1; i < len(first.Reasons); i++ {
		if abs(first.Reasons[i].Weight) > abs(first.Reasons[i-1].Weight) {
			t.Errorf("reasons not ordered by weight: %v", first.Reasons)
		}
	}
}

func equal(a, b Result) bool {
	if a.Complaint != b.Complaint || a.Score != b.Score || len(a.Reasons) != len(b.Reasons) {
		return false
	}
	for i := range a.Reasons {
		if a.Reasons[i] != b.Reasons[i] {
			return false
		}
	}
	return true
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestLexiconParses(t *testing.T) {
	if len(lexicon) < 100 {
		t.Fatalf("lexicon has %d first words", len(lexicon))
	}
	known := map[string]bool{SignalComplaint: true, SignalDissatisfaction: true, SignalRemedy: true, SignalEscalation: true,
		SignalLeave: true, SignalOmbudsman: true, SignalRegulator: true, SignalLegal: true, SignalMedia: true,
		SignalRepeat: true, SignalSarcasm: true, SignalPraise: true, SignalNotComplaint: true, "-": true}
	for _, list := range lexicon {
		for _, e := range list {
			if !known[e.signal] {
				t.Errorf("entry %v has unknown signal %q", e.words, e.signal)
			}
			if (e.signal == SignalPraise || e.signal == SignalNotComplaint) != (e.weight < 0) && e.signal != "-" {
				t.Errorf("entry %v: only praise and not_complaint may lower the score", e.words)
			}
		}
	}
}

// FuzzScore checks that any input, however malformed, gives a score in
// [0,1] consistent with Complaint, and evidence taken from the input.
func FuzzScore(f *testing.F) {
	for _, m := range loadMessages(f) {
		f.Add(m.Text, 0)
	}
	f.Add("\xff\xfe not\u2019 happy\u00a0!!", 3)
	f.Fuzz(func(t *testing.T, text string, prior int) {
		res := Score(Input{Text: text, PriorContacts: prior})
		if res.Score < 0 || res.Score > 1 || res.Complaint != (res.Score >= Threshold) {
			t.Fatalf("bad result %+v", res)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, r := range res.Reasons {
			if r.Signal == SignalRepeat && strings.Contains(r.Evidence, "earlier contact") {
				continue
			}
			if !strings.Contains(flat, strings.TrimSuffix(r.Evidence, "…")) {
				t.Fatalf("evidence %q not in input %q", r.Evidence, text)
			}
		}
	})
}

func BenchmarkScoreEmail(b *testing.B) {
	text := "Dear Sir or Madam,\n\nRe: claim CLM-2026-00123\n\nI am writing for the third time about my claim for the escape of water " +
		"at my home on 12 February. Despite sending every document you asked for, twice, nobody has called me back and the " +
		"loss adjuster's report has still not arrived. I was promised a decision within ten working days; it has now been " +
		"seven weeks. My family has been living with a damaged kitchen ceiling and I have had to take unpaid leave to wait " +
		"in for contractors who did not turn up.\n\nI am extremely disappointed with the way this has been handled. I expect " +
		"a full explanation, a decision by the end of this week and compensation for the time I have lost. If I do not " +
		"receive a satisfactory response I will refer the matter to the Financial Ombudsman.\n\nYours faithfully,\nR. Hughes"
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Score(Input{Text: text, PriorContacts: 2})
	}
}
