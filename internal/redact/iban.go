package redact

// ibanLengths is the IBAN length of each country in the SWIFT registry.
// Checking the exact length as well as mod 97 keeps the words after an IBAN
// out of it and makes a chance match on ordinary text very unlikely.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
	"JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
	"MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
	"NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
	"SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// findIBANs masks IBANs, written solid or in blocks of four separated by
// single spaces, in either case, that have their country's length and pass
// the mod-97 check. Every IBAN has two check digits after the country code,
// so the digit groups show where to look.
func findIBANs(s string, gs []group, out []span) []span {
	var buf [34]byte
	for _, g := range gs {
		p := g.start - 2
		if p < 0 || !letterAt(s, p) || !letterAt(s, p+1) || alnumAt(s, p-1) {
			continue
		}
		cc := string([]byte{s[p] &^ 0x20, s[p+1] &^ 0x20})
		want, ok := ibanLengths[cc]
		if !ok {
			continue
		}
		chars, end := buf[:0], p
	scan:
		for i := p; i < len(s) && len(chars) < want; i++ {
			switch c := s[i]; {
			case isLetter(c):
				chars, end = append(chars, c&^0x20), i+1
			case isDigit(c):
				chars, end = append(chars, c), i+1
			case c == ' ' && i > p && isAlnum(s[i-1]) && alnumAt(s, i+1):
				// blocks of four are separated by single spaces
			default:
				break scan
			}
		}
		if len(chars) == want && !alnumAt(s, end) && mod97(chars) == 1 {
			out = append(out, span{start: p, end: end, kind: KindIBAN})
		}
	}
	return out
}

// mod97 computes the ISO 13616 check: the first four characters moved to
// the end, letters as 10–35, the whole as a number modulo 97.
func mod97(chars []byte) int {
	r := 0
	for k := range chars {
		c := chars[(k+4)%len(chars)]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}
