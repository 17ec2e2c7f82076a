// Package calendar answers "is this a business day" and does deadline
// arithmetic (business days, business hours, calendar days) for a region's
// holidays, business hours and time zone. It is pure: no I/O beyond reading
// the embedded time zone database, no clock of its own.
//
// A Calendar precomputes, for 1990-2100, a prefix count of business days and
// of business seconds, so adding N business days or N business hours costs
// O(1) or O(log n) per deadline instead of a loop over days. Outside that
// window it falls back to stepping day by day, still correctly.
package calendar

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the single binary must not depend on the host's zoneinfo

	"github.com/caredesk/caredesk/internal/care"
)

// Index window: wide enough to recompute any deadline a live system still
// cares about, small enough (about 1 MiB per calendar) to cache freely.
var (
	windowFirst = DayOf(1990, time.January, 1)
	windowLast  = DayOf(2100, time.December, 31)
)

// Default business hours and cut-off, used unless an option says otherwise
// (DESIGN §5: Monday-Friday 09:00-17:00, cut-off 17:00 local).
const (
	defaultOpen   = 9 * 3600
	defaultClose  = 17 * 3600
	defaultCutoff = 17 * 3600
)

// span is a day's business hours in seconds since local midnight; open ==
// close means closed all day.
type span struct{ open, close int32 }

type config struct {
	region   *region
	loc      *time.Location
	hours    [7]span
	cutoff   int32
	closures []Day
	openDays []Day
	asOf     Day
	hasAsOf  bool
}

// Option changes how New builds a calendar.
type Option func(*config) error

// WithZone uses loc instead of the region's own time zone (for example the
// US federal holidays kept in America/Los_Angeles).
func WithZone(loc *time.Location) Option {
	return func(c *config) error {
		if loc == nil {
			return care.Errorf(care.EINVALID, "time zone is required")
		}
		c.loc = loc
		return nil
	}
}

// WithZoneName is WithZone for an IANA zone name such as "Europe/London".
func WithZoneName(name string) Option {
	return func(c *config) error {
		loc, err := loadZone(name)
		if err != nil || name == "" || name == "Local" {
			return care.Errorf(care.EINVALID, "unknown time zone %q (want an IANA name such as Europe/London)", name)
		}
		c.loc = loc
		return nil
	}
}

// WithHours sets the business hours of one weekday as offsets from local
// midnight; open == close (for example both 0) makes the weekday closed.
func WithHours(day time.Weekday, open, close time.Duration) Option {
	return func(c *config) error {
		if day < time.Sunday || day > time.Saturday || open < 0 || close > 24*time.Hour || open > close {
			return care.Errorf(care.EINVALID, "business hours for %v must satisfy 00:00 <= open <= close <= 24:00", day)
		}
		c.hours[day] = span{int32(open / time.Second), int32(close / time.Second)}
		return nil
	}
}

// WithCutoff sets the local time of day after which a receipt counts as
// received on the next business day for business-day rules.
func WithCutoff(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 || d > 24*time.Hour {
			return care.Errorf(care.EINVALID, "cut-off must be after 00:00 and at most 24:00")
		}
		c.cutoff = int32(d / time.Second)
		return nil
	}
}

// WithClosures adds the firm's own closure days (extra non-business days).
func WithClosures(days ...Day) Option {
	return func(c *config) error {
		c.closures = append(c.closures, days...)
		return nil
	}
}

// WithOpenDays makes holidays on the given days ordinary days again, for a
// firm that works through a holiday (an Irish bank holiday, say).
func WithOpenDays(days ...Day) Option {
	return func(c *config) error {
		c.openDays = append(c.openDays, days...)
		return nil
	}
}

// AsOf builds the calendar as it was known on day d: overrides and holiday
// rules that became known after d are left out, so a deadline computed then
// can be recomputed exactly.
func AsOf(d Day) Option {
	return func(c *config) error {
		c.asOf, c.hasAsOf = d, true
		return nil
	}
}

// Regions returns the codes of the supported holiday regions, sorted.
func Regions() []string {
	out := make([]string, 0, len(regions))
	for code := range regions {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

// RegionName returns the human name of a region code ("England and Wales"),
// or "" when the region is unknown.
func RegionName(code string) string {
	if r, ok := regions[code]; ok {
		return r.name
	}
	return ""
}

// ForRegion returns the region's calendar with the default business hours,
// cut-off and time zone. Calendars are cached and safe for concurrent use.
func ForRegion(region string) (*Calendar, error) {
	if c, ok := byRegion.Load(region); ok {
		return c.(*Calendar), nil
	}
	c, err := New(region)
	if err == nil {
		byRegion.Store(region, c)
	}
	return c, err
}

var byRegion sync.Map // region code → default *Calendar, skipping New's key building

type cacheEntry struct {
	once sync.Once
	cal  *Calendar
	err  error
}

var cache sync.Map // canonical config key → *cacheEntry

// New returns the calendar of region changed by opts. Calendars with the
// same settings are built once and shared: they are immutable.
func New(region string, opts ...Option) (*Calendar, error) {
	r, ok := regions[region]
	if !ok {
		return nil, care.Errorf(care.EINVALID, "unknown calendar region %q; valid regions: %s",
			region, strings.Join(Regions(), ", "))
	}
	cfg, err := newConfig(r, opts)
	if err != nil {
		return nil, err
	}
	key := cfg.key()
	e, ok := cache.Load(key)
	if !ok {
		e, _ = cache.LoadOrStore(key, &cacheEntry{})
	}
	ent := e.(*cacheEntry)
	ent.once.Do(func() { ent.cal, ent.err = build(cfg) })
	return ent.cal, ent.err
}

var zones sync.Map // IANA name → *time.Location

// loadZone is time.LoadLocation with a cache: loading parses the zone
// database every time, and a calendar is looked up on every request.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

func newConfig(r *region, opts []Option) (config, error) {
	loc, err := loadZone(r.zone)
	if err != nil {
		return config{}, fmt.Errorf("calendar: load zone %s: %w", r.zone, err)
	}
	cfg := config{region: r, loc: loc, cutoff: defaultCutoff}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		cfg.hours[wd] = span{defaultOpen, defaultClose}
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return config{}, err
		}
	}
	if !slices.ContainsFunc(cfg.hours[:], func(sp span) bool { return sp.close > sp.open }) {
		return config{}, care.Errorf(care.EINVALID, "a calendar needs at least one weekday with business hours")
	}
	slices.Sort(cfg.closures)
	cfg.closures = slices.Compact(cfg.closures)
	slices.Sort(cfg.openDays)
	cfg.openDays = slices.Compact(cfg.openDays)
	return cfg, nil
}

// key identifies a configuration for the cache. It avoids fmt because a
// lookup with options happens per request.
func (c *config) key() string {
	b := make([]byte, 0, 96+8*(len(c.closures)+len(c.openDays)))
	b = append(b, c.region.code...)
	b = append(b, '|')
	b = append(b, c.loc.String()...)
	for _, sp := range c.hours {
		b = append(b, '|')
		b = strconv.AppendInt(b, int64(sp.open), 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(sp.close), 10)
	}
	b = append(b, "|cut"...)
	b = strconv.AppendInt(b, int64(c.cutoff), 10)
	if c.hasAsOf {
		b = append(b, "|asof"...)
		b = strconv.AppendInt(b, int64(c.asOf), 10)
	}
	b = append(b, "|closed"...)
	for _, d := range c.closures {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d), 10)
	}
	b = append(b, "|open"...)
	for _, d := range c.openDays {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d), 10)
	}
	return string(b)
}
