package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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

// SurveyValidFor is how long a survey link may be answered.
const SurveyValidFor = 14 * 24 * time.Hour

const mailKindSurvey = "survey"

// hashSurveyToken is what is stored of a link's token: a leaked table
// cannot be turned into working links.
func hashSurveyToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// inviteSurvey sends the customer of a case just resolved a link to rate
// the contact that handled it (its latest contact with an agent), once per
// case: a random 256-bit token, stored only as its hash, single-use and
// expiring after SurveyValidFor. The mail goes through the outbox in the
// case's transaction. Cases without a customer email are left out.
func (s *Service) inviteSurvey(ctx context.Context, tx *store.Tx, caseID int64) error {
	c, err := tx.FindCaseByID(ctx, caseID)
	if err != nil || c.CustomerID == 0 {
		return err
	}
	cust, err := tx.FindCustomerByID(ctx, c.CustomerID)
	if err != nil || cust.Email == "" {
		return err
	}
	if n, err := tx.CountSurveyInvitations(ctx, caseID); err != nil || n > 0 {
		return err
	}
	target, err := tx.FindSurveyTarget(ctx, caseID)
	if err != nil || target == 0 {
		return err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	inv := &store.SurveyInvitation{TokenHash: hashSurveyToken(token), CaseID: caseID, InteractionID: target,
		Email: cust.Email, ExpiresAt: tx.Now().Add(SurveyValidFor)}
	if err := tx.CreateSurveyInvitation(ctx, inv); err != nil {
		return err
	}
	link := strings.TrimRight(s.cfg.BaseURL, "/") + "/portal/survey/" + token // served by internal/portal
	body := fmt.Sprintf("Dear %s,\n\nYour case %s is resolved. Would you tell us how we did? Three questions, one minute:\n\n%s\n\n"+
		"The link works once, until %s.\n", cust.Name, c.Reference, link, inv.ExpiresAt.Format("2 January 2006"))
	if err := tx.EnqueueMail(ctx, &store.OutboundMail{MessageID: newMessageID(), To: cust.Email,
		Subject: "How did we do? (" + c.Reference + ")", Body: body, Kind: mailKindSurvey, CaseID: caseID}); err != nil {
		return err
	}
	return audit(ctx, tx, "create", "survey_invitation", inv.ID, map[string]any{"case_id": caseID, "interaction_id": target,
		"expires_at": inv.ExpiresAt})
}

// SurveyForm is what a survey link shows before it is answered.
type SurveyForm struct {
	CaseReference string
	ExpiresAt     time.Time
	Answered      bool
	Expired       bool
}

// SurveyAnswers are a customer's answers; nil leaves a question unanswered,
// but at least one must be given.
type SurveyAnswers struct {
	CSAT *int // 1–5
	NPS  *int // 0–10
	CES  *int // 1–7
}

// FindSurvey returns what a survey link asks about. Anyone holding the link
// may read it: the token is the credential.
func (s *Service) FindSurvey(ctx context.Context, token string) (*SurveyForm, error) {
	var f *SurveyForm
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		inv, err := tx.FindSurveyInvitation(ctx, hashSurveyToken(token))
		if err != nil {
			return err
		}
		c, err := tx.FindCaseByID(ctx, inv.CaseID)
		if err != nil {
			return err
		}
		f = &SurveyForm{CaseReference: c.Reference, ExpiresAt: inv.ExpiresAt, Answered: !inv.UsedAt.IsZero(),
			Expired: !tx.Now().Before(inv.ExpiresAt)}
		return nil
	})
	return f, err
}

// AnswerSurvey stores a customer's answers against the link's interaction
// and its agent, counts them in the KPI rollups and uses up the link, in
// one audited transaction.
func (s *Service) AnswerSurvey(ctx context.Context, token string, a SurveyAnswers) error {
	var p care.Problems
	answers := map[string]*int{"csat": a.CSAT, "nps": a.NPS, "ces": a.CES}
	given := 0
	for _, kind := range []string{"csat", "nps", "ces"} {
		if v := answers[kind]; v != nil {
			given++
			if sc := surveyScales[kind]; *v < sc[0] || *v > sc[1] {
				p.Add(kind, "must be from %d to %d", sc[0], sc[1])
			}
		}
	}
	if given == 0 {
		p.Add("csat", "answer at least one question (csat, nps or ces)")
	}
	if err := p.Err(); err != nil {
		return err
	}
	ctx = care.NewContextWithActor(ctx, care.Actor{Name: "customer (survey link)", Role: "", Source: "survey"})
	return s.store.Write(ctx, func(tx *store.Tx) error {
		inv, err := tx.FindSurveyInvitation(ctx, hashSurveyToken(token))
		if err != nil {
			return err
		}
		if !tx.Now().Before(inv.ExpiresAt) {
			return care.Invalid("token", "this survey link expired on %s", inv.ExpiresAt.Format(time.DateOnly))
		}
		if ok, err := tx.UseSurveyInvitation(ctx, inv.ID); err != nil {
			return err
		} else if !ok {
			return care.Errorf(care.ECONFLICT, "This survey was already answered; thank you.")
		}
		return s.storeSurveyAnswers(ctx, tx, inv, answers)
	})
}

func (s *Service) storeSurveyAnswers(ctx context.Context, tx *store.Tx, inv *store.SurveyInvitation, answers map[string]*int) error {
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return err
	}
	delta, err := kpi.NewRollup(kpiDims, opts)
	if err != nil {
		return err
	}
	k, err := tx.FindKPIContact(ctx, inv.InteractionID)
	if err != nil {
		return err
	}
	detail := map[string]any{"case_id": inv.CaseID, "interaction_id": inv.InteractionID}
	for kind, v := range answers {
		if v == nil {
			continue
		}
		sv := &store.Survey{InteractionID: inv.InteractionID, Kind: kind, Score: *v, AnsweredAt: tx.Now(),
			AgentID: k.Interaction.AgentID, Source: "link"}
		if _, err := storeSurvey(ctx, tx, sv, delta); err != nil {
			return err
		}
		detail[kind] = *v
	}
	if err := tx.ApplyKPI(ctx, delta); err != nil {
		return err
	}
	return audit(ctx, tx, "answer", "survey", inv.ID, detail)
}
