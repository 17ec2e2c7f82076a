package redact

import "strings"

var (
	ssnWords  = []string{"ssn", "social security", "social", "ss", "ss#"}
	tfnWords  = []string{"tfn", "tax file", "tax file no"}
	ninoWords = []string{"ni", "nino", "national insurance", "n.i", "n.i."}
)

// findNational masks US social security numbers (123-45-6789, or nine
// digits labelled SSN), Australian tax file numbers (labelled, or written
// 123 456 782, and checksum-valid) and UK National Insurance numbers.
func findNational(s string, gs []group, out []span) []span {
	for i := 0; i < len(gs); i++ {
		if attached(s, gs[i].start) {
			continue
		}
		if last, ok := ssnAt(s, gs, i); ok {
			out = append(out, span{start: gs[i].start, end: gs[last].end, kind: KindSSN})
			i = last
			continue
		}
		if last, ok := tfnAt(s, gs, i); ok {
			out = append(out, span{start: gs[i].start, end: gs[last].end, kind: KindTFN})
			i = last
		}
	}
	return findNINOs(s, gs, out)
}

// blocks reports whether groups i.. have the given lengths joined by one
// repeated single-character separator from seps, and returns the separator.
func blocks(s string, gs []group, i int, seps string, lens ...int) (byte, bool) {
	if i+len(lens) > len(gs) {
		return 0, false
	}
	var sep byte
	for k, n := range lens {
		g := gs[i+k]
		if g.n() != n {
			return 0, false
		}
		if k == 0 {
			continue
		}
		gap := s[gs[i+k-1].end:g.start]
		if len(gap) != 1 || !strings.Contains(seps, gap) || k > 1 && gap[0] != sep {
			return 0, false
		}
		sep = gap[0]
	}
	return sep, true
}

// ssnAt recognises a US SSN at group i: 123-45-6789 anywhere, or 123 45 6789
// and 123456789 after an SSN label; area 000, 666 and 9xx, group 00 and
// serial 0000 are never issued and so never masked.
func ssnAt(s string, gs []group, i int) (int, bool) {
	last := -1
	if sep, ok := blocks(s, gs, i, "- ", 3, 2, 4); ok && (sep == '-' || endsWith(label(s, gs[i].start), ssnWords)) {
		last = i + 2
	} else if gs[i].n() == 9 && endsWith(label(s, gs[i].start), ssnWords) {
		last = i
	}
	if last < 0 || alnumAt(s, gs[last].end) || !isolated(s, gs, i, last) {
		return 0, false
	}
	var buf [9]byte
	d := string(digitsOf(buf[:0], s, gs[i:last+1]))
	area := d[:3]
	return last, area != "000" && area != "666" && area[0] != '9' && d[3:5] != "00" && d[5:] != "0000"
}

// tfnAt recognises an Australian TFN at group i: eight or nine digits
// after a TFN label, or 123 456 782 written in blocks, passing the ATO check.
func tfnAt(s string, gs []group, i int) (int, bool) {
	last := -1
	labelled := func() bool { return endsWith(label(s, gs[i].start), tfnWords) }
	if _, ok := blocks(s, gs, i, " -", 3, 3, 3); ok && (isolated(s, gs, i, i+2) || labelled()) {
		last = i + 2
	} else if n := gs[i].n(); (n == 8 || n == 9) && labelled() {
		last = i
	}
	if last < 0 || alnumAt(s, gs[last].end) {
		return 0, false
	}
	var buf [9]byte
	return last, tfnValid(digitsOf(buf[:0], s, gs[i:last+1]))
}

// tfnValid applies the ATO's weighted mod-11 check.
func tfnValid(d []byte) bool {
	w := []int{1, 4, 3, 7, 5, 8, 6, 9, 10}
	if len(d) == 8 {
		w = []int{10, 7, 8, 4, 6, 3, 5, 1}
	}
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * w[i]
	}
	return sum%11 == 0
}

// findNINOs masks UK National Insurance numbers: two prefix letters, six
// digits (together or in pairs) and a suffix A–D. Without a label the number
// must be upper-case and carry its suffix; invalid prefixes (D, F, I, Q, U,
// V first; D, F, I, O, Q, U, V second; BG, GB, NK, KN, TN, NT, ZZ) are left
// alone.
func findNINOs(s string, gs []group, out []span) []span {
	for i, g := range gs {
		q := g.start
		if q >= 1 && s[q-1] == ' ' {
			q-- // "AB 123456 C", "AB 12 34 56 C"
		}
		if q < 2 || !letterAt(s, q-2) || !letterAt(s, q-1) || alnumAt(s, q-3) || !ninoPrefix(s[q-2], s[q-1]) {
			continue
		}
		start := q - 2
		last, ok := i, g.n() == 6
		if !ok {
			if _, ok = blocks(s, gs, i, " ", 2, 2, 2); ok {
				last = i + 2
			}
		}
		if !ok {
			continue
		}
		end := gs[last].end
		if end+1 < len(s) && s[end] == ' ' && isSuffix(s, end+1) {
			end += 2
		} else if isSuffix(s, end) {
			end++
		}
		upper := s[start] < 'a' && s[start+1] < 'a'
		suffixed := end > gs[last].end
		if alnumAt(s, end) || !(upper && suffixed) && !endsWith(label(s, start), ninoWords) {
			continue
		}
		out = append(out, span{start: start, end: end, kind: KindNINO})
	}
	return out
}

func isSuffix(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i] | 0x20
	return 'a' <= c && c <= 'd' && !alnumAt(s, i+1)
}

func ninoPrefix(a, b byte) bool {
	a, b = lower(a), lower(b)
	if strings.IndexByte("dfiquv", a) >= 0 || strings.IndexByte("dfioquv", b) >= 0 {
		return false
	}
	switch string([]byte{a, b}) {
	case "bg", "gb", "nk", "kn", "tn", "nt", "zz":
		return false
	}
	return true
}
