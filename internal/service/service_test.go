package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// fixture is a migrated database with an admin and one user per role.
type fixture struct {
	svc   *service.Service
	clock *storetest.Clock
	admin context.Context
	as    map[string]context.Context // role → context carrying a user of that role
	users map[string]*care.User
}

func setup(t *testing.T, s *store.Store, clk *storetest.Clock) *fixture {
	t.Helper()
	ctx := context.Background()
	svc := service.New(s, nil, service.Config{})
	created, pw, err := svc.EnsureAdmin(ctx, "admin@example.com", "")
	if err != nil || !created || pw == "" {
		t.Fatalf("EnsureAdmin: %v %v %q", created, err, pw)
	}
	f := &fixture{svc: svc, clock: clk, as: map[string]context.Context{}, users: map[string]*care.User{}}
	admin, err := svc.SignIn(ctx, "admin@example.com", pw, "127.0.0.1")
	if err != nil {
		t.Fatalf("admin sign-in: %v", err)
	}
	f.admin = care.NewContextWithActor(ctx, care.Actor{UserID: admin.ID, Name: admin.Email, Role: "admin", Source: "test"})
	f.as["admin"], f.users["admin"] = f.admin, admin
	for _, role := range care.RoleNames() {
		if role == "admin" {
			continue
		}
		u := &care.User{Email: role + "@example.com", Name: role, Role: role}
		if _, err := svc.CreateUser(f.admin, u, "correct horse battery staple"); err != nil {
			t.Fatalf("create %s: %v", role, err)
		}
		f.users[role] = u
		f.as[role] = care.NewContextWithActor(ctx, care.Actor{UserID: u.ID, Name: u.Email, Role: role, Source: "test", IP: "10.0.0.1"})
	}
	return f
}

func TestCaseLifecycleWithAudit(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		cust := &care.Customer{Name: "  Maria Garcia ", Email: "Maria@Example.com", Phone: "+44 20 7946 0018", Vulnerable: true}
		if err := f.svc.CreateCustomer(agent, cust); err != nil {
			t.Fatal(err)
		}
		if cust.Email != "maria@example.com" || cust.Phone != "+442079460018" || cust.Name != "Maria Garcia" {
			t.Fatalf("normalised customer: %+v", cust)
		}
		received := clk.Now().Add(-72 * time.Hour)
		c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "email",
			CustomerID: cust.ID, Subject: "Windscreen claim", Description: "My windscreen cracked.", ReceivedAt: received}})
		if err != nil {
			t.Fatal(err)
		}
		if c.Reference != "CD-2026-000001" || c.Status != "new" || !c.ReceivedAt.Equal(received) {
			t.Fatalf("created: %+v", c)
		}
		items, _, err := f.svc.FindInteractions(agent, c.Reference, 0, 0)
		if err != nil || len(items) != 1 || items[0].Body != "My windscreen cracked." || !items[0].OfferedAt.Equal(received) {
			t.Fatalf("first interaction: %v %+v", err, items)
		}
		// Reclassify as a complaint and close (a complaint closes only with
		// its outcome recorded): received_at must not move.
		typ, st := "complaint", "resolved"
		c, err = f.svc.UpdateCase(agent, c.Reference, care.CaseUpdate{Type: &typ, Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetComplaintOutcome(f.admin, c.Reference, care.OutcomeDecision{Outcome: "withdrawn"}); err != nil {
			t.Fatal(err)
		}
		c, err = f.svc.UpdateCase(agent, c.Reference, care.CaseUpdate{Status: &st, Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if !c.ReceivedAt.Equal(received) || c.ClosedAt.IsZero() || c.Version != 3 {
			t.Fatalf("after update: %+v", c)
		}
		entries, _, err := f.svc.FindAudit(f.as["auditor"], care.AuditFilter{Entity: "case", EntityID: itoa(c.ID)})
		if err != nil {
			t.Fatal(err)
		}
		// Oldest first: the creation, the clocks it started, the
		// reclassification and closure, and the clocks the closure met.
		var trail []string
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if e.ActorName != "agent@example.com" {
				t.Errorf("entry %d by %s", e.Seq, e.ActorName)
			}
			trail = append(trail, e.Action+" "+e.Detail)
		}
		joined := strings.Join(trail, "\n")
		for _, want := range []string{`create {"channel":"email"`, `update {"clocks_started":`,
			`"type":["enquiry","complaint"]`, `"status":["new","resolved"]`, `update {"clocks_met":`} {
			if !strings.Contains(joined, want) {
				t.Errorf("case audit trail lacks %s:\n%s", want, joined)
			}
		}
		if !strings.HasPrefix(trail[0], "create ") {
			t.Errorf("the trail should begin with the creation:\n%s", joined)
		}
		if brk, _, err := f.svc.VerifyAudit(context.Background()); brk != nil || err != nil {
			t.Fatalf("verify: %v %v", brk, err)
		}
	})
}

func TestPermissionsAreLeastPrivilege(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		newCase := service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "Hello"}}
		if _, err := f.svc.CreateCase(f.as["auditor"], newCase); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("auditor created a case: %v", err)
		}
		if _, _, err := f.svc.FindAudit(f.as["agent"], care.AuditFilter{}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("agent read the audit trail: %v", err)
		}
		if _, err := f.svc.CreateCase(context.Background(), newCase); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Errorf("anonymous created a case: %v", err)
		}
		// An agent may take a case but not hand it to someone else.
		c, err := f.svc.CreateCase(f.as["agent"], newCase)
		if err != nil {
			t.Fatal(err)
		}
		other := f.users["supervisor"].ID
		if _, err := f.svc.UpdateCase(f.as["agent"], c.Reference, care.CaseUpdate{AssigneeID: &other}); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Errorf("agent reassigned: %v", err)
		}
		self := f.users["agent"].ID
		if _, err := f.svc.UpdateCase(f.as["agent"], c.Reference, care.CaseUpdate{AssigneeID: &self}); err != nil {
			t.Errorf("agent took a case: %v", err)
		}
		if _, err := f.svc.UpdateCase(f.as["supervisor"], c.Reference, care.CaseUpdate{AssigneeID: &other}); err != nil {
			t.Errorf("supervisor reassigned: %v", err)
		}
	})
}

func TestBadInputChangesNothing(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		_, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "grumble", Channel: "pigeon",
			ReceivedAt: clk.Now().Add(time.Hour)}})
		fields := map[string]bool{}
		for _, fe := range care.ErrorFields(err) {
			fields[fe.Field] = true
		}
		for _, want := range []string{"type", "channel", "subject", "received_at"} {
			if !fields[want] {
				t.Errorf("missing field error %q in %v", want, err)
			}
		}
		// A bad first interaction (unknown disposition) rolls the case back too.
		_, err = f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "x"},
			First: &care.Interaction{Channel: "phone", Disposition: "no_such_code"}})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "interaction.disposition" {
			t.Fatalf("bad disposition: %v", err)
		}
		_, err = f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "x", CustomerID: 999}})
		if fe := care.ErrorFields(err); len(fe) != 1 || fe[0].Field != "customer_id" {
			t.Fatalf("dangling customer: %v", err)
		}
		cases, _, err := f.svc.FindCases(agent, care.CaseFilter{})
		if err != nil || len(cases) != 0 {
			t.Fatalf("cases after failures: %d %v", len(cases), err)
		}
		// The reference counter did not advance either: the next case is 000001.
		c, err := f.svc.CreateCase(agent, service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "ok"}})
		if err != nil || c.Reference != "CD-2026-000001" {
			t.Fatalf("first good case: %v %v", c, err)
		}
	})
}

func TestSignInLockout(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		ctx := context.Background()
		for i := 0; i < 4; i++ {
			if _, err := f.svc.SignIn(ctx, "agent@example.com", "wrong password!", "10.0.0.9"); !strings.Contains(care.ErrorMessage(err), "not right") {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		_, err := f.svc.SignIn(ctx, "agent@example.com", "wrong password!", "10.0.0.9")
		if !strings.Contains(care.ErrorMessage(err), "locked") {
			t.Fatalf("5th failure should lock: %v", err)
		}
		if _, err := f.svc.SignIn(ctx, "agent@example.com", "correct horse battery staple", "10.0.0.9"); !strings.Contains(care.ErrorMessage(err), "locked") {
			t.Fatalf("locked account accepted the right password: %v", err)
		}
		clk.Advance(16 * time.Minute)
		if _, err := f.svc.SignIn(ctx, "AGENT@example.com ", "correct horse battery staple", "10.0.0.9"); err != nil {
			t.Fatalf("after lock-out: %v", err)
		}
		if _, err := f.svc.SignIn(ctx, "nobody@example.com", "whatever", ""); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("unknown user: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		secret, tok, err := f.svc.CreateToken(f.as["agent"], f.users["agent"].ID, "integration")
		if err != nil || !strings.HasPrefix(secret, service.TokenPrefix) || len(secret) < 50 || tok.ID == 0 {
			t.Fatalf("token: %q %v", secret, err)
		}
		actor, err := f.svc.AuthenticateToken(context.Background(), secret, "192.0.2.1")
		if err != nil || actor.UserID != f.users["agent"].ID || actor.Role != "agent" || actor.IP != "192.0.2.1" {
			t.Fatalf("authenticate: %+v %v", actor, err)
		}
		if _, err := f.svc.AuthenticateToken(context.Background(), secret+"x", ""); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("tampered token: %v", err)
		}
		if _, _, err := f.svc.CreateToken(f.as["agent"], f.users["supervisor"].ID, "x"); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("agent minted a token for someone else: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Duplicates are refused with a message naming the field, not a bare
// "already exists".
func TestDuplicatesNameTheirField(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		c, err := f.svc.CreateCase(f.as["agent"], service.NewCase{Case: care.Case{Type: "enquiry", Channel: "phone", Subject: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		call := &care.Interaction{Channel: "phone", ExternalID: "call-42"}
		if _, err := f.svc.CreateInteraction(f.as["agent"], c.Reference, call); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CreateInteraction(f.as["agent"], c.Reference, &care.Interaction{Channel: "phone", ExternalID: "call-42"})
		if fe := care.ErrorFields(err); care.ErrorCode(err) != care.ECONFLICT || len(fe) != 1 || fe[0].Field != "external_id" {
			t.Fatalf("duplicate external_id: %v", err)
		}
		if err := f.svc.CreateTeam(f.admin, &care.Team{Name: "Claims"}); err != nil {
			t.Fatal(err)
		}
		err = f.svc.CreateTeam(f.admin, &care.Team{Name: "Claims"})
		if care.ErrorCode(err) != care.ECONFLICT || !strings.Contains(care.ErrorMessage(err), `"Claims"`) {
			t.Fatalf("duplicate team: %v", err)
		}
	})
}
