package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
)

func TestAdminPages(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := &care.User{Email: "ada@example.com", Name: "Ada Admin", Role: "admin"}
		if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
			t.Fatal(err)
		}
		e.users["admin"] = admin
		c := e.client()
		c.signIn("supervisor")
		wantStatus(t, c.get("/admin"), http.StatusForbidden)

		a := e.client()
		r := a.signIn("admin")
		mustContain(t, r, `href="/admin"`)
		r = a.get("/admin")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "Alice Agent", "Contact-centre agent", "callback_promised")

		r = a.post("/admin/teams", url.Values{"name": {"Motor claims"}})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, a.follow(r), "Team added.", "Motor claims")
		r = a.post("/admin/teams", url.Values{"name": {"Motor claims"}})
		wantStatus(t, r, http.StatusConflict)
		mustContain(t, r, "already exists")
		teams, _ := e.svc.FindTeams(e.sys)

		r = a.post("/admin/users", url.Values{"name": {"Nina New"}, "email": {"not-an-email"}, "role": {"agent"}, "team": {"0"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "must be an email address", `value="Nina New"`)
		r = a.post("/admin/users", url.Values{"name": {"Nina New"}, "email": {"nina@example.com"}, "role": {"claims_handler"},
			"team": {strconv.FormatInt(teams[0].ID, 10)}})
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `id="shown-password"`, "nina@example.com can now sign in")
		nina, err := e.svc.FindUserByEmail(e.sys, "nina@example.com")
		if err != nil || nina.Role != "claims_handler" || nina.TeamID != teams[0].ID {
			t.Fatalf("created user: %v %+v", err, nina)
		}

		agent := e.users["agent"]
		r = a.post("/admin/users/"+strconv.FormatInt(agent.ID, 10), url.Values{"role": {"supervisor"}, "team": {"0"}})
		wantStatus(t, r, http.StatusSeeOther)
		got, _ := e.svc.FindUserByID(e.sys, agent.ID)
		if got.Role != "supervisor" || got.Active {
			t.Fatalf("role change and deactivation: %+v", got)
		}
		// An administrator may not lock themselves out.
		r = a.post("/admin/users/"+strconv.FormatInt(admin.ID, 10), url.Values{"role": {"admin"}, "team": {"0"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "You cannot deactivate yourself")

		r = a.post("/admin/dispositions", url.Values{"code": {"Bad Code"}, "label": {"x"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "lower-case letters")
		r = a.post("/admin/dispositions", url.Values{"code": {"resolved_first_contact"}, "label": {"Resolved at first contact"}})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, a.follow(r), "Resolved at first contact")
	})
}
