package redact

var (
	sortCodeWords = []string{"sort code", "sortcode", "sort-code", "s/c", "sort"}
	bsbWords      = []string{"bsb"}
	accountWords  = []string{"account", "acct", "acc", "a/c", "bank account", "account no", "acct no", "acc no", "a/c no"}
	// accountGap may sit between a sort code or BSB and the account number.
	accountGap = set("account", "acct", "acc", "a", "c", "number", "no", "num", "and", "is", "the", "my", "with", "then",
		"um", "uh", "er", "erm", "sorry", "ok", "okay", "its", "it's", "it", "s", "bank", "nr")
)

// findBank masks UK sort codes and Australian BSBs with the account number
// that follows them, and account numbers introduced by "account number".
func findBank(s string, gs []group, out []span) []span {
	for i := 0; i < len(gs); i++ {
		out, i = branchAt(s, gs, i, out)
	}
	for i := 0; i < len(gs); i++ {
		last, digits := numberAt(s, gs, i)
		if digits < 6 || digits > 17 || alnumAt(s, gs[last].end) || attached(s, gs[i].start) {
			continue
		}
		if endsWith(label(s, gs[i].start), accountWords) {
			out = append(out, span{start: gs[i].start, end: gs[last].end, kind: KindBankAccount})
			i = last
		}
	}
	return out
}

// branchAt looks for a sort code or BSB starting at group i. A labelled one
// ("sort code 12 34 56", "BSB 062-000") is masked alone or with its account;
// an unlabelled one (12-34-56, 062-000) only when an account number follows.
// It returns the index of the last group it consumed.
func branchAt(s string, gs []group, i int, out []span) ([]span, int) {
	if attached(s, gs[i].start) {
		return out, i
	}
	kind, last, dashed := branchCode(s, gs, i)
	if kind == "" || alnumAt(s, gs[last].end) {
		return out, i
	}
	labelled := false
	if t := label(s, gs[i].start); kind == KindSortCode {
		labelled = endsWith(t, sortCodeWords)
	} else {
		labelled = endsWith(t, bsbWords)
	}
	acc, accLast := last+1, -1
	if acc < len(gs) && len(s[gs[last].end:gs[acc].start]) <= 30 && onlyWords(s[gs[last].end:gs[acc].start], accountGap) {
		if l, d := numberAt(s, gs, acc); d >= 6 && d <= 10 && !alnumAt(s, gs[l].end) {
			accLast = l
		}
	}
	if !labelled && (!dashed || accLast < 0) {
		return out, i
	}
	out = append(out, span{start: gs[i].start, end: gs[last].end, kind: kind})
	if accLast < 0 {
		return out, last
	}
	out = append(out, span{start: gs[acc].start, end: gs[accLast].end, kind: KindBankAccount})
	return out, accLast
}

// branchCode recognises a sort code (12-34-56, 12 34 56, 123456) or a BSB
// (062-000, 062 000) at group i, returning its kind, last group and whether
// it was written with dashes. A bare six-digit number is returned as a sort
// code or a BSB depending on nothing but the label, so both are tried.
func branchCode(s string, gs []group, i int) (kind string, last int, dashed bool) {
	sep := func(j int) string { return s[gs[j-1].end:gs[j].start] }
	switch {
	case i+2 < len(gs) && gs[i].n() == 2 && gs[i+1].n() == 2 && gs[i+2].n() == 2 &&
		(sep(i+1) == "-" || sep(i+1) == " ") && sep(i+2) == sep(i+1):
		return KindSortCode, i + 2, sep(i+1) == "-"
	case i+1 < len(gs) && gs[i].n() == 3 && gs[i+1].n() == 3 && (sep(i+1) == "-" || sep(i+1) == " "):
		return KindBSB, i + 1, sep(i+1) == "-"
	case gs[i].n() == 6:
		if endsWith(label(s, gs[i].start), bsbWords) {
			return KindBSB, i, false
		}
		return KindSortCode, i, false
	}
	return "", i, false
}
