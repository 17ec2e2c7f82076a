package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

const userColumns = `id, email, name, role, team_id, active, created_at, updated_at`

func scanUser(row scanner) (*care.User, error) {
	var u care.User
	var team, created, updated sql.NullInt64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &team, &u.Active, &created, &updated); err != nil {
		return nil, err
	}
	u.TeamID, u.CreatedAt, u.UpdatedAt = team.Int64, fromMicros(created), fromMicros(updated)
	return &u, nil
}

// CreateUser inserts u with a password hash (may be empty: no password sign-in).
func (tx *Tx) CreateUser(ctx context.Context, u *care.User, passwordHash string) error {
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now
	var err error
	u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, role, team_id, active, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.Email, u.Name, u.Role, nullID(u.TeamID), u.Active, passwordHash, micros(tx.now), micros(tx.now))
	return err
}

// UpdateUser writes the mutable fields of u.
func (tx *Tx) UpdateUser(ctx context.Context, u *care.User) error {
	u.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE users SET name = $1, role = $2, team_id = $3, active = $4, updated_at = $5 WHERE id = $6`,
		u.Name, u.Role, nullID(u.TeamID), u.Active, micros(tx.now), u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("user", u.ID)
	}
	return nil
}

// FindUserByID returns the user with the given ID.
func (tx *Tx) FindUserByID(ctx context.Context, id int64) (*care.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("user", id)
	}
	return u, err
}

// FindUserByEmail returns the user with the given (lower-case) email.
func (tx *Tx) FindUserByEmail(ctx context.Context, email string) (*care.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	if err == sql.ErrNoRows {
		return nil, notFound("user", email)
	}
	return u, err
}

// FindUsers returns every user, by ID.
func (tx *Tx) FindUsers(ctx context.Context) ([]*care.User, error) {
	rows, err := tx.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY id LIMIT 10000`)
	return collect(rows, err, scanUser)
}

// CountUsers returns how many users exist (0 on a new database).
func (tx *Tx) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// PasswordState is what sign-in needs to know about a user's password.
type PasswordState struct {
	Hash         string
	FailedLogins int
	LockedUntil  time.Time
}

// FindPasswordState returns the password hash and lock-out state of a user.
func (tx *Tx) FindPasswordState(ctx context.Context, userID int64) (*PasswordState, error) {
	var p PasswordState
	var locked sql.NullInt64
	err := tx.queryRow(ctx, `SELECT password_hash, failed_logins, locked_until FROM users WHERE id = $1`, userID).
		Scan(&p.Hash, &p.FailedLogins, &locked)
	if err == sql.ErrNoRows {
		return nil, notFound("user", userID)
	}
	p.LockedUntil = fromMicros(locked)
	return &p, err
}

// SetPasswordState records a password hash and the lock-out state.
func (tx *Tx) SetPasswordState(ctx context.Context, userID int64, p PasswordState) error {
	_, err := tx.exec(ctx, `UPDATE users SET password_hash = $1, failed_logins = $2, locked_until = $3 WHERE id = $4`,
		p.Hash, p.FailedLogins, micros(p.LockedUntil), userID)
	return err
}

// CreateTeam inserts t.
func (tx *Tx) CreateTeam(ctx context.Context, t *care.Team) error {
	t.CreatedAt = tx.now
	var err error
	t.ID, err = tx.insert(ctx, `INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id`, t.Name, micros(tx.now))
	return err
}

// FindTeamByID returns the team with the given ID.
func (tx *Tx) FindTeamByID(ctx context.Context, id int64) (*care.Team, error) {
	t, err := scanTeam(tx.queryRow(ctx, `SELECT id, name, created_at FROM teams WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("team", id)
	}
	return t, err
}

// FindTeams returns every team, by name.
func (tx *Tx) FindTeams(ctx context.Context) ([]*care.Team, error) {
	rows, err := tx.query(ctx, `SELECT id, name, created_at FROM teams ORDER BY name LIMIT 10000`)
	return collect(rows, err, scanTeam)
}

func scanTeam(row scanner) (*care.Team, error) {
	var t care.Team
	var created sql.NullInt64
	err := row.Scan(&t.ID, &t.Name, &created)
	t.CreatedAt = fromMicros(created)
	return &t, err
}
