package httpapi

import (
	"net/http"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/signals"
)

type clockRuleDTO struct {
	Amount      int    `json:"amount"`
	FirstAmount int    `json:"first_amount"`
	Unit        string `json:"unit"`
	Recurring   bool   `json:"recurring"`
	Pausable    bool   `json:"pausable"`
	RollForward bool   `json:"roll_forward"`
	Source      string `json:"source"`
	OnBreach    string `json:"on_breach"`
}

type clockPauseDTO struct {
	From *string `json:"from"`
	To   *string `json:"to"`
}

type clockDTO struct {
	ID               int64           `json:"id"`
	CaseID           int64           `json:"case_id"`
	Regime           string          `json:"regime"`
	Variant          string          `json:"variant"`
	Name             string          `json:"name"`
	Occurrence       int             `json:"occurrence"`
	Calendar         string          `json:"calendar"`
	Zone             string          `json:"zone"`
	State            string          `json:"state"` // as of the answer, even before the next sweep records it
	StartEvent       string          `json:"start_event"`
	StartedAt        *string         `json:"started_at"`
	WarnAt           *string         `json:"warn_at"`
	Due              *string         `json:"due"`               // named as the issue that defined the case JSON asks
	RemainingSeconds int64           `json:"remaining_seconds"` // negative once overdue
	PausedAt         *string         `json:"paused_at"`
	Pauses           []clockPauseDTO `json:"pauses"`
	MetAt            *string         `json:"met_at"`
	BreachedAt       *string         `json:"breached_at"`
	Basis            string          `json:"basis"`
	Rule             clockRuleDTO    `json:"rule"`
}

func toClock(k *care.Clock, now time.Time) clockDTO {
	pauses := make([]clockPauseDTO, len(k.Pauses))
	for i, p := range k.Pauses {
		pauses[i] = clockPauseDTO{From: stamp(p.From), To: stamp(p.To)}
	}
	r := k.Rule
	return clockDTO{ID: k.ID, CaseID: k.CaseID, Regime: k.Regime, Variant: k.Variant, Name: k.Name,
		Occurrence: k.Occurrence, Calendar: k.Calendar, Zone: k.Zone, State: k.StateAt(now), StartEvent: k.StartEvent,
		StartedAt: stamp(k.StartedAt), WarnAt: stamp(k.WarnAt), Due: stamp(k.DueAt),
		RemainingSeconds: int64(k.Remaining(now) / time.Second), PausedAt: stamp(k.PausedAt), Pauses: pauses,
		MetAt: stamp(k.MetAt), BreachedAt: stamp(k.BreachedAt), Basis: k.Basis,
		Rule: clockRuleDTO{Amount: r.Amount, FirstAmount: r.FirstAmount, Unit: r.Unit, Recurring: r.Recurring,
			Pausable: r.Pausable, RollForward: r.RollForward, Source: r.Source, OnBreach: r.OnBreach}}
}

// listClocks answers a case's clocks. The case is looked up first because
// the key may be a reference; that lookup is the audited read the clocks
// belong to, and the clocks themselves are read without writing.
func (a *API) listClocks(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.FindCase(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	clocks, err := a.svc.FindCaseClocks(r.Context(), c.ID)
	if err != nil {
		return err
	}
	now := a.svc.Now()
	return writeJSON(w, http.StatusOK, page[clockDTO]{Items: mapAll(clocks, func(k *care.Clock) clockDTO { return toClock(k, now) })})
}

type eventInput struct {
	Name string    `json:"name"`
	At   timestamp `json:"at"`
}

func (a *API) recordEvent(w http.ResponseWriter, r *http.Request) error {
	var in eventInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.svc.RecordCaseEvent(r.Context(), r.PathValue("key"), in.Name, in.At.Time)
	if err != nil {
		return err
	}
	setETag(w, c)
	return writeJSON(w, http.StatusOK, toCase(c))
}

type notificationDTO struct {
	ID        int64   `json:"id"`
	CaseID    *int64  `json:"case_id"`
	Kind      string  `json:"kind"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	CreatedAt *string `json:"created_at"`
	ReadAt    *string `json:"read_at"`
}

func toNotification(n *care.Notification) notificationDTO {
	return notificationDTO{ID: n.ID, CaseID: ref(n.CaseID), Kind: n.Kind, Title: n.Title, Body: n.Body,
		CreatedAt: stamp(n.CreatedAt), ReadAt: stamp(n.ReadAt)}
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	unread, limit := q.flag("unread"), q.limit()
	if err := q.err(); err != nil {
		return err
	}
	items, err := a.svc.FindNotifications(r.Context(), unread, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[notificationDTO]{Items: mapAll(items, toNotification)})
}

type readInput struct {
	IDs []int64 `json:"ids"` // empty marks every notification read
}

func (a *API) markNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	var in readInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.MarkNotificationsRead(r.Context(), in.IDs); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type scoreInput struct {
	Text          string `json:"text"`
	PriorContacts int    `json:"prior_contacts"`
}

type reasonDTO struct {
	Signal   string  `json:"signal"`
	Evidence string  `json:"evidence"`
	Weight   float64 `json:"weight"`
}

type scoreDTO struct {
	Complaint bool        `json:"complaint"`
	Score     float64     `json:"score"`
	Threshold float64     `json:"threshold"`
	Reasons   []reasonDTO `json:"reasons"`
}

// scoreSignals rates a message for signs of a complaint. The service
// redacts the text first, since the reasons quote it back.
func (a *API) scoreSignals(w http.ResponseWriter, r *http.Request) error {
	var in scoreInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	res, err := a.svc.ScoreComplaintSignals(r.Context(), in.Text, in.PriorContacts)
	if err != nil {
		return err
	}
	out := scoreDTO{Complaint: res.Complaint, Score: res.Score, Threshold: signals.Threshold, Reasons: []reasonDTO{}}
	for _, re := range res.Reasons {
		out.Reasons = append(out.Reasons, reasonDTO{Signal: re.Signal, Evidence: re.Evidence, Weight: re.Weight})
	}
	return writeJSON(w, http.StatusOK, out)
}
