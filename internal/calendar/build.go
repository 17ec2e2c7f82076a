package calendar

import (
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// Build is New without the shared cache: every call builds a fresh
// calendar (about 1 MiB, a few milliseconds). It is for calendars that
// change at run time, such as a firm's edited hours and closures, so that a
// replaced calendar can be freed instead of staying in New's cache for the
// life of the process.
func Build(region string, opts ...Option) (*Calendar, error) {
	r, ok := regions[region]
	if !ok {
		return nil, care.Errorf(care.EINVALID, "unknown calendar region %q; valid regions: %s",
			region, strings.Join(Regions(), ", "))
	}
	cfg, err := newConfig(r, opts)
	if err != nil {
		return nil, err
	}
	return build(cfg)
}

// DefaultZone returns the IANA time zone name a region's calendar uses
// unless told otherwise, or "" when the region is unknown.
func DefaultZone(region string) string {
	if r, ok := regions[region]; ok {
		return r.zone
	}
	return ""
}

// IsPublicHoliday reports whether d is a public holiday of the calendar's
// region (as corrected by Overrides), leaving aside the firm's own
// closures and working days, and returns its name.
func (c *Calendar) IsPublicHoliday(d Day) (string, bool) {
	cfg := c.cfg
	cfg.closures, cfg.openDays = nil, nil
	y := d.Year()
	name, ok := holidaySet(&cfg, y-1, y+1)[d]
	return name, ok
}
