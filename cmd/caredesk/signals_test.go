package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestSignalsScore(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		in        string
		code      int
		complaint bool
		signal    string
	}{
		{"complaint", []string{"signals", "score"}, "This is the third time I've called and I'm going to the ombudsman.", exitOK, true, "ombudsman"},
		{"not a complaint", []string{"signals", "score"}, "Can I change my direct debit date to the 15th?", exitOK, false, ""},
		{"prior contacts", []string{"signals", "score", "--prior-contacts", "4"}, "Any news on my claim?", exitOK, true, "repeat_contact"},
		{"negative prior", []string{"signals", "score", "--prior-contacts", "-1"}, "hi", exitUsage, false, ""},
		{"stray argument", []string{"signals", "score", "message.txt"}, "hi", exitUsage, false, ""},
		{"bad flag", []string{"signals", "score", "--nope"}, "hi", exitUsage, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, stdio{strings.NewReader(tt.in), &out, &errb})
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errb.String())
			}
			if code != exitOK {
				return
			}
			var got struct {
				Complaint *bool    `json:"complaint"`
				Score     *float64 `json:"score"`
				Reasons   []struct {
					Signal   string   `json:"signal"`
					Evidence string   `json:"evidence"`
					Weight   *float64 `json:"weight"`
				} `json:"reasons"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output %q: %v", out.String(), err)
			}
			if got.Complaint == nil || got.Score == nil || got.Reasons == nil {
				t.Fatalf("output %s lacks complaint, score or reasons", out.String())
			}
			if *got.Complaint != tt.complaint || *got.Score < 0 || *got.Score > 1 {
				t.Errorf("output %s, want complaint %v", out.String(), tt.complaint)
			}
			found := tt.signal == ""
			for _, r := range got.Reasons {
				found = found || r.Signal == tt.signal && r.Evidence != "" && r.Weight != nil
			}
			if !found {
				t.Errorf("output %s lacks a %s reason", out.String(), tt.signal)
			}
		})
	}
}

func TestSignalsScoreHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"signals", "score", "-h"}, stdio{strings.NewReader(""), &out, &errb}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "--prior-contacts") && !strings.Contains(errb.String(), "-prior-contacts") {
		t.Errorf("usage %q does not mention --prior-contacts", errb.String())
	}
}
