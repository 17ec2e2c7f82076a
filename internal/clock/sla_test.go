package clock

import (
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/care"
)

func TestSLAPolicyFor(t *testing.T) {
	tests := []struct {
		caseType, channel, priority string
		vulnerable                  bool
		first, next, resolution     Target
	}{
		{"complaint", "email", "normal", false, Target{1, BusinessDays}, Target{2, BusinessDays}, Target{15, BusinessDays}},
		{"enquiry", "chat", "normal", false, Target{1, BusinessHours}, Target{1, BusinessHours}, Target{3, BusinessDays}},
		{"service_request", "phone", "normal", false, Target{4, BusinessHours}, Target{1, BusinessDays}, Target{5, BusinessDays}},
		{"claim", "post", "normal", false, Target{3, BusinessDays}, Target{5, BusinessDays}, Target{20, BusinessDays}},
		// urgent: two steps shorter on the ladder; high: one.
		{"complaint", "email", "urgent", false, Target{2, BusinessHours}, Target{4, BusinessHours}, Target{5, BusinessDays}},
		{"complaint", "email", "high", false, Target{4, BusinessHours}, Target{1, BusinessDays}, Target{10, BusinessDays}},
		{"complaint", "email", "low", false, Target{2, BusinessDays}, Target{3, BusinessDays}, Target{20, BusinessDays}},
		// a vulnerable customer gets one step shorter again.
		{"complaint", "email", "normal", true, Target{4, BusinessHours}, Target{1, BusinessDays}, Target{10, BusinessDays}},
		{"enquiry", "chat", "urgent", true, Target{1, BusinessHours}, Target{1, BusinessHours}, Target{4, BusinessHours}},
		// unknown values fall back to email / enquiry / normal.
		{"lawsuit", "fax", "critical", false, Target{1, BusinessDays}, Target{2, BusinessDays}, Target{3, BusinessDays}},
	}
	for _, tt := range tests {
		rules := SLAPolicyFor(tt.caseType, tt.channel, tt.priority, tt.vulnerable)
		if len(rules) != 3 || rules[0].Name != SLAFirstResponse || rules[1].Name != SLANextResponse || rules[2].Name != SLAResolution {
			t.Fatalf("rules %+v", rules)
		}
		for i, w := range []Target{tt.first, tt.next, tt.resolution} {
			if got := (Target{rules[i].Amount, rules[i].Unit}); got != w {
				t.Errorf("%s/%s/%s vulnerable=%v %s = %v, want %v", tt.caseType, tt.channel, tt.priority, tt.vulnerable, rules[i].Name, got, w)
			}
		}
		if rules[0].Pausable || rules[1].Pausable || !rules[2].Pausable || rules[1].StartEvent != EventCustomerReplied {
			t.Errorf("pausability / start events wrong: %+v", rules)
		}
	}
}

func TestSLAPolicyRulesErrors(t *testing.T) {
	p := DefaultSLAPolicy()
	for _, tt := range []struct{ caseType, channel, priority, list string }{
		{"complaint", "fax", "normal", "chat, email, in_person, phone, post, social, web"},
		{"lawsuit", "email", "normal", "claim, complaint, enquiry, service_request"},
		{"complaint", "email", "critical", "high, low, normal, urgent"},
	} {
		_, err := p.Rules(tt.caseType, tt.channel, tt.priority, false)
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tt.list) {
			t.Errorf("%v: %v", tt, err)
		}
	}
	// A firm's own policy: a target off the ladder is not moved.
	p.FirstResponse["email"] = Target{6, BusinessHours}
	rules, err := p.Rules("complaint", "email", "urgent", true)
	if err != nil || rules[0].Amount != 6 {
		t.Errorf("custom target: %+v %v", rules, err)
	}
	if SLAPolicyFor("complaint", "email", "normal", false)[0].Amount != 1 {
		t.Error("changing a copy changed the default policy")
	}
}
