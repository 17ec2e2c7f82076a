package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"rsc.io/qr"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// challengeCookie names the cookie that carries a sign-in between a correct
// password and a correct second factor.
func (ui *UI) challengeCookie() string {
	if ui.opts.SecureCookies {
		return "__Host-caredesk_2fa"
	}
	return "caredesk_2fa"
}

// codeData is the second-factor page's data.
type codeData struct {
	Next  string
	Token string
	Error string
}

// secondFactor answers GET /signin/code: the form for the six-digit code
// (or a recovery code) after a correct password.
func (ui *UI) secondFactor(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(ui.challengeCookie()); err != nil || c.Value == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	ui.showCode(w, r, http.StatusOK, codeData{Next: localPath(r.URL.Query().Get("next"))})
}

func (ui *UI) showCode(w http.ResponseWriter, r *http.Request, status int, d codeData) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	d.Token = base64.RawURLEncoding.EncodeToString(b)
	ui.setCookie(w, ui.signinCookie(), d.Token, 600)
	ui.render(w, r, status, "signin-code", &page{Title: "Enter your code", Data: d})
}

// checkSecondFactor answers POST /signin/code.
func (ui *UI) checkSecondFactor(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := ui.cop.Check(r); err != nil {
		ui.renderError(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused.")
		return
	}
	if err := r.ParseForm(); err != nil {
		ui.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	d := codeData{Next: localPath(r.PostForm.Get("next"))}
	tok, err := r.Cookie(ui.signinCookie())
	if err != nil || tok.Value == "" || subtle.ConstantTimeCompare([]byte(tok.Value), []byte(r.PostForm.Get("csrf"))) != 1 {
		d.Error = "The form expired. Please enter the code again."
		ui.showCode(w, r, http.StatusForbidden, d)
		return
	}
	ch, err := r.Cookie(ui.challengeCookie())
	if err != nil || ch.Value == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	ip := ui.opts.ClientIP(r)
	u, err := ui.svc.CompleteSecondFactor(r.Context(), ch.Value, r.PostForm.Get("code"), ip)
	if care.ErrorCode(err) == care.EUNAUTHORIZED {
		d.Error = care.ErrorMessage(err)
		if strings.Contains(d.Error, "expired") {
			ui.setCookie(w, ui.challengeCookie(), "", -1)
			ui.showSignIn(w, r, http.StatusUnauthorized, signInData{Next: d.Next, Error: d.Error})
			return
		}
		ui.showCode(w, r, http.StatusUnauthorized, d)
		return
	} else if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.startSession(w, r, u.ID, ip, d.Next)
}

// startSession signs a user in with a new session and sends them on.
func (ui *UI) startSession(w http.ResponseWriter, r *http.Request, userID int64, ip, next string) {
	// A new secret at every sign-in: a session id planted before sign-in
	// (session fixation) never becomes a signed-in one.
	secret, _, err := ui.svc.CreateSession(r.Context(), userID, ip)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.setCookie(w, ui.sessionCookie(), secret, 0)
	ui.setCookie(w, ui.signinCookie(), "", -1)
	ui.setCookie(w, ui.challengeCookie(), "", -1)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// securityData is the account security page's data.
type securityData struct {
	On       bool
	Recovery int
	Enrol    *service.TOTPEnrolment
	QR       template.HTML
	Codes    []string // recovery codes, shown once
	Error    string
}

// security answers GET /account/security.
func (ui *UI) security(w http.ResponseWriter, r *http.Request) {
	ui.showSecurity(w, r, http.StatusOK, &securityData{})
}

func (ui *UI) showSecurity(w http.ResponseWriter, r *http.Request, status int, d *securityData) {
	var err error
	d.On, d.Recovery, err = ui.svc.TOTPStatus(r.Context(), stateFrom(r.Context()).user.ID)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, status, "security", &page{Title: "Sign-in security", Nav: "security", Data: d})
}

// beginTOTP answers POST /account/totp: a new secret, shown as a QR code.
func (ui *UI) beginTOTP(w http.ResponseWriter, r *http.Request) {
	e, err := ui.svc.BeginTOTP(r.Context())
	if err != nil {
		ui.securityFailed(w, r, err, nil)
		return
	}
	ui.showEnrolment(w, r, http.StatusOK, e, "")
}

func (ui *UI) showEnrolment(w http.ResponseWriter, r *http.Request, status int, e *service.TOTPEnrolment, msg string) {
	svg, err := qrSVG(e.URI)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.showSecurity(w, r, status, &securityData{Enrol: e, QR: svg, Error: msg})
}

// confirmTOTP answers POST /account/totp/confirm.
func (ui *UI) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	codes, err := ui.svc.ConfirmTOTP(r.Context(), r.PostForm.Get("code"))
	if err != nil {
		if care.ErrorCode(err) == care.EINVALID {
			// Show the same secret again: the app already holds it.
			e := &service.TOTPEnrolment{Secret: r.PostForm.Get("secret"), URI: r.PostForm.Get("uri")}
			if strings.HasPrefix(e.URI, "otpauth://") {
				ui.showEnrolment(w, r, http.StatusUnprocessableEntity, e, "The code "+care.ErrorFields(err)[0].Message+".")
				return
			}
		}
		ui.securityFailed(w, r, err, nil)
		return
	}
	ui.showSecurity(w, r, http.StatusOK, &securityData{Codes: codes})
}

// disableTOTP answers POST /account/totp/disable, and POST
// /admin/users/{id}/totp for an administrator helping someone who lost
// their phone.
func (ui *UI) disableTOTP(w http.ResponseWriter, r *http.Request) {
	id := stateFrom(r.Context()).user.ID
	if v := r.PathValue("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil {
			ui.renderError(w, r, http.StatusNotFound, "")
			return
		}
	}
	if err := ui.svc.DisableTOTP(r.Context(), id); err != nil {
		ui.securityFailed(w, r, err, nil)
		return
	}
	ui.setFlash(w, "totpoff")
	if r.PathValue("id") != "" {
		http.Redirect(w, r, "/admin#user-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/account/security", http.StatusSeeOther)
}

func (ui *UI) securityFailed(w http.ResponseWriter, r *http.Request, err error, d *securityData) {
	switch care.ErrorCode(err) {
	case care.EPRECONDITION, care.EINVALID:
		if d == nil {
			d = &securityData{}
		}
		d.Error = care.ErrorMessage(err)
		ui.showSecurity(w, r, errorStatus(err), d)
	default:
		ui.fail(w, r, err)
	}
}

// qrSVG draws text as a QR code in SVG: crisp at any size, and inline, so
// the secret never leaves the page as an image request.
func qrSVG(text string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + strconv.Itoa(n) + ` ` + strconv.Itoa(n) +
		`" width="220" height="220" shape-rendering="crispEdges" role="img" aria-label="QR code to scan with your authenticator app">`)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				b.WriteString("M" + strconv.Itoa(x+quiet) + " " + strconv.Itoa(y+quiet) + "h1v1h-1z")
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil // built only from numbers above
}
