package httpapi

import (
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
)

// meDTO is the caller and what their role allows.
type meDTO struct {
	userDTO
	Permissions []care.Permission `json:"permissions"`
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	actor := care.ActorFromContext(r.Context())
	u, err := a.svc.FindUserByID(r.Context(), actor.UserID)
	if err != nil {
		return err
	}
	perms := []care.Permission{}
	if role := care.FindRole(u.Role); role != nil {
		perms = append(perms, role.Permissions...)
	}
	return writeJSON(w, http.StatusOK, meDTO{userDTO: toUser(u), Permissions: perms})
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := a.svc.FindUsers(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[userDTO]{Items: mapAll(users, toUser)})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.svc.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toUser(u))
}

type userInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	TeamID   int64  `json:"team_id"`
	Password string `json:"password"`
}

// newUserDTO carries a generated password, shown once.
type newUserDTO struct {
	userDTO
	GeneratedPassword string `json:"generated_password,omitempty"`
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	u := &care.User{Email: in.Email, Name: in.Name, Role: in.Role, TeamID: in.TeamID}
	shown, err := a.svc.CreateUser(r.Context(), u, in.Password)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/users/"+strconv.FormatInt(u.ID, 10), newUserDTO{userDTO: toUser(u), GeneratedPassword: shown})
}

// userPatch: absent fields stay as they are; team_id 0 or null clears it.
type userPatch struct {
	Name   optional[string] `json:"name"`
	Role   optional[string] `json:"role"`
	TeamID optional[int64]  `json:"team_id"`
	Active optional[bool]   `json:"active"`
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in userPatch
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	upd := care.UserUpdate{Name: in.Name.ptr(), Role: in.Role.ptr(), TeamID: in.TeamID.ptr(), Active: in.Active.ptr()}
	u, err := a.svc.UpdateUser(r.Context(), id, upd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toUser(u))
}

func (a *API) listTeams(w http.ResponseWriter, r *http.Request) error {
	teams, err := a.svc.FindTeams(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[teamDTO]{Items: mapAll(teams, toTeam)})
}

type teamInput struct {
	Name string `json:"name"`
}

func (a *API) createTeam(w http.ResponseWriter, r *http.Request) error {
	var in teamInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	t := &care.Team{Name: in.Name}
	if err := a.svc.CreateTeam(r.Context(), t); err != nil {
		return err
	}
	return created(w, "", toTeam(t))
}

func (a *API) listDispositionCodes(w http.ResponseWriter, r *http.Request) error {
	codes, err := a.svc.FindDispositionCodes(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[dispositionDTO]{Items: mapAll(codes, toDisposition)})
}

type dispositionInput struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func (a *API) createDispositionCode(w http.ResponseWriter, r *http.Request) error {
	var in dispositionInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	d := &care.DispositionCode{Code: in.Code, Label: in.Label}
	if err := a.svc.CreateDispositionCode(r.Context(), d); err != nil {
		return err
	}
	return created(w, "", toDisposition(d))
}

type tokenInput struct {
	Name   string `json:"name"`
	UserID int64  `json:"user_id"` // administrators only; the caller when 0
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if in.UserID == 0 {
		in.UserID = care.ActorFromContext(r.Context()).UserID
	}
	secret, t, err := a.svc.CreateToken(r.Context(), in.UserID, in.Name)
	if err != nil {
		return err
	}
	return created(w, "", tokenDTO{ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, Token: secret,
		CreatedAt: stamp(t.CreatedAt)})
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := care.AuditFilter{Entity: q.str("entity"), EntityID: q.str("entity_id"), ActorID: q.id("actor_id"),
		Action: q.str("action"), Since: q.time("since"), Until: q.time("until"), Before: q.cursor(), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.svc.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(items, next, toAudit))
}
