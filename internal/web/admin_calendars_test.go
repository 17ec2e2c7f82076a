package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestAdminCalendarPages(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := e.client()
		s.signIn("agent")
		wantStatus(t, s.get("/admin/calendars"), http.StatusForbidden)

		a := adminClient(t, e)
		r := a.get("/admin/calendars")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `href="/admin/calendars/GB-ENG"`, "England and Wales", "Mon–Fri 09:00–17:00", "SLA clocks, iso10002")
		wantStatus(t, a.get("/admin/calendars/XX"), http.StatusNotFound)

		r = a.get("/admin/calendars/GB-ENG?month=2026-12")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "December 2026", "Public holiday: Christmas Day", "Open 09:00–17:00", `<th scope="col" abbr="Monday">Mon</th>`,
			"Changes apply to clocks started from now on", `for="h-monday-open"`, `name="base_revision" value="0"`)

		// A closure day, refused then added.
		r = a.post("/admin/calendars/GB-ENG/days", url.Values{"kind": {"closed"}, "day": {"2026-12-25"}, "name": {""}, "base_revision": {"0"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "already a public holiday (Christmas Day)", "is required")
		r = a.post("/admin/calendars/GB-ENG/days", url.Values{"kind": {"closed"}, "day": {"2026-12-24"}, "name": {"Christmas Eve"}, "base_revision": {"0"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = a.follow(r)
		mustContain(t, r, "Day added to the calendar.", "Firm closed: Christmas Eve", "2026-12-24</time> Thursday · Christmas Eve")
		// The page shown before the change is stale now.
		r = a.post("/admin/calendars/GB-ENG/days", url.Values{"kind": {"open"}, "day": {"2026-12-28"}, "name": {"Storm cover"}, "base_revision": {"0"}})
		wantStatus(t, r, http.StatusConflict)
		mustContain(t, r, "changed by someone else")

		// Hours: refused with the field named, then saved keeping the closure.
		hours := url.Values{"zone": {"Europe/London"}, "cutoff": {"16:00"}, "base_revision": {"1"}}
		for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
			hours.Set(d+".open", "08:30")
			hours.Set(d+".close", "17:30")
		}
		hours.Set("saturday.open", "13:00")
		hours.Set("saturday.close", "09:00")
		r = a.post("/admin/calendars/GB-ENG", hours)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "must be after the opening time 13:00", `aria-describedby="h-saturday-close-err"`, `value="08:30"`)
		hours.Set("saturday.close", "")
		hours.Set("saturday.open", "")
		r = a.post("/admin/calendars/GB-ENG", hours)
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, a.follow(r), "Calendar saved", "Christmas Eve")
		c, err := e.svc.FindCalendar(e.sys, "GB-ENG")
		if err != nil || c.Cutoff != 16*time.Hour || c.Hours[time.Monday].Open != 8*time.Hour+30*time.Minute || len(c.Closures) != 1 || c.Revision != 2 {
			t.Fatalf("saved hours: %v %+v", err, c)
		}

		r = a.post("/admin/calendars/GB-ENG/days/2026-12-24/remove", url.Values{"base_revision": {"2"}})
		wantStatus(t, r, http.StatusSeeOther)
		mustContain(t, a.follow(r), "Day removed from the calendar.")
		if c, _ := e.svc.FindCalendar(e.sys, "GB-ENG"); len(c.Closures) != 0 {
			t.Fatalf("closure not removed: %+v", c.Closures)
		}
	})
}
