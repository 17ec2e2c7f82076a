package redact

import "strings"

// cardFillers may sit between the blocks of a card number in a transcript
// ("4111 1111, um, 1111 1111").
var cardFillers = set("um", "uh", "er", "erm", "then", "and", "sorry", "ok", "okay", "customer", "caller", "cust", "client")

// cardGap reports whether gap, the text between two digit groups, can
// separate the blocks of one card number as people type or say them. A lone
// '/' or '.' cannot (that is a date or an amount); " / " can.
func cardGap(gap string) bool {
	switch {
	case len(gap) == 1:
		return gap == " " || gap == "-" || gap == "\t"
	case len(gap) == 3 && gap[0] == 0xE2:
		return gap == "–" || gap == "—" || gap == "‑"
	case len(gap) > 16:
		return false
	}
	space, words := false, 0
	for i := 0; i < len(gap); {
		c := gap[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || nbspAt(gap, i):
			space = true
			i++
		case c == '-' || c == '/' || c == '.' || c == ',' || c == ':':
			i++
		case strings.HasPrefix(gap[i:], "–") || strings.HasPrefix(gap[i:], "—") || strings.HasPrefix(gap[i:], "‑"):
			i += 3 // en dash, em dash, non-breaking hyphen: word processors put them in
		case isLetter(c):
			j := i
			for j < len(gap) && isLetter(gap[j]) {
				j++
			}
			if words++; words > 1 || !cardFillers[strings.ToLower(gap[i:j])] {
				return false
			}
			i = j
		default:
			return false
		}
	}
	return space
}

// linked reports whether groups a and b can be neighbouring blocks of one
// card. Besides cardGap, four-digit blocks may be joined by a lone '.' or
// '/' ("4111.1111.1111.1111"), which dates and amounts never produce.
func linked(s string, a, b group) bool {
	gap := s[a.end:b.start]
	if (gap == "." || gap == "/") && a.n() == 4 && b.n() == 4 {
		return true
	}
	return cardGap(gap)
}

// cardRank orders card lengths by how common they are, so that among
// several Luhn-valid windows of a digit chain the likeliest is masked.
func cardRank(digits int) int {
	return strings.IndexByte("\x10\x0f\x13\x0e\x0d\x11\x12", byte(digits))
}

// findCards masks Luhn-valid card numbers: any run of 13–19 digits, and
// chains of blocks ("4111 1111 1111 1111", "4111-1111-…", "4111 1111 /
// 1111 1111") that start like a real card scheme. It returns the index of
// each card's last group so that the card's details can be found after it.
func findCards(s string, gs []group, out []span) ([]span, []int) {
	var lasts []int
	var buf [24]byte
	for i := 0; i < len(gs); {
		best, rank, digits := -1, 99, 0
		for j := i; j < len(gs) && j < i+19; j++ {
			if j > i && !linked(s, gs[j-1], gs[j]) {
				break
			}
			if digits += gs[j].n(); digits > 19 {
				break
			}
			if digits < 13 {
				continue
			}
			d := digitsOf(buf[:0], s, gs[i:j+1])
			if j > i && (!schemePrefix(d) || letterAt(s, gs[i].start-1) || letterAt(s, gs[j].end)) {
				continue
			}
			r := cardRank(digits)
			if j+1 == len(gs) || !linked(s, gs[j], gs[j+1]) {
				r = -1 // a window that takes the whole chain leaves no block behind
			}
			if luhn(d) && r < rank {
				best, rank = j, r
			}
		}
		if best < 0 {
			i++
			continue
		}
		d := digitsOf(buf[:0], s, gs[i:best+1])
		out = append(out, span{start: gs[i].start, end: gs[best].end, kind: KindCard, last4: string(d[len(d)-4:])})
		lasts = append(lasts, best)
		i = best + 1
	}
	return out, lasts
}

// schemePrefix reports whether d starts like a card of a major scheme
// (American Express, Diners, JCB 3…, Visa 4…, Mastercard 5… and 2221–2720,
// Discover, Maestro, UnionPay 6…). It is applied only to numbers written in
// blocks, where a date range or two phone numbers could otherwise pass.
func schemePrefix(d []byte) bool {
	switch d[0] {
	case '3', '4', '5', '6':
		return true
	case '2':
		p := string(d[:4])
		return "2221" <= p && p <= "2720"
	}
	return false
}

// luhn reports whether the digits pass the Luhn check.
func luhn(d []byte) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

var (
	// strongCVV labels a security code wherever it appears.
	strongCVV = []string{"cvv", "cvc", "cv2", "cvv2", "cvc2", "csc", "cvn", "cid"}
	// weakCVV labels a security code only when a card is in the same text.
	weakCVV = []string{"code", "security", "digits", "digit", "back", "card verification"}
	// expiryWords label an expiry date when a card is in the same text.
	expiryWords = []string{"exp", "expiry", "expires", "expire", "expiring", "expiration", "valid thru", "valid through", "valid until", "valid to", "thru", "good thru", "end"}
	// detailWords may sit between a card number and its expiry or code.
	detailWords = set("exp", "expiry", "expires", "expiration", "date", "valid", "thru", "through", "until", "to",
		"cvv", "cvc", "cv", "csc", "security", "code", "and", "the", "is", "was", "on", "back", "digits", "digit",
		"three", "four", "number", "no", "then", "are", "um", "uh", "er", "erm", "sorry", "ok", "okay", "its", "it's", "it", "s", "with", "end")
)

// findCardDetails masks expiry dates and security codes: those that follow a
// card with nothing but detail words between ("… 1111 exp 12/27 cvv 123"),
// those labelled anywhere when the text holds a card, and codes labelled
// "CVV" anywhere.
func findCardDetails(s string, gs []group, cards []int, out []span) []span {
	for _, last := range cards {
		prev, k := gs[last].end, last+1
		for step := 0; step < 2 && k < len(gs); step++ {
			gap := s[prev:gs[k].start]
			if len(gap) > 40 || !onlyWords(gap, detailWords) {
				break
			}
			if end, ok := expiryAt(s, gs, k); ok {
				out = append(out, span{start: gs[k].start, end: gs[k+1].end, kind: KindExpiry})
				prev, k = end, k+2
				continue
			}
			if n := gs[k].n(); n < 3 || n > 4 {
				break
			}
			out = append(out, span{start: gs[k].start, end: gs[k].end, kind: KindCVV})
			prev, k = gs[k].end, k+1
		}
	}
	for k, g := range gs {
		n := g.n()
		maybeCVV := (n == 3 || n == 4) && !alnumAt(s, g.end)
		maybeExpiry := len(cards) > 0 && n <= 2
		if !maybeCVV && !maybeExpiry {
			continue
		}
		t := label(s, g.start)
		if maybeCVV && (endsWith(t, strongCVV) || len(cards) > 0 && endsWith(t, weakCVV)) {
			out = append(out, span{start: g.start, end: g.end, kind: KindCVV})
		}
		if end, ok := expiryAt(s, gs, k); ok && maybeExpiry && endsWith(t, expiryWords) {
			out = append(out, span{start: g.start, end: end, kind: KindExpiry})
		}
	}
	return out
}

// expiryAt reports whether groups k and k+1 form a card expiry date
// (MM/YY, MM/YYYY, MM-YY) and where it ends.
func expiryAt(s string, gs []group, k int) (int, bool) {
	if k+1 >= len(gs) {
		return 0, false
	}
	m, y := gs[k], gs[k+1]
	sep := s[m.end:y.start]
	if m.n() > 2 || sep != "/" && sep != "-" && sep != " / " && sep != "." {
		return 0, false
	}
	month := 0
	for i := m.start; i < m.end; i++ {
		month = month*10 + int(s[i]-'0')
	}
	if month < 1 || month > 12 || alnumAt(s, y.end) {
		return 0, false
	}
	if y.n() == 2 || y.n() == 4 && s[y.start:y.start+2] == "20" {
		return y.end, true
	}
	return 0, false
}
