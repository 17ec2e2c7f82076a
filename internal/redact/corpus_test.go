package redact

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// corpusLine is one labelled line of testdata/corpus.jsonl: the values that
// must be masked and the look-alikes (references, phones, dates, amounts)
// that must survive.
type corpusLine struct {
	Text string `json:"text"`
	Mask []struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"mask"`
	Keep []string `json:"keep"`
}

// minPrecision is the precision measured on the corpus (see
// docs/redaction.md) less a small margin; recall must stay at 100%.
const minPrecision = 0.95

func loadCorpus(t testing.TB) []corpusLine {
	t.Helper()
	f, err := os.Open("testdata/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []corpusLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l corpusLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("corpus line %d: %v", len(lines)+1, err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestCorpus requires every labelled value to be masked (recall 100%) and
// measures precision: the share of masks that cover a labelled value.
func TestCorpus(t *testing.T) {
	lines := loadCorpus(t)
	if len(lines) < 150 {
		t.Fatalf("corpus has %d lines, want at least 150", len(lines))
	}
	r := Default()
	var want, found, masks, good int
	for n, l := range lines {
		spans := merge(r.find(l.Text))
		out, _ := r.Redact(l.Text)
		var labelled [][2]int
		for _, m := range l.Mask {
			want++
			i := strings.Index(l.Text, m.Value)
			labelled = append(labelled, [2]int{i, i + len(m.Value)})
			if covered(spans, i, i+len(m.Value)) {
				found++
			} else {
				t.Errorf("line %d: %s %q not masked: %q", n+1, m.Kind, m.Value, out)
			}
		}
		for _, x := range spans {
			masks++
			if overlapsAny(x, labelled) {
				good++
			} else {
				t.Logf("line %d: false positive %s at %q", n+1, x.kind, l.Text[x.start:x.end])
			}
		}
		for _, k := range l.Keep {
			if !strings.Contains(out, k) {
				t.Logf("line %d: %q did not survive: %q", n+1, k, out)
			}
		}
	}
	recall, precision := ratio(found, want), ratio(good, masks)
	t.Logf("corpus: %d lines, %d labelled values; recall %.4f (%d/%d); precision %.4f (%d/%d masks)",
		len(lines), want, recall, found, want, precision, good, masks)
	if found != want {
		t.Errorf("recall %.4f, want 1", recall)
	}
	if precision < minPrecision {
		t.Errorf("precision %.4f fell below %.2f", precision, minPrecision)
	}
}

func covered(spans []span, start, end int) bool {
	for _, x := range spans {
		if x.start <= start && start < x.end {
			start = x.end
		}
	}
	return start >= end
}

func overlapsAny(x span, ranges [][2]int) bool {
	for _, r := range ranges {
		if x.start < r[1] && r[0] < x.end {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
