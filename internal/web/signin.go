package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// signinCookie names the cookie that holds the double-submit token of the
// sign-in form, which has no session (and so no session token) yet.
func (ui *UI) signinCookie() string {
	if ui.opts.SecureCookies {
		return "__Host-caredesk_signin"
	}
	return "caredesk_signin"
}

// signInData is the sign-in page's data. It never holds the password.
type signInData struct {
	Email string
	Next  string
	Token string
	Error string
}

func (ui *UI) signInForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	// Someone already signed in (a second tab, the back button) goes on to
	// where they were heading instead of signing in twice.
	if c, err := r.Cookie(ui.sessionCookie()); err == nil && c.Value != "" {
		if _, _, err := ui.svc.FindSession(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
	}
	ui.showSignIn(w, r, http.StatusOK, signInData{Next: next})
}

// showSignIn renders the sign-in form with a fresh double-submit token in
// both a cookie and the form.
func (ui *UI) showSignIn(w http.ResponseWriter, r *http.Request, status int, d signInData) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	d.Token = base64.RawURLEncoding.EncodeToString(b)
	ui.setCookie(w, ui.signinCookie(), d.Token, 3600)
	ui.render(w, r, status, "signin", &page{Title: "Sign in", Data: d})
}

func (ui *UI) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := ui.cop.Check(r); err != nil {
		ui.renderError(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused.")
		return
	}
	if err := r.ParseForm(); err != nil {
		ui.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	d := signInData{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: localPath(r.PostForm.Get("next"))}
	c, err := r.Cookie(ui.signinCookie())
	token := r.PostForm.Get("csrf")
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(token)) != 1 {
		d.Error = "The sign-in form expired or your browser refused its cookie. Please try again (caredesk needs cookies to keep you signed in)."
		ui.showSignIn(w, r, http.StatusForbidden, d)
		return
	}
	password := r.PostForm.Get("password")
	if d.Email == "" || password == "" {
		d.Error = "Enter your email and your password."
		ui.showSignIn(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	ip := ui.opts.ClientIP(r)
	u, err := ui.svc.SignIn(r.Context(), d.Email, password, ip)
	if err != nil {
		if care.ErrorCode(err) != care.EUNAUTHORIZED {
			ui.fail(w, r, err)
			return
		}
		d.Error = care.ErrorMessage(err)
		ui.showSignIn(w, r, http.StatusUnauthorized, d)
		return
	}
	on, _, err := ui.svc.TOTPStatus(r.Context(), u.ID)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	if on {
		challenge, err := ui.svc.StartSecondFactor(r.Context(), u.ID, ip)
		if err != nil {
			ui.fail(w, r, err)
			return
		}
		ui.setCookie(w, ui.challengeCookie(), challenge, 300)
		target := "/signin/code"
		if d.Next != "/" {
			target += "?next=" + url.QueryEscape(d.Next)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	ui.startSession(w, r, u.ID, ip, d.Next)
}

func (ui *UI) signOut(w http.ResponseWriter, r *http.Request) {
	st := stateFrom(r.Context())
	if err := ui.svc.SignOut(r.Context(), st.sess.ID); err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.setCookie(w, ui.sessionCookie(), "", -1)
	ui.setFlash(w, "signedout")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
