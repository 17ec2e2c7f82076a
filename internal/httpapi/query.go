package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// MaxLimit is the largest page a list accepts.
const MaxLimit = 500

// query reads URL query parameters, collecting every bad one so that the
// caller learns about all of them at once.
type query struct {
	v url.Values
	p care.Problems
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

// str returns a trimmed parameter.
func (q *query) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

// list returns a parameter that may be repeated or comma-separated.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.v[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// id returns a positive integer parameter, 0 when absent.
func (q *query) id(name string) int64 {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		q.p.Add(name, "must be a positive integer")
		return 0
	}
	return n
}

// flag returns a boolean parameter, false when absent.
func (q *query) flag(name string) bool {
	s := q.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.p.Add(name, "must be true or false")
	}
	return b
}

// time returns an RFC 3339 time parameter, zero when absent.
func (q *query) time(name string) time.Time {
	s := q.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		q.p.Add(name, "must be an RFC 3339 time such as 2026-01-31T09:30:00Z")
	}
	return t.UTC()
}

// limit returns the page size, 0 (the service's default) when absent.
func (q *query) limit() int {
	s := q.str("limit")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		q.p.Add("limit", "must be an integer from 1 to %d", MaxLimit)
		return 0
	}
	return n
}

// cursor returns the keyset position encoded by encodeCursor, 0 when absent.
func (q *query) cursor() int64 {
	s := q.str("cursor")
	if s == "" {
		return 0
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	n, err2 := strconv.ParseInt(string(b), 10, 64)
	if err != nil || err2 != nil || n <= 0 {
		q.p.Add("cursor", "is not a cursor this API returned; start again without it")
		return 0
	}
	return n
}

// err returns the problems found, as a 400 (the query cannot be used as
// given) naming each parameter.
func (q *query) err() error {
	err := q.p.Err()
	if err == nil {
		return nil
	}
	e := err.(*care.Error)
	e.Code, e.Message = eMalformed, "The query has an invalid parameter."
	return e
}

// encodeCursor makes the opaque next_cursor for a keyset position; nil
// (JSON null) when there is no next page.
func encodeCursor(n int64) *string {
	if n == 0 {
		return nil
	}
	s := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(n, 10)))
	return &s
}

// page is the envelope of every list.
type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// newPage maps a page of domain values to DTOs.
func newPage[D any, T any](items []T, next int64, fn func(T) D) page[D] {
	return page[D]{Items: mapAll(items, fn), NextCursor: encodeCursor(next)}
}

// pathID reads a numeric path parameter; anything else cannot name a record.
func pathID(r *http.Request, name string) (int64, error) {
	s := r.PathValue(name)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, care.Errorf(care.ENOTFOUND, "No record %q: the id must be a positive integer.", s)
	}
	return n, nil
}
