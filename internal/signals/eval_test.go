package signals

import (
	"bufio"
	"encoding/json"
	"hash/fnv"
	"os"
	"testing"
)

// message is one labelled line of testdata/messages.jsonl.
type message struct {
	Text      string `json:"text"`
	Complaint bool   `json:"complaint"`
	Category  string `json:"category"`
}

// heldOut reports whether a message belongs to the held-out part: a stable
// hash of its text puts about 30% there. The lexicon was tuned looking only
// at development-part errors; held-out figures are reported as measured.
func heldOut(text string) bool {
	h := fnv.New32a()
	h.Write([]byte(text))
	return h.Sum32()%10 < 3
}

// Floors: the figures reported in docs/signals.md less a small margin.
var floors = map[string]struct{ precision, recall, f1 float64 }{
	"dev":      {0.96, 0.96, 0.96},
	"held-out": {0.78, 0.80, 0.79},
}

type counts struct{ tp, fp, fn, tn int }

func (c counts) metrics() (p, r, f1 float64) {
	p = float64(c.tp) / float64(max(c.tp+c.fp, 1))
	r = float64(c.tp) / float64(max(c.tp+c.fn, 1))
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

func loadMessages(t testing.TB) []message {
	t.Helper()
	f, err := os.Open("testdata/messages.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ms []message
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m message
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", len(ms)+1, err)
		}
		ms = append(ms, m)
	}
	return ms
}

// TestLabelledSet measures precision, recall and F1 on the development and
// held-out parts and fails when either falls below its floor. Only
// development-part errors are printed (with -v), so that tuning never looks
// at the held-out lines.
func TestLabelledSet(t *testing.T) {
	ms := loadMessages(t)
	if len(ms) < 200 {
		t.Fatalf("%d messages, want at least 200", len(ms))
	}
	parts := map[string]*counts{"dev": {}, "held-out": {}}
	for _, m := range ms {
		part := "dev"
		if heldOut(m.Text) {
			part = "held-out"
		}
		res := Score(Input{Text: m.Text})
		c := parts[part]
		switch {
		case res.Complaint && m.Complaint:
			c.tp++
		case res.Complaint:
			c.fp++
		case m.Complaint:
			c.fn++
		default:
			c.tn++
		}
		if part == "dev" && res.Complaint != m.Complaint {
			t.Logf("dev miss (%s, want %v, score %.3f): %q %v", m.Category, m.Complaint, res.Score, m.Text, res.Reasons)
		}
	}
	for _, part := range []string{"dev", "held-out"} {
		c := parts[part]
		p, r, f1 := c.metrics()
		t.Logf("%-8s n=%d (complaints %d): precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d tn %d)",
			part, c.tp+c.fp+c.fn+c.tn, c.tp+c.fn, p, r, f1, c.tp, c.fp, c.fn, c.tn)
		fl := floors[part]
		if p < fl.precision || r < fl.recall || f1 < fl.f1 {
			t.Errorf("%s: precision %.3f recall %.3f F1 %.3f below floors %+v", part, p, r, f1, fl)
		}
	}
}
