// Package portal serves caredesk's public policyholder portal under
// /portal/: submit a complaint, a claim (first notice of loss) or an
// enquiry, be acknowledged on screen and by email with a reference, check
// its progress with that reference and a second factor (the email address
// or the policy number), and send more documents. Nobody signs in.
//
// It is deliberately separate from the staff UI (internal/web): its own
// templates, stylesheet, cookies and handler, so nothing of the staff side
// can leak onto a public page. It looks like the same product (the same
// colours and type), works without JavaScript (there is none), and every
// form is protected three ways: Go's http.CrossOriginProtection, a
// double-submit cookie token, and a per-client rate limit. All work goes
// through the service's portal methods as care.SystemActor("portal") with
// the client's address, so every submission and status check is audited.
//
// The rate limits are in-memory token buckets per client address, per
// process: behind a load balancer with N processes a client may get up to N
// times the configured rate. That bounds abuse without shared state; put a
// limit at the proxy too when that matters.
package portal

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// Prefix is the path the portal serves; mount the Portal at it:
// mux.Handle(portal.Prefix, p).
const Prefix = "/portal/"

// Limit is a token bucket: Burst requests at once, then one per Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// Options configure the portal. The zero value is usable.
type Options struct {
	// Name is the firm's name shown in the header and page titles
	// (default "caredesk").
	Name string
	// SecureCookies marks cookies Secure and gives them the __Host- prefix;
	// set it whenever the portal is served over HTTPS.
	SecureCookies bool
	// Logger receives one line per failed request; slog.Default when nil.
	Logger *slog.Logger
	// ClientIP returns the client's address, for rate limits and the audit
	// trail. The default is the host part of RemoteAddr; set it when
	// caredesk runs behind a trusted reverse proxy.
	ClientIP func(*http.Request) string
	// SubmitLimit bounds submissions per client address (default a burst
	// of 5, then one every 2 minutes).
	SubmitLimit Limit
	// StatusLimit bounds status checks and document uploads per client
	// address, harder than submissions because they are what a guesser
	// would repeat (default a burst of 5, then one every 5 minutes).
	StatusLimit Limit
}

// Portal is the public portal, an http.Handler for everything under Prefix.
type Portal struct {
	svc    *service.Service
	opts   Options
	log    *slog.Logger
	mux    *http.ServeMux
	tmpl   *templates
	cop    *http.CrossOriginProtection
	submit *limiter
	status *limiter
}

// New returns the portal over svc. It parses every template and hashes
// every asset once, so a broken template fails here, not on a request.
func New(svc *service.Service, opts Options) (*Portal, error) {
	if svc == nil {
		return nil, fmt.Errorf("portal: no service")
	}
	if opts.Name == "" {
		opts.Name = "caredesk"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ClientIP == nil {
		opts.ClientIP = remoteHost
	}
	if opts.SubmitLimit.Burst <= 0 || opts.SubmitLimit.Every <= 0 {
		opts.SubmitLimit = Limit{Burst: 5, Every: 2 * time.Minute}
	}
	if opts.StatusLimit.Burst <= 0 || opts.StatusLimit.Every <= 0 {
		opts.StatusLimit = Limit{Burst: 5, Every: 5 * time.Minute}
	}
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	p := &Portal{svc: svc, opts: opts, log: opts.Logger, mux: http.NewServeMux(), tmpl: t,
		cop: http.NewCrossOriginProtection(), submit: newLimiter(opts.SubmitLimit, svc.Now),
		status: newLimiter(opts.StatusLimit, svc.Now)}
	p.routes()
	return p, nil
}

func (p *Portal) routes() {
	table := []struct {
		pattern string
		handler http.HandlerFunc
	}{
		{"GET /portal/static/{name}", p.tmpl.assets.Serve},
		{"GET /portal/{$}", p.home},
		{"GET /portal/status", p.statusForm},
		{"POST /portal/status", p.limited(p.status, p.statusCheck)},
		{"POST /portal/status/documents", p.limited(p.status, p.addDocuments)},
		{"GET /portal/survey/{token}", p.survey},
		{"POST /portal/survey/{token}", p.limited(p.submit, p.answerSurvey)},
		{"GET /portal/{kind}", p.form},
		{"POST /portal/{kind}", p.limited(p.submit, p.submitForm)},
		{"/portal/", p.notFound},
	}
	for _, rt := range table {
		p.mux.Handle(rt.pattern, rt.handler)
	}
}

// ServeHTTP serves the portal with security headers on every response and
// turns a panic into the friendly error page.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			p.serverError(w, r, fmt.Errorf("panic: %v", v))
		}
	}()
	p.mux.ServeHTTP(w, r)
}

// withActor returns r with the portal's system actor, carrying the
// client's address, in its context for the service.
func (p *Portal) withActor(r *http.Request) *http.Request {
	a := care.SystemActor("portal")
	a.IP = p.opts.ClientIP(r)
	return r.WithContext(care.NewContextWithActor(r.Context(), a))
}

// remoteHost returns the host part of the request's remote address.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
