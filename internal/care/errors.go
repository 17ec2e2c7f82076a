// Package care holds caredesk's domain: the types every other package speaks
// (customers, policies, cases, interactions, users, audit entries), their
// validation, the role-based permissions and the one error type. It imports
// only the standard library so that the API, the UI, the CLI and the jobs
// share one set of rules.
package care

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes understood by every transport. The HTTP status for each is
// chosen in one place only (internal/httpapi).
const (
	ECONFLICT       = "conflict"        // the request conflicts with current state (duplicate, stale)
	EINTERNAL       = "internal"        // a bug or an infrastructure failure; never shown in detail
	EINVALID        = "invalid"         // the input is wrong; FieldErrors say where
	ENOTFOUND       = "not_found"       // the thing does not exist or is not visible to the actor
	EUNAUTHORIZED   = "unauthorized"    // no valid credentials
	EFORBIDDEN      = "forbidden"       // valid credentials, not allowed
	ETOOLARGE       = "too_large"       // a body or file is over its limit
	EUNAVAILABLE    = "unavailable"     // a dependency (database) cannot be reached
	ERATELIMIT      = "rate_limited"    // too many requests
	EPRECONDITION   = "precondition"    // a business rule forbids the action now (wrong state)
	ENOTIMPLEMENTED = "not_implemented" // a known capability that this build does not offer
)

// FieldError names one offending input field and what is wrong with it.
type FieldError struct {
	Field   string // JSON-style path, e.g. "received_at" or "items[2].email"
	Message string
}

// Error is caredesk's user-facing error: a code, a message a person can act on,
// and for EINVALID the list of offending fields.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("caredesk: %s: %s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("caredesk: %s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that no implementation detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field errors carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation so that a caller learns
// about every bad field at once rather than one per round trip.
type Problems struct {
	fields []FieldError
}

// Add records that field is wrong, with a message.
func (p *Problems) Add(field, format string, args ...any) {
	p.fields = append(p.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether field already has a problem recorded.
func (p *Problems) Has(field string) bool {
	for _, f := range p.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Required records a problem when value is blank.
func (p *Problems) Required(field, value string) {
	if strings.TrimSpace(value) == "" {
		p.Add(field, "is required")
	}
}

// MaxLen records a problem when value is longer than n characters.
func (p *Problems) MaxLen(field, value string, n int) {
	if len([]rune(value)) > n {
		p.Add(field, "must be at most %d characters", n)
	}
}

// Err returns nil when no problem was recorded, or an EINVALID *Error listing
// every field (sorted by name for stable output).
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	fields := append([]FieldError(nil), p.fields...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	msg := "The request has an invalid field."
	if len(fields) > 1 {
		msg = fmt.Sprintf("The request has %d invalid fields.", len(fields))
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// Invalid is a shorthand for a single-field EINVALID error.
func Invalid(field, format string, args ...any) *Error {
	var p Problems
	p.Add(field, format, args...)
	return p.Err().(*Error)
}
