package service

import (
	"context"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/signals"
)

// MaxSignalText bounds the text scored at once; scoring is linear in it.
const MaxSignalText = 256 << 10

// ScoreComplaintSignals says whether a message reads as a complaint, with
// the reasons. The text is redacted first, because each reason quotes the
// words that triggered it and those go back to the caller and may be kept.
func (s *Service) ScoreComplaintSignals(ctx context.Context, text string, priorContacts int) (signals.Result, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return signals.Result{}, err
	}
	var p care.Problems
	p.Required("text", text)
	if len(text) > MaxSignalText {
		p.Add("text", "must be at most %d bytes", MaxSignalText)
	}
	if priorContacts < 0 || priorContacts > 1000 {
		p.Add("prior_contacts", "must be between 0 and 1000")
	}
	if err := p.Err(); err != nil {
		return signals.Result{}, err
	}
	return signals.Score(signals.Input{Text: s.mask(text), PriorContacts: priorContacts}), nil
}
