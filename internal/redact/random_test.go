package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// pieces are the parts sensitive text is made of: card and account blocks,
// IBAN and NI fragments, labels, separators. Random strings of them reach
// detector interactions (a mask next to a half-read number) that byte-level
// fuzzing finds only slowly.
var pieces = []string{
	"4111", "1111", "4111111111111111", "5555555555554444", "378282246310005", "12", "34", "56", "062", "000",
	"123", "45", "6789", "456", "782", "12345678", "55779911", "2027", "09", "27", "0",
	"GB82", "WEST", "1234", "5698", "7654", "32", "AB", "C", "AA", "QQ", "x",
	" ", " ", " ", "-", "/", ".", ", ", " / ", "\n", ":", "]", "[",
	"card ", "cvv ", "exp ", "sort code ", "account ", "BSB ", "SSN ", "TFN ", "NI ", "IBAN ", "um ", "the ",
}

func TestIdempotentOnRandomPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := Default()
	n := 100000
	if testing.Short() {
		n = 10000
	}
	var b strings.Builder
	for range n {
		b.Reset()
		for range 1 + rng.IntN(14) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		out, fs := r.Redact(in)
		if again, _ := r.Redact(out); again != out {
			t.Fatalf("not idempotent:\n in   %q\n once %q\n twice %q", in, out, again)
		}
		for _, f := range fs {
			if out[f.Start] != '[' || out[f.End-1] != ']' {
				t.Fatalf("finding %+v does not point at a mask in %q", f, out)
			}
		}
	}
}
