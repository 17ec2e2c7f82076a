package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestTelephonyEvents(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		offered := `{"event_id":"e1","type":"call.offered","call_id":"CALL-1","at":"2026-11-21T09:00:00.125Z",
			"queue":"motor","caller_phone":"+44 20 7946 0000"}`
		runScenarios(t, f, []scenario{
			{name: "offered links to the caller's open case", as: "agent", method: http.MethodPost,
				url: "/api/v1/telephony/events", body: offered, status: http.StatusCreated,
				json: map[string]any{"duplicate": false, "case.id": f.num("{case}"), "interaction.channel": "phone",
					"interaction.external_id": "CALL-1", "interaction.queue": "motor",
					"interaction.offered_at": "2026-11-21T09:00:00.125Z", "interaction.answered_at": nil}},
			{name: "the same event again counts once", as: "agent", method: http.MethodPost,
				url: "/api/v1/telephony/events", body: offered, status: http.StatusOK,
				json: map[string]any{"duplicate": true, "interaction.external_id": "CALL-1"}},
			{name: "answered by an agent given by email", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/events",
				body:   `{"event_id":"e2","type":"call.answered","call_id":"CALL-1","at":"2026-11-21T09:00:21.5Z","agent_email":"agent@example.com"}`,
				status: http.StatusCreated,
				json: map[string]any{"interaction.answered_at": "2026-11-21T09:00:21.5Z", "interaction.agent_id": f.num("{agent_id}"),
					"interaction.offered_at": "2026-11-21T09:00:00.125Z"}},
			{name: "chat with a card number in the transcript is stored masked", as: "agent", method: http.MethodPost,
				url:    "/api/v1/telephony/events",
				body:   `{"event_id":"c1","type":"chat.ended","call_id":"CHAT-1","at":"2026-11-21T09:10:00Z","transcript":"my card is 4111 1111 1111 1111"}`,
				status: http.StatusCreated, json: map[string]any{"interaction.channel": "chat", "case.customer_id": nil},
				absent: []string{"4111 1111 1111 1111"},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					var n int
					err := f.raw.QueryRow(`SELECT (SELECT count(*) FROM telephony_events WHERE transcript LIKE '%4111%') +
						(SELECT count(*) FROM interactions WHERE body LIKE '%4111%')`).Scan(&n)
					if err != nil || n != 0 {
						t.Fatalf("the card number is stored in %d rows (%v)", n, err)
					}
				}},
			{name: "missing fields are named", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/events",
				body: `{"type":"call.rang"}`, status: http.StatusUnprocessableEntity,
				fields: []string{"event_id", "type", "call_id", "at"}},
			{name: "unknown agent", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/events",
				body:   `{"event_id":"e3","type":"call.ended","call_id":"CALL-1","at":"2026-11-21T09:05:00Z","agent_email":"ghost@example.com"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"agent_email"}},
			{name: "an end before the answer", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/events",
				body:   `{"event_id":"e4","type":"call.ended","call_id":"CALL-1","at":"2026-11-21T08:00:00Z"}`,
				status: http.StatusUnprocessableEntity, fields: []string{"at"}},
			{name: "a time that is not a time", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/events",
				body:   `{"event_id":"e5","type":"call.ended","call_id":"CALL-1","at":"9am"}`,
				status: http.StatusBadRequest, fields: []string{"at"}},
			{name: "unknown field", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/events",
				body: `{"event_id":"e6","colour":"red"}`, status: http.StatusBadRequest, fields: []string{"colour"}},
			{name: "auditors cannot", as: "auditor", method: http.MethodPost, url: "/api/v1/telephony/events",
				body: offered, status: http.StatusForbidden},
		})
	})
}

func TestTelephonyCDR(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, f *fixture) {
		csv := map[string]string{"Content-Type": "text/csv"}
		file := "call_id,queue,agent_email,caller_phone,offered_at,answered_at,ended_at,abandoned\n" +
			"K1,motor,agent@example.com,+442079460000,2026-11-21T08:00:00Z,2026-11-21T08:00:09.75Z,2026-11-21T08:04:00Z,\n" +
			"K2,motor,,,2026-11-21T08:01:00Z,,2026-11-21T08:01:30Z,yes\n" +
			"K3,motor,,,not a time,,,\n"
		runScenarios(t, f, []scenario{
			{name: "import", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/cdr", body: file, header: csv,
				status: http.StatusOK, json: map[string]any{"rows": 3, "recorded": 2, "unchanged": 0,
					"errors": []any{map[string]any{"line": 4, "field": "offered_at",
						"message": "must be an RFC 3339 time such as 2026-11-21T09:30:00.250Z"}}}},
			{name: "re-import changes nothing", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/cdr", body: file,
				header: csv, status: http.StatusOK, json: map[string]any{"rows": 3, "recorded": 0, "unchanged": 2},
				check: func(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
					var n int
					if err := f.raw.QueryRow(`SELECT count(*) FROM interactions WHERE external_id IN ('K1', 'K2')`).Scan(&n); err != nil || n != 2 {
						t.Fatalf("%d interactions for two calls (%v)", n, err)
					}
				}},
			{name: "bad header names the column", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/cdr",
				body: "call,offered_at\nx,2026-11-21T08:00:00Z\n", header: csv, status: http.StatusUnprocessableEntity,
				fields: []string{"header"}},
			{name: "JSON is refused", as: "agent", method: http.MethodPost, url: "/api/v1/telephony/cdr",
				body: `{"a":1}`, status: http.StatusUnsupportedMediaType},
		})
	})
}
