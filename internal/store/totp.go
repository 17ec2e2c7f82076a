package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// TOTP is a user's TOTP enrolment. It is confirmed (and so enforced at
// sign-in) once the user has entered a correct code from their app.
type TOTP struct {
	UserID      int64
	Secret      string // base32, as shown to the authenticator app
	ConfirmedAt time.Time
	LastStep    int64 // the time step of the last accepted code
}

// FindTOTP returns a user's enrolment, or ENOTFOUND when they have none.
func (tx *Tx) FindTOTP(ctx context.Context, userID int64) (*TOTP, error) {
	var t TOTP
	var confirmed sql.NullInt64
	err := tx.queryRow(ctx, `SELECT user_id, secret, confirmed_at, last_step FROM user_totp WHERE user_id = $1`, userID).
		Scan(&t.UserID, &t.Secret, &confirmed, &t.LastStep)
	if err == sql.ErrNoRows {
		return nil, notFound("second factor for user", userID)
	}
	t.ConfirmedAt = fromMicros(confirmed)
	return &t, err
}

// SetTOTP creates or replaces a user's enrolment.
func (tx *Tx) SetTOTP(ctx context.Context, t *TOTP) error {
	_, err := tx.exec(ctx, `INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret,
		confirmed_at = excluded.confirmed_at, last_step = excluded.last_step, created_at = excluded.created_at`,
		t.UserID, t.Secret, micros(t.ConfirmedAt), t.LastStep, micros(tx.now))
	return err
}

// UseTOTPStep records that the code of step was accepted, unless a code of
// that step or a later one already was; it reports whether it recorded it,
// so two sign-ins racing with one code cannot both succeed.
func (tx *Tx) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE user_totp SET last_step = $1 WHERE user_id = $2 AND last_step < $1`, step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteTOTP removes a user's enrolment and recovery codes.
func (tx *Tx) DeleteTOTP(ctx context.Context, userID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM user_totp WHERE user_id = $1`, userID)
	return err
}

// SetRecoveryCodes replaces a user's recovery codes with the given hashes.
func (tx *Tx) SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.exec(ctx, `INSERT INTO totp_recovery_codes (user_id, hash) VALUES ($1, $2)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode marks an unused recovery code of the user as used and
// reports whether there was one with that hash.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE totp_recovery_codes SET used_at = $1 WHERE user_id = $2 AND hash = $3 AND used_at IS NULL`,
		micros(tx.now), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CountRecoveryCodes returns how many unused recovery codes a user has.
func (tx *Tx) CountRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

// Challenge is a sign-in waiting for its second factor.
type Challenge struct {
	ID        int64
	UserID    int64
	IP        string
	Attempts  int
	ExpiresAt time.Time
}

// CreateChallenge stores a challenge by the hash of its cookie secret.
func (tx *Tx) CreateChallenge(ctx context.Context, c *Challenge, hash string) error {
	var err error
	c.ID, err = tx.insert(ctx, `INSERT INTO signin_challenges (hash, user_id, ip, attempts, expires_at)
		VALUES ($1, $2, $3, 0, $4) RETURNING id`, hash, c.UserID, c.IP, micros(c.ExpiresAt))
	return err
}

// FindChallenge returns the unexpired challenge with the hash.
func (tx *Tx) FindChallenge(ctx context.Context, hash string) (*Challenge, error) {
	var c Challenge
	var exp sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, user_id, ip, attempts, expires_at FROM signin_challenges
		WHERE hash = $1 AND expires_at > $2`, hash, micros(tx.now)).Scan(&c.ID, &c.UserID, &c.IP, &c.Attempts, &exp)
	if err == sql.ErrNoRows {
		return nil, care.Errorf(care.EUNAUTHORIZED, "The sign-in has expired; enter your email and password again.")
	}
	c.ExpiresAt = fromMicros(exp)
	return &c, err
}

// CountChallengeAttempt records a wrong code on a challenge.
func (tx *Tx) CountChallengeAttempt(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `UPDATE signin_challenges SET attempts = attempts + 1 WHERE id = $1`, id)
	return err
}

// DeleteChallenge ends a challenge, and any expired ones.
func (tx *Tx) DeleteChallenge(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `DELETE FROM signin_challenges WHERE id = $1 OR expires_at <= $2`, id, micros(tx.now))
	return err
}
