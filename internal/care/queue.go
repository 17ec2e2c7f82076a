package care

import "time"

// QueueFilter selects the open cases of a work queue, ordered by nearest
// deadline (the case's next_due_at) and then ID; cases with no running
// deadline come last, oldest first. Exactly one of AssigneeID and TeamID
// should be set; Unassigned narrows a team queue to the cases nobody holds.
type QueueFilter struct {
	AssigneeID int64
	TeamID     int64
	Unassigned bool
	After      QueueCursor // keyset cursor: the last case of the previous page
	Limit      int
}

// QueueCursor is the position after which a queue page starts: the due time
// and ID of the last case shown. A zero Due with a non-zero ID means the page
// starts among the cases without a deadline.
type QueueCursor struct {
	Due time.Time
	ID  int64
}

// IsZero reports whether the cursor points at the start of the queue.
func (c QueueCursor) IsZero() bool { return c.ID == 0 }

// QueueItem is one case in a queue with its nearest running deadline (or,
// when none runs, a paused one, else the earliest missed one; nil when the
// case has no clock), how many of its deadlines were missed, and the
// customer's name, for recognising the case.
type QueueItem struct {
	Case         *Case
	Clock        *Clock
	Missed       int
	CustomerName string
}

// SearchFilter is a search for cases and customers. Query is matched as a
// case reference, an email address, a phone number, a policy number, a
// customer name or number, and free text in case subjects and descriptions.
type SearchFilter struct {
	Query  string
	Before int64 // keyset cursor on case ID, newest first
	Limit  int
}

// SearchResult holds what a search found: the customers whose details match
// (first page only) and a page of cases, newest first.
type SearchResult struct {
	Customers []*Customer
	Cases     []QueueItem
	Next      int64 // cursor of the next page of cases, 0 on the last
}

// AgeBuckets are the ageing buckets of the supervisor's backlog, by time
// since first receipt; the last bucket is open-ended.
var AgeBuckets = []struct {
	Label string
	Upto  time.Duration
}{
	{"Under 1 day", 24 * time.Hour},
	{"1–3 days", 3 * 24 * time.Hour},
	{"3–7 days", 7 * 24 * time.Hour},
	{"1–4 weeks", 28 * 24 * time.Hour},
	{"Over 4 weeks", 0},
}

// BacklogRow counts one team's open cases (TeamID 0: no team) by ageing
// bucket, with how many nobody holds.
type BacklogRow struct {
	TeamID     int64
	Buckets    []int64 // one count per AgeBuckets entry
	Total      int64
	Unassigned int64
}

// RiskItem is an open case with a deadline past its warning point or its
// due time.
type RiskItem struct {
	Case  *Case
	Clock *Clock
}

// BulkAssignment moves several cases at once: to a team and/or a person.
// A nil field is left as it is; 0 clears it.
type BulkAssignment struct {
	CaseIDs    []int64
	TeamID     *int64
	AssigneeID *int64
}
