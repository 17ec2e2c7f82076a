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

// SurveyInvitation is a link sent to a customer to answer a survey about
// an interaction of a resolved case.
type SurveyInvitation struct {
	ID            int64
	TokenHash     string // hex SHA-256 of the link's token; the token itself is never stored
	CaseID        int64
	InteractionID int64
	Email         string
	ExpiresAt     time.Time
	UsedAt        time.Time
	CreatedAt     time.Time
}

// CreateSurveyInvitation stores an invitation and sets its ID.
func (tx *Tx) CreateSurveyInvitation(ctx context.Context, v *SurveyInvitation) error {
	v.CreatedAt = tx.now
	var err error
	v.ID, err = tx.insert(ctx, `INSERT INTO survey_invitations (token_hash, case_id, interaction_id, email, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, v.TokenHash, v.CaseID, v.InteractionID, v.Email, micros(v.ExpiresAt), micros(tx.now))
	return err
}

// FindSurveyInvitation returns the invitation whose token hashes to hash,
// or ENOTFOUND.
func (tx *Tx) FindSurveyInvitation(ctx context.Context, hash string) (*SurveyInvitation, error) {
	var v SurveyInvitation
	var expires, used, created sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, token_hash, case_id, interaction_id, email, expires_at, used_at, created_at
		FROM survey_invitations WHERE token_hash = $1`, hash).Scan(&v.ID, &v.TokenHash, &v.CaseID, &v.InteractionID, &v.Email,
		&expires, &used, &created)
	if err == sql.ErrNoRows {
		return nil, notFound("survey", "link")
	} else if err != nil {
		return nil, mapErr(err)
	}
	v.ExpiresAt, v.UsedAt, v.CreatedAt = fromMicros(expires), fromMicros(used), fromMicros(created)
	return &v, nil
}

// UseSurveyInvitation marks an invitation used; used is false when it was
// used already (by a concurrent answer, say).
func (tx *Tx) UseSurveyInvitation(ctx context.Context, id int64) (used bool, err error) {
	res, err := tx.exec(ctx, `UPDATE survey_invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, micros(tx.now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FindSurveyTarget returns the interaction a survey about a case asks
// about: its latest contact handled by an agent, else its latest contact;
// 0 when it has none.
func (tx *Tx) FindSurveyTarget(ctx context.Context, caseID int64) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM interactions WHERE case_id = $1 AND channel <> 'note'
		ORDER BY CASE WHEN agent_id IS NULL THEN 1 ELSE 0 END, offered_at DESC, id DESC LIMIT 1`, caseID).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, mapErr(err)
}

// CountSurveyInvitations returns how many invitations a case has had.
func (tx *Tx) CountSurveyInvitations(ctx context.Context, caseID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM survey_invitations WHERE case_id = $1`, caseID).Scan(&n)
	return n, mapErr(err)
}
