package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

type clockJSON struct {
	Regime     string `json:"regime"`
	Variant    string `json:"variant"`
	Calendar   string `json:"calendar"`
	Zone       string `json:"zone"`
	Received   string `json:"received"`
	Milestones []struct {
		Name  string `json:"name"`
		Due   string `json:"due"`
		Basis string `json:"basis"`
	} `json:"milestones"`
}

func runClockCmd(t *testing.T, args ...string) (int, clockJSON, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"clock"}, args...), stdio{strings.NewReader(""), &out, &errb})
	var got clockJSON
	if code == exitOK && out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
	}
	return code, got, errb.String()
}

func TestClockCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		header string // regime/variant/calendar/zone
		due    []string
	}{
		{"fca after cut-off", []string{"--regime", "uk-fca", "--received", "2026-02-27T18:10:00Z"},
			"uk-fca/standard/GB-ENG/Europe/London",
			[]string{"summary_resolution 2026-03-05T23:59:59Z", "final_response 2026-04-24T23:59:59+01:00"}},
		{"fca payment services in Scotland", []string{"--regime", "uk-fca", "--variant", "payment-services",
			"--calendar", "GB-SCT", "--received", "2026-02-27T18:10:00Z"},
			"uk-fca/payment-services/GB-SCT/Europe/London",
			[]string{"summary_resolution 2026-03-05T23:59:59Z", "final_response 2026-03-23T23:59:59Z",
				"final_response_extended 2026-04-21T23:59:59+01:00"}},
		{"asic hardship alias", []string{"--regime", "au-asic", "--variant", "hardship", "--received", "2026-04-23T05:00:00Z"},
			"au-asic/default-notice/AU-NSW/Australia/Sydney",
			[]string{"acknowledge 2026-04-24T23:59:59+10:00", "final_response 2026-05-14T23:59:59+10:00"}},
		{"california with proof of loss", []string{"--regime", "us-ca-claims", "--received", "2026-03-07T06:30:00Z",
			"--event", "proof_of_loss=2026-03-20T09:00:00-07:00"},
			"us-ca-claims/standard/US/America/Los_Angeles",
			[]string{"acknowledge 2026-03-21T23:59:59-07:00", "decision 2026-04-29T23:59:59-07:00",
				"status_update 2026-05-29T23:59:59-07:00"}},
		{"iso escalated", []string{"--regime", "iso10002", "--received", "2026-02-27T18:10:00Z",
			"--event", "tier2_escalated=2026-03-10T09:00:00Z"},
			"iso10002/standard/GB-ENG/Europe/London",
			[]string{"acknowledge 2026-03-03T23:59:59Z", "update 2026-03-09T23:59:59Z",
				"tier2_review 2026-03-13T23:59:59Z", "final_response 2026-03-23T23:59:59Z"}},
		// As known on 1 Sep 2022 the State Funeral holiday did not exist.
		{"as of", []string{"--regime", "uk-fca", "--received", "2022-09-15T10:00:00+01:00", "--as-of", "2022-09-01"},
			"uk-fca/standard/GB-ENG/Europe/London",
			[]string{"summary_resolution 2022-09-20T23:59:59+01:00", "final_response 2022-11-10T23:59:59Z"}},
		{"funeral known", []string{"--regime", "uk-fca", "--received", "2022-09-15T10:00:00+01:00"},
			"uk-fca/standard/GB-ENG/Europe/London",
			[]string{"summary_resolution 2022-09-21T23:59:59+01:00", "final_response 2022-11-10T23:59:59Z"}},
	}
	for _, tt := range tests {
		code, got, stderr := runClockCmd(t, tt.args...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tt.name, code, stderr)
		}
		if h := got.Regime + "/" + got.Variant + "/" + got.Calendar + "/" + got.Zone; h != tt.header {
			t.Errorf("%s: header %s, want %s", tt.name, h, tt.header)
		}
		var dues []string
		for _, m := range got.Milestones {
			dues = append(dues, m.Name+" "+m.Due)
			if m.Basis == "" {
				t.Errorf("%s: %s has no basis", tt.name, m.Name)
			}
		}
		if strings.Join(dues, "; ") != strings.Join(tt.due, "; ") {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, strings.Join(dues, "; "), strings.Join(tt.due, "; "))
		}
	}
}

func TestClockCommandErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--received", "2026-02-27T18:10:00Z"}, "au-asic, claims, ie-cpc, iso10002, uk-fca, us-ca-claims"},
		{[]string{"--regime", "uk-fos", "--received", "2026-02-27T18:10:00Z"}, "valid regimes: au-asic, claims, ie-cpc, iso10002, uk-fca, us-ca-claims"},
		{[]string{"--regime", "uk-fca", "--variant", "psd2", "--received", "2026-02-27T18:10:00Z"}, "valid variants: standard, payment-services"},
		{[]string{"--regime", "uk-fca", "--calendar", "GB-WLS", "--received", "2026-02-27T18:10:00Z"}, "valid regions: AU-NSW, AU-QLD, AU-VIC, GB-ENG, GB-NIR, GB-SCT, IE, US"},
		{[]string{"--regime", "uk-fca", "--received", "2026-02-27 18:10"}, "not an RFC 3339 time"},
		{[]string{"--regime", "uk-fca"}, "not an RFC 3339 time"},
		{[]string{"--regime", "uk-fca", "--received", "2026-02-27T18:10:00Z", "--event", "tier2"}, "NAME=RFC3339"},
		{[]string{"--regime", "uk-fca", "--received", "2026-02-27T18:10:00Z", "--event", "tier2_escalated=monday"}, "not an RFC 3339 time"},
		{[]string{"--regime", "uk-fca", "--received", "2026-02-27T18:10:00Z", "--as-of", "last year"}, "YYYY-MM-DD"},
		{[]string{"--regime", "uk-fca", "--variant", "payment-services", "--received", "2017-06-01T10:00:00Z"}, "not in force"},
		{[]string{"--regime", "uk-fca", "--received", "2026-02-27T18:10:00Z", "extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		code, _, stderr := runClockCmd(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, code, stderr, tt.want)
		}
	}
	if code, _, _ := runClockCmd(t, "-h"); code != exitOK {
		t.Errorf("-h exit %d", code)
	}
}
