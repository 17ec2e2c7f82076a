package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/caredesk/caredesk/internal/signals"
)

func init() {
	register(command{name: "signals score", summary: "score one message on stdin for signs of a complaint (JSON out)", run: runSignalsScore})
}

// maxSignalsMessage bounds what "signals score" reads: a message is an email or a
// transcript, not a mailbox.
const maxSignalsMessage = 1 << 20

// signalsOutput is the JSON written by "signals score"; the API route
// answers the same shape.
type signalsOutput struct {
	Complaint bool            `json:"complaint"`
	Score     float64         `json:"score"`
	Reasons   []signalsReason `json:"reasons"`
}

type signalsReason struct {
	Signal   string  `json:"signal"`
	Evidence string  `json:"evidence"`
	Weight   float64 `json:"weight"`
}

func runSignalsScore(_ context.Context, args []string, io stdio) int {
	fs := newFlags("signals score", "[--prior-contacts N] < message.txt", io)
	prior := fs.Int("prior-contacts", 0, "earlier contacts on the same matter in the last 30 days")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 || *prior < 0 {
		fmt.Fprintln(io.err, "caredesk signals score: reads the message on stdin; --prior-contacts must be 0 or more")
		return exitUsage
	}
	text, err := readSignalsMessage(io.in)
	if err != nil {
		fmt.Fprintf(io.err, "caredesk signals score: %v\n", err)
		return exitFail
	}
	res := signals.Score(signals.Input{Text: text, PriorContacts: *prior})
	out := signalsOutput{Complaint: res.Complaint, Score: res.Score, Reasons: make([]signalsReason, 0, len(res.Reasons))}
	for _, r := range res.Reasons {
		out.Reasons = append(out.Reasons, signalsReason{Signal: r.Signal, Evidence: r.Evidence, Weight: r.Weight})
	}
	enc := json.NewEncoder(io.out)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(io.err, "caredesk signals score: %v\n", err)
		return exitFail
	}
	return exitOK
}

// readSignalsMessage reads stdin up to maxSignalsMessage and refuses anything longer
// rather than scoring half a message.
func readSignalsMessage(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSignalsMessage+1))
	if err != nil {
		return "", fmt.Errorf("reading the message: %w", err)
	}
	if len(b) > maxSignalsMessage {
		return "", fmt.Errorf("the message is over %d bytes", maxSignalsMessage)
	}
	return strings.TrimSpace(string(b)), nil
}
