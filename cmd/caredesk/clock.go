package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
)

func init() {
	register(command{name: "clock", summary: "print a case's regulatory deadlines for a regime (JSON)", run: runClock})
}

// eventFlag collects repeated --event NAME=RFC3339 flags.
type eventFlag map[string]time.Time

// String implements flag.Value; the flag has no default to print.
func (e eventFlag) String() string { return "" }

// Set parses one NAME=RFC3339 value; a later value for a name wins.
func (e eventFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=RFC3339, got %q", s)
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return fmt.Errorf("event %s: %q is not an RFC 3339 time (e.g. 2026-03-02T10:15:00Z)", name, value)
	}
	e[name] = t
	return nil
}

type clockMilestone struct {
	Name       string `json:"name"`
	Due        string `json:"due"`
	Basis      string `json:"basis"`
	Source     string `json:"source"`
	Recurring  bool   `json:"recurring,omitempty"`
	OnBreach   string `json:"on_breach,omitempty"`
	StartEvent string `json:"start_event"`
}

type clockOutput struct {
	Regime     string           `json:"regime"`
	Variant    string           `json:"variant"`
	Calendar   string           `json:"calendar"`
	Zone       string           `json:"zone"`
	Received   string           `json:"received"`
	Milestones []clockMilestone `json:"milestones"`
}

func runClock(_ context.Context, args []string, io stdio) int {
	fs := newFlags("clock", "--regime NAME --received RFC3339 [--calendar REGION] [--variant NAME] [--event NAME=RFC3339]…", io)
	regime := fs.String("regime", "", "regime: "+strings.Join(clock.RegimeNames(), ", "))
	received := fs.String("received", "", "first receipt of the case, RFC 3339 (e.g. 2026-02-27T18:10:00Z)")
	region := fs.String("calendar", "", "calendar region (default: the regime's): "+strings.Join(calendar.Regions(), ", "))
	variant := fs.String("variant", "", "regime variant (default standard): "+variantList())
	asOf := fs.String("as-of", "", "count on the calendar as it was known on this date (YYYY-MM-DD)")
	events := eventFlag{}
	fs.Var(events, "event", "another start event as NAME=RFC3339, repeatable (e.g. proof_of_loss=2026-03-05T11:00:00-08:00)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	out, err := clockSchedule(*regime, *variant, *region, *received, *asOf, events, fs.NArg())
	if err != nil {
		fmt.Fprintf(io.err, "caredesk clock: %s\n", care.ErrorMessage(err))
		return exitUsage
	}
	enc := json.NewEncoder(io.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(io.err, "caredesk clock: %v\n", err)
		return exitFail
	}
	return exitOK
}

// variantList names each regime's variants for the usage text.
func variantList() string {
	var parts []string
	for _, name := range clock.RegimeNames() {
		if vs := clock.Variants(name); len(vs) > 1 {
			parts = append(parts, name+": "+strings.Join(vs, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// clockSchedule validates the flags and computes the schedule.
func clockSchedule(name, variant, region, received, asOf string, events eventFlag, extra int) (*clockOutput, error) {
	if extra > 0 {
		return nil, care.Errorf(care.EINVALID, "unexpected arguments; use flags only")
	}
	if name == "" {
		return nil, care.Errorf(care.EINVALID, "--regime is required; valid regimes: %s", strings.Join(clock.RegimeNames(), ", "))
	}
	// Name and variant first, so a typo is reported with the valid list
	// whatever else is wrong.
	if _, err := clock.FindRegime(name, variant); err != nil {
		return nil, err
	}
	recv, err := time.Parse(time.RFC3339, received)
	if err != nil {
		return nil, care.Errorf(care.EINVALID, "--received %q is not an RFC 3339 time (e.g. 2026-02-27T18:10:00Z)", received)
	}
	// The rules in force when the case was received, not today's.
	reg, err := clock.FindRegimeAsOf(name, variant, calendar.DayFromTime(recv))
	if err != nil {
		return nil, err
	}
	cal, err := clockCalendar(reg, region, asOf)
	if err != nil {
		return nil, err
	}
	if _, ok := events[clock.EventReceived]; !ok {
		events[clock.EventReceived] = recv
	}
	ms, err := clock.Schedule(reg, cal, events)
	if err != nil {
		return nil, err
	}
	return clockJSONFor(reg, cal, recv, ms), nil
}

// clockCalendar builds the regime's calendar for region, as known on asOf
// when given.
func clockCalendar(reg *clock.Regime, region, asOf string) (*calendar.Calendar, error) {
	var opts []calendar.Option
	if asOf != "" {
		d, err := calendar.ParseDay(asOf)
		if err != nil {
			return nil, err
		}
		opts = append(opts, calendar.AsOf(d))
	}
	return reg.Calendar(region, opts...)
}

// clockJSONFor renders a schedule with every time in the calendar's zone,
// so due times read as the local deadline they are.
func clockJSONFor(reg *clock.Regime, cal *calendar.Calendar, recv time.Time, ms []clock.Milestone) *clockOutput {
	loc := cal.Location()
	out := &clockOutput{Regime: reg.Name, Variant: reg.Variant, Calendar: cal.Region(), Zone: loc.String(),
		Received: recv.In(loc).Format(time.RFC3339), Milestones: []clockMilestone{}}
	for _, m := range ms {
		out.Milestones = append(out.Milestones, clockMilestone{Name: m.Name, Due: m.Due.In(loc).Format(time.RFC3339),
			Basis: m.Basis, Source: m.Rule.Source, Recurring: m.Rule.Recurring, OnBreach: m.Rule.OnBreach,
			StartEvent: m.Rule.StartEvent})
	}
	return out
}
