package care

import "testing"

func TestReadMailLoss(t *testing.T) {
	pols := []*Policy{{ID: 1, Number: "MOT-12"}, {ID: 2, Number: "HOME-7"}}
	for _, tc := range []struct {
		name, subject, body string
		policy              string // "" for not a notice of loss
		injuries, total     bool
	}{
		{"stolen car", "Car stolen", "My car was stolen last night. Policy MOT-12.", "MOT-12", false, false},
		{"accident with injury", "Accident", "I had an accident on the A4, my passenger was hurt. Policy mot-12", "MOT-12", true, false},
		{"written off", "Claim", "The car is written off after a crash, policy MOT-12.", "MOT-12", false, true},
		{"weak word with claim", "New claim", "I want to claim for storm damage to the roof, HOME-7.", "HOME-7", false, false},
		{"weak word alone", "Roof", "Storm damage to the roof, HOME-7.", "", false, false},
		{"question", "Cover", "Does policy HOME-7 cover an accident or damaged items?", "", false, false},
		{"claim alone", "Claim", "I would like to claim on HOME-7.", "", false, false},
		{"no claims bonus", "NCB", "I crashed the car yesterday; will my no claims bonus on MOT-12 survive.", "MOT-12", false, false},
		{"no claims bonus only", "NCB", "Please send proof of my no claims discount for MOT-12.", "", false, false},
		{"not their policy", "Stolen", "My bike was stolen, policy BIKE-9.", "", false, false},
		{"longer number", "Stolen", "My car was stolen, policy MOT-123.", "", false, false},
		{"two policies", "Flooded", "The house flooded and the car in the garage too: HOME-7 and MOT-12.", "", false, false},
		{"existing claim", "Stolen", "About claim CL-2026-000004: the stolen car was found. MOT-12", "", false, false},
		{"complaint", "Complaint", "I complain: after the accident on MOT-12 nobody called.", "", false, false},
	} {
		l := ReadMailLoss(tc.subject, tc.body, pols)
		switch {
		case tc.policy == "" && l != nil:
			t.Errorf("%s: taken as a loss on %s (%v)", tc.name, l.Policy.Number, l.Words)
		case tc.policy != "" && l == nil:
			t.Errorf("%s: not taken as a loss", tc.name)
		case l != nil && (l.Policy.Number != tc.policy || l.Injuries != tc.injuries || l.TotalLoss != tc.total):
			t.Errorf("%s: %+v", tc.name, l)
		}
	}
	l := ReadMailLoss("Car stolen", "Stolen from outside, policy MOT-12", pols)
	if l.Why() != "the message reports a loss (stolen) on policy MOT-12, which belongs to the sender" {
		t.Errorf("why: %s", l.Why())
	}
}
