package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

type caseInput struct {
	Type        string            `json:"type"`
	Channel     string            `json:"channel"`
	CustomerID  int64             `json:"customer_id"`
	PolicyID    int64             `json:"policy_id"`
	TeamID      int64             `json:"team_id"`
	AssigneeID  int64             `json:"assignee_id"`
	Priority    string            `json:"priority"`
	Subject     string            `json:"subject"`
	Description string            `json:"description"`
	ReceivedAt  timestamp         `json:"received_at"`
	Regimes     []string          `json:"regimes"`
	Interaction *interactionInput `json:"interaction"`
}

type interactionInput struct {
	Channel       string    `json:"channel"`
	Direction     string    `json:"direction"`
	Body          string    `json:"body"`
	Subject       string    `json:"subject"`
	AgentID       int64     `json:"agent_id"`
	Queue         string    `json:"queue"`
	Disposition   string    `json:"disposition"`
	OfferedAt     timestamp `json:"offered_at"`
	AnsweredAt    timestamp `json:"answered_at"`
	EndedAt       timestamp `json:"ended_at"`
	WrapUpEndedAt timestamp `json:"wrap_up_ended_at"`
	Abandoned     bool      `json:"abandoned"`
	ExternalID    string    `json:"external_id"`
}

func (in *interactionInput) interaction() *care.Interaction {
	return &care.Interaction{Channel: in.Channel, Direction: in.Direction, Body: in.Body, Subject: in.Subject,
		AgentID: in.AgentID, Queue: in.Queue, Disposition: in.Disposition, OfferedAt: in.OfferedAt.Time,
		AnsweredAt: in.AnsweredAt.Time, EndedAt: in.EndedAt.Time, WrapUpEndedAt: in.WrapUpEndedAt.Time,
		Abandoned: in.Abandoned, ExternalID: in.ExternalID}
}

// caseLocation is a case's canonical URL, by its human reference.
func caseLocation(c *care.Case) string {
	return "/api/v1/cases/" + url.PathEscape(c.Reference)
}

func (a *API) createCase(w http.ResponseWriter, r *http.Request) error {
	var in caseInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	nc := service.NewCase{Case: care.Case{Type: in.Type, Channel: in.Channel, CustomerID: in.CustomerID,
		PolicyID: in.PolicyID, TeamID: in.TeamID, AssigneeID: in.AssigneeID, Priority: in.Priority,
		Subject: in.Subject, Description: in.Description, ReceivedAt: in.ReceivedAt.Time, Regimes: in.Regimes}}
	if in.Interaction != nil {
		nc.First = in.Interaction.interaction()
	}
	c, err := a.svc.CreateCase(r.Context(), nc)
	if err != nil {
		return err
	}
	setETag(w, c)
	return created(w, caseLocation(c), toCase(c))
}

// caseWithClocks is a single case as GET answers it: with its deadlines.
type caseWithClocks struct {
	caseDTO
	Clocks []clockDTO `json:"clocks"`
}

// getCase answers a case with its clocks. FindCase is the audited read;
// the clocks are part of the case and read without writing.
func (a *API) getCase(w http.ResponseWriter, r *http.Request) error {
	c, err := a.svc.FindCase(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	clocks, err := a.svc.FindCaseClocks(r.Context(), c.ID)
	if err != nil {
		return err
	}
	now := a.svc.Now()
	setETag(w, c)
	return writeJSON(w, http.StatusOK, caseWithClocks{caseDTO: toCase(c),
		Clocks: mapAll(clocks, func(k *care.Clock) clockDTO { return toClock(k, now) })})
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := care.CaseFilter{Status: q.list("status"), Type: q.str("type"), TeamID: q.id("team"),
		CustomerID: q.id("customer_id"), Open: q.flag("open"), Before: q.cursor(), Limit: q.limit()}
	if q.str("assignee") == "me" {
		f.AssigneeID = care.ActorFromContext(r.Context()).UserID
	} else {
		f.AssigneeID = q.id("assignee")
	}
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.svc.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(items, next, toCase))
}

// casePatch: absent fields stay as they are; team_id or assignee_id of 0
// or null clears the assignment.
type casePatch struct {
	Status     optional[string] `json:"status"`
	Priority   optional[string] `json:"priority"`
	TeamID     optional[int64]  `json:"team_id"`
	AssigneeID optional[int64]  `json:"assignee_id"`
	Subject    optional[string] `json:"subject"`
	Type       optional[string] `json:"type"`
	CustomerID optional[int64]  `json:"customer_id"`
	PolicyID   optional[int64]  `json:"policy_id"`
	Version    int64            `json:"version"`
}

func (a *API) updateCase(w http.ResponseWriter, r *http.Request) error {
	var in casePatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	version, err := ifMatchVersion(r, in.Version)
	if err != nil {
		return err
	}
	upd := care.CaseUpdate{Status: in.Status.ptr(), Priority: in.Priority.ptr(), TeamID: in.TeamID.ptr(),
		AssigneeID: in.AssigneeID.ptr(), Subject: in.Subject.ptr(), Type: in.Type.ptr(),
		CustomerID: in.CustomerID.ptr(), PolicyID: in.PolicyID.ptr(), Version: version}
	c, err := a.svc.UpdateCase(r.Context(), r.PathValue("key"), upd)
	if err != nil {
		return err
	}
	setETag(w, c)
	return writeJSON(w, http.StatusOK, toCase(c))
}

// setETag exposes a case's version as its entity tag, for If-Match.
func setETag(w http.ResponseWriter, c *care.Case) {
	w.Header().Set("ETag", `"`+strconv.FormatInt(c.Version, 10)+`"`)
}

// ifMatchVersion reconciles the body's version with an If-Match header
// carrying a case's ETag; either alone works, both must agree.
func ifMatchVersion(r *http.Request, body int64) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return body, nil
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, malformed("If-Match", `must be the case's ETag, such as "3"`)
	}
	if body != 0 && body != v {
		return 0, care.Invalid("version", "disagrees with the If-Match header (%d)", v)
	}
	return v, nil
}

func (a *API) createInteraction(w http.ResponseWriter, r *http.Request) error {
	var in interactionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	i := in.interaction()
	c, err := a.svc.CreateInteraction(r.Context(), r.PathValue("key"), i)
	if err != nil {
		return err
	}
	return created(w, caseLocation(c)+"/interactions", toInteraction(i))
}

func (a *API) listInteractions(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	after, limit := q.cursor(), q.limit()
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.svc.FindInteractions(r.Context(), r.PathValue("key"), after, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(items, next, toInteraction))
}
