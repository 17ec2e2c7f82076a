package care

import "time"

// Clock states. A clock runs until it is met, or breaches at its due time;
// a pausable clock pauses while the case waits on the customer.
const (
	ClockRunning   = "running"
	ClockPaused    = "paused"
	ClockWarning   = "warning"  // past its warning point (default 75% of the allowed time)
	ClockMet       = "met"      // the milestone happened in time, or the case closed first
	ClockBreached  = "breached" // the due time passed first
	ClockLapsed    = "lapsed"   // an optional window closed unused (FCA summary resolution); not a failure
	ClockCancelled = "cancelled"
)

// SLARegime names the organisation's own service-level clocks, beside the
// regulatory regimes.
const SLARegime = "sla"

// Clock is one deadline running on a case: a milestone of a regime (or of
// the SLA policy) with its rule as it was when the clock started, so the
// deadline can always be recomputed as it was.
type Clock struct {
	ID         int64
	CaseID     int64
	Regime     string // e.g. "uk-fca", or SLARegime
	Variant    string
	Calendar   string // region code, e.g. "GB-ENG"
	Zone       string // IANA time zone of the calendar
	Name       string // milestone, e.g. "final_response"
	Occurrence int    // 1 for one-off rules; n-th occurrence of a recurring rule
	StartEvent string
	StartedAt  time.Time
	DueAt      time.Time
	WarnAt     time.Time
	State      string
	Rule       ClockRule
	PausedAt   time.Time // set while paused
	Pauses     []ClockPause
	Basis      string // how the due time was counted, in words
	MetAt      time.Time
	BreachedAt time.Time
	FireAt     time.Time // when the scheduler must next act; zero when nothing is pending
	UpdatedAt  time.Time
}

// ClockRule is the part of a rule a clock keeps (see internal/clock.Rule).
type ClockRule struct {
	Amount      int
	FirstAmount int
	Unit        string
	Recurring   bool
	Pausable    bool
	RollForward bool
	Source      string
	OnBreach    string
}

// ClockPause is a span during which a pausable clock stood still.
type ClockPause struct {
	From, To time.Time
}

// Outstanding reports whether the milestone is still owed: running, or
// breached and not yet done (a late reply still ends what is owed, though
// the clock stays breached for the record).
func (c *Clock) Outstanding() bool {
	return c.Active() || (c.State == ClockBreached && c.MetAt.IsZero())
}

// Active reports whether the clock can still be met or breached.
func (c *Clock) Active() bool {
	return c.State == ClockRunning || c.State == ClockWarning || c.State == ClockPaused
}

// Lapses reports whether the milestone is a window rather than a deadline.
// FCA DISP 1.5 lets a firm close a complaint with a summary resolution
// communication by the end of the 3rd business day; when that passes the
// 8-week final response governs instead, so passing it is not a breach.
func (c *Clock) Lapses() bool { return c.Name == "summary_resolution" }

// StateAt returns the state as of now: a running clock past its warning or
// due time shows so even before the scheduler's next sweep records it.
func (c *Clock) StateAt(now time.Time) string {
	if c.State != ClockRunning && c.State != ClockWarning {
		return c.State
	}
	switch {
	case !now.Before(c.DueAt) && c.Lapses():
		return ClockLapsed
	case !now.Before(c.DueAt):
		return ClockBreached
	case !now.Before(c.WarnAt):
		return ClockWarning
	}
	return c.State
}

// Remaining returns the time left until the due time (negative once
// overdue). A paused clock has the time left when it paused.
func (c *Clock) Remaining(now time.Time) time.Duration {
	if c.State == ClockPaused && !c.PausedAt.IsZero() {
		return c.DueAt.Sub(c.PausedAt)
	}
	return c.DueAt.Sub(now)
}

// Notification is a message to a member of staff shown in the app (and
// usually sent by email too): a clock about to breach, a breach, an
// escalation.
type Notification struct {
	ID        int64
	UserID    int64
	CaseID    int64
	Kind      string // "clock.warning", "clock.breached", "case.escalated"
	Title     string
	Body      string
	CreatedAt time.Time
	ReadAt    time.Time
}

// CaseTiers are the ISO 10002 review tiers a case moves through.
var CaseTiers = enum{"frontline", "tier2", "executive", "referred"}
