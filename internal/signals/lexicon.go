package signals

import (
	_ "embed"
	"strconv"
	"strings"
)

// Signals named in reasons.
const (
	SignalComplaint       = "complaint_word"  // the customer calls it a complaint
	SignalDissatisfaction = "dissatisfaction" // unhappy with the firm or its service
	SignalRemedy          = "remedy_demand"   // refund, compensation, apology, put it right
	SignalEscalation      = "escalation"      // manager, supervisor, someone senior
	SignalLeave           = "leave_threat"    // cancel, switch, never again
	SignalOmbudsman       = "ombudsman"       // FOS, AFCA, FSPO
	SignalRegulator       = "regulator"       // FCA, ASIC, Central Bank, insurance department
	SignalLegal           = "legal"           // solicitor, lawyer, court
	SignalMedia           = "media"           // press, social media, reviews
	SignalRepeat          = "repeat_contact"  // third time I've called; prior contacts
	SignalSarcasm         = "sarcasm"         // praise words used against the firm
	SignalPraise          = "praise"          // satisfaction: lowers the score
	SignalNotComplaint    = "not_complaint"   // "not a complaint", "not your fault": lowers the score
)

// lexiconText is the weighted lexicon: signal, weight, phrase, one a line
// ('#' starts a comment). A word ending in '*' matches any word with that
// prefix. Weights are log-odds added to the score; they were set by hand and
// tuned on the development part of testdata/messages.jsonl only (see
// docs/signals.md). Praise entries are negative: negated ("not happy") they
// count as dissatisfaction, in a sarcastic sentence as sarcasm. A weight of
// 0 consumes the phrase without effect, to stop a shorter entry inside it
// from matching.
//
//go:embed lexicon.txt
var lexiconText string

// entry is one lexicon phrase.
type entry struct {
	words  []string
	signal string
	weight float64
}

// lexicon maps a phrase's first word to its entries, longest first, so that
// the longest phrase at a position wins ("formal complaint" over
// "complaint"). Entries whose first word is a prefix ("disappoint*") are
// kept apart and tried at every position.
var lexicon, prefixEntries = parseLexicon(lexiconText)

func parseLexicon(text string) (map[string][]entry, []entry) {
	byFirst := map[string][]entry{}
	var prefixed []entry
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			panic("signals: bad lexicon weight in " + line)
		}
		e := entry{words: f[2:], signal: f[0], weight: w}
		if strings.HasSuffix(e.words[0], "*") {
			prefixed = append(prefixed, e)
			continue
		}
		list := append(byFirst[e.words[0]], e)
		for i := len(list) - 1; i > 0 && len(list[i].words) > len(list[i-1].words); i-- {
			list[i], list[i-1] = list[i-1], list[i]
		}
		byFirst[e.words[0]] = list
	}
	return byFirst, prefixed
}

// wordMatches reports whether a lexicon word (maybe a prefix ending in '*')
// matches a token.
func wordMatches(pattern, w string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(w, p)
	}
	return pattern == w
}
