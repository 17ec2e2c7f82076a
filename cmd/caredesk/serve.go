package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/demo"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/jobs"
	"github.com/caredesk/caredesk/internal/mail"
	"github.com/caredesk/caredesk/internal/portal"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/web"
)

func init() {
	register(command{name: "serve", summary: "migrate the database, then serve the API, the staff UI and the background jobs", run: runServe})
}

// serveConfig is everything serve reads from flags and the environment.
type serveConfig struct {
	addr, db, baseURL, firmName string
	simpleMotorLimit            string
	demo, jobs, trustProxy      bool
	demoInteractions            int
	sweepEvery                  time.Duration
	svc                         service.Config
	smtp                        mail.SMTPConfig
	logFormat, logLevel         string
	defaultRegimes, regCals     string
	smtpAddr, mailDomains       string // inbound mail listener
	smtpMaxBytes                int64
	mailIn                      service.MailOptions
	imap                        mail.IMAPConfig // inbound mail from an existing mailbox
	imapEvery                   time.Duration
}

func serveFlags(io stdio) (*serveConfig, func([]string) int) {
	fs := newFlags("serve", "[--addr HOST:PORT] [--db DSN] [--demo]", io)
	c := &serveConfig{}
	fs.StringVar(&c.addr, "addr", envOr("CAREDESK_ADDR", "127.0.0.1:8080"), "listen address (env CAREDESK_ADDR)")
	fs.StringVar(&c.db, "db", envOr("CAREDESK_DB", "caredesk.db"), "database: a file path, sqlite:PATH or postgres://… (env CAREDESK_DB)")
	fs.BoolVar(&c.demo, "demo", false, "load demo data into an empty database and print the demo sign-ins")
	fs.IntVar(&c.demoInteractions, "demo-interactions", serveDemoInteractions, "with --demo, about how many interactions of two years' history to load (0: the small dataset without history)")
	fs.BoolVar(&c.jobs, "jobs", envOr("CAREDESK_JOBS", "true") == "true", "run background jobs (clock sweeps, mail); safe on every process (env CAREDESK_JOBS)")
	fs.DurationVar(&c.sweepEvery, "sweep-every", envDuration("CAREDESK_SWEEP_EVERY", 10*time.Second), "how often jobs look for due work (env CAREDESK_SWEEP_EVERY)")
	fs.StringVar(&c.firmName, "firm-name", envOr("CAREDESK_FIRM_NAME", "caredesk"), "the firm's name on the policyholder portal (env CAREDESK_FIRM_NAME)")
	fs.StringVar(&c.baseURL, "base-url", envOr("CAREDESK_BASE_URL", ""), "public URL of this desk, for links in emails; https:// turns on secure cookies (env CAREDESK_BASE_URL)")
	fs.BoolVar(&c.trustProxy, "trust-proxy", envOr("CAREDESK_TRUST_PROXY", "") == "true", "take client addresses from X-Forwarded-For (only behind a proxy that sets it) (env CAREDESK_TRUST_PROXY)")
	fs.StringVar(&c.svc.Calendar, "calendar", envOr("CAREDESK_CALENDAR", "GB-ENG"), "the firm's business calendar region for ISO 10002 and SLA clocks (env CAREDESK_CALENDAR)")
	fs.Float64Var(&c.svc.WarnFraction, "warn-at", envFloat("CAREDESK_WARN_AT", 0.75), "warn when this share of a deadline's time has passed, between 0 and 1 (env CAREDESK_WARN_AT)")
	fs.StringVar(&c.defaultRegimes, "default-regimes", envOr("CAREDESK_DEFAULT_REGIMES", "complaint=iso10002"), `regimes for new cases that name none, e.g. "complaint=uk-fca,iso10002;claim=us-ca-claims" (env CAREDESK_DEFAULT_REGIMES)`)
	fs.StringVar(&c.simpleMotorLimit, "simple-motor-limit", envOr("CAREDESK_SIMPLE_MOTOR_LIMIT", "5000.00"), `damage estimate from which a motor claim is complex (no 10-day settlement milestone); "none": no limit (env CAREDESK_SIMPLE_MOTOR_LIMIT)`)
	fs.StringVar(&c.regCals, "regime-calendars", envOr("CAREDESK_REGIME_CALENDARS", ""), `calendar per regime where not its default, e.g. "au-asic=AU-VIC" (env CAREDESK_REGIME_CALENDARS)`)
	fs.StringVar(&c.smtp.Host, "smtp-host", envOr("CAREDESK_SMTP_HOST", ""), "SMTP relay for outgoing mail; empty logs mail instead of sending it (env CAREDESK_SMTP_HOST)")
	fs.IntVar(&c.smtp.Port, "smtp-port", envInt("CAREDESK_SMTP_PORT", 0), "SMTP relay port (default by security: 587, 465 or 25) (env CAREDESK_SMTP_PORT)")
	fs.StringVar(&c.smtp.Security, "smtp-security", envOr("CAREDESK_SMTP_SECURITY", "starttls"), "starttls, tls or none (env CAREDESK_SMTP_SECURITY)")
	fs.StringVar(&c.smtp.Username, "smtp-user", envOr("CAREDESK_SMTP_USER", ""), "SMTP user name (env CAREDESK_SMTP_USER; password in CAREDESK_SMTP_PASSWORD)")
	fs.StringVar(&c.smtp.From, "mail-from", envOr("CAREDESK_MAIL_FROM", "caredesk <caredesk@localhost>"), "sender of outgoing mail (env CAREDESK_MAIL_FROM)")
	fs.StringVar(&c.smtpAddr, "smtp-addr", envOr("CAREDESK_SMTP_ADDR", ""), "listen for inbound mail (SMTP) on this address, e.g. 127.0.0.1:2525; empty: no listener (env CAREDESK_SMTP_ADDR)")
	fs.StringVar(&c.mailDomains, "mail-domains", envOr("CAREDESK_MAIL_DOMAINS", ""), "domains the SMTP listener accepts mail for, e.g. care.example.com,claims.example.com (env CAREDESK_MAIL_DOMAINS)")
	fs.StringVar(&c.imap.Addr, "imap-addr", envOr("CAREDESK_IMAP_ADDR", ""), "poll this IMAP server (host:port) for inbound mail; empty: no polling (env CAREDESK_IMAP_ADDR)")
	fs.StringVar(&c.imap.Username, "imap-user", envOr("CAREDESK_IMAP_USER", ""), "IMAP user name (env CAREDESK_IMAP_USER; password in CAREDESK_IMAP_PASSWORD)")
	fs.StringVar(&c.imap.Mailbox, "imap-mailbox", envOr("CAREDESK_IMAP_MAILBOX", "INBOX"), "mailbox to poll; its messages are marked seen once stored (env CAREDESK_IMAP_MAILBOX)")
	fs.StringVar(&c.imap.Security, "imap-security", envOr("CAREDESK_IMAP_SECURITY", "tls"), "tls, starttls or none (env CAREDESK_IMAP_SECURITY)")
	fs.DurationVar(&c.imapEvery, "imap-every", envDuration("CAREDESK_IMAP_EVERY", time.Minute), "how often to poll the mailbox (env CAREDESK_IMAP_EVERY)")
	c.imap.Password = os.Getenv("CAREDESK_IMAP_PASSWORD")
	fs.Int64Var(&c.smtpMaxBytes, "smtp-max-bytes", int64(envInt("CAREDESK_SMTP_MAX_BYTES", mail.DefaultMaxMessageBytes)), "largest inbound message accepted; larger ones get 552 (env CAREDESK_SMTP_MAX_BYTES)")
	fs.StringVar(&c.logFormat, "log-format", envOr("CAREDESK_LOG_FORMAT", "text"), "text or json (env CAREDESK_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", envOr("CAREDESK_LOG_LEVEL", "info"), "debug, info, warn or error (env CAREDESK_LOG_LEVEL)")
	c.smtp.Password = os.Getenv("CAREDESK_SMTP_PASSWORD")
	return c, func(args []string) int { return parseFlags(fs, args) }
}

func runServe(ctx context.Context, args []string, io stdio) int {
	c, parse := serveFlags(io)
	if code := parse(args); code >= 0 {
		return code
	}
	log, err := newLogger(io, c.logFormat, c.logLevel)
	if err != nil {
		fmt.Fprintln(io.err, "caredesk serve:", err)
		return exitUsage
	}
	if err := c.finish(); err != nil {
		return fail(io, "serve", err)
	}
	st, err := store.Open(ctx, c.db, store.Options{})
	if err != nil {
		return fail(io, "serve", err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return fail(io, "serve", err)
	}
	svc := service.New(st, log, c.svc)
	if err := ensureAdmin(ctx, svc, io); err != nil {
		return fail(io, "serve", err)
	}
	if c.demo {
		if err := loadDemoIfEmpty(ctx, svc, io, c.demoInteractions); err != nil {
			return fail(io, "serve", err)
		}
	}
	handler, err := c.handler(svc, log)
	if err != nil {
		return fail(io, "serve", err)
	}
	return c.listenAndServe(ctx, svc, handler, log, io)
}

// finish turns the textual settings into service configuration and checks
// it, so a bad setting stops the start with a message naming it.
func (c *serveConfig) finish() error {
	var p care.Problems
	if c.demoInteractions < 0 || c.demoInteractions > 1_000_000 {
		p.Add("demo-interactions", "must be between 0 and 1000000 (caredesk demo --interactions makes larger histories)")
	}
	regimes, err := parseAssignments(c.defaultRegimes, true)
	if err != nil {
		p.Add("default-regimes", "%v", err)
	}
	c.svc.DefaultRegimes = map[string][]string{}
	for k, v := range regimes {
		c.svc.DefaultRegimes[k] = v
	}
	cals, err := parseAssignments(c.regCals, false)
	if err != nil {
		p.Add("regime-calendars", "%v", err)
	}
	c.svc.RegimeCalendars = map[string]string{}
	for k, v := range cals {
		c.svc.RegimeCalendars[k] = v[0]
	}
	c.svc.BaseURL = c.baseURL
	c.svc.FirmName = c.firmName
	if strings.EqualFold(strings.TrimSpace(c.simpleMotorLimit), "none") {
		c.svc.SimpleMotorLimit = -1
	} else if v, err := care.ParseMoney(strings.TrimSpace(c.simpleMotorLimit)); err != nil || v <= 0 {
		p.Add("simple-motor-limit", "must be a positive amount such as 5000.00, or none")
	} else {
		c.svc.SimpleMotorLimit = v
	}
	if c.mailIn.Domains, err = mail.ParseDomains(c.mailDomains); err != nil {
		p.Add("mail-domains", "%v", err)
	} else if c.smtpAddr != "" && len(c.mailIn.Domains) == 0 {
		p.Add("mail-domains", "name the domains to receive mail for, e.g. care.example.com (required with --smtp-addr)")
	}
	if c.smtpMaxBytes <= 0 {
		p.Add("smtp-max-bytes", "must be a positive number of bytes")
	}
	c.imap.MaxMessageBytes = c.smtpMaxBytes
	if c.imap.Addr != "" {
		for _, f := range care.ErrorFields(c.imap.Check()) {
			p.Add(strings.ReplaceAll(f.Field, "_", "-"), "%s", f.Message)
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	return c.svc.Validate()
}

// parseAssignments reads "key=a,b;key2=c" into a map.
func parseAssignments(s string, list bool) (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("%q is not key=value", part)
		}
		var vals []string
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				vals = append(vals, x)
			}
		}
		if !list && len(vals) != 1 {
			return nil, fmt.Errorf("%q takes exactly one value", k)
		}
		out[k] = vals
	}
	return out, nil
}

func (c *serveConfig) handler(svc *service.Service, log *slog.Logger) (http.Handler, error) {
	api := httpapi.New(svc, httpapi.Options{Logger: log, TrustProxy: c.trustProxy})
	secure := strings.HasPrefix(c.baseURL, "https://")
	uiOpts := web.Options{Logger: log, SecureCookies: secure}
	portalOpts := portal.Options{Logger: log, SecureCookies: secure, Name: c.firmName}
	if c.trustProxy {
		uiOpts.ClientIP, portalOpts.ClientIP = forwardedFor, forwardedFor
	}
	ui, err := web.New(svc, uiOpts)
	if err != nil {
		return nil, err
	}
	pub, err := portal.New(svc, portalOpts)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, api)
	}
	mux.Handle("/portal/", api.Instrument("portal", pub))
	mux.Handle("/", api.Instrument("web", ui))
	return mux, nil
}

func (c *serveConfig) listenAndServe(ctx context.Context, svc *service.Service, h http.Handler, log *slog.Logger, io stdio) int {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintf(io.err, "caredesk serve: cannot listen on %s: %v (is another caredesk running? choose another --addr)\n", c.addr, err)
		return exitFail
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Minute, // slow phones uploading portal documents
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	var wg sync.WaitGroup
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	if c.jobs {
		runner := &jobs.Runner{Svc: svc, Every: c.sweepEvery, Log: log, Mail: c.sender(log), Webhooks: service.NewWebhookClient()}
		wg.Add(1)
		go func() { defer wg.Done(); runner.Run(jobCtx) }()
	}
	if c.imap.Addr != "" {
		wg.Add(1)
		go func() { defer wg.Done(); mail.RunIMAP(jobCtx, c.imap, c.imapEvery, c.receiver(svc), log) }()
	}
	errc := make(chan error, 2)
	mailIn, err := c.listenMail(svc, log, io, errc)
	if err != nil {
		_ = ln.Close()
		stopJobs()
		wg.Wait()
		return fail(io, "serve", err)
	}
	fmt.Fprintf(io.out, "caredesk is serving on http://%s (database %s); press Ctrl-C to stop\n", ln.Addr(), store.RedactDSN(c.db))
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
		_ = srv.Close() // the SMTP listener may have failed while HTTP still serves
	case <-ctx.Done():
		log.Info("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		err = srv.Shutdown(shutdownCtx)
		cancel()
	}
	if mailIn != nil {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		defer cancel()
		if merr := mailIn.Shutdown(shutdownCtx); merr != nil {
			log.Warn("SMTP listener closed before its sessions ended", "err", merr)
		}
	}
	stopJobs()
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(io.err, "caredesk serve:", err)
		return exitFail
	}
	return exitOK
}

// receiver stores inbound mail, from the listener or the mailbox.
func (c *serveConfig) receiver(svc *service.Service) mail.Receiver {
	return func(ctx context.Context, m *mail.Inbound) error {
		_, err := svc.ReceiveMail(ctx, m, c.mailIn)
		return err
	}
}

// listenMail starts the inbound SMTP listener when --smtp-addr is set; it
// reports a failure to serve on errc.
func (c *serveConfig) listenMail(svc *service.Service, log *slog.Logger, io stdio, errc chan<- error) (*mail.Listener, error) {
	if c.smtpAddr == "" {
		return nil, nil
	}
	l, err := mail.NewListener(mail.ListenConfig{Domains: c.mailIn.Domains, MaxMessageBytes: c.smtpMaxBytes, Log: log},
		c.receiver(svc))
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", c.smtpAddr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen for mail on %s: %w (choose another --smtp-addr)", c.smtpAddr, err)
	}
	fmt.Fprintf(io.out, "receiving mail for %s on smtp://%s\n", strings.Join(c.mailIn.Domains, ", "), ln.Addr())
	go func() {
		if err := l.Serve(ln); err != nil {
			errc <- fmt.Errorf("SMTP listener: %w", err)
		}
	}()
	return l, nil
}

// sender returns the SMTP relay when one is configured, else a sender that
// logs mail: development never mails real people by accident.
func (c *serveConfig) sender(log *slog.Logger) mail.Sender {
	if c.smtp.Host == "" {
		return mail.LogSender{Log: log}
	}
	s, err := mail.NewSMTPSender(c.smtp)
	if err != nil {
		log.Error("SMTP relay misconfigured; logging mail instead", "err", err)
		return mail.LogSender{Log: log}
	}
	return s
}

// serveDemoInteractions is serve --demo's default history size
// (--demo-interactions); caredesk demo --interactions makes larger ones.
const serveDemoInteractions = 20000

func loadDemoIfEmpty(ctx context.Context, svc *service.Service, io stdio, interactions int) error {
	has, err := hasCases(ctx, svc)
	if err != nil {
		return err
	}
	if !has {
		fmt.Fprintln(io.out, "loading demo data…")
		// Two years of contact-centre history (about 20,000 interactions,
		// with surveys) so the dashboard's 24-month trends have data, plus
		// open cases with running deadlines, complaints, claims and
		// policies near renewal. It loads in a few seconds: the history
		// goes through the bulk path.
		sum, err := demo.Load(ctx, svc, demo.Options{Interactions: interactions})
		if err != nil {
			return err
		}
		printDemoSummary(io, sum)
		return nil
	}
	fmt.Fprintf(io.out, "demo staff sign in with password %q (database already holds data; nothing loaded)\n", demo.StaffPassword)
	return nil
}

func newLogger(io stdio, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(io.err, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(io.err, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", format)
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return f
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// forwardedFor returns the first address in X-Forwarded-For, which a
// trusted reverse proxy sets to the client's, or the peer address.
func forwardedFor(r *http.Request) string {
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		first, _, _ := strings.Cut(xff, ",")
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
