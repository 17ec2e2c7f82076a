// Package service holds caredesk's use cases. Each exported method checks
// the actor's permission, validates input, runs one transaction that also
// writes its audit entries, and only then has side effects. The API, the web
// UI, the CLI and the jobs all call these methods, so they share one set of
// rules.
package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/redact"
	"github.com/caredesk/caredesk/internal/store"
)

// Service is the use-case layer over one store.
type Service struct {
	store    *store.Store
	log      *slog.Logger
	cfg      Config
	redactor *redact.Redactor

	clockConf atomic.Pointer[clockConfig] // the SLA policy and firm calendars in force (sla_cache.go)
}

// Config holds the tunables of the use cases.
type Config struct {
	SessionIdle     time.Duration // a browser session ends after this long unused (default 30 min)
	SessionMax      time.Duration // and at the latest this long after sign-in (default 12 h)
	LockoutAfter    int           // failed sign-ins before the account locks (default 5)
	LockoutFor      time.Duration // how long it stays locked (default 15 min)
	TokenTouchEvery time.Duration // how often an API token's last-used time is written (default 1 min)

	Calendar        string              // the firm's calendar region for ISO 10002 and SLA clocks (default GB-ENG)
	RegimeCalendars map[string]string   // regime → calendar region, where the firm chooses other than the regime's default
	DefaultRegimes  map[string][]string // case type → regimes applied when a new case names none
	WarnFraction    float64             // warn when this share of the allowed time has passed (default 0.75)
	SLA             *clock.SLAPolicy    // first response, next response and resolution targets (default clock.DefaultSLAPolicy)
	BaseURL         string              // the staff UI's public URL, for links in notification emails
	FirmName        string              // the firm's name, signed on complaint letters
	Redaction       redact.Config       // admin-configured patterns masked beside the built-in ones
	// SimpleMotorLimit is the damage estimate (minor units) from which a motor
	// claim is complex and owes no 10-day settlement (default 5000.00; -1: no limit).
	SimpleMotorLimit int64
}

func (c *Config) defaults() {
	if c.SessionIdle == 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.SessionMax == 0 {
		c.SessionMax = 12 * time.Hour
	}
	if c.LockoutAfter == 0 {
		c.LockoutAfter = 5
	}
	if c.LockoutFor == 0 {
		c.LockoutFor = 15 * time.Minute
	}
	if c.TokenTouchEvery == 0 {
		c.TokenTouchEvery = time.Minute
	}
	if c.Calendar == "" {
		c.Calendar = "GB-ENG"
	}
	if c.DefaultRegimes == nil {
		c.DefaultRegimes = map[string][]string{"complaint": {"iso10002"}}
	}
	if c.WarnFraction <= 0 || c.WarnFraction >= 1 {
		c.WarnFraction = 0.75
	}
	if c.SLA == nil {
		c.SLA = clock.DefaultSLAPolicy()
	}
	if c.SimpleMotorLimit == 0 {
		c.SimpleMotorLimit = 500000
	}
}

// Validate checks a configuration before the service starts, naming each bad
// setting.
func (c Config) Validate() error {
	var p care.Problems
	if _, err := redact.New(c.Redaction); err != nil {
		for _, f := range care.ErrorFields(err) {
			p.Add("redaction."+f.Field, "%s", f.Message)
		}
		if care.ErrorFields(err) == nil {
			p.Add("redaction", "%s", care.ErrorMessage(err))
		}
	}
	if c.WarnFraction != 0 && (c.WarnFraction <= 0 || c.WarnFraction >= 1) {
		p.Add("warn_at", "must be a fraction between 0 and 1, such as 0.75")
	}
	if c.Calendar != "" {
		if _, err := calendar.New(c.Calendar); err != nil {
			p.Add("calendar", "%s", care.ErrorMessage(err))
		}
	}
	for regime, region := range c.RegimeCalendars {
		if _, err := calendar.New(region); err != nil {
			p.Add("regime_calendars."+regime, "%s", care.ErrorMessage(err))
		}
	}
	for typ, regimes := range c.DefaultRegimes {
		if !care.IsCaseType(typ) {
			p.Add("default_regimes."+typ, "unknown case type; valid: %s", strings.Join(care.CaseTypeList(), ", "))
		}
		if err := checkRegimes(regimes); err != nil {
			for _, f := range care.ErrorFields(err) {
				p.Add("default_regimes."+typ, "%s", f.Message)
			}
		}
	}
	return p.Err()
}

// New returns a Service over st.
func New(st *store.Store, log *slog.Logger, cfg Config) *Service {
	if log == nil {
		log = slog.Default()
	}
	cfg.defaults()
	r, err := redact.New(cfg.Redaction)
	if err != nil {
		// Validate reports bad patterns before start-up; never run unmasked.
		log.Error("redaction patterns rejected; using the built-in ones only", "err", err)
		r = redact.Default()
	}
	return &Service{store: st, log: log, cfg: cfg, redactor: r}
}

// mask redacts payment cards, bank details, national identifiers and the
// configured patterns from text a customer or agent supplied, before it is
// stored, indexed or logged: the unmasked value is never written anywhere.
func (s *Service) mask(text string) string {
	out, _ := s.redactor.Redact(text)
	return out
}

// Store returns the underlying store (for health checks and jobs).
func (s *Service) Store() *store.Store { return s.store }

// Now returns the service's current time.
func (s *Service) Now() time.Time { return s.store.Now() }

// audit appends one audit entry for the actor in ctx, inside tx. detail is
// marshalled to compact JSON; it must never hold a secret.
func audit(ctx context.Context, tx *store.Tx, action, entity string, id any, detail any) error {
	a := care.ActorFromContext(ctx)
	var d []byte
	if detail != nil {
		var err error
		if d, err = json.Marshal(detail); err != nil {
			return err
		}
	}
	return tx.AppendAudit(ctx, &care.AuditEntry{
		ActorID: a.UserID, ActorName: a.Name, Source: a.Source, IP: a.IP,
		Action: action, Entity: entity, EntityID: idString(id), Detail: string(d),
	})
}

func idString(id any) string {
	switch v := id.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	case nil:
		return ""
	}
	b, _ := json.Marshal(id)
	return string(b)
}

// ids lists the IDs of a page of results for a "list" audit entry, so an
// auditor can tell exactly whose data a search revealed.
func ids[T any](items []T, id func(T) int64) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

// parseKey splits a lookup key into a numeric ID or a natural key
// (reference, policy number).
func parseKey(key string) (int64, string) {
	key = strings.TrimSpace(key)
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && id > 0 {
		return id, ""
	}
	return 0, key
}

// changes records before/after pairs of changed fields for the audit trail.
type changes map[string][2]any

func (c changes) note(field string, before, after any) {
	if before != after {
		c[field] = [2]any{before, after}
	}
}
