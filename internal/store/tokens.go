package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// CreateAPIToken stores a token by the hash of its secret.
func (tx *Tx) CreateAPIToken(ctx context.Context, t *care.APIToken, hash string) error {
	t.CreatedAt = tx.now
	var err error
	t.ID, err = tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		t.UserID, t.Name, t.Prefix, hash, micros(tx.now))
	return err
}

// FindAPITokenByHash returns the live (unrevoked) token with the given hash
// and its user.
func (tx *Tx) FindAPITokenByHash(ctx context.Context, hash string) (*care.APIToken, *care.User, error) {
	var t care.APIToken
	var created, used sql.NullInt64
	u, err := scanUserAfter(tx.queryRow(ctx, `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at,
		u.id, u.email, u.name, u.role, u.team_id, u.active, u.created_at, u.updated_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND t.revoked_at IS NULL`, hash),
		&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &used)
	if err == sql.ErrNoRows {
		return nil, nil, care.Errorf(care.EUNAUTHORIZED, "The API token is not valid (unknown or revoked).")
	} else if err != nil {
		return nil, nil, err
	}
	t.CreatedAt, t.LastUsedAt = fromMicros(created), fromMicros(used)
	return &t, u, nil
}

// scanUserAfter scans leading columns into head and the rest as a user.
func scanUserAfter(row *sql.Row, head ...any) (*care.User, error) {
	var u care.User
	var team, created, updated sql.NullInt64
	dest := append(head, &u.ID, &u.Email, &u.Name, &u.Role, &team, &u.Active, &created, &updated)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.TeamID, u.CreatedAt, u.UpdatedAt = team.Int64, fromMicros(created), fromMicros(updated)
	return &u, nil
}

// TouchAPIToken records that a token was used.
func (tx *Tx) TouchAPIToken(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(tx.now), id)
	return err
}

// Session is a signed-in browser session, stored by the hash of its cookie.
type Session struct {
	ID         int64
	UserID     int64
	CSRF       string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a session by the hash of its secret.
func (tx *Tx) CreateSession(ctx context.Context, s *Session, hash string) error {
	s.CreatedAt, s.LastSeenAt = tx.now, tx.now
	var err error
	s.ID, err = tx.insert(ctx, `INSERT INTO sessions (hash, user_id, csrf, ip, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		hash, s.UserID, s.CSRF, s.IP, micros(tx.now), micros(tx.now), micros(s.ExpiresAt))
	return err
}

// FindSessionByHash returns an unexpired session and its active user.
func (tx *Tx) FindSessionByHash(ctx context.Context, hash string) (*Session, *care.User, error) {
	var s Session
	var created, seen, expires sql.NullInt64
	u, err := scanUserAfter(tx.queryRow(ctx, `SELECT s.id, s.user_id, s.csrf, s.ip, s.created_at, s.last_seen_at, s.expires_at,
		u.id, u.email, u.name, u.role, u.team_id, u.active, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2 AND u.active = $3`,
		hash, micros(tx.now), true), &s.ID, &s.UserID, &s.CSRF, &s.IP, &created, &seen, &expires)
	if err == sql.ErrNoRows {
		return nil, nil, care.Errorf(care.EUNAUTHORIZED, "Your session has ended; please sign in again.")
	} else if err != nil {
		return nil, nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return &s, u, nil
}

// TouchSession extends a session's idle expiry.
func (tx *Tx) TouchSession(ctx context.Context, id int64, expires time.Time) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3`, micros(tx.now), micros(expires), id)
	return err
}

// DeleteSession ends a session.
func (tx *Tx) DeleteSession(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, micros(tx.now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// FindAPITokensByUser lists a user's tokens (live and revoked), newest first.
func (tx *Tx) FindAPITokensByUser(ctx context.Context, userID int64) ([]*care.APIToken, error) {
	rows, err := tx.query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
		WHERE user_id = $1 ORDER BY id DESC LIMIT 1000`, userID)
	return collect(rows, err, scanToken)
}

// FindAPITokenByID returns one token's metadata.
func (tx *Tx) FindAPITokenByID(ctx context.Context, id int64) (*care.APIToken, error) {
	t, err := scanToken(tx.queryRow(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("API token", id)
	}
	return t, err
}

func scanToken(row scanner) (*care.APIToken, error) {
	var t care.APIToken
	var created, used, revoked sql.NullInt64
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &used, &revoked)
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = fromMicros(created), fromMicros(used), fromMicros(revoked)
	return &t, err
}

// RevokeAPIToken ends a token; a revoked token never authenticates again.
func (tx *Tx) RevokeAPIToken(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, micros(tx.now), id)
	return err
}
