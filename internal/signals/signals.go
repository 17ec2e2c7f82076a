// Package signals scores inbound text (emails, chat, notes, call
// transcripts) for signs of a complaint, even when the word "complaint" is
// never used: dissatisfaction, demands for a remedy, threats to leave or to
// go to an ombudsman, a regulator, a lawyer or the press, and repeated
// contact about the same matter (ISO 10002 asks that every expression of
// dissatisfaction be recognised as a complaint).
//
// The scorer is a hand-built weighted lexicon with negation ("not happy"),
// intensifiers ("extremely disappointed"), sarcasm ("thanks for nothing",
// praise in a sentence about lost documents) and mitigation ("not your
// fault", "not a complaint"). It is deterministic, needs no model at run
// time and explains itself: every reason names its signal and the phrase
// that triggered it.
package signals

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Threshold is the score at and above which a message is treated as a
// complaint.
const Threshold = 0.5

// bias is the log-odds of a message with no signal at all; a single strong
// signal (the word "complaint", an ombudsman, "unacceptable") crosses the
// threshold on its own, a single weak one ("annoyed", "refund") does not.
// It was chosen on the development part by F2 (recall weighted over
// precision): a missed complaint misses a regulatory clock, a false alarm
// costs a handler a glance.
const bias = -1.3

// Input is one message to score.
type Input struct {
	Text          string
	PriorContacts int // earlier contacts on the same matter in the last 30 days
}

// Reason is one piece of evidence: the signal, the phrase of the input that
// triggered it, and the log-odds weight it added (negative for praise and
// mitigation).
type Reason struct {
	Signal, Evidence string
	Weight           float64
}

// Result is the outcome of Score. Score is in [0,1]; Complaint is
// Score >= Threshold. Reasons are ordered by the size of their weight, at
// most MaxReasons of them; their weights are as found, before each signal's
// total is capped.
type Result struct {
	Complaint bool
	Score     float64
	Reasons   []Reason
}

// MaxReasons is the most reasons a Result lists (the heaviest); the score
// counts them all. A long rant would otherwise list hundreds.
const MaxReasons = 20

// signalCap bounds what one signal can add, so that a long rant with ten
// "still waiting"s does not drown the other evidence, and what praise can
// take away, so that a polite complaint ("thank you, but …") still counts.
const signalCap, praiseFloor = 4.0, -3.0

// Score rates one message. It is pure and safe for concurrent use.
func Score(in Input) Result {
	toks := tokenize(in.Text)
	hits := findHits(toks)
	var reasons []Reason
	for _, h := range hits {
		if r, ok := judge(in.Text, toks, hits, h); ok {
			reasons = append(reasons, r)
		}
	}
	if r, ok := priorReason(in.PriorContacts); ok {
		reasons = append(reasons, r)
	}
	sums := map[string]float64{}
	for _, r := range reasons {
		sums[r.Signal] += r.Weight
	}
	total := bias
	for _, v := range sums {
		total += min(max(v, praiseFloor), signalCap)
	}
	score := math.Round(1e3/(1+math.Exp(-total))) / 1e3
	slices.SortStableFunc(reasons, func(a, b Reason) int {
		return cmpFloat(math.Abs(b.Weight), math.Abs(a.Weight))
	})
	if len(reasons) > MaxReasons {
		reasons = reasons[:MaxReasons:MaxReasons]
	}
	return Result{Complaint: score >= Threshold, Score: score, Reasons: reasons}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// hit is a lexicon entry found at tokens i..i+n, and whether it is a
// complaint cue that counts (positive weight, not negated).
type hit struct {
	e    entry
	i, n int
	cue  bool
}

// findHits matches the lexicon left to right, longest phrase first, each
// token used at most once.
func findHits(toks []token) []hit {
	var hits []hit
	for i := 0; i < len(toks); {
		e, n := longestMatch(toks, i)
		if n == 0 {
			i++
			continue
		}
		hits = append(hits, hit{e: e, i: i, n: n, cue: e.weight > 0 && negatedAt(toks, i) < 0})
		i += n
	}
	return hits
}

// longestMatch returns the longest lexicon entry that matches at token i
// and its length in tokens (0 when none does).
func longestMatch(toks []token, i int) (entry, int) {
	best, bestN := entry{}, 0
	try := func(e entry) {
		if len(e.words) <= bestN || i+len(e.words) > len(toks) {
			return
		}
		for k, w := range e.words {
			if !wordMatches(w, toks[i+k].w) {
				return
			}
		}
		best, bestN = e, len(e.words)
	}
	for _, e := range lexicon[toks[i].w] {
		try(e)
	}
	for _, e := range prefixEntries {
		try(e)
	}
	return best, bestN
}

// priorReason turns the caller's count of earlier contacts into evidence:
// each adds a little, and four or more cross the threshold on their own.
func priorReason(n int) (Reason, bool) {
	if n <= 0 {
		return Reason{}, false
	}
	ev := "1 earlier contact on this matter in 30 days"
	if n > 1 {
		ev = itoa(n) + " earlier contacts on this matter in 30 days"
	}
	return Reason{Signal: SignalRepeat, Evidence: ev, Weight: round2(min(0.45*float64(n), 1.8))}, true
}

func itoa(n int) string {
	if n >= 1000 {
		return "1000+"
	}
	var b [4]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// evidence returns the input text from byte start to end, on one line and
// at most 80 bytes long (cut at a rune boundary).
func evidence(text string, start, end int) string {
	s := strings.Join(strings.Fields(text[start:end]), " ")
	if len(s) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
