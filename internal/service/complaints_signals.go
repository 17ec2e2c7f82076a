package service

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/signals"
	"github.com/caredesk/caredesk/internal/store"
)

// DecideSignal records an agent's verdict on the dissatisfaction signal of
// an interaction, with the score and reasons as the agent saw them.
// Confirming makes the interaction's case a complaint whose regulatory
// clocks start at the case's original receipt, never at the confirmation.
// Each interaction takes one verdict.
func (s *Service) DecideSignal(ctx context.Context, interactionID int64, decision, note string) (*care.SignalDecision, *care.Case, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermCaseWrite); err != nil {
		return nil, nil, err
	}
	decision = strings.TrimSpace(decision)
	var p care.Problems
	p.Required("decision", decision)
	care.SignalDecisions.Check(&p, "decision", decision)
	p.MaxLen("note", note, 2_000)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	d := &care.SignalDecision{InteractionID: interactionID, Decision: decision, Note: s.mask(strings.TrimSpace(note)),
		DecidedBy: actor.UserID}
	var c *care.Case
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		i, err := tx.FindInteractionByID(ctx, interactionID)
		if err != nil {
			return err
		}
		if prev, err := tx.FindSignalDecision(ctx, interactionID); err != nil {
			return err
		} else if prev != nil {
			return care.Errorf(care.ECONFLICT, "The signal on interaction %d was already %sed on %s.", interactionID,
				prev.Decision, prev.DecidedAt.Format(time.RFC3339))
		}
		// The stored body is already redacted, so the reasons quote no secret.
		res := signals.Score(signals.Input{Text: strings.TrimSpace(i.Subject + "\n" + i.Body)})
		if d.Reasons, err = encodeReasons(res.Reasons); err != nil {
			return err
		}
		d.Score, d.CaseID = res.Score, i.CaseID
		if c, err = tx.FindCaseByID(ctx, i.CaseID); err != nil {
			return err
		}
		if err := tx.CreateSignalDecision(ctx, d); err != nil {
			return err
		}
		if err := audit(ctx, tx, "create", "complaint_signal", d.ID, map[string]any{"interaction_id": interactionID,
			"case_id": c.ID, "decision": decision, "score": res.Score}); err != nil {
			return err
		}
		if decision != "confirm" {
			return nil
		}
		return s.confirmComplaint(ctx, tx, c)
	})
	return d, c, err
}

// confirmComplaint reclassifies a case as a complaint as UpdateCase does:
// its receipt time stands, so its clocks count from the first contact.
func (s *Service) confirmComplaint(ctx context.Context, tx *store.Tx, c *care.Case) error {
	if c.Type != "complaint" {
		typ := "complaint"
		ch, err := s.applyCaseUpdate(ctx, tx, c, care.CaseUpdate{Type: &typ})
		if err != nil {
			return err
		}
		if err := tx.UpdateCase(ctx, c); err != nil {
			return err
		}
		if err := s.kpiCase(ctx, tx, c.ID); err != nil { // KPI rollups: now counted as a complaint
			return err
		}
		ch["reason"] = [2]any{nil, "complaint signal confirmed"}
		if err := audit(ctx, tx, "update", "case", c.ID, ch); err != nil {
			return err
		}
		delete(ch, "reason")
		if err := emitCaseUpdated(ctx, tx, c, ch); err != nil {
			return err
		}
		if err := s.clocksAfterUpdate(ctx, tx, c, ch); err != nil {
			return err
		}
	}
	_, err := ensureComplaint(ctx, tx, c)
	return err
}

func encodeReasons(rs []signals.Reason) (string, error) {
	type reason struct {
		Signal   string  `json:"signal"`
		Evidence string  `json:"evidence"`
		Weight   float64 `json:"weight"`
	}
	out := make([]reason, len(rs))
	for i, r := range rs {
		out[i] = reason{r.Signal, r.Evidence, r.Weight}
	}
	b, err := json.Marshal(out)
	return string(b), err
}
