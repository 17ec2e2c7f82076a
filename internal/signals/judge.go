package signals

import (
	"sort"
	"strings"
)

var (
	// negators reverse the phrase that follows within three words of the
	// same clause.
	negators = set("not", "no", "never", "don't", "dont", "didn't", "didnt", "isn't", "isnt", "wasn't",
		"wasnt", "aren't", "weren't", "won't", "wont", "wouldn't", "can't", "cant", "cannot", "haven't",
		"hasn't", "hadn't", "nor", "hardly", "without", "neither", "doesn't", "doesnt", "shouldn't", "ain't")
	// neverButIntense are the words after which "never" intensifies instead
	// of negating: "I have never been so disappointed".
	neverButIntense = set("been", "felt", "had", "seen", "experienced", "known", "met", "encountered")
	intensifiers    = set("very", "really", "extremely", "absolutely", "totally", "utterly", "so", "completely",
		"incredibly", "deeply", "thoroughly", "seriously", "truly", "beyond", "highly", "bitterly", "hugely", "massively")
	// sarcasmProne are praise words people use ironically.
	sarcasmProne = set("great", "brilliant", "fantastic", "amazing", "wonderful", "lovely", "perfect", "well",
		"thanks", "thank", "impressed", "excellent", "quick", "good")
	// sarcasmContext in the same sentence turns sarcasm-prone praise round:
	// "Brilliant, you've lost my documents again."
	sarcasmContext = set("again", "another", "lost", "nothing", "ignored", "nobody", "still", "yet", "lose", "losing",
		"forgot", "forgotten", "wrong")
	contrasts    = set("but", "however", "although", "though", "yet", "except")
	thirdParties = set("landlord", "council", "neighbour", "neighbours", "neighbor", "driver", "drivers", "weather",
		"storm", "thief", "thieves", "burglar", "burglars", "idiot", "police", "hospital", "airline", "hail",
		"rain", "wind", "flood", "tree", "builder", "builders", "employer", "bank", "vet")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// judge turns a lexicon hit into a reason, applying negation, intensifiers,
// sarcasm, contrast and third parties. It reports false when the hit counts
// for nothing (a negated complaint cue, a blocking entry, praise beside a
// complaint).
func judge(text string, toks []token, hits []hit, h hit) (Reason, bool) {
	e, i := h.e, h.i
	if e.weight == 0 {
		return Reason{}, false
	}
	neg := negatedAt(toks, i)
	intense := i > 0 && toks[i-1].clause == toks[i].clause && intensifiers[toks[i-1].w]
	start, end := toks[i].start, toks[i+h.n-1].end
	r := Reason{Signal: e.signal, Weight: e.weight}
	switch {
	case e.weight > 0 && neg >= 0:
		return Reason{}, false // "not going to cancel", "no complaints about the agent"
	case e.signal == SignalPraise && neg >= 0:
		r.Signal, r.Weight, start = SignalDissatisfaction, -e.weight*1.3, toks[neg].start
	case e.signal == SignalPraise && sarcasmProne[toks[i].w] && sarcastic(toks, hits, i):
		r.Signal, r.Weight = SignalSarcasm, 1.4
	case e.signal == SignalPraise && cueInSentence(toks, hits, i):
		return Reason{}, false // "the agent was lovely, but the outcome is wrong"
	case intense:
		r.Weight, start = e.weight*1.3, toks[i-1].start
	}
	if (r.Signal == SignalDissatisfaction || r.Signal == SignalLegal) && aboutThirdParty(toks, i) {
		r.Weight /= 2 // "the other driver is lying", "disgusting weather", "the other driver's solicitors"
	}
	r.Weight = round2(r.Weight)
	r.Evidence = evidence(text, start, end)
	return r, true
}

// negatedAt returns the index of a negator within the three words before
// token i in the same clause, or -1.
func negatedAt(toks []token, i int) int {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if toks[k].clause != toks[i].clause {
			break
		}
		if negators[toks[k].w] {
			if toks[k].w == "never" && k+1 < len(toks) && neverButIntense[toks[k+1].w] {
				return -1
			}
			return k
		}
	}
	return -1
}

// Reaches bound how far, in tokens, sarcasm, contrast and third-party checks
// look from a hit. A thought rarely runs longer, and the bound keeps a
// megabyte without punctuation linear instead of quadratic.
const (
	sentenceReach = 40
	clauseReach   = 15
)

// sarcastic reports whether praise at token i is ironic: its sentence
// speaks of things going wrong ("lost my paperwork again"), or holds a
// complaint cue with no "but" between them.
func sarcastic(toks []token, hits []hit, i int) bool {
	if nearby(toks, i, sentenceReach, sameSentence, func(w string) bool { return sarcasmContext[w] }) {
		return true
	}
	for _, h := range hitsNear(hits, i) {
		if h.cue && sameSentence(toks[h.i], toks[i]) && !contrastBetween(toks, i, h.i) {
			return true
		}
	}
	return false
}

// cueInSentence reports whether a complaint cue shares token i's sentence.
func cueInSentence(toks []token, hits []hit, i int) bool {
	for _, h := range hitsNear(hits, i) {
		if h.cue && sameSentence(toks[h.i], toks[i]) {
			return true
		}
	}
	return false
}

// hitsNear returns the hits (sorted by position) that start within
// sentenceReach tokens of token i.
func hitsNear(hits []hit, i int) []hit {
	lo := sort.Search(len(hits), func(k int) bool { return hits[k].i >= i-sentenceReach })
	hi := sort.Search(len(hits), func(k int) bool { return hits[k].i > i+sentenceReach })
	return hits[lo:hi]
}

// contrastBetween reports whether a contrasting word separates tokens a and b.
func contrastBetween(toks []token, a, b int) bool {
	for k := min(a, b) + 1; k < max(a, b); k++ {
		if contrasts[toks[k].w] {
			return true
		}
	}
	return false
}

// aboutThirdParty reports whether the clause of token i is about someone or
// something other than the firm, where anger is not a complaint.
func aboutThirdParty(toks []token, i int) bool {
	return nearby(toks, i, clauseReach, sameClause, isThirdParty)
}

// nearby reports whether a token within reach of token i, and in the same
// sentence or clause as decided by same, satisfies pred.
func nearby(toks []token, i, reach int, same func(a, b token) bool, pred func(string) bool) bool {
	for k := max(0, i-reach); k < min(len(toks), i+reach+1); k++ {
		if k != i && same(toks[k], toks[i]) && pred(toks[k].w) {
			return true
		}
	}
	return false
}

func sameSentence(a, b token) bool { return a.sentence == b.sentence }

func sameClause(a, b token) bool { return a.clause == b.clause }

// isThirdParty reports whether w names a third party, possessive included
// ("the other driver's solicitors").
func isThirdParty(w string) bool {
	return thirdParties[strings.TrimSuffix(w, "'s")]
}
