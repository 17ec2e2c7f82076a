package service_test

import (
	"context"
	"encoding/base32"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
	"github.com/caredesk/caredesk/internal/store/storetest"
)

// RFC 6238 appendix B, SHA-1 key, truncated to six digits.
func TestTOTPCodeVectors(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for _, tc := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {20000000000, "353130"}} {
		got, err := service.TOTPCode(secret, time.Unix(tc.unix, 0))
		if err != nil || got != tc.want {
			t.Errorf("at %d: %q %v, want %q", tc.unix, got, err, tc.want)
		}
	}
}

func TestTOTPEnrolmentAndSignIn(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	storetest.Each(t, clk.Now, func(t *testing.T, s *store.Store) {
		f := setup(t, s, clk)
		agent := f.as["agent"]
		u := f.users["agent"]
		ctx := context.Background()
		if on, _, _ := f.svc.TOTPStatus(ctx, u.ID); on {
			t.Fatal("on before enrolment")
		}
		e, err := f.svc.BeginTOTP(agent)
		if err != nil || e.Secret == "" || e.URI == "" {
			t.Fatalf("begin: %v %+v", err, e)
		}
		if _, err := f.svc.ConfirmTOTP(agent, "000000"); care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("a wrong code confirmed: %v", err)
		}
		code, _ := service.TOTPCode(e.Secret, clk.Now())
		recovery, err := f.svc.ConfirmTOTP(agent, code)
		if err != nil || len(recovery) != service.RecoveryCodeCount {
			t.Fatalf("confirm: %v %v", err, recovery)
		}
		if on, n, _ := f.svc.TOTPStatus(ctx, u.ID); !on || n != service.RecoveryCodeCount {
			t.Fatalf("status after confirm: %v %d", on, n)
		}
		if _, err := f.svc.BeginTOTP(agent); care.ErrorCode(err) != care.EPRECONDITION {
			t.Fatalf("re-enrol while on: %v", err)
		}

		ch, err := f.svc.StartSecondFactor(ctx, u.ID, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		// The code used to confirm is spent: it never signs in.
		if _, err := f.svc.CompleteSecondFactor(ctx, ch, code, "10.0.0.1"); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("a replayed code: %v", err)
		}
		clk.Advance(30 * time.Second)
		code, _ = service.TOTPCode(e.Secret, clk.Now())
		got, err := f.svc.CompleteSecondFactor(ctx, ch, code[:3]+" "+code[3:], "10.0.0.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("sign in with the code: %v", err)
		}
		if _, err := f.svc.CompleteSecondFactor(ctx, ch, code, "10.0.0.1"); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("a used challenge: %v", err)
		}

		ch, _ = f.svc.StartSecondFactor(ctx, u.ID, "10.0.0.1")
		if _, err := f.svc.CompleteSecondFactor(ctx, ch, recovery[0], "10.0.0.1"); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		ch, _ = f.svc.StartSecondFactor(ctx, u.ID, "10.0.0.1")
		if _, err := f.svc.CompleteSecondFactor(ctx, ch, recovery[0], "10.0.0.1"); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("a recovery code used twice: %v", err)
		}
		// Wrong codes count towards the lock-out.
		for i := 0; i < 4; i++ {
			if _, err := f.svc.CompleteSecondFactor(ctx, ch, "123456", "10.0.0.1"); care.ErrorCode(err) != care.EUNAUTHORIZED {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, err := f.svc.SignIn(ctx, u.Email, "correct horse battery staple", "10.0.0.1"); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("five wrong second factors should lock the account: %v", err)
		}
		if err := f.svc.DisableTOTP(f.as["supervisor"], u.ID); care.ErrorCode(err) != care.EFORBIDDEN {
			t.Fatalf("a supervisor turned off someone's second factor: %v", err)
		}
		if err := f.svc.DisableTOTP(f.admin, u.ID); err != nil {
			t.Fatal(err)
		}
		if on, _, _ := f.svc.TOTPStatus(ctx, u.ID); on {
			t.Fatal("still on after an administrator turned it off")
		}
	})
}
