package httpapi_test

import (
	"net/http"
	"testing"
)

func TestCalendarsAPI(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		week := `"hours":{"monday":{"open":"08:00","close":"18:00"},"tuesday":{"open":"08:00","close":"18:00"},
			"wednesday":{"open":"08:00","close":"18:00"},"thursday":{"open":"08:00","close":"18:00"},
			"friday":{"open":"08:00","close":"16:00"},"saturday":null}`
		runScenarios(t, f, []scenario{
			{name: "list", as: "agent", url: "/api/v1/calendars", status: http.StatusOK,
				json: map[string]any{"items.0.region": "AU-NSW", "next_cursor": nil}, contains: []string{`"region":"GB-ENG"`}},
			{name: "one region, defaults", as: "agent", url: "/api/v1/calendars/GB-ENG", status: http.StatusOK,
				json: map[string]any{"zone": "Europe/London", "cutoff": "17:00", "hours.monday.open": "09:00", "hours.saturday": nil,
					"revision": 0, "closures": []any{}, "used_for": []string{"SLA clocks", "iso10002"}}},
			{name: "unknown region", as: "agent", url: "/api/v1/calendars/XX", status: http.StatusNotFound},
			{name: "agents cannot change it", as: "agent", method: http.MethodPut, url: "/api/v1/calendars/GB-ENG",
				body: `{"zone":"Europe/London",` + week + `}`, status: http.StatusForbidden},
			{name: "bad fields are named", as: "admin", method: http.MethodPut, url: "/api/v1/calendars/GB-ENG",
				body:   `{"zone":"Europe/Londres","cutoff":"5pm","hours":{"monday":{"open":"9","close":"17:00"},"tuesday":{"open":"18:00","close":"08:00"},"someday":null}}`,
				status: http.StatusUnprocessableEntity, fields: []string{"zone", "cutoff", "hours.monday.open", "hours.tuesday.close", "hours.someday"}},
			{name: "bad days are named", as: "admin", method: http.MethodPut, url: "/api/v1/calendars/GB-ENG",
				body: `{"zone":"Europe/London",` + week + `,"closures":[{"day":"2026-12-25","name":"Christmas"},{"day":"2026-11-31","name":"x"},{"day":"2026-11-24","name":""}],
					"working_days":[{"day":"2026-11-23","name":"Monday"}]}`,
				status: http.StatusUnprocessableEntity, fields: []string{"closures[0].day", "closures[1].day", "closures[2].name", "working_days[0].day"}},
			{name: "save hours and a closure", as: "admin", method: http.MethodPut, url: "/api/v1/calendars/GB-ENG",
				body: `{"zone":"Europe/London","cutoff":"16:00","base_revision":0,` + week + `,"closures":[{"day":"2026-11-24","name":"Office move"}],
					"working_days":[{"day":"2026-12-28","name":"Storm cover"}]}`,
				status: http.StatusOK, json: map[string]any{"revision": 1, "cutoff": "16:00", "hours.friday.close": "16:00",
					"closures.0.name": "Office move", "working_days.0.day": "2026-12-28", "updated_by": "admin@example.com"}},
			{name: "a stale edit conflicts", as: "admin", method: http.MethodPut, url: "/api/v1/calendars/GB-ENG",
				body: `{"zone":"Europe/London","base_revision":0,` + week + `}`, status: http.StatusConflict},
			{name: "preview", as: "agent", url: "/api/v1/calendars/GB-ENG/days?from=2026-11-23&to=2026-11-29", status: http.StatusOK,
				json: map[string]any{"from": "2026-11-23", "items.0.kind": "working", "items.0.open": "08:00", "items.1.kind": "closure",
					"items.1.name": "Office move", "items.1.business": false, "items.1.open": nil, "items.5.kind": "closed_weekday", "items.6.weekday": "Sunday"}},
			{name: "preview of this month by default", as: "agent", url: "/api/v1/calendars/GB-ENG/days", status: http.StatusOK,
				json: map[string]any{"from": "2026-11-01", "to": "2026-11-30"}},
			{name: "preview, bad dates", as: "agent", url: "/api/v1/calendars/GB-ENG/days?from=23/11/2026", status: http.StatusBadRequest,
				fields: []string{"from"}},
			{name: "preview, too long", as: "agent", url: "/api/v1/calendars/GB-ENG/days?from=2026-01-01&to=2027-12-31",
				status: http.StatusUnprocessableEntity, fields: []string{"to"}},
		})
		// Received Saturday 21 November, counted from Monday 23rd; Tuesday is closed.
		if due := slaDue(t, f); due != "2026-11-25T23:59:59Z" {
			t.Errorf("first response due %s, want the end of Wednesday 25 November", due)
		}
	})
}
