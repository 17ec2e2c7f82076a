package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/kpi"
)

// Survey is one answer to a CSAT (1–5), NPS (0–10) or CES (1–7) question
// about an interaction; there is at most one per interaction and kind.
type Survey struct {
	ID            int64
	InteractionID int64
	Kind          string // csat, nps, ces
	Score         int
	AnsweredAt    time.Time
	AgentID       int64  // the interaction's agent, so answers are kept against them
	Source        string // "import", "link"
	CreatedAt     time.Time
}

// CreateSurvey stores s unless the interaction already has an answer of
// that kind; created says which.
func (tx *Tx) CreateSurvey(ctx context.Context, s *Survey) (created bool, err error) {
	s.CreatedAt = tx.now
	err = tx.queryRow(ctx, `INSERT INTO surveys (interaction_id, kind, score, answered_at, agent_id, source, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (interaction_id, kind) DO NOTHING RETURNING id`,
		s.InteractionID, s.Kind, s.Score, micros(s.AnsweredAt), nullID(s.AgentID), s.Source, micros(tx.now)).Scan(&s.ID)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, mapErr(err)
}

// KPISurvey is a survey answer with the slice of its interaction.
type KPISurvey struct {
	KPIKeyed
	Survey kpi.Survey
	ID     int64
}

// FindKPISurveys returns n survey answers after id afterID with their
// interactions' slices, for a rebuild, and the cursor of the next page.
func (tx *Tx) FindKPISurveys(ctx context.Context, afterID int64, n int) ([]*KPISurvey, int64, error) {
	rows, err := tx.query(ctx, `SELECT s.id, s.kind, s.score, s.answered_at, i.channel, i.agent_id, `+kpiKeyColumns+
		` FROM surveys s JOIN interactions i ON i.id = s.interaction_id JOIN cases c ON c.id = i.case_id
		LEFT JOIN policies p ON p.id = c.policy_id LEFT JOIN users u ON u.id = i.agent_id
		WHERE s.id > $1 ORDER BY s.id LIMIT $2`, afterID, n+1)
	out, err := collect(rows, err, func(row scanner) (*KPISurvey, error) {
		var k KPISurvey
		var at, agent sql.NullInt64
		var kind string
		err := row.Scan(&k.ID, &kind, &k.Survey.Score, &at, &k.Key.Channel, &agent, &k.CaseID, &k.Key.TeamID,
			&k.Key.CaseType, &k.Key.Product)
		k.Survey.Kind, k.Survey.At, k.Key.AgentID = kpi.SurveyKind(kind), fromMicros(at), agent.Int64
		k.Survey.Key = k.Key
		return &k, err
	})
	if err != nil {
		return nil, 0, err
	}
	out, next := page(out, n, func(k *KPISurvey) int64 { return k.ID })
	return out, next, nil
}
