package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// adminData is the administration page's data.
type adminData struct {
	Users        []*care.User
	Teams        []*care.Team
	TeamNames    map[int64]string
	Dispositions []*care.DispositionCode
	Roles        []care.Role
	NewUser      form
	NewTeam      form
	NewCode      form
	Edit         map[int64]form // a failed edit of one user, by ID
	Shown        string         // a generated password, shown once
	ShownFor     string
	CanUsers     bool
	CanTeams     bool
	CanCodes     bool
}

// admin answers GET /admin: staff and their roles and teams, teams, and
// disposition codes.
func (ui *UI) admin(w http.ResponseWriter, r *http.Request) {
	ui.showAdmin(w, r, http.StatusOK, &adminData{})
}

func (ui *UI) showAdmin(w http.ResponseWriter, r *http.Request, status int, d *adminData) {
	ctx := r.Context()
	actor := care.ActorFromContext(ctx)
	d.CanUsers, d.CanTeams, d.CanCodes = actor.Can(care.PermUserAdmin), actor.Can(care.PermTeamAdmin), actor.Can(care.PermConfigAdmin)
	if !d.CanUsers && !d.CanTeams && !d.CanCodes {
		ui.renderError(w, r, http.StatusForbidden, "")
		return
	}
	var err error
	if d.Users, err = ui.svc.FindUsers(ctx); err != nil {
		ui.fail(w, r, err)
		return
	}
	if d.Teams, err = ui.svc.FindTeams(ctx); err != nil {
		ui.fail(w, r, err)
		return
	}
	if d.Dispositions, err = ui.svc.FindDispositionCodes(ctx); err != nil {
		ui.fail(w, r, err)
		return
	}
	d.TeamNames = map[int64]string{}
	for _, t := range d.Teams {
		d.TeamNames[t.ID] = t.Name
	}
	d.Roles = care.Roles
	for _, f := range []*form{&d.NewUser, &d.NewTeam, &d.NewCode} {
		if f.Values == nil {
			*f = newForm()
		}
	}
	if d.NewUser.Values["role"] == "" {
		d.NewUser.Values["role"] = "agent"
	}
	if d.Edit == nil {
		d.Edit = map[int64]form{}
	}
	ui.render(w, r, status, "admin", &page{Title: "Administration", Nav: "admin", Data: d})
}

// adminFailed shows the page again with a failed form's values and errors,
// or the error page for errors that are not about the form.
func (ui *UI) adminFailed(w http.ResponseWriter, r *http.Request, err error, f form, set func(*adminData, form)) {
	switch care.ErrorCode(err) {
	case care.EINVALID, care.ECONFLICT, care.EPRECONDITION, care.EFORBIDDEN:
	default:
		ui.fail(w, r, err)
		return
	}
	for _, fe := range care.ErrorFields(err) {
		f.Errors[strings.TrimSuffix(fe.Field, "_id")] = fe.Message
	}
	f.Error = care.ErrorMessage(err)
	d := &adminData{}
	set(d, f)
	ui.showAdmin(w, r, errorStatus(err), d)
}

func formOf(r *http.Request, fields ...string) form {
	f := newForm()
	for _, k := range fields {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	return f
}

// createUser answers POST /admin/users.
func (ui *UI) createUser(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "email", "name", "role", "team")
	team, _ := strconv.ParseInt(f.Get("team"), 10, 64)
	u := &care.User{Email: f.Get("email"), Name: f.Get("name"), Role: f.Get("role"), TeamID: team}
	shown, err := ui.svc.CreateUser(r.Context(), u, "")
	if err != nil {
		ui.adminFailed(w, r, err, f, func(d *adminData, f form) { d.NewUser = f })
		return
	}
	// The generated password is shown once, on this response: it is never
	// stored in clear and never put in a cookie or a URL.
	ui.showAdmin(w, r, http.StatusOK, &adminData{Shown: shown, ShownFor: u.Email})
}

// updateUser answers POST /admin/users/{id}: role, team and active.
func (ui *UI) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		ui.renderError(w, r, http.StatusNotFound, "")
		return
	}
	f := formOf(r, "role", "team", "active")
	upd := care.UserUpdate{}
	if v := f.Get("role"); v != "" {
		upd.Role = &v
	}
	team, err := strconv.ParseInt(f.Get("team"), 10, 64)
	if err == nil && team >= 0 {
		upd.TeamID = &team
	}
	active := f.Get("active") == "1"
	upd.Active = &active
	if _, err := ui.svc.UpdateUser(r.Context(), id, upd); err != nil {
		ui.adminFailed(w, r, err, f, func(d *adminData, f form) { d.Edit = map[int64]form{id: f} })
		return
	}
	ui.setFlash(w, "user")
	http.Redirect(w, r, "/admin#user-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// createTeam answers POST /admin/teams.
func (ui *UI) createTeam(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "name")
	if err := ui.svc.CreateTeam(r.Context(), &care.Team{Name: f.Get("name")}); err != nil {
		ui.adminFailed(w, r, err, f, func(d *adminData, f form) { d.NewTeam = f })
		return
	}
	ui.setFlash(w, "team")
	http.Redirect(w, r, "/admin#teams", http.StatusSeeOther)
}

// createDisposition answers POST /admin/dispositions.
func (ui *UI) createDisposition(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "code", "label")
	if err := ui.svc.CreateDispositionCode(r.Context(), &care.DispositionCode{Code: f.Get("code"), Label: f.Get("label")}); err != nil {
		ui.adminFailed(w, r, err, f, func(d *adminData, f form) { d.NewCode = f })
		return
	}
	ui.setFlash(w, "disposition")
	http.Redirect(w, r, "/admin#dispositions", http.StatusSeeOther)
}
