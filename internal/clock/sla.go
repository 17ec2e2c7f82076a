package clock

import (
	"sort"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// SLA clock names: every SLA policy yields these three rules.
const (
	SLAFirstResponse = "first_response" // from receipt to the first reply
	SLANextResponse  = "next_response"  // from the customer's latest message to our reply
	SLAResolution    = "resolution"     // from receipt to resolution; pauses while waiting on the customer
)

// Target is an SLA amount in a unit.
type Target struct {
	Amount int
	Unit   Unit
}

// SLAPolicy is an organisation's service-level targets: first and next
// response by channel, resolution by case type, made shorter or longer by
// priority and shorter for vulnerable customers by moving along Ladder.
type SLAPolicy struct {
	Name          string
	FirstResponse map[string]Target // by channel
	NextResponse  map[string]Target // by channel
	Resolution    map[string]Target // by case type
	// Ladder lists targets from shortest to longest; PriorityShift and
	// VulnerableShift move a target that many steps along it (negative =
	// shorter). A target not on the ladder is not moved.
	Ladder          []Target
	PriorityShift   map[string]int
	VulnerableShift int
	Source          string
}

var ladder = []Target{
	{1, BusinessHours}, {2, BusinessHours}, {4, BusinessHours},
	{1, BusinessDays}, {2, BusinessDays}, {3, BusinessDays}, {5, BusinessDays},
	{10, BusinessDays}, {15, BusinessDays}, {20, BusinessDays}, {30, BusinessDays}, {40, BusinessDays},
}

// DefaultSLAPolicy returns caredesk's default targets (docs/clocks.md
// explains them). The result is a fresh copy the caller may change.
func DefaultSLAPolicy() *SLAPolicy {
	return &SLAPolicy{
		Name: "caredesk-default",
		FirstResponse: map[string]Target{
			"chat": {1, BusinessHours}, "social": {2, BusinessHours}, "phone": {4, BusinessHours},
			"email": {1, BusinessDays}, "web": {1, BusinessDays}, "in_person": {1, BusinessDays},
			"post": {3, BusinessDays},
		},
		NextResponse: map[string]Target{
			"chat": {1, BusinessHours}, "social": {4, BusinessHours}, "phone": {1, BusinessDays},
			"email": {2, BusinessDays}, "web": {2, BusinessDays}, "in_person": {2, BusinessDays},
			"post": {5, BusinessDays},
		},
		Resolution: map[string]Target{
			"enquiry": {3, BusinessDays}, "service_request": {5, BusinessDays},
			"claim": {20, BusinessDays}, "complaint": {15, BusinessDays},
		},
		Ladder:          append([]Target(nil), ladder...),
		PriorityShift:   map[string]int{"urgent": -2, "high": -1, "normal": 0, "low": 1},
		VulnerableShift: -1,
		Source:          "caredesk default SLA policy (docs/clocks.md); ISO 18295-1 asks for published service-level targets",
	}
}

// Rules returns the policy's three SLA rules for a case, or an EINVALID
// error naming the valid values when the case type, channel or priority is
// unknown to the policy.
func (p *SLAPolicy) Rules(caseType, channel, priority string, vulnerable bool) ([]Rule, error) {
	first, ok1 := p.FirstResponse[channel]
	next, ok2 := p.NextResponse[channel]
	res, ok3 := p.Resolution[caseType]
	shift, ok4 := p.PriorityShift[priority]
	switch {
	case !ok1 || !ok2:
		return nil, care.Errorf(care.EINVALID, "unknown channel %q; valid channels: %s", channel, keys(p.FirstResponse))
	case !ok3:
		return nil, care.Errorf(care.EINVALID, "unknown case type %q; valid case types: %s", caseType, keys(p.Resolution))
	case !ok4:
		return nil, care.Errorf(care.EINVALID, "unknown priority %q; valid priorities: %s", priority, keys(p.PriorityShift))
	}
	if vulnerable {
		shift += p.VulnerableShift
	}
	src := p.Source
	return []Rule{
		p.rule(SLAFirstResponse, p.move(first, shift), EventReceived, false, src),
		p.rule(SLANextResponse, p.move(next, shift), EventCustomerReplied, false, src),
		p.rule(SLAResolution, p.move(res, shift), EventReceived, true, src),
	}, nil
}

func (p *SLAPolicy) rule(name string, t Target, event string, pausable bool, src string) Rule {
	return Rule{Name: name, Amount: t.Amount, Unit: t.Unit, StartEvent: event, Pausable: pausable, Source: src}
}

// move shifts t by n steps along the ladder, stopping at either end.
func (p *SLAPolicy) move(t Target, n int) Target {
	for i, l := range p.Ladder {
		if l == t {
			return p.Ladder[min(max(i+n, 0), len(p.Ladder)-1)]
		}
	}
	return t
}

func keys[V any](m map[string]V) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

var defaultPolicy = DefaultSLAPolicy()

// SLAPolicyFor returns the default policy's first_response, next_response
// and resolution rules for a case. Values the policy does not know fall back
// to a safe default (email channel, enquiry, normal priority) so a clock
// always runs; use SLAPolicy.Rules to reject them instead.
func SLAPolicyFor(caseType, channel, priority string, vulnerable bool) []Rule {
	p := defaultPolicy
	if _, ok := p.FirstResponse[channel]; !ok {
		channel = "email"
	}
	if _, ok := p.Resolution[caseType]; !ok {
		caseType = "enquiry"
	}
	if _, ok := p.PriorityShift[priority]; !ok {
		priority = "normal"
	}
	rules, _ := p.Rules(caseType, channel, priority, vulnerable)
	return rules
}
