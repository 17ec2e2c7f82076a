package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// calendarsData is the calendar list's data.
type calendarsData struct {
	Calendars []calendarSummary
}

type calendarSummary struct {
	*service.CalendarView
	Hours      string // "Mon–Fri 09:00–17:00"
	CutoffText string
	Upcoming   int // closures today or later
}

// calendarData is one region's calendar page.
type calendarData struct {
	Cal         *service.CalendarView
	Hours       form // zone, cutoff, <weekday>.open/.close
	Day         form // the add-a-day form
	Weekdays    []weekdayRow
	ClosureList calDaysArgs
	WorkingList calDaysArgs
	Month       monthGrid
	ZoneHint    string
}

type weekdayRow struct {
	Key, Label        string
	Open, Close       string
	OpenErr, CloseErr string
}

// calDaysArgs is the argument of the "cal-days" template: a list of days
// with a remove button each.
type calDaysArgs struct {
	Rows     []dayRow
	Region   string
	Revision int64
	CSRF     string
	What     string
}

type dayRow struct {
	Day, Weekday, Name string
	Past               bool
}

// monthGrid is the month preview: weeks of seven cells, Monday first.
type monthGrid struct {
	Title      string
	Prev, Next string // ?month= values
	Weeks      [][]monthCell
	Business   int
}

type monthCell struct {
	Day      string // "" for padding
	Num      int
	Kind     string
	Text     string
	Business bool
	Today    bool
}

// mondayFirst lists weekdays as the page shows them.
var mondayFirst = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// adminCalendars answers GET /admin/calendars.
func (ui *UI) adminCalendars(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !care.ActorFromContext(ctx).Can(care.PermConfigAdmin) {
		ui.renderError(w, r, http.StatusForbidden, "")
		return
	}
	cals, err := ui.svc.FindCalendars(ctx)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	today := calendar.DayFromTime(ui.now().UTC()).String()
	d := &calendarsData{}
	for _, c := range cals {
		s := calendarSummary{CalendarView: c, Hours: hoursSummary(c.Hours), CutoffText: service.FormatClock(c.Cutoff)}
		for _, x := range c.Closures {
			if x.Day >= today {
				s.Upcoming++
			}
		}
		d.Calendars = append(d.Calendars, s)
	}
	ui.render(w, r, http.StatusOK, "admin-calendars", &page{Title: "Calendars · Administration", Nav: "admin", Data: d})
}

// hoursSummary describes a week's hours in a line, grouping weekdays in a
// row with the same hours: "Mon–Fri 09:00–17:00, Sat 09:00–13:00".
func hoursSummary(h [7]store.DayHours) string {
	var parts []string
	for i := 0; i < len(mondayFirst); {
		wd := mondayFirst[i]
		j := i
		for j+1 < len(mondayFirst) && h[mondayFirst[j+1]] == h[wd] {
			j++
		}
		if h[wd].Close > h[wd].Open {
			days := wd.String()[:3]
			if j > i {
				days += "–" + mondayFirst[j].String()[:3]
			}
			parts = append(parts, days+" "+service.FormatClock(h[wd].Open)+"–"+service.FormatClock(h[wd].Close))
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return "closed"
	}
	return strings.Join(parts, ", ")
}

// adminCalendar answers GET /admin/calendars/{region}.
func (ui *UI) adminCalendar(w http.ResponseWriter, r *http.Request) {
	ui.showCalendar(w, r, http.StatusOK, r.PathValue("region"), nil, nil)
}

func (ui *UI) showCalendar(w http.ResponseWriter, r *http.Request, status int, region string, hours, day *form) {
	ctx := r.Context()
	if !care.ActorFromContext(ctx).Can(care.PermConfigAdmin) {
		ui.renderError(w, r, http.StatusForbidden, "")
		return
	}
	c, err := ui.svc.FindCalendar(ctx, region)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &calendarData{Cal: c, ZoneHint: calendar.DefaultZone(c.Region)}
	if hours == nil {
		f := newForm()
		f.Values["zone"], f.Values["cutoff"] = c.Zone, service.FormatClock(c.Cutoff)
		for wd, name := range service.WeekdayNames {
			if h := c.Hours[wd]; h.Close > h.Open {
				f.Values[name+".open"], f.Values[name+".close"] = service.FormatClock(h.Open), service.FormatClock(h.Close)
			}
		}
		hours = &f
	}
	if day == nil {
		f := newForm()
		f.Values["kind"] = store.DayClosed
		day = &f
	}
	d.Hours, d.Day = *hours, *day
	for _, wd := range mondayFirst {
		name := service.WeekdayNames[wd]
		d.Weekdays = append(d.Weekdays, weekdayRow{Key: name, Label: wd.String(),
			Open: d.Hours.Get(name + ".open"), Close: d.Hours.Get(name + ".close"),
			OpenErr: d.Hours.Err("hours." + name + ".open"), CloseErr: d.Hours.Err("hours." + name + ".close")})
	}
	today := calendar.DayFromTime(ui.now().UTC())
	rows := func(ds []store.FirmDay) []dayRow {
		var out []dayRow
		for _, x := range ds {
			dd, _ := calendar.ParseDay(x.Day)
			out = append(out, dayRow{Day: x.Day, Weekday: dd.Weekday().String(), Name: x.Name, Past: dd < today})
		}
		return out
	}
	csrf := ""
	if st := stateFrom(ctx); st != nil {
		csrf = st.sess.CSRF
	}
	d.ClosureList = calDaysArgs{Rows: rows(c.Closures), Region: c.Region, Revision: c.Revision, CSRF: csrf, What: "closure"}
	d.WorkingList = calDaysArgs{Rows: rows(c.WorkingDays), Region: c.Region, Revision: c.Revision, CSRF: csrf, What: "working day"}
	if d.Month, err = ui.monthGrid(r, c, r.URL.Query().Get("month"), today); err != nil {
		ui.fail(w, r, err)
		return
	}
	ui.render(w, r, status, "admin-calendar", &page{Title: c.Name + " calendar · Administration", Nav: "admin", Data: d})
}

// monthGrid previews one month ("2026-12"; this month when empty or bad).
func (ui *UI) monthGrid(r *http.Request, c *service.CalendarView, month string, today calendar.Day) (monthGrid, error) {
	y, m, _ := today.Date()
	if t, err := time.Parse("2006-01", month); err == nil && t.Year() >= 1990 && t.Year() <= 2100 {
		y, m = t.Year(), t.Month()
	}
	first := calendar.DayOf(y, m, 1)
	last := calendar.DayOf(y, m+1, 1).AddDays(-1)
	days, err := ui.svc.CalendarDays(r.Context(), c.Region, first, last)
	if err != nil {
		return monthGrid{}, err
	}
	g := monthGrid{Title: time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format("January 2006"),
		Prev: time.Date(y, m-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"),
		Next: time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")}
	week := make([]monthCell, (int(first.Weekday())+6)%7) // padding before the 1st (Monday first)
	for _, cd := range days {
		_, _, n := cd.Day.Date()
		cell := monthCell{Day: cd.Day.String(), Num: n, Kind: cd.Kind, Business: cd.Business, Today: cd.Day == today}
		switch cd.Kind {
		case service.DayWorking:
			cell.Text = "Open " + service.FormatClock(cd.Open) + "–" + service.FormatClock(cd.Close)
			g.Business++
		case service.DayExtraWorking:
			cell.Text = "Working day: " + cd.Name
			g.Business++
		case service.DayHoliday:
			cell.Text = "Public holiday: " + cd.Name
		case service.DayClosure:
			cell.Text = "Firm closed: " + cd.Name
		default:
			cell.Text = "Closed"
			if cd.Name != "" {
				cell.Text += " (" + cd.Name + ")"
			}
		}
		week = append(week, cell)
		if len(week) == 7 {
			g.Weeks = append(g.Weeks, week)
			week = nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, monthCell{})
		}
		g.Weeks = append(g.Weeks, week)
	}
	return g, nil
}

// calendarFailed shows the page again with a refused form's values and
// errors, or the error page for errors that are not about the form.
func (ui *UI) calendarFailed(w http.ResponseWriter, r *http.Request, region string, err error, f form, isDay bool) {
	switch care.ErrorCode(err) {
	case care.EINVALID, care.ECONFLICT:
	default:
		ui.fail(w, r, err)
		return
	}
	for _, fe := range care.ErrorFields(err) {
		f.Errors[fe.Field] = fe.Message
	}
	f.Error = care.ErrorMessage(err)
	if isDay {
		ui.showCalendar(w, r, errorStatus(err), region, nil, &f)
		return
	}
	ui.showCalendar(w, r, errorStatus(err), region, &f, nil)
}

// base reads the revision the page was showing, -1 when absent.
func baseRevision(r *http.Request) int64 {
	n, err := strconv.ParseInt(r.PostForm.Get("base_revision"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// saveCalendarHours answers POST /admin/calendars/{region}: zone, cut-off
// and the hours of each weekday, keeping the closure and working days.
func (ui *UI) saveCalendarHours(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	fields := []string{"zone", "cutoff"}
	for _, name := range service.WeekdayNames {
		fields = append(fields, name+".open", name+".close")
	}
	f := formOf(r, fields...)
	c, err := ui.svc.FindCalendar(r.Context(), region)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	in := service.CalendarInput{Zone: f.Get("zone"), Cutoff: f.Get("cutoff"), Hours: map[string]service.HoursInput{},
		BaseRevision: baseRevision(r)}
	for _, name := range service.WeekdayNames {
		in.Hours[name] = service.HoursInput{Open: f.Get(name + ".open"), Close: f.Get(name + ".close")}
	}
	for _, x := range c.Closures {
		in.Closures = append(in.Closures, service.CalendarDayInput{Day: x.Day, Name: x.Name})
	}
	for _, x := range c.WorkingDays {
		in.WorkingDays = append(in.WorkingDays, service.CalendarDayInput{Day: x.Day, Name: x.Name})
	}
	if _, err := ui.svc.UpdateCalendar(r.Context(), region, in); err != nil {
		ui.calendarFailed(w, r, region, err, f, false)
		return
	}
	ui.setFlash(w, "calendar")
	http.Redirect(w, r, "/admin/calendars/"+url.PathEscape(region), http.StatusSeeOther)
}

// addCalendarDay answers POST /admin/calendars/{region}/days: a closure day
// or a working day.
func (ui *UI) addCalendarDay(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	f := formOf(r, "kind", "day", "name")
	kind := f.Get("kind")
	if kind != store.DayOpen {
		kind = store.DayClosed
	}
	_, err := ui.svc.AddCalendarDay(r.Context(), region, kind, service.CalendarDayInput{Day: f.Get("day"), Name: f.Get("name")}, baseRevision(r))
	if err != nil {
		ui.calendarFailed(w, r, region, err, f, true)
		return
	}
	ui.setFlash(w, "calday")
	month := ""
	if len(f.Get("day")) >= 7 {
		month = "?month=" + url.QueryEscape(f.Get("day")[:7])
	}
	http.Redirect(w, r, "/admin/calendars/"+url.PathEscape(region)+month+"#preview", http.StatusSeeOther)
}

// removeCalendarDay answers POST /admin/calendars/{region}/days/{day}/remove.
func (ui *UI) removeCalendarDay(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	if _, err := ui.svc.RemoveCalendarDay(r.Context(), region, r.PathValue("day"), baseRevision(r)); err != nil {
		f := newForm()
		ui.calendarFailed(w, r, region, err, f, true)
		return
	}
	ui.setFlash(w, "caldayremoved")
	http.Redirect(w, r, "/admin/calendars/"+url.PathEscape(region)+"#days", http.StatusSeeOther)
}
