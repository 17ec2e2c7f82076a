// Package web serves caredesk's staff web UI: server-rendered HTML pages
// (html/template, embedded with go:embed) for agents, supervisors and
// compliance staff. It signs staff in with a session cookie, protects every
// state-changing form against CSRF, and calls internal/service for all work,
// so the UI follows exactly the rules and permissions of the API.
//
// To add a page: write templates/pages/NAME.html defining "content" (it
// receives a page, with the page's own data in .Data), a handler that calls
// the service and then ui.render(w, r, status, "NAME", &page{…}), and one
// line in the route table in routes. Forms post the session's token in a
// hidden "csrf" field; requireSession checks it before the handler runs.
// Styles go in static/app.css and behaviour in static/app.js (the Content
// Security Policy forbids inline script and style); templates link them
// with {{asset "app.css"}}, which gives the content-hashed URL.
//
// Times are rendered as <time datetime="RFC 3339 UTC"> with the UTC text as
// the fallback; app.js rewrites elements marked data-local into the
// viewer's time zone, keeps data-relative ones ("5 minutes ago") current,
// and counts data-countdown ones down to a deadline.
package web

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/webasset"
)

// Options configure the UI.
type Options struct {
	// SecureCookies marks cookies Secure and gives the session cookie the
	// __Host- prefix. Set it whenever the UI is served over HTTPS.
	SecureCookies bool
	// Logger receives one line per failed request; slog.Default when nil.
	Logger *slog.Logger
	// ClientIP returns the address recorded in the audit trail for a
	// request. The default is the host part of RemoteAddr; set it when
	// caredesk runs behind a trusted reverse proxy.
	ClientIP func(*http.Request) string
}

// UI is the staff web UI, an http.Handler.
type UI struct {
	svc    *service.Service
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	pages  *pages
	assets *webasset.Set
	cop    *http.CrossOriginProtection
}

// New returns the UI over svc. It parses every template and hashes every
// static asset once, so a broken template fails here rather than on a
// request.
func New(svc *service.Service, opts Options) (*UI, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ClientIP == nil {
		opts.ClientIP = remoteHost
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	p, err := parsePages(a)
	if err != nil {
		return nil, err
	}
	ui := &UI{svc: svc, opts: opts, log: opts.Logger, mux: http.NewServeMux(), pages: p, assets: a,
		cop: http.NewCrossOriginProtection()}
	ui.routes()
	return ui, nil
}

// route is one line of the route table. Pages that need a signed-in user
// say so here; the permission each action needs is checked by the service
// method the handler calls (named in the comment beside the route).
type route struct {
	pattern string
	auth    bool
	handler func(w http.ResponseWriter, r *http.Request)
}

func (ui *UI) routes() {
	table := []route{
		{"GET /static/{name}", false, ui.assets.Serve},
		{"GET /signin", false, ui.signInForm},
		{"POST /signin", false, ui.signIn},
		{"GET /signin/code", false, ui.secondFactor},
		{"POST /signin/code", false, ui.checkSecondFactor},
		{"POST /signout", true, ui.signOut},
		{"GET /account/security", true, ui.security},                // the user's own
		{"POST /account/totp", true, ui.beginTOTP},                  // the user's own
		{"POST /account/totp/confirm", true, ui.confirmTOTP},        // the user's own
		{"POST /account/totp/disable", true, ui.disableTOTP},        // the user's own
		{"POST /admin/users/{id}/totp", true, ui.disableTOTP},       // user:admin
		{"GET /{$}", true, ui.myQueue},                              // case:read
		{"GET /queue", true, ui.myQueue},                            // case:read
		{"GET /queue/team", true, ui.teamQueue},                     // case:read
		{"GET /supervisor", true, ui.supervisor},                    // case:assign
		{"GET /dashboard", true, ui.dashboard},                      // kpi:read
		{"GET /dashboard/{file}", true, ui.dashboardCSV},            // kpi:read (trend.csv, gauges.csv …)
		{"POST /dashboard/targets", true, ui.saveTargets},           // config:admin
		{"GET /admin", true, ui.admin},                              // user:admin, team:admin or config:admin
		{"POST /admin/users", true, ui.createUser},                  // user:admin
		{"POST /admin/users/{id}", true, ui.updateUser},             // user:admin
		{"POST /admin/teams", true, ui.createTeam},                  // team:admin
		{"POST /admin/dispositions", true, ui.createDisposition},    // config:admin
		{"GET /search", true, ui.search},                            // case:read (customer:read for customers)
		{"POST /cases/assign", true, ui.bulkAssign},                 // case:assign
		{"GET /cases", true, ui.caseList},                           // case:read
		{"GET /cases/{key}", true, ui.casePage},                     // case:read, interaction:read, customer:read
		{"POST /cases/{key}/interactions", true, ui.addInteraction}, // interaction:write
		{"POST /cases/{key}/update", true, ui.updateCase},           // case:write (case:assign for others)
		{"POST /cases/{key}/reply", true, ui.replyEmail},            // interaction:write
		{"POST /cases/{key}/close", true, ui.closeCase},             // case:write, interaction:write

		{"GET /renewals", true, ui.renewalsPage},                        // policy:read
		{"GET /policies/{key}", true, ui.policyPage},                    // policy:read
		{"POST /policies/{key}/transitions", true, ui.policyTransition}, // policy:write
		{"POST /policies/{key}/renewal", true, ui.policyRenewal},        // policy:write
		{"POST /policies/{key}/changes", true, ui.policyChange},         // case:write
		{"POST /policies/{key}/changes/{id}", true, ui.policyDecide},    // policy:write
		{"POST /policies/{key}/instalments", true, ui.policySchedule},   // policy:write
		{"POST /policies/{key}/payments", true, ui.policyPayment},       // policy:write

		// SLA policy and calendars (admin_sla.go, admin_calendars.go)
		{"GET /admin/sla", true, ui.adminSLA},                                            // config:admin
		{"POST /admin/sla", true, ui.saveSLA},                                            // config:admin
		{"POST /admin/sla/restore", true, ui.restoreSLA},                                 // config:admin
		{"GET /admin/calendars", true, ui.adminCalendars},                                // config:admin
		{"GET /admin/calendars/{region}", true, ui.adminCalendar},                        // config:admin
		{"POST /admin/calendars/{region}", true, ui.saveCalendarHours},                   // config:admin
		{"POST /admin/calendars/{region}/days", true, ui.addCalendarDay},                 // config:admin
		{"POST /admin/calendars/{region}/days/{day}/remove", true, ui.removeCalendarDay}, // config:admin

		{"GET /complaints", true, ui.complaintQueue},                              // case:read ("all": case:assign or audit:read)
		{"GET /complaints/{key}", true, ui.complaintPage},                         // case:read
		{"POST /complaints/{key}/transitions", true, ui.complaintTransition},      // case:assign
		{"POST /complaints/{key}/reviewer", true, ui.complaintReviewer},           // case:assign
		{"POST /complaints/{key}/evidence", true, ui.complaintEvidence},           // case:assign
		{"POST /complaints/{key}/requests", true, ui.complaintRequest},            // case:assign
		{"POST /complaints/{key}/requests/{id}", true, ui.complaintRequestUpdate}, // case:assign
		{"POST /complaints/{key}/outcome", true, ui.complaintOutcome},             // case:assign
		{"POST /complaints/{key}/redress", true, ui.complaintRedress},             // case:assign
		{"POST /complaints/{key}/redress/{id}", true, ui.complaintRedressUpdate},  // case:assign
		{"POST /complaints/{key}/capa", true, ui.complaintCAPA},                   // case:assign
		{"POST /complaints/{key}/capa/{id}", true, ui.complaintCAPAUpdate},        // case:assign
		{"POST /complaints/{key}/intake", true, ui.complaintIntake},               // case:write
		{"GET /compliance/reports", true, ui.complianceReports},                   // audit:read
		{"GET /complaints/{key}/letters", true, ui.lettersPage},                   // case:read (writing: case:assign, interaction:write)
		{"POST /complaints/{key}/letters/preview", true, ui.letterAction},         // case:assign
		{"POST /complaints/{key}/letters", true, ui.letterAction},                 // case:assign, interaction:write
		{"GET /complaints/{key}/letters/{id}/pdf", true, ui.letterPDF},            // interaction:read
		{"GET /admin/templates", true, ui.letterTemplates},                        // config:admin
		{"GET /admin/templates/{kind}/{regime}/{lang}", true, ui.letterTemplate},  // config:admin
		{"POST /admin/templates/{kind}/{regime}/{lang}", true, ui.saveTemplate},   // config:admin
		{"GET /claims", true, ui.claimList},                                       // claim:read
		{"GET /claims/new", true, ui.newClaimForm},                                // claim:intake
		{"POST /claims", true, ui.createClaim},                                    // claim:intake
		{"GET /claims/{key}", true, ui.claimPage},                                 // claim:read
		{"POST /claims/{key}/transitions", true, ui.claimTransition},              // the permission of the claim's stage
		{"POST /claims/{key}/settlement", true, ui.claimSettle},                   // claim:settle, within authority
		{"POST /claims/{key}/decision", true, ui.claimDecide},                     // claim:intake
		{"POST /claims/{key}/reserves", true, ui.claimReserve},                    // claim:handle
		{"POST /claims/{key}/payments", true, ui.claimPay},                        // claim:pay
		{"POST /claims/{key}/inspection", true, ui.claimInspection},               // claim:handle
		{"POST /claims/{key}/reopen", true, ui.claimReopen},                       // claim:review
		{"POST /claims/{key}/documents", true, ui.claimDocuments},                 // claim:review, interaction:write
		{"POST /claims/{key}/catastrophe", true, ui.claimCatastrophe},             // claim:handle
		{"POST /claims/catastrophes", true, ui.declareCatastrophe},                // claim:admin
		{"POST /claims/catastrophes/{id}/end", true, ui.endCatastrophe},           // claim:admin

		{"/", false, ui.notFound},
	}
	for _, rt := range table {
		h := http.Handler(http.HandlerFunc(rt.handler))
		if rt.auth {
			h = ui.requireSession(h)
		}
		ui.mux.Handle(rt.pattern, h)
	}
}

// ServeHTTP serves the UI with security headers on every response and turns
// a panic into the friendly error page.
func (ui *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			ui.serverError(w, r, http.StatusInternalServerError, fmt.Errorf("panic: %v", p))
		}
	}()
	ui.mux.ServeHTTP(w, r)
}

// remoteHost returns the host part of the request's remote address.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// now returns the service's time, so tests that control the clock control
// the relative times on pages too.
func (ui *UI) now() time.Time { return ui.svc.Now() }

// errorStatus chooses the HTTP status for a service error. It is the only
// place in the UI that maps error codes to statuses.
func errorStatus(err error) int {
	switch care.ErrorCode(err) {
	case care.EINVALID:
		return http.StatusUnprocessableEntity
	case care.ENOTFOUND:
		return http.StatusNotFound
	case care.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case care.EFORBIDDEN:
		return http.StatusForbidden
	case care.ECONFLICT:
		return http.StatusConflict
	case care.EPRECONDITION:
		return http.StatusUnprocessableEntity
	case care.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case care.ERATELIMIT:
		return http.StatusTooManyRequests
	case care.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
