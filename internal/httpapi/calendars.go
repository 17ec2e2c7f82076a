package httpapi

import (
	"net/http"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// hoursDTO is one weekday's business hours, "HH:MM" local time.
type hoursDTO struct {
	Open  string `json:"open"`
	Close string `json:"close"`
}

// calendarDayDTO is a closure day or a working day.
type calendarDayDTO struct {
	Day  string `json:"day"`
	Name string `json:"name"`
}

// calendarDTO is a region's calendar as the firm keeps it; a weekday with
// null hours is closed. Revision 0: the defaults, never changed.
type calendarDTO struct {
	Region      string               `json:"region"`
	Name        string               `json:"name"`
	Zone        string               `json:"zone"`
	Cutoff      string               `json:"cutoff"`
	Hours       map[string]*hoursDTO `json:"hours"`
	Closures    []calendarDayDTO     `json:"closures"`
	WorkingDays []calendarDayDTO     `json:"working_days"`
	Revision    int64                `json:"revision"`
	UpdatedAt   *string              `json:"updated_at"`
	UpdatedBy   string               `json:"updated_by"`
	UsedFor     []string             `json:"used_for"`
}

func toCalendarDays(ds []store.FirmDay) []calendarDayDTO {
	out := []calendarDayDTO{}
	for _, d := range ds {
		out = append(out, calendarDayDTO{d.Day, d.Name})
	}
	return out
}

func toCalendar(v *service.CalendarView) calendarDTO {
	d := calendarDTO{Region: v.Region, Name: v.Name, Zone: v.Zone, Cutoff: service.FormatClock(v.Cutoff),
		Hours: map[string]*hoursDTO{}, Closures: toCalendarDays(v.Closures), WorkingDays: toCalendarDays(v.WorkingDays),
		Revision: v.Revision, UpdatedAt: stamp(v.UpdatedAt), UpdatedBy: v.UpdatedBy, UsedFor: append([]string{}, v.UsedFor...)}
	for wd, name := range service.WeekdayNames {
		h := v.Hours[wd]
		d.Hours[name] = nil
		if h.Close > h.Open {
			d.Hours[name] = &hoursDTO{service.FormatClock(h.Open), service.FormatClock(h.Close)}
		}
	}
	return d
}

// calendarInput replaces a region's calendar (PUT).
type calendarInput struct {
	Zone         string               `json:"zone"`
	Cutoff       string               `json:"cutoff"`
	Hours        map[string]*hoursDTO `json:"hours"`
	Closures     []calendarDayDTO     `json:"closures"`
	WorkingDays  []calendarDayDTO     `json:"working_days"`
	BaseRevision *int64               `json:"base_revision"` // the revision the edit started from; absent: no check
}

func (a *API) listCalendars(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.svc.FindCalendars(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[calendarDTO]{Items: mapAll(cs, toCalendar)})
}

func (a *API) getCalendar(w http.ResponseWriter, r *http.Request) error {
	v, err := a.svc.FindCalendar(r.Context(), r.PathValue("region"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCalendar(v))
}

func (a *API) updateCalendar(w http.ResponseWriter, r *http.Request) error {
	var in calendarInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	si := service.CalendarInput{Zone: in.Zone, Cutoff: in.Cutoff, Hours: map[string]service.HoursInput{}, BaseRevision: -1}
	for k, h := range in.Hours {
		if h != nil {
			si.Hours[k] = service.HoursInput{Open: h.Open, Close: h.Close}
		} else {
			si.Hours[k] = service.HoursInput{}
		}
	}
	for _, d := range in.Closures {
		si.Closures = append(si.Closures, service.CalendarDayInput{Day: d.Day, Name: d.Name})
	}
	for _, d := range in.WorkingDays {
		si.WorkingDays = append(si.WorkingDays, service.CalendarDayInput{Day: d.Day, Name: d.Name})
	}
	if in.BaseRevision != nil {
		si.BaseRevision = *in.BaseRevision
	}
	v, err := a.svc.UpdateCalendar(r.Context(), r.PathValue("region"), si)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCalendar(v))
}

// calendarDayInfoDTO is one day of a calendar preview.
type calendarDayInfoDTO struct {
	Day      string  `json:"day"`
	Weekday  string  `json:"weekday"`
	Business bool    `json:"business"`
	Kind     string  `json:"kind"`
	Name     string  `json:"name,omitempty"`
	Open     *string `json:"open"`
	Close    *string `json:"close"`
}

type calendarDaysDTO struct {
	Region string               `json:"region"`
	Zone   string               `json:"zone"`
	From   string               `json:"from"`
	To     string               `json:"to"`
	Items  []calendarDayInfoDTO `json:"items"`
}

// calendarDays answers GET /api/v1/calendars/{region}/days?from=&to=: the
// days of a period (default: this month) with their business hours or why
// they have none.
func (a *API) calendarDays(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	day := func(name string) (calendar.Day, bool) {
		s := q.str(name)
		if s == "" {
			return 0, false
		}
		d, err := calendar.ParseDay(s)
		if err != nil {
			q.p.Add(name, "must be a date such as 2026-12-01")
			return 0, false
		}
		return d, true
	}
	from, okFrom := day("from")
	to, okTo := day("to")
	if err := q.err(); err != nil {
		return err
	}
	if !okFrom {
		y, m, _ := a.svc.Now().UTC().Date()
		from = calendar.DayOf(y, m, 1)
	}
	if !okTo {
		y, m, _ := from.Date()
		to = calendar.DayOf(y, m+1, 1).AddDays(-1)
	}
	v, err := a.svc.FindCalendar(r.Context(), r.PathValue("region"))
	if err != nil {
		return err
	}
	days, err := a.svc.CalendarDays(r.Context(), v.Region, from, to)
	if err != nil {
		return err
	}
	out := calendarDaysDTO{Region: v.Region, Zone: v.Zone, From: from.String(), To: to.String(), Items: []calendarDayInfoDTO{}}
	for _, d := range days {
		item := calendarDayInfoDTO{Day: d.Day.String(), Weekday: d.Day.Weekday().String(), Business: d.Business, Kind: d.Kind, Name: d.Name}
		if d.Business {
			o, c := service.FormatClock(d.Open), service.FormatClock(d.Close)
			item.Open, item.Close = &o, &c
		}
		out.Items = append(out.Items, item)
	}
	return writeJSON(w, http.StatusOK, out)
}
