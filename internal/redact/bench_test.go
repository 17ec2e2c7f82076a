package redact

import (
	"strings"
	"testing"
)

// email10KB is a realistic 10 KB inbound email: prose, references, dates,
// amounts and phone numbers, with one card number and one set of bank
// details, which is the common case the budget is set for.
func email10KB() string {
	prose := "Dear Sir or Madam,\n\nI am writing about my claim CLM-2026-00123 on policy HM-20391847. " +
		"The escape of water happened on 12/02/2026 and the plumber's invoice INV-20260312-0042 came to £1,234.56. " +
		"I called on 0800 123 4567 three times and was told someone would ring me back on 07700 900123, but nobody did. " +
		"Your letter of 03/03/2026 says the excess is £250 and that the loss adjuster will visit within 10 working days. "
	var b strings.Builder
	for b.Len() < 9*1024 {
		b.WriteString(prose)
	}
	b.WriteString("Please pay the settlement to sort code 20-00-00 account 55779911, or refund the excess to my card 4111 1111 1111 1111.\n\nYours faithfully,\nJ. Patel\n")
	for b.Len() < 10*1024 {
		b.WriteString("Case CD-2026-000123. ")
	}
	return b.String()
}

func BenchmarkRedact10KB(b *testing.B) {
	s := email10KB()
	r := Default()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		r.Redact(s)
	}
}

func BenchmarkRedact10KBNoDigits(b *testing.B) {
	s := strings.Repeat("Thank you for your help with my claim, it was much appreciated. ", 160)
	r := Default()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		r.Redact(s)
	}
}
