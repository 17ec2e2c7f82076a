package clock

import (
	"strings"
	"testing"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
)

func TestRegimePacks(t *testing.T) {
	tests := []struct {
		name, variant, calendar string
		milestones              string
	}{
		{"iso10002", "", "GB-ENG", "acknowledge update tier2_review executive_review final_response"},
		{"uk-fca", "", "GB-ENG", "summary_resolution final_response"},
		{"uk-fca", "payment-services", "GB-ENG", "summary_resolution final_response final_response_extended"},
		{"au-asic", "", "AU-NSW", "acknowledge final_response"},
		{"au-asic", "superannuation", "AU-NSW", "acknowledge final_response"},
		{"au-asic", "default-notice", "AU-NSW", "acknowledge final_response"},
		{"ie-cpc", "", "IE", "acknowledge update final_response"},
		{"us-ca-claims", "", "US", "acknowledge decision status_update"},
	}
	for _, tt := range tests {
		reg := mustRegime(t, tt.name, tt.variant)
		var names []string
		for _, r := range reg.Rules {
			names = append(names, r.Name)
			if r.Source == "" || r.Pausable || r.Amount <= 0 {
				t.Errorf("%s/%s %s: regulatory rules need a source, a positive amount and never pause", tt.name, tt.variant, r.Name)
			}
			if _, err := ParseUnit(string(r.Unit)); err != nil {
				t.Errorf("%s %s: %v", tt.name, r.Name, err)
			}
		}
		if got := strings.Join(names, " "); got != tt.milestones {
			t.Errorf("%s/%s milestones %q, want %q", tt.name, tt.variant, got, tt.milestones)
		}
		if reg.DefaultCalendar != tt.calendar || len(reg.Sources) == 0 {
			t.Errorf("%s: calendar %s, %d sources", tt.name, reg.DefaultCalendar, len(reg.Sources))
		}
	}
	if got := strings.Join(RegimeNames(), ","); got != "au-asic,claims,ie-cpc,iso10002,uk-fca,us-ca-claims" {
		t.Errorf("RegimeNames = %s", got)
	}
}

func TestFindRegimeErrors(t *testing.T) {
	_, err := FindRegime("uk-fos", "")
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "au-asic, claims, ie-cpc, iso10002, uk-fca, us-ca-claims") {
		t.Errorf("unknown regime: %v", err)
	}
	_, err = FindRegime("uk-fca", "psd2")
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "standard, payment-services") {
		t.Errorf("unknown variant: %v", err)
	}
	reg := mustRegime(t, "au-asic", "hardship")
	if reg.Variant != "default-notice" {
		t.Errorf("hardship alias gave %s", reg.Variant)
	}
	// The caller's copy is its own.
	reg.Rules[0].Amount = 99
	if r, _ := mustRegime(t, "au-asic", "hardship").Rule("acknowledge"); r.Amount != 1 {
		t.Error("FindRegime shares its rules with callers")
	}
}

// TestFindRegimeAsOf checks that old cases get the rules of their time.
func TestFindRegimeAsOf(t *testing.T) {
	tests := []struct {
		name, variant, received, rule string
		amount                        int
	}{
		{"uk-fca", "", "2016-06-29", "summary_resolution", 1}, // before PS15/19
		{"uk-fca", "", "2016-06-30", "summary_resolution", 3},
		{"au-asic", "", "2021-10-04", "final_response", 45}, // RG 165
		{"au-asic", "", "2021-10-05", "final_response", 30}, // RG 271
		{"au-asic", "superannuation", "2021-10-04", "final_response", 90},
	}
	for _, tt := range tests {
		reg, err := FindRegimeAsOf(tt.name, tt.variant, calendar.MustDay(tt.received))
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := reg.Rule(tt.rule); !ok || r.Amount != tt.amount {
			t.Errorf("%s received %s: %s = %d, want %d", tt.name, tt.received, tt.rule, r.Amount, tt.amount)
		}
	}
	if _, err := FindRegimeAsOf("uk-fca", "payment-services", calendar.MustDay("2017-12-31")); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("payment services before PSD2: %v", err)
	}
}

func TestRegimeCalendar(t *testing.T) {
	reg := mustRegime(t, "us-ca-claims", "")
	if cal, _ := reg.Calendar(""); cal.Location().String() != "America/Los_Angeles" {
		t.Errorf("default zone %v", cal.Location())
	}
	if cal, _ := reg.Calendar("GB-ENG"); cal.Location().String() != "Europe/London" {
		t.Errorf("chosen region keeps its own zone: %v", cal.Location())
	}
	if _, err := reg.Calendar("XX"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("unknown region: %v", err)
	}
}
