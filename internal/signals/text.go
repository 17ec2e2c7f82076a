package signals

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of the input with its byte offsets in the original
// text (for evidence) and the clause and sentence it belongs to (negation
// reaches only within a clause, sarcasm is judged per sentence).
type token struct {
	w          string
	start, end int
	clause     int
	sentence   int
}

// tokenize splits text into lower-cased words. Letters, digits and
// apostrophes make words (curly apostrophes are straightened so "don’t"
// matches "don't"); a hyphen between letters stays inside the word
// ("mis-sold"). Sentence ends (. ! ? newline) and clause breaks (, ; : and
// the word "but") are recorded on the tokens.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5)
	clause, sentence := 0, 0
	var b strings.Builder
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			switch r {
			case '.', '!', '?', '\n':
				sentence++
				clause++
			case ',', ';', ':', '(', ')', '—', '–':
				clause++
			}
			i += size
			continue
		}
		start := i
		b.Reset()
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if r == '’' || r == '‘' {
				r = '\''
			}
			if !isWordRune(r) && !(r == '-' && i > start && nextIsLetter(text, i+size)) {
				break
			}
			b.WriteRune(unicode.ToLower(r))
			i += size
		}
		w := strings.Trim(b.String(), "'")
		if w == "" {
			continue
		}
		if w == "but" {
			clause++
		}
		toks = append(toks, token{w: w, start: start, end: i, clause: clause, sentence: sentence})
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '‘'
}

func nextIsLetter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && unicode.IsLetter(r)
}
