package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// CalendarView is a region's calendar as the firm keeps it: business hours
// by weekday, cut-off and time zone, and its own closure and working days on
// top of the region's public holidays. Revision 0 means the firm never
// changed it (the defaults: Monday to Friday 09:00-17:00, cut-off 17:00,
// the region's zone).
type CalendarView struct {
	Region      string
	Name        string
	Zone        string
	Hours       [7]store.DayHours // by time.Weekday
	Cutoff      time.Duration
	Closures    []store.FirmDay
	WorkingDays []store.FirmDay
	Revision    int64
	UpdatedAt   time.Time
	UpdatedBy   string
	UsedFor     []string // which clocks count on it ("SLA clocks", "iso10002")
}

// CalendarInput replaces a region's calendar (PUT semantics).
type CalendarInput struct {
	Zone        string
	Hours       map[string]HoursInput // by lower-case English weekday; a missing weekday is closed
	Cutoff      string                // "17:00"; "" keeps the default 17:00
	Closures    []CalendarDayInput
	WorkingDays []CalendarDayInput
	// BaseRevision is the revision the edit started from (0: defaults);
	// negative skips the check for a concurrent change.
	BaseRevision int64
}

// HoursInput is one weekday's opening and closing time, "HH:MM" (close may
// be "24:00"); both empty means closed.
type HoursInput struct{ Open, Close string }

// CalendarDayInput is one dated closure or working day.
type CalendarDayInput struct{ Day, Name string }

// CalendarDay is one day of a calendar preview.
type CalendarDay struct {
	Day         calendar.Day
	Business    bool
	Kind        string // working, closed_weekday, holiday, closure, extra_working
	Name        string // the holiday's or closure's name
	Open, Close time.Duration
}

// Preview day kinds.
const (
	DayWorking       = "working"
	DayClosedWeekday = "closed_weekday"
	DayHoliday       = "holiday"
	DayClosure       = "closure"
	DayExtraWorking  = "extra_working"
)

// WeekdayNames are the weekday keys of CalendarInput.Hours, Sunday first as
// time.Weekday counts.
var WeekdayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

const (
	defaultOpenHours  = 9 * time.Hour
	defaultCloseHours = 17 * time.Hour
	maxCalendarDays   = 500 // closures or working days per region
)

// firmRegime reports whether a regime's clocks count on the firm's own
// calendar (its edited hours and closures): the SLA policy and ISO 10002,
// the firm's own standards. Regulatory regimes count on the region's public
// calendar: a firm closing its office does not stop a regulator's clock.
func firmRegime(regime string) bool { return regime == care.SLARegime || regime == "iso10002" }

// defaultFirmCalendar is the settings of a region the firm never changed.
func defaultFirmCalendar(region string) *store.FirmCalendar {
	c := &store.FirmCalendar{Region: region, Zone: calendar.DefaultZone(region), Cutoff: 17 * time.Hour}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Hours[wd] = store.DayHours{Open: defaultOpenHours, Close: defaultCloseHours}
	}
	return c
}

// buildFirmCalendar builds the calendar of saved settings. It is uncached
// (calendar.Build): the clock configuration cache holds it and drops it when
// the settings change.
func buildFirmCalendar(c *store.FirmCalendar) (*calendar.Calendar, error) {
	opts := []calendar.Option{calendar.WithZoneName(c.Zone), calendar.WithCutoff(c.Cutoff)}
	for wd, h := range c.Hours {
		opts = append(opts, calendar.WithHours(time.Weekday(wd), h.Open, h.Close))
	}
	for _, d := range c.Days {
		day, err := calendar.ParseDay(d.Day)
		if err != nil {
			return nil, fmt.Errorf("firm calendar %s: day %q: %w", c.Region, d.Day, err)
		}
		if d.Kind == store.DayOpen {
			opts = append(opts, calendar.WithOpenDays(day))
		} else {
			opts = append(opts, calendar.WithClosures(day))
		}
	}
	return calendar.Build(c.Region, opts...)
}

func (s *Service) calendarView(c *store.FirmCalendar) *CalendarView {
	v := &CalendarView{Region: c.Region, Name: calendar.RegionName(c.Region), Zone: c.Zone, Hours: c.Hours, Cutoff: c.Cutoff,
		Revision: c.Revision, UpdatedAt: c.UpdatedAt, UpdatedBy: c.UpdatedByName}
	for _, d := range c.Days {
		if d.Kind == store.DayOpen {
			v.WorkingDays = append(v.WorkingDays, d)
		} else {
			v.Closures = append(v.Closures, d)
		}
	}
	if c.Region == s.cfg.Calendar {
		v.UsedFor = append(v.UsedFor, "SLA clocks")
	}
	iso := s.cfg.RegimeCalendars["iso10002"]
	if iso == "" {
		iso = s.cfg.Calendar
	}
	if c.Region == iso {
		v.UsedFor = append(v.UsedFor, "iso10002")
	}
	return v
}

// FindCalendars returns every supported region's calendar, the firm's
// settings where it saved some and the defaults elsewhere.
func (s *Service) FindCalendars(ctx context.Context) ([]*CalendarView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out []*CalendarView
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		saved, err := tx.FindFirmCalendars(ctx)
		if err != nil {
			return err
		}
		for _, region := range calendar.Regions() {
			c := defaultFirmCalendar(region)
			if i := slices.IndexFunc(saved, func(f *store.FirmCalendar) bool { return f.Region == region }); i >= 0 {
				c = saved[i]
			}
			out = append(out, s.calendarView(c))
		}
		return nil
	})
	return out, err
}

// FindCalendar returns one region's calendar.
func (s *Service) FindCalendar(ctx context.Context, region string) (*CalendarView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out *CalendarView
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		c, err := findFirmCalendar(ctx, tx, region)
		if err == nil {
			out = s.calendarView(c)
		}
		return err
	})
	return out, err
}

func findFirmCalendar(ctx context.Context, tx *store.Tx, region string) (*store.FirmCalendar, error) {
	if calendar.RegionName(region) == "" {
		return nil, care.Errorf(care.ENOTFOUND, "No calendar region %q; valid regions: %s.", region, strings.Join(calendar.Regions(), ", "))
	}
	c, err := tx.FindFirmCalendar(ctx, region)
	if err != nil || c != nil {
		return c, err
	}
	return defaultFirmCalendar(region), nil
}

// UpdateCalendar replaces a region's business hours, cut-off, time zone,
// closure days and working days. SLA and ISO 10002 clocks started from now
// on count on it; clocks already running keep their deadlines.
func (s *Service) UpdateCalendar(ctx context.Context, region string, in CalendarInput) (*CalendarView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	if calendar.RegionName(region) == "" {
		return nil, care.Errorf(care.ENOTFOUND, "No calendar region %q; valid regions: %s.", region, strings.Join(calendar.Regions(), ", "))
	}
	c, err := parseCalendarInput(region, in)
	if err != nil {
		return nil, err
	}
	return s.saveCalendar(ctx, c, in.BaseRevision)
}

// AddCalendarDay adds one closure (kind store.DayClosed) or working day
// (store.DayOpen) to a region's calendar, keeping everything else; fields
// are named "day" and "name".
func (s *Service) AddCalendarDay(ctx context.Context, region, kind string, day CalendarDayInput, base int64) (*CalendarView, error) {
	return s.editCalendarDays(ctx, region, base, func(c *store.FirmCalendar, cal *calendar.Calendar) error {
		var p care.Problems
		d := checkCalendarDay(&p, "", kind, day, cal)
		if err := p.Err(); err != nil {
			return err
		}
		if i := slices.IndexFunc(c.Days, func(x store.FirmDay) bool { return x.Day == d.Day }); i >= 0 {
			return care.Invalid("day", "%s is already listed as %s (%s); remove it first", d.Day, firmDayWords(c.Days[i].Kind), c.Days[i].Name)
		}
		if len(c.Days) >= 2*maxCalendarDays {
			return care.Invalid("day", "a calendar may list at most %d closure and %d working days", maxCalendarDays, maxCalendarDays)
		}
		c.Days = append(c.Days, d)
		slices.SortFunc(c.Days, func(a, b store.FirmDay) int { return strings.Compare(a.Day, b.Day) })
		return nil
	})
}

// RemoveCalendarDay removes one closure or working day from a region's
// calendar.
func (s *Service) RemoveCalendarDay(ctx context.Context, region, day string, base int64) (*CalendarView, error) {
	return s.editCalendarDays(ctx, region, base, func(c *store.FirmCalendar, _ *calendar.Calendar) error {
		i := slices.IndexFunc(c.Days, func(x store.FirmDay) bool { return x.Day == day })
		if i < 0 {
			return care.Errorf(care.ENOTFOUND, "%s is not a closure or working day of the %s calendar.", day, region)
		}
		c.Days = slices.Delete(c.Days, i, i+1)
		return nil
	})
}

func (s *Service) editCalendarDays(ctx context.Context, region string, base int64, edit func(*store.FirmCalendar, *calendar.Calendar) error) (*CalendarView, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	var c *store.FirmCalendar
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		c, err = findFirmCalendar(ctx, tx, region)
		return err
	})
	if err != nil {
		return nil, err
	}
	if base >= 0 && base != c.Revision {
		return nil, care.Errorf(care.ECONFLICT, "The %s calendar was changed by someone else since you opened it; reload it and make your change again.", region)
	}
	plain := *c
	plain.Days = nil
	cal, err := buildFirmCalendar(&plain)
	if err != nil {
		return nil, err
	}
	if err := edit(c, cal); err != nil {
		return nil, err
	}
	return s.saveCalendar(ctx, c, c.Revision)
}

func (s *Service) saveCalendar(ctx context.Context, c *store.FirmCalendar, base int64) (*CalendarView, error) {
	actor := care.ActorFromContext(ctx)
	c.UpdatedBy, c.UpdatedByName = actor.UserID, actor.Name
	var out *CalendarView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		before, err := findFirmCalendar(ctx, tx, c.Region)
		if err != nil {
			return err
		}
		if err := tx.SaveFirmCalendar(ctx, c, base); err != nil {
			return err
		}
		out = s.calendarView(c)
		return audit(ctx, tx, "update", "calendar", c.Region, map[string]any{"revision": c.Revision,
			"changes": calendarChanges(before, c)})
	})
	return out, err
}

// parseCalendarInput validates in, naming each bad field, and returns the
// settings to save.
func parseCalendarInput(region string, in CalendarInput) (*store.FirmCalendar, error) {
	var p care.Problems
	c := &store.FirmCalendar{Region: region, Zone: strings.TrimSpace(in.Zone), Cutoff: 17 * time.Hour}
	if c.Zone == "" {
		p.Add("zone", "is required (an IANA time zone such as %s)", calendar.DefaultZone(region))
	} else if _, err := time.LoadLocation(c.Zone); err != nil || c.Zone == "Local" {
		p.Add("zone", "unknown time zone %q (want an IANA name such as %s)", c.Zone, calendar.DefaultZone(region))
	}
	for k := range in.Hours {
		if !slices.Contains(WeekdayNames, k) {
			p.Add("hours."+k, "unknown weekday; use %s", strings.Join(WeekdayNames, ", "))
		}
	}
	open, hoursBad := false, false
	for wd, name := range WeekdayNames {
		h := in.Hours[name]
		field := "hours." + name
		o, c1 := strings.TrimSpace(h.Open), strings.TrimSpace(h.Close)
		if o == "" && c1 == "" {
			continue
		}
		od, okO := parseClock(o)
		cd, okC := parseClock(c1)
		hoursBad = hoursBad || !okO || !okC || cd <= od
		switch {
		case !okO:
			p.Add(field+".open", "must be a time of day such as 09:00 (both empty: closed all day)")
		case !okC:
			p.Add(field+".close", "must be a time of day such as 17:00, at most 24:00 (both empty: closed all day)")
		case cd <= od:
			p.Add(field+".close", "must be after the opening time %s", o)
		default:
			c.Hours[wd] = store.DayHours{Open: od, Close: cd}
			open = true
		}
	}
	if !open && !hoursBad {
		p.Add("hours", "at least one weekday needs business hours")
	}
	if v := strings.TrimSpace(in.Cutoff); v != "" {
		if d, ok := parseClock(v); !ok || d == 0 {
			p.Add("cutoff", "must be a time of day after 00:00 and at most 24:00, such as 17:00")
		} else {
			c.Cutoff = d
		}
	}
	if err := p.Err(); err != nil {
		// The days are checked against the hours, so bad hours come first.
		return nil, err
	}
	cal, err := buildFirmCalendar(c)
	if err != nil {
		return nil, err
	}
	checkDays(&p, "closures", store.DayClosed, in.Closures, cal, c)
	checkDays(&p, "working_days", store.DayOpen, in.WorkingDays, cal, c)
	if err := p.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(c.Days, func(a, b store.FirmDay) int { return strings.Compare(a.Day, b.Day) })
	return c, nil
}

func checkDays(p *care.Problems, field, kind string, days []CalendarDayInput, cal *calendar.Calendar, c *store.FirmCalendar) {
	if len(days) > maxCalendarDays {
		p.Add(field, "must list at most %d days", maxCalendarDays)
		return
	}
	for i, in := range days {
		prefix := fmt.Sprintf("%s[%d].", field, i)
		d := checkCalendarDay(p, prefix, kind, in, cal)
		if p.Has(prefix+"day") || p.Has(prefix+"name") {
			continue
		}
		if j := slices.IndexFunc(c.Days, func(x store.FirmDay) bool { return x.Day == d.Day }); j >= 0 {
			if c.Days[j].Kind == kind {
				p.Add(prefix+"day", "%s is listed twice", d.Day)
			} else {
				p.Add(prefix+"day", "%s is also listed as %s; a day is either closed or open", d.Day, firmDayWords(c.Days[j].Kind))
			}
			continue
		}
		c.Days = append(c.Days, d)
	}
}

// checkCalendarDay validates one closure or working day against the
// calendar without the firm's days: a closure must fall on a business day
// (closing an already closed day would change nothing), a working day on a
// public holiday that falls on an open weekday.
func checkCalendarDay(p *care.Problems, prefix, kind string, in CalendarDayInput, cal *calendar.Calendar) store.FirmDay {
	d := store.FirmDay{Day: strings.TrimSpace(in.Day), Kind: kind, Name: strings.TrimSpace(in.Name)}
	if d.Name == "" {
		p.Add(prefix+"name", "is required (what the day is, such as \"Office move\")")
	}
	p.MaxLen(prefix+"name", d.Name, 100)
	day, err := calendar.ParseDay(d.Day)
	if err != nil || day.Year() < 1990 || day.Year() > 2100 {
		p.Add(prefix+"day", "must be a date such as 2026-12-24, between 1990 and 2100")
		return d
	}
	d.Day = day.String()
	open, close := cal.Hours(day.Weekday())
	holiday, isHoliday := cal.IsPublicHoliday(day)
	switch {
	case kind == store.DayClosed && close <= open:
		p.Add(prefix+"day", "%s is a %s, which has no business hours already", d.Day, day.Weekday())
	case kind == store.DayClosed && isHoliday:
		p.Add(prefix+"day", "%s is already a public holiday (%s)", d.Day, holiday)
	case kind == store.DayOpen && !isHoliday:
		p.Add(prefix+"day", "%s is not a public holiday in %s; only a public holiday can be made a working day", d.Day, cal.Region())
	case kind == store.DayOpen && close <= open:
		p.Add(prefix+"day", "%s (%s) is a %s, which has no business hours; give %ss hours first", d.Day, holiday, day.Weekday(), day.Weekday())
	}
	return d
}

func firmDayWords(kind string) string {
	if kind == store.DayOpen {
		return "a working day"
	}
	return "a closure day"
}

// parseClock reads "HH:MM" (00:00 to 24:00) as an offset from midnight.
func parseClock(s string) (time.Duration, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

// FormatClock writes an offset from midnight as "HH:MM".
func FormatClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// calendarChanges lists what an edit changed, for the audit trail.
func calendarChanges(a, b *store.FirmCalendar) []string {
	var out []string
	note := func(field, before, after string) {
		if before != after {
			out = append(out, field+": "+before+" → "+after)
		}
	}
	note("zone", a.Zone, b.Zone)
	note("cutoff", FormatClock(a.Cutoff), FormatClock(b.Cutoff))
	hours := func(h store.DayHours) string {
		if h.Close <= h.Open {
			return "closed"
		}
		return FormatClock(h.Open) + "-" + FormatClock(h.Close)
	}
	for wd := range a.Hours {
		note("hours."+WeekdayNames[wd], hours(a.Hours[wd]), hours(b.Hours[wd]))
	}
	days := func(c *store.FirmCalendar) map[string]string {
		m := map[string]string{}
		for _, d := range c.Days {
			m[d.Day] = firmDayWords(d.Kind) + " (" + d.Name + ")"
		}
		return m
	}
	da, db := days(a), days(b)
	for _, d := range a.Days {
		if db[d.Day] != da[d.Day] {
			note("day "+d.Day, da[d.Day], orNone(db[d.Day]))
		}
	}
	for _, d := range b.Days {
		if _, ok := da[d.Day]; !ok {
			note("day "+d.Day, "none", db[d.Day])
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// CalendarDays previews a region's calendar from..to (inclusive, at most
// 400 days): for each day whether it is a business day and why not.
func (s *Service) CalendarDays(ctx context.Context, region string, from, to calendar.Day) ([]CalendarDay, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var p care.Problems
	if to < from {
		p.Add("to", "must not be before from")
	} else if to-from >= 400 {
		p.Add("to", "the preview covers at most 400 days")
	}
	if from.Year() < 1990 || to.Year() > 2100 {
		p.Add("from", "must be between 1990 and 2100")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	// The calendar comes from the clock configuration snapshot, so a
	// preview costs no calendar build and shows what new clocks count on.
	var fc *store.FirmCalendar
	var cal *calendar.Calendar
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		var err error
		if fc, err = findFirmCalendar(ctx, tx, region); err != nil {
			return err
		}
		cc, err := s.clockConfig(ctx, tx)
		if err != nil {
			return err
		}
		cal, err = cc.calendar(region)
		return err
	})
	if err != nil {
		return nil, err
	}
	v := s.calendarView(fc)
	firm := map[string]store.FirmDay{}
	for _, d := range fc.Days {
		firm[d.Day] = d
	}
	out := make([]CalendarDay, 0, to-from+1)
	for d := from; d <= to; d++ {
		h := v.Hours[d.Weekday()]
		cd := CalendarDay{Day: d, Business: cal.IsBusinessDay(d), Kind: DayWorking}
		fd, isFirm := firm[d.String()]
		holiday, isHoliday := cal.IsPublicHoliday(d)
		switch {
		case isFirm && fd.Kind == store.DayClosed:
			cd.Kind, cd.Name = DayClosure, fd.Name
		case isFirm:
			cd.Kind, cd.Name = DayExtraWorking, fd.Name+" (instead of "+holiday+")"
		case h.Close <= h.Open:
			cd.Kind, cd.Name = DayClosedWeekday, holiday
		case isHoliday:
			cd.Kind, cd.Name = DayHoliday, holiday
		}
		if cd.Business {
			cd.Open, cd.Close = h.Open, h.Close
		}
		out = append(out, cd)
	}
	return out, nil
}
