package care

import (
	"slices"
	"strings"
)

// enum is a closed set of string values with a stable order for messages.
type enum []string

func (e enum) valid(v string) bool { return slices.Contains(e, v) }

func (e enum) list() string { return strings.Join(e, ", ") }

// check records a problem on field when v is not one of e's values. Blank
// values are left to Required, so a missing field gets one clear message.
func (e enum) check(p *Problems, field, v string) {
	if v != "" && !e.valid(v) {
		p.Add(field, "must be one of: %s", e.list())
	}
}
