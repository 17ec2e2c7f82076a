package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// TOTP parameters (RFC 6238 defaults, which every authenticator app reads):
// HMAC-SHA1, 30-second steps, six digits; a code of the step before or after
// is accepted too, for clocks a little apart.
const (
	totpStep   = 30
	totpDigits = 6
	totpSkew   = 1
	// RecoveryCodeCount is how many recovery codes an enrolment gets.
	RecoveryCodeCount = 10
	challengeTTL      = 5 * time.Minute
	challengeAttempts = 5
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// TOTPCode returns the code of a base32 secret at a time (RFC 6238, with
// the truncation of RFC 4226 §5.3). Exported for tests and tools.
func TOTPCode(secret string, at time.Time) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", err
	}
	return hotp(key, at.Unix()/totpStep), nil
}

func hotp(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// checkTOTP returns the time step whose code matches, or 0.
func checkTOTP(secret, code string, now time.Time) int64 {
	key, err := b32.DecodeString(secret)
	if err != nil || len(code) != totpDigits {
		return 0
	}
	step := now.Unix() / totpStep
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		if subtle.ConstantTimeCompare([]byte(hotp(key, step+d)), []byte(code)) == 1 {
			return step + d
		}
	}
	return 0
}

// normalizeCode drops the spaces and dashes people type inside codes.
func normalizeCode(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)))
}

// TOTPEnrolment is what the enrolment page shows: the secret to type in and
// the otpauth:// URI to scan as a QR code.
type TOTPEnrolment struct {
	Secret string
	URI    string
}

// BeginTOTP starts (or restarts) the signed-in user's TOTP enrolment with a
// new secret. It is not enforced until ConfirmTOTP sees a correct code.
func (s *Service) BeginTOTP(ctx context.Context) (*TOTPEnrolment, error) {
	actor := care.ActorFromContext(ctx)
	if actor.UserID == 0 {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Sign in to set up a second factor.")
	}
	key := make([]byte, 20)
	_, _ = rand.Read(key)
	e := &TOTPEnrolment{Secret: b32.EncodeToString(key)}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.FindUserByID(ctx, actor.UserID)
		if err != nil {
			return err
		}
		if t, err := tx.FindTOTP(ctx, u.ID); err == nil && !t.ConfirmedAt.IsZero() {
			return care.Errorf(care.EPRECONDITION, "Your second factor is already on; turn it off first to move it to another device.")
		}
		label := url.PathEscape("caredesk:" + u.Email)
		e.URI = "otpauth://totp/" + label + "?" + url.Values{"secret": {e.Secret}, "issuer": {"caredesk"},
			"algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}.Encode()
		if err := tx.SetTOTP(ctx, &store.TOTP{UserID: u.ID, Secret: e.Secret}); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "user", u.ID, map[string]any{"totp": "enrolment started"})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// ConfirmTOTP turns the second factor on once the user proves their app
// has the secret, and returns recovery codes to show once.
func (s *Service) ConfirmTOTP(ctx context.Context, code string) ([]string, error) {
	actor := care.ActorFromContext(ctx)
	if actor.UserID == 0 {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Sign in to set up a second factor.")
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		c := strings.ToLower(b32.EncodeToString(b))[:12]
		codes[i] = c[:4] + "-" + c[4:8] + "-" + c[8:]
		hashes[i] = secretHash(normalizeCode(codes[i]))
	}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTOTP(ctx, actor.UserID)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return care.Errorf(care.EPRECONDITION, "Start the set-up again: no enrolment is waiting.")
		} else if err != nil {
			return err
		}
		if !t.ConfirmedAt.IsZero() {
			return care.Errorf(care.EPRECONDITION, "Your second factor is already on.")
		}
		step := checkTOTP(t.Secret, normalizeCode(code), tx.Now())
		if step == 0 {
			return care.Invalid("code", "is not the code your app shows now; check the app and the clock of your phone")
		}
		t.ConfirmedAt, t.LastStep = tx.Now(), step
		if err := tx.SetTOTP(ctx, t); err != nil {
			return err
		}
		if err := tx.SetRecoveryCodes(ctx, actor.UserID, hashes); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "user", actor.UserID, map[string]any{"totp": "on", "recovery_codes": len(hashes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP turns a user's second factor off: users for themselves,
// administrators for anyone (a lost phone).
func (s *Service) DisableTOTP(ctx context.Context, userID int64) error {
	actor := care.ActorFromContext(ctx)
	if actor.UserID != userID {
		if err := actor.Require(care.PermUserAdmin); err != nil {
			return err
		}
	} else if actor.UserID == 0 {
		return care.Errorf(care.EUNAUTHORIZED, "Sign in first.")
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteTOTP(ctx, userID); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "user", userID, map[string]any{"totp": "off"})
	})
}

// TOTPStatus says whether a user's second factor is on and how many unused
// recovery codes they hold.
func (s *Service) TOTPStatus(ctx context.Context, userID int64) (on bool, recovery int, err error) {
	err = s.store.Read(ctx, func(tx *store.Tx) error {
		t, err := tx.FindTOTP(ctx, userID)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		on = !t.ConfirmedAt.IsZero()
		recovery, err = tx.CountRecoveryCodes(ctx, userID)
		return err
	})
	return on, recovery, err
}

// StartSecondFactor is called after a correct password for a user whose
// second factor is on: it returns the secret of a short-lived challenge
// (for a cookie) that CompleteSecondFactor redeems for the sign-in.
func (s *Service) StartSecondFactor(ctx context.Context, userID int64, ip string) (string, error) {
	secret := newSecret("")
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		return tx.CreateChallenge(ctx, &store.Challenge{UserID: userID, IP: ip, ExpiresAt: tx.Now().Add(challengeTTL)}, secretHash(secret))
	})
	return secret, err
}

// CompleteSecondFactor checks a TOTP code or an unused recovery code for a
// challenge and returns the user signed in. A wrong code counts as a failed
// sign-in towards the account lock-out, and a challenge takes at most five
// tries; each try is audited.
func (s *Service) CompleteSecondFactor(ctx context.Context, challenge, code, ip string) (*care.User, error) {
	code = normalizeCode(code)
	var u *care.User
	var ok bool
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		ch, err := tx.FindChallenge(ctx, secretHash(challenge))
		if err != nil {
			return err
		}
		if u, err = tx.FindUserByID(ctx, ch.UserID); err != nil {
			return err
		}
		actx := care.NewContextWithActor(ctx, care.Actor{UserID: u.ID, Name: u.Email, Role: u.Role, Source: "web", IP: ip})
		method, err := s.checkSecondFactor(actx, tx, u.ID, code)
		if err != nil {
			return err
		}
		if ok = method != "" && u.Active; ok {
			if err := tx.DeleteChallenge(ctx, ch.ID); err != nil {
				return err
			}
			return audit(actx, tx, "login", "user", u.ID, map[string]any{"second_factor": method})
		}
		return s.secondFactorFailed(actx, tx, u.ID, ch)
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, care.Errorf(care.EUNAUTHORIZED, "That code is not right. Enter the six digits your app shows now, or a recovery code.")
	}
	return u, nil
}

// checkSecondFactor returns "totp" or "recovery" for a code that is right
// (and uses it up), or "" for one that is not.
func (s *Service) checkSecondFactor(ctx context.Context, tx *store.Tx, userID int64, code string) (string, error) {
	t, err := tx.FindTOTP(ctx, userID)
	if err != nil {
		return "", err
	}
	if len(code) == totpDigits {
		if step := checkTOTP(t.Secret, code, tx.Now()); step != 0 {
			fresh, err := tx.UseTOTPStep(ctx, userID, step)
			if err != nil || !fresh {
				return "", err // a code already used does not sign in twice
			}
			return "totp", nil
		}
		return "", nil
	}
	used, err := tx.UseRecoveryCode(ctx, userID, secretHash(code))
	if err != nil || !used {
		return "", err
	}
	return "recovery", nil
}

func (s *Service) secondFactorFailed(ctx context.Context, tx *store.Tx, userID int64, ch *store.Challenge) error {
	st, err := tx.FindPasswordState(ctx, userID)
	if err != nil {
		return err
	}
	st.FailedLogins++
	locked := st.FailedLogins >= s.cfg.LockoutAfter
	if locked {
		st.LockedUntil, st.FailedLogins = tx.Now().Add(s.cfg.LockoutFor), 0
	}
	if err := tx.SetPasswordState(ctx, userID, *st); err != nil {
		return err
	}
	if locked || ch.Attempts+1 >= challengeAttempts {
		if err := tx.DeleteChallenge(ctx, ch.ID); err != nil {
			return err
		}
	} else if err := tx.CountChallengeAttempt(ctx, ch.ID); err != nil {
		return err
	}
	return audit(ctx, tx, "login_failed", "user", userID, map[string]any{"second_factor": true, "locked": locked})
}
