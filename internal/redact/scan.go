package redact

import "strings"

// group is a maximal run of ASCII digits in the input, as byte offsets.
// Every detector works on groups rather than on regular expressions: one
// pass over the bytes finds them, which keeps a 10 KB email well under a
// millisecond, and span boundaries always fall on ASCII bytes, so slicing
// never splits a UTF-8 sequence.
type group struct{ start, end int }

func (g group) n() int { return g.end - g.start }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// digitGroups returns every maximal run of ASCII digits in s.
func digitGroups(s string) []group {
	var gs []group
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		gs = append(gs, group{i, j})
		i = j
	}
	return gs
}

// letterAt reports whether s has an ASCII letter at i.
func letterAt(s string, i int) bool { return i >= 0 && i < len(s) && isLetter(s[i]) }

// digitAt reports whether s has an ASCII digit at i.
func digitAt(s string, i int) bool { return i >= 0 && i < len(s) && isDigit(s[i]) }

// alnumAt reports whether s has an ASCII letter or digit at i.
func alnumAt(s string, i int) bool { return i >= 0 && i < len(s) && isAlnum(s[i]) }

// fillers are words people put between a label and its number ("account
// number is 12345678", "the code on the back is 123"); they are skipped
// when looking for the label.
var fillers = []string{
	"is", "was", "are", "its", "it's", "be", "number", "no", "num", "nr", "details",
	"the", "my", "and", "then", "of", "date", "on", "in", "um", "uh", "er", "erm",
	"sorry", "ok", "okay", "so", "yeah", "it", "that", "this", "please", "thanks", "our",
	// speaker labels of chat logs and call transcripts
	"caller", "customer", "cust", "client", "agent", "speaker",
}

const (
	labelWindow = 48
	labelTrim   = " \t\r\n:#.,=-()?"
)

// label returns the text just before pos with separators and filler words
// removed from its end, so that a caller can test whether the number at pos
// is introduced by a label such as "sort code". It slices s rather than
// copying it: this runs for most digit groups and must not allocate.
func label(s string, pos int) string {
	t := trimLabel(s[max(0, pos-labelWindow):pos])
	for range 6 {
		if len(t) == 0 {
			break
		}
		cut := false
		for _, f := range fillersByLast[lower(t[len(t)-1])] {
			if hasSuffixFold(t, f) && wordStart(t, len(t)-len(f)) {
				t, cut = trimLabel(t[:len(t)-len(f)]), true
				break
			}
		}
		if !cut {
			break
		}
	}
	return t
}

// fillersByLast indexes fillers by their last letter, so that label rejects
// most words with one comparison.
var fillersByLast = func() (m [256][]string) {
	for _, f := range fillers {
		m[f[len(f)-1]] = append(m[f[len(f)-1]], f)
	}
	return m
}()

// trimLabel removes separators from the end of t.
func trimLabel(t string) string {
	for len(t) > 0 && strings.IndexByte(labelTrim, t[len(t)-1]) >= 0 {
		t = t[:len(t)-1]
	}
	return t
}

// hasSuffixFold is strings.HasSuffix ignoring ASCII case; k is lower-case.
func hasSuffixFold(t, k string) bool {
	if len(t) < len(k) {
		return false
	}
	t = t[len(t)-len(k):]
	for i := 0; i < len(k); i++ {
		if lower(t[i]) != k[i] {
			return false
		}
	}
	return true
}

// wordStart reports whether t[i:] begins a word.
func wordStart(t string, i int) bool { return i == 0 || !isAlnum(t[i-1]) }

// endsWith reports whether the label text t ends with one of the keywords
// (lower-case) as a whole word, ignoring case.
func endsWith(t string, kws []string) bool {
	for _, k := range kws {
		if hasSuffixFold(t, k) && wordStart(t, len(t)-len(k)) {
			return true
		}
	}
	return false
}

// onlyWords reports whether gap (the text between two numbers) holds
// nothing but separators and words from allowed, so that "12/27 cvv 123"
// after a card is read as card details but "since 2019" is not.
func onlyWords(gap string, allowed map[string]bool) bool {
	i := 0
	for i < len(gap) {
		c := gap[i]
		if !isLetter(c) && c != '\'' {
			if isDigit(c) || c >= 0x80 && !nbspAt(gap, i) {
				return false
			}
			i++
			continue
		}
		j := i
		for j < len(gap) && (isLetter(gap[j]) || gap[j] == '\'') {
			j++
		}
		if !allowed[strings.ToLower(gap[i:j])] {
			return false
		}
		i = j
	}
	return true
}

// nbspAt reports whether s has a UTF-8 no-break space (or its second byte)
// at i; HTML mail converted to text is full of them.
func nbspAt(s string, i int) bool {
	return s[i] == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 || s[i] == 0xA0 && i > 0 && s[i-1] == 0xC2
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// digitsOf appends the digits of groups gs in s to dst.
func digitsOf(dst []byte, s string, gs []group) []byte {
	for _, g := range gs {
		dst = append(dst, s[g.start:g.end]...)
	}
	return dst
}

// numberAt returns the index of the last group of the number that starts at
// group i when its blocks are joined by single spaces or dashes ("1234 5678"),
// and its digit count; at most four blocks are joined.
func numberAt(s string, gs []group, i int) (last, digits int) {
	last, digits = i, gs[i].n()
	for j := i + 1; j < len(gs) && j < i+4; j++ {
		gap := s[gs[j-1].end:gs[j].start]
		if gap != " " && gap != "-" || gs[j].n() < 2 {
			break
		}
		last, digits = j, digits+gs[j].n()
	}
	return last, digits
}

// attached reports whether the number starting at pos continues something
// before it: a word ("CLM123") or an identifier joined by a dash, slash or
// dot ("CD-2026-000123", "01/02/2026"). Such numbers are references, not
// bank details or identifiers.
func attached(s string, pos int) bool {
	if letterAt(s, pos-1) {
		return true
	}
	if pos >= 2 && (s[pos-1] == '-' || s[pos-1] == '/' || s[pos-1] == '.') && alnumAt(s, pos-2) {
		return true
	}
	return false
}

// isolated reports whether the groups i..last form a number of their own,
// not a part of a longer one written in blocks ("51 824 753 556").
func isolated(s string, gs []group, i, last int) bool {
	joined := func(a, b group) bool {
		gap := s[a.end:b.start]
		return len(gap) == 1 && (gap == " " || gap == "-" || gap == ".")
	}
	return (i == 0 || !joined(gs[i-1], gs[i])) && (last+1 >= len(gs) || !joined(gs[last], gs[last+1]))
}
