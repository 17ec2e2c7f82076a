package erlang_test

import (
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/erlang"
)

// The classic sizing question: 100 calls in half an hour, 3-minute handling,
// 80 % to be answered within 20 s, 30 % shrinkage.
func ExampleRequired() {
	p := erlang.Params{Volume: 100, AHT: 3 * time.Minute, Interval: 30 * time.Minute}
	r, _ := erlang.Required(p, erlang.Target{ServiceLevel: 0.8, Within: 20 * time.Second})
	gross, _ := erlang.Gross(r.Agents, 0.3)
	fmt.Printf("%.0f Erlangs: %d agents (SL %.3f, ASA %.1fs), schedule %d\n",
		r.Intensity, r.Agents, r.ServiceLevel, r.ASA.Seconds(), gross)
	// Output: 10 Erlangs: 14 agents (SL 0.888, ASA 7.8s), schedule 20
}
