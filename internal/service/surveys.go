package service

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// SurveyColumns are the columns of a survey answer file; docs/import.md
// describes each.
var SurveyColumns = []string{"interaction_id", "kind", "score", "answered_at"}

// surveyScales are the valid scores of each survey kind.
var surveyScales = map[string][2]int{"csat": {1, 5}, "nps": {0, 10}, "ces": {1, 7}}

// ImportSurveys records survey answers from a CSV file against imported
// interactions (interaction_id is the id column of the interaction import).
// An interaction has at most one answer of each kind: importing the same
// file again changes nothing, and a second answer of a kind is left out.
func (s *Service) ImportSurveys(ctx context.Context, r io.Reader, opt ImportOptions) (*ImportReport, error) {
	return s.runImport(ctx, "survey", r, SurveyColumns, SurveyColumns, opt, s.importSurvey)
}

func (s *Service) importSurvey(ctx context.Context, tx *store.Tx, r *importRow, b *importBatch) (bool, error) {
	var p care.Problems
	sv := &store.Survey{Kind: strings.ToLower(r.get("kind")), AnsweredAt: parseTime(&p, "answered_at", r.get("answered_at")),
		Source: "import"}
	ref := r.get("interaction_id")
	p.Required("interaction_id", ref)
	p.Required("answered_at", r.get("answered_at"))
	scale, ok := surveyScales[sv.Kind]
	if !ok {
		p.Add("kind", "must be csat, nps or ces, not %q", r.get("kind"))
	}
	score, err := strconv.Atoi(r.get("score"))
	switch {
	case err != nil:
		p.Add("score", "must be a whole number, not %q", r.get("score"))
	case ok && (score < scale[0] || score > scale[1]):
		p.Add("score", "a %s score must be from %d to %d, not %d", sv.Kind, scale[0], scale[1], score)
	}
	sv.Score = score
	if sv.AnsweredAt.After(tx.Now()) {
		p.Add("answered_at", "must not be in the future")
	}
	if err := p.Err(); err != nil {
		return false, err
	}
	i, err := tx.FindInteractionByExternalID(ctx, importPrefix+ref)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return false, care.Invalid("interaction_id", "no imported interaction with id %s", ref)
	} else if err != nil {
		return false, err
	}
	sv.InteractionID, sv.AgentID = i.ID, i.AgentID
	return storeSurvey(ctx, tx, sv, b.delta)
}

// storeSurvey stores a survey answer and counts it in delta, unless the
// interaction already has an answer of that kind.
func storeSurvey(ctx context.Context, tx *store.Tx, sv *store.Survey, delta *kpi.Rollup) (bool, error) {
	created, err := tx.CreateSurvey(ctx, sv)
	if err != nil || !created {
		return false, err
	}
	k, err := tx.FindKPIContact(ctx, sv.InteractionID)
	if err != nil {
		return false, err
	}
	return true, delta.AddSurvey(kpi.Survey{Key: k.Key, At: sv.AnsweredAt, Kind: kpi.SurveyKind(sv.Kind), Score: sv.Score})
}
