// Package httpapi serves caredesk's JSON API under /api/v1, plus the
// operational endpoints /healthz, /readyz, /metrics and /api/openapi.json.
//
// Every route is declared once, in the table in routes.go, with the
// permission it needs beside it. Handlers decode the request into a DTO, call
// one service method and encode a DTO back; every failure is answered as an
// RFC 9457 problem whose HTTP status is chosen in one function (statusOf).
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// DefaultMaxBody is the request body limit when Options.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Options configures an API.
type Options struct {
	// Logger receives internal errors (once each, at the boundary); slog.Default when nil.
	Logger *slog.Logger
	// MaxBody limits request bodies in bytes; DefaultMaxBody (1 MiB) when zero.
	MaxBody int64
	// TrustProxy takes the client IP from the first hop of X-Forwarded-For.
	// Set it only behind a proxy that overwrites that header.
	TrustProxy bool
	// ReadyTimeout bounds the database ping of /readyz; 2 s when zero.
	ReadyTimeout time.Duration
}

// API is the JSON API as an http.Handler.
type API struct {
	svc       *service.Service
	opts      Options
	log       *slog.Logger
	mux       *http.ServeMux
	metrics   *metrics
	unmatched http.Handler
}

// New returns the API over svc. Each API owns its own metrics registry, so
// a process (or a test) may create several.
func New(svc *service.Service, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = 2 * time.Second
	}
	a := &API{svc: svc, opts: opts, log: opts.Logger, mux: http.NewServeMux()}
	a.metrics = newMetrics(svc.Store().Stats)
	for _, rt := range a.routes() {
		a.mux.Handle(rt.Method+" "+rt.Pattern, a.Instrument(rt.Pattern, a.handler(rt)))
	}
	a.unmatched = a.Instrument("unmatched", http.HandlerFunc(a.serveUnmatched))
	return a
}

// ServeHTTP serves one request.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, pattern := a.mux.Handler(r); pattern == "" {
		a.unmatched.ServeHTTP(w, r)
		return
	}
	a.mux.ServeHTTP(w, r)
}

// handler wraps a route's handler with authentication, the up-front
// permission check and the one error path.
func (a *API) handler(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.recoverPanic(w, r)
		if !rt.Public {
			w.Header().Set("Cache-Control", "no-store")
			actor, err := a.authenticate(r)
			if err == nil && rt.Perm != "" {
				err = actor.Require(rt.Perm)
			}
			if err != nil {
				a.fail(w, r, err)
				return
			}
			r = r.WithContext(care.NewContextWithActor(r.Context(), actor))
		}
		if err := rt.handle(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// recoverPanic turns a handler's panic into a logged internal error, so
// one bug answers one request with a problem instead of a dropped connection.
func (a *API) recoverPanic(w http.ResponseWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	a.fail(w, r, fmt.Errorf("panic: %v\n%s", p, debug.Stack()))
}

// authenticate turns a bearer token into an actor.
func (a *API) authenticate(r *http.Request) (care.Actor, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return care.Actor{}, care.Errorf(care.EUNAUTHORIZED, "Present an API token: Authorization: Bearer TOKEN.")
	}
	return a.svc.AuthenticateToken(r.Context(), token, a.clientIP(r))
}

// clientIP returns the caller's address: the connection's peer, or the first
// X-Forwarded-For hop when the proxy in front is trusted.
func (a *API) clientIP(r *http.Request) string {
	if a.opts.TrustProxy {
		first, _, _ := strings.Cut(r.Header.Get("X-Forwarded-For"), ",")
		if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// serveUnmatched answers requests no route matches: the mux's own 404 and
// 405 (with its Allow header) become problems; its redirects pass through.
func (a *API) serveUnmatched(w http.ResponseWriter, r *http.Request) {
	h, _ := a.mux.Handler(r)
	h.ServeHTTP(&unmatchedWriter{ResponseWriter: w, api: a, r: r}, r)
}

// unmatchedWriter replaces the mux's plain-text 404 and 405 bodies.
type unmatchedWriter struct {
	http.ResponseWriter
	api      *API
	r        *http.Request
	replaced bool
}

func (u *unmatchedWriter) WriteHeader(code int) {
	switch code {
	case http.StatusNotFound:
		u.replaced = true
		u.api.fail(u.ResponseWriter, u.r, care.Errorf(care.ENOTFOUND, "No such API route: %s %s.", u.r.Method, u.r.URL.Path))
	case http.StatusMethodNotAllowed:
		u.replaced = true
		u.api.fail(u.ResponseWriter, u.r, care.Errorf(eMethod, "%s is not allowed here; allowed: %s.",
			u.r.Method, u.Header().Get("Allow")))
	default:
		u.ResponseWriter.WriteHeader(code)
	}
}

func (u *unmatchedWriter) Write(b []byte) (int, error) {
	if u.replaced {
		return len(b), nil
	}
	return u.ResponseWriter.Write(b)
}

// healthz reports that the process is alive; it touches nothing else.
func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz reports whether the database answers, for load balancers.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), a.opts.ReadyTimeout)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	if err := a.svc.Store().Ping(ctx); err != nil {
		a.log.Warn("readyz: database unreachable", "err", err)
		return care.Errorf(care.EUNAVAILABLE, "The database is unreachable.")
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
