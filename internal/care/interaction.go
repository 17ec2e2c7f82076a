package care

import (
	"strings"
	"time"
)

// Interaction is one contact on a channel, inbound or outbound, or an
// internal note. Its timestamps feed the contact-centre KPIs.
type Interaction struct {
	ID            int64
	CaseID        int64
	Channel       string // Channels, or "note" for internal notes
	Direction     string // Directions
	AgentID       int64  // 0 when no agent handled it (an abandoned call, a web form)
	Queue         string
	Disposition   string // a DispositionCode's code, or ""
	Subject       string
	Body          string
	OfferedAt     time.Time // entered the queue or arrived
	AnsweredAt    time.Time // zero when not answered
	EndedAt       time.Time
	WrapUpEndedAt time.Time
	Abandoned     bool
	ExternalID    string // the source system's id (telephony event, message id), unique when set
	CreatedAt     time.Time
}

// Directions of an interaction.
var Directions = enum{"inbound", "outbound", "internal"}

// InteractionChannels are the case channels plus internal notes.
var InteractionChannels = enum{"phone", "email", "chat", "web", "post", "in_person", "social", "note"}

// Normalize trims input and fills defaults.
func (i *Interaction) Normalize() {
	i.Channel = strings.TrimSpace(i.Channel)
	i.Direction = strings.TrimSpace(i.Direction)
	if i.Direction == "" {
		i.Direction = "inbound"
		if i.Channel == "note" {
			i.Direction = "internal"
		}
	}
	i.Disposition = strings.TrimSpace(i.Disposition)
	i.Queue = strings.TrimSpace(i.Queue)
	i.ExternalID = strings.TrimSpace(i.ExternalID)
}

// Validate reports every invalid field. now bounds the timestamps.
func (i *Interaction) Validate(now time.Time) error {
	var p Problems
	p.Required("channel", i.Channel)
	InteractionChannels.check(&p, "channel", i.Channel)
	Directions.check(&p, "direction", i.Direction)
	if i.Channel == "note" && i.Direction != "internal" {
		p.Add("direction", "must be internal for a note")
	}
	p.MaxLen("subject", i.Subject, 300)
	p.MaxLen("body", i.Body, 1_000_000)
	p.MaxLen("queue", i.Queue, 100)
	p.MaxLen("external_id", i.ExternalID, 200)
	future := now.Add(5 * time.Minute)
	check := func(field string, t time.Time) {
		if t.After(future) {
			p.Add(field, "must not be in the future")
		}
	}
	check("offered_at", i.OfferedAt)
	check("answered_at", i.AnsweredAt)
	check("ended_at", i.EndedAt)
	check("wrap_up_ended_at", i.WrapUpEndedAt)
	order := func(field string, later, earlier time.Time, name string) {
		if !later.IsZero() && !earlier.IsZero() && later.Before(earlier) && !p.Has(field) {
			p.Add(field, "must not be before %s", name)
		}
	}
	order("answered_at", i.AnsweredAt, i.OfferedAt, "offered_at")
	order("ended_at", i.EndedAt, i.AnsweredAt, "answered_at")
	order("ended_at", i.EndedAt, i.OfferedAt, "offered_at")
	order("wrap_up_ended_at", i.WrapUpEndedAt, i.EndedAt, "ended_at")
	if i.Abandoned && !i.AnsweredAt.IsZero() {
		p.Add("abandoned", "an answered contact cannot be abandoned")
	}
	return p.Err()
}

// DispositionCode classifies the outcome of an interaction, e.g.
// "resolved_first_contact" or "callback_promised".
type DispositionCode struct {
	Code      string
	Label     string
	Active    bool
	CreatedAt time.Time
}

// Validate reports every invalid field.
func (d *DispositionCode) Validate() error {
	var p Problems
	p.Required("code", d.Code)
	p.MaxLen("code", d.Code, 60)
	for _, r := range d.Code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			p.Add("code", "must use lower-case letters, digits and underscores only")
			break
		}
	}
	p.Required("label", d.Label)
	p.MaxLen("label", d.Label, 200)
	return p.Err()
}
