package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// maxFormBytes bounds a form post; a note longer than this belongs in an
// attachment, not a text area.
const maxFormBytes = 1 << 20

// state is what requireSession learns about a signed-in request.
type state struct {
	sess  *store.Session
	user  *care.User
	actor care.Actor
}

type stateKey struct{}

func stateFrom(ctx context.Context) *state {
	st, _ := ctx.Value(stateKey{}).(*state)
	return st
}

// sessionCookie names the session cookie. Over HTTPS the __Host- prefix
// makes browsers refuse it unless Secure, host-only and Path=/, so a
// sibling subdomain cannot plant or overwrite it.
func (ui *UI) sessionCookie() string {
	if ui.opts.SecureCookies {
		return "__Host-caredesk_session"
	}
	return "caredesk_session"
}

// setCookie sets a cookie with the attributes every caredesk cookie shares.
func (ui *UI) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: ui.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// requireSession lets a request through only with a live session: it puts
// the session's actor in the context for the service, and checks CSRF on
// every state-changing method.
func (ui *UI) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(ui.sessionCookie())
		if err != nil || c.Value == "" {
			ui.redirectToSignIn(w, r)
			return
		}
		sess, u, err := ui.svc.FindSession(r.Context(), c.Value)
		if care.ErrorCode(err) == care.EUNAUTHORIZED {
			ui.setCookie(w, ui.sessionCookie(), "", -1)
			ui.redirectToSignIn(w, r)
			return
		} else if err != nil {
			ui.fail(w, r, err)
			return
		}
		actor := care.Actor{UserID: u.ID, Name: u.Email, Role: u.Role, Source: "web", IP: ui.opts.ClientIP(r)}
		ctx := care.NewContextWithActor(r.Context(), actor)
		ctx = context.WithValue(ctx, stateKey{}, &state{sess: sess, user: u, actor: actor})
		r = r.WithContext(ctx)
		if !isSafe(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if !ui.checkCSRF(w, r, sess.CSRF) {
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// checkCSRF refuses a state-changing request unless it is same-origin (by
// Sec-Fetch-Site or Origin, when the browser sends them) and carries the
// expected token in its "csrf" form field. It writes the refusal itself.
func (ui *UI) checkCSRF(w http.ResponseWriter, r *http.Request, want string) bool {
	if err := ui.cop.Check(r); err != nil {
		ui.renderError(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused.")
		return false
	}
	if err := r.ParseForm(); err != nil {
		ui.renderError(w, r, http.StatusBadRequest, "The form could not be read (it may be too large).")
		return false
	}
	got := r.PostForm.Get("csrf")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		ui.renderError(w, r, http.StatusForbidden,
			"This form has expired or did not come from caredesk. Go back, reload the page and try again.")
		return false
	}
	return true
}

// redirectToSignIn sends a signed-out visitor to the sign-in page, which
// brings them back afterwards. After a form post it returns to the page
// the form was on, not to the post's address.
func (ui *UI) redirectToSignIn(w http.ResponseWriter, r *http.Request) {
	back := r.URL.RequestURI()
	if !isSafe(r.Method) {
		back = ""
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
			back = ref.RequestURI()
		}
	}
	target := "/signin"
	if next := localPath(back); next != "/" {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns p when it is a path on this site, and "/" otherwise, so
// that ?next= can never send a user to another site (open redirect).
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsAny(p, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if strings.HasPrefix(u.Path, "/signin") || strings.HasPrefix(u.Path, "/signout") || strings.HasPrefix(u.Path, "/static/") {
		return "/"
	}
	return p
}

// Flash messages survive one redirect (Post/Redirect/Get) in a short-lived
// cookie. The cookie holds only a key into this table, so it can never carry
// text of an attacker's choosing onto a page.
var flashes = map[string]string{
	"note":        "Note added.",
	"contact":     "Contact logged.",
	"updated":     "Case updated.",
	"unchanged":   "Nothing changed: the case already had those values.",
	"signedout":   "You have signed out.",
	"moved":       "The chosen cases were moved.",
	"user":        "User updated.",
	"totpoff":     "The second factor is off: sign-in asks for the password only.",
	"team":        "Team added.",
	"disposition": "Disposition code added.",
	"replied":     "Reply queued for sending; it is on the timeline.",
	"closed":      "Case closed with its outcome.",
	"moved1":      "The case was moved.",
	"moved0":      "Nothing moved: the chosen cases were already there.",
	// SLA policy and calendar administration (admin_sla.go, admin_calendars.go)
	"sla":           "SLA policy saved as a new version: clocks started from now on use it.",
	"slaunchanged":  "Nothing changed: the SLA policy already had those values.",
	"slarestored":   "The earlier version was saved again as the newest: clocks started from now on use it.",
	"calendar":      "Calendar saved: clocks started from now on count on it.",
	"calday":        "Day added to the calendar.",
	"caldayremoved": "Day removed from the calendar.",
}

const flashCookie = "caredesk_flash"

func (ui *UI) setFlash(w http.ResponseWriter, key string) {
	ui.setCookie(w, flashCookie, key, 60)
}

// takeFlash returns the pending flash message, if any, and clears it.
func (ui *UI) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	ui.setCookie(w, flashCookie, "", -1)
	return flashes[c.Value]
}
