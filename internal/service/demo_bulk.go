package service

import (
	"context"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// HistoryCase is a finished case of the past with its contacts and the
// survey answers about them, for WriteHistory.
type HistoryCase struct {
	Case     care.Case // closed or resolved, with ClosedAt
	Contacts []*care.Interaction
	Surveys  []HistorySurvey
}

// HistorySurvey is a survey answer about one of a HistoryCase's contacts.
type HistorySurvey struct {
	Contact int    // index into HistoryCase.Contacts
	Kind    string // csat, nps, ces
	Score   int
	At      time.Time
}

// WriteHistory records finished cases of the past, their contacts and
// survey answers in one transaction, many rows per statement, and counts
// them into the KPI rollups (cells and per-record facts) exactly as the
// import and the live paths do, audited as one "import" entry. It is the
// fast path for history at scale (the demo generator, benchmarks): cases
// get references of the year they were received and no clocks, since
// they are finished. Like an import, it needs the administrator's
// permission.
func (s *Service) WriteHistory(ctx context.Context, cases []*HistoryCase) error {
	a := care.ActorFromContext(ctx)
	for _, p := range []care.Permission{care.PermConfigAdmin, care.PermInteractionWrite, care.PermCaseWrite} {
		if err := a.Require(p); err != nil {
			return err
		}
	}
	if len(cases) == 0 {
		return nil
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := checkHistory(cases, tx.Now()); err != nil {
			return err
		}
		w, err := newHistoryBatch(ctx, tx, cases)
		if err != nil {
			return err
		}
		if err := w.write(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, "import", "history", "", map[string]any{"cases": len(cases), "interactions": len(w.contacts),
			"surveys": len(w.surveys), "first_case": cases[0].Case.ID, "last_case": cases[len(cases)-1].Case.ID})
	})
}

// checkHistory validates every record before anything is written.
func checkHistory(cases []*HistoryCase, now time.Time) error {
	for n, h := range cases {
		c := &h.Case
		c.Normalize()
		if err := c.Validate(now); err != nil {
			return fmt.Errorf("history case %d: %w", n, err)
		}
		if !care.IsClosedStatus(c.Status) || c.ClosedAt.IsZero() {
			return care.Invalid("status", "history case %d: only finished cases (resolved or closed, with their closing time) "+
				"can be written as history; open cases need their clocks (CreateCase)", n)
		}
		if len(h.Contacts) == 0 {
			return care.Invalid("contacts", "history case %d has no contact", n)
		}
		for k, i := range h.Contacts {
			i.Normalize()
			if err := i.Validate(now); err != nil {
				return fmt.Errorf("history case %d, contact %d: %w", n, k, err)
			}
		}
		for _, sv := range h.Surveys {
			scale, ok := surveyScales[sv.Kind]
			switch {
			case sv.Contact < 0 || sv.Contact >= len(h.Contacts):
				return care.Invalid("surveys", "history case %d: a survey names contact %d of %d", n, sv.Contact, len(h.Contacts))
			case !ok:
				return care.Invalid("kind", "history case %d: survey kind must be csat, nps or ces, not %q", n, sv.Kind)
			case sv.Score < scale[0] || sv.Score > scale[1]:
				return care.Invalid("score", "history case %d: a %s score must be from %d to %d", n, sv.Kind, scale[0], scale[1])
			}
		}
	}
	return nil
}

// historyBatch is one WriteHistory call's rows and KPI changes.
type historyBatch struct {
	cases    []*HistoryCase
	contacts []*care.Interaction
	surveys  []*store.Survey
	teamOf   map[int64]int64 // agent → team
	lineOf   map[int64]string
	delta    *kpi.Rollup
	cal      *calendar.Calendar // business hours of the KPI settings
}

func newHistoryBatch(ctx context.Context, tx *store.Tx, cases []*HistoryCase) (*historyBatch, error) {
	b := &historyBatch{cases: cases, teamOf: map[int64]int64{}}
	users, err := tx.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		b.teamOf[u.ID] = u.TeamID
	}
	var policies []int64
	for _, h := range cases {
		if h.Case.PolicyID != 0 {
			policies = append(policies, h.Case.PolicyID)
		}
	}
	if b.lineOf, err = tx.FindPolicyLines(ctx, policies); err != nil {
		return nil, err
	}
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return nil, err
	}
	if b.cal, err = kpiCalendar(ctx, tx); err != nil {
		return nil, err
	}
	b.delta, err = kpi.NewRollup(kpiDims, opts)
	return b, err
}

// write inserts the rows, then counts them as kpiContactDelta and
// kpiCaseDelta count new records.
func (b *historyBatch) write(ctx context.Context, tx *store.Tx) error {
	cs := make([]*care.Case, len(b.cases))
	for n, h := range b.cases {
		cs[n] = &h.Case
	}
	if err := tx.CreateCasesBulk(ctx, cs); err != nil {
		return err
	}
	for _, h := range b.cases {
		for _, i := range h.Contacts {
			i.CaseID = h.Case.ID
			b.contacts = append(b.contacts, i)
		}
	}
	if err := tx.CreateInteractionsBulk(ctx, b.contacts); err != nil {
		return err
	}
	contactIDs, contactFacts := make([]int64, 0, len(b.contacts)), make([]any, 0, len(b.contacts))
	caseIDs, caseFacts := make([]int64, 0, len(b.cases)), make([]any, 0, len(b.cases))
	for _, h := range b.cases {
		product := b.lineOf[h.Case.PolicyID]
		keys := make([]kpi.Key, len(h.Contacts))
		for k, i := range h.Contacts {
			team, ok := b.teamOf[i.AgentID]
			if !ok || team == 0 {
				team = h.Case.TeamID
			}
			c := kpi.ContactFromInteraction(i, kpi.Key{TeamID: team, CaseType: h.Case.Type, Product: product})
			keys[k] = c.Key
			b.delta.AddContact(c)
			contactIDs, contactFacts = append(contactIDs, i.ID), append(contactFacts, c)
		}
		kc := kpiCaseOf(&store.KPICase{Case: &h.Case, Product: product, Contacts: h.Contacts}, b.cal)
		if err := b.delta.AddCase(kc); err != nil {
			return err
		}
		caseIDs, caseFacts = append(caseIDs, h.Case.ID), append(caseFacts, kc)
		for _, sv := range h.Surveys {
			i := h.Contacts[sv.Contact]
			b.surveys = append(b.surveys, &store.Survey{InteractionID: i.ID, Kind: sv.Kind, Score: sv.Score, AnsweredAt: sv.At,
				AgentID: i.AgentID, Source: "import"})
			if err := b.delta.AddSurvey(kpi.Survey{Key: keys[sv.Contact], At: sv.At, Kind: kpi.SurveyKind(sv.Kind),
				Score: sv.Score}); err != nil {
				return err
			}
		}
	}
	if err := tx.CreateSurveysBulk(ctx, b.surveys); err != nil {
		return err
	}
	if err := tx.SetKPIFactsBulk(ctx, "contact", contactIDs, contactFacts); err != nil {
		return err
	}
	if err := tx.SetKPIFactsBulk(ctx, "case", caseIDs, caseFacts); err != nil {
		return err
	}
	return tx.ApplyKPIBulk(ctx, b.delta)
}

// CreateStaffBulk creates many staff accounts in one transaction, all
// with the same password (hashed once: hashing is slow on purpose), each
// audited as CreateUser audits it. For demo data and benchmarks.
func (s *Service) CreateStaffBulk(ctx context.Context, users []*care.User, password string) error {
	if err := care.ActorFromContext(ctx).Require(care.PermUserAdmin); err != nil {
		return err
	}
	if err := CheckPasswordStrength(password); err != nil {
		return err
	}
	for _, u := range users {
		u.Normalize()
		u.Active = true
		if err := u.Validate(); err != nil {
			return err
		}
	}
	hash := HashPassword(password)
	return s.store.Write(ctx, func(tx *store.Tx) error {
		for _, u := range users {
			if err := checkTeam(ctx, tx, "team_id", u.TeamID); err != nil {
				return err
			}
			if _, err := tx.FindUserByEmail(ctx, u.Email); err == nil {
				return care.Errorf(care.ECONFLICT, "A user with email %s already exists.", u.Email)
			}
			if err := tx.CreateUser(ctx, u, hash); err != nil {
				return err
			}
			if err := audit(ctx, tx, "create", "user", u.ID, map[string]any{"email": u.Email, "role": u.Role, "team_id": u.TeamID}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateCustomersBulk creates customers and, for each (policies[n] belongs
// to customers[n]), their policies in one transaction, many rows per
// statement, audited as one entry. For demo data and benchmarks.
func (s *Service) CreateCustomersBulk(ctx context.Context, customers []*care.Customer, policies [][]*care.Policy) error {
	a := care.ActorFromContext(ctx)
	for _, p := range []care.Permission{care.PermConfigAdmin, care.PermCustomerWrite, care.PermPolicyWrite} {
		if err := a.Require(p); err != nil {
			return err
		}
	}
	if len(policies) != len(customers) {
		return fmt.Errorf("bulk customers: %d policy lists for %d customers", len(policies), len(customers))
	}
	for n, c := range customers {
		c.Normalize()
		if err := c.Validate(); err != nil {
			return fmt.Errorf("customer %d: %w", n, err)
		}
		for _, p := range policies[n] {
			p.CustomerID = 1 // checked before the customer has its id
			p.Normalize()
			if err := p.Validate(); err != nil {
				return fmt.Errorf("customer %d, policy %s: %w", n, p.Number, err)
			}
		}
	}
	if len(customers) == 0 {
		return nil
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCustomersBulk(ctx, customers); err != nil {
			return err
		}
		var all []*care.Policy
		for n, ps := range policies {
			for _, p := range ps {
				p.CustomerID = customers[n].ID
				all = append(all, p)
			}
		}
		if err := tx.CreatePoliciesBulk(ctx, all); err != nil {
			return err
		}
		return audit(ctx, tx, "import", "customer", "", map[string]any{"customers": len(customers), "policies": len(all),
			"first_customer": customers[0].ID, "last_customer": customers[len(customers)-1].ID})
	})
}
