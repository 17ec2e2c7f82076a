package care

import (
	"regexp"
	"slices"
	"strings"
)

// An email reports a loss when it says something happened: a strong loss
// word ("accident", "stolen", "crashed", "damaged", "flooded", …) alone, or
// a weak one ("damage", "fire", "storm", "leak", "flood") beside the word
// "claim". "claim" alone is not enough ("how do I claim?" is a question),
// and questions do not count ("does my policy cover an accident?").
var (
	strongLoss = regexp.MustCompile(`(?i)\b(accident|collision|collided|crashed|stolen|burgled|break-in|broken into|damaged|flooded|vandali[sz]ed|smashed|caught fire|on fire|burnt|burned down|hit by|hit my|written off|write-off)\b`)
	weakLoss   = regexp.MustCompile(`(?i)\b(damage|fire|storm|theft|burglary|leak(ed|ing)?|flood(ing)?|crash|dent(ed)?)\b`)
	claimWord  = regexp.MustCompile(`(?i)\bclaim(s|ing)?\b`)
	question   = regexp.MustCompile(`[^.!?\n]*\?`)
	// "no claims bonus" and "no claims discount" are about the premium, not a loss.
	noClaims     = regexp.MustCompile(`(?i)\bno[- ]claims?\s+(bonus|discount)`)
	claimNumber  = regexp.MustCompile(`(?i)\bCL-\d{4}-\d{6,}\b`)
	complaint    = regexp.MustCompile(`(?i)\bcomplain(t|ts|ing|ed)?\b`)
	injuryWords  = regexp.MustCompile(`(?i)\b(injured|injury|injuries|hurt|ambulance|hospital|whiplash)\b`)
	totalLossing = regexp.MustCompile(`(?i)\b(written off|write-off|total loss|beyond repair)\b`)
)

// MailLoss is what an email reporting a loss says, read by ReadMailLoss.
type MailLoss struct {
	Policy    *Policy  // the sender's own policy the message names
	Words     []string // the loss words found, lower-cased, in order of first use
	Injuries  bool     // injury words ("injured", "hospital", …)
	TotalLoss bool     // "written off", "total loss", …
}

// Why explains in words why the message was taken as a first notice of
// loss, for the case and the audit trail.
func (l *MailLoss) Why() string {
	return "the message reports a loss (" + strings.Join(l.Words, ", ") + ") on policy " + l.Policy.Number +
		", which belongs to the sender"
}

// ReadMailLoss decides, conservatively, whether a new email is a first
// notice of loss: it says a loss happened (strongLoss, or weakLoss with
// "claim"), it names exactly one of
// the sender's own policies by its number, and it is not about an existing
// claim (no claim number) nor a complaint. Anything else is ordinary mail
// (nil).
func ReadMailLoss(subject, body string, policies []*Policy) *MailLoss {
	text := subject + "\n" + body
	if claimNumber.MatchString(text) || complaint.MatchString(text) {
		return nil
	}
	plain := question.ReplaceAllString(noClaims.ReplaceAllString(text, " "), " ")
	words := strongLoss.FindAllString(plain, -1)
	if claimWord.MatchString(plain) {
		words = append(words, weakLoss.FindAllString(plain, -1)...)
	}
	if len(words) == 0 {
		return nil
	}
	var named *Policy
	upper := strings.ToUpper(text)
	for _, p := range policies {
		if p.Number == "" || !containsToken(upper, strings.ToUpper(p.Number)) {
			continue
		}
		if named != nil && named.ID != p.ID {
			return nil // two policies: staff decide which
		}
		named = p
	}
	if named == nil {
		return nil
	}
	l := &MailLoss{Policy: named, Injuries: injuryWords.MatchString(text), TotalLoss: totalLossing.MatchString(text)}
	for _, w := range words {
		if w = strings.ToLower(w); !slices.Contains(l.Words, w) {
			l.Words = append(l.Words, w)
		}
	}
	return l
}

// containsToken reports whether tok occurs in s with no letter, digit or
// hyphen on either side (MOT-1 is not in MOT-12).
func containsToken(s, tok string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], tok)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(tok)
		if (j == 0 || !tokenByte(s[j-1])) && (end == len(s) || !tokenByte(s[end])) {
			return true
		}
		i = j + 1
	}
}

func tokenByte(b byte) bool {
	return b == '-' || b == '/' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z'
}
