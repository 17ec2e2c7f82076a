package service

import (
	"context"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// EnsureAdmin creates the first administrator on an empty database. It
// returns the password to show once (generated when password is empty) and
// whether it created anyone: on a database with users it does nothing.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (created bool, shown string, err error) {
	ctx = care.NewContextWithActor(ctx, care.SystemActor("bootstrap"))
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.CountUsers(ctx)
		if err != nil || n > 0 {
			return err
		}
		if password == "" {
			password = GeneratePassword()
			shown = password
		} else if err := CheckPasswordStrength(password); err != nil {
			return err
		}
		u := &care.User{Email: email, Name: "Administrator", Role: "admin", Active: true}
		u.Normalize()
		if err := u.Validate(); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u, HashPassword(password)); err != nil {
			return err
		}
		created = true
		return audit(ctx, tx, "create", "user", u.ID, map[string]any{"email": u.Email, "role": u.Role, "bootstrap": true})
	})
	return created, shown, err
}

// CreateUser adds a member of staff. An empty password is replaced by a
// generated one, which is returned for one-time display.
func (s *Service) CreateUser(ctx context.Context, u *care.User, password string) (shown string, err error) {
	if err := care.ActorFromContext(ctx).Require(care.PermUserAdmin); err != nil {
		return "", err
	}
	u.Normalize()
	u.Active = true
	if err := u.Validate(); err != nil {
		return "", err
	}
	if password == "" {
		password = GeneratePassword()
		shown = password
	} else if err := CheckPasswordStrength(password); err != nil {
		return "", err
	}
	hash := HashPassword(password) // outside the transaction: it is slow on purpose
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := checkTeam(ctx, tx, "team_id", u.TeamID); err != nil {
			return err
		}
		if _, err := tx.FindUserByEmail(ctx, u.Email); err == nil {
			return care.Errorf(care.ECONFLICT, "A user with email %s already exists.", u.Email)
		}
		if err := tx.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "user", u.ID, map[string]any{"email": u.Email, "role": u.Role, "team_id": u.TeamID})
	})
	return shown, err
}

// FindUsers lists staff.
func (s *Service) FindUsers(ctx context.Context) ([]*care.User, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermUserRead); err != nil {
		return nil, err
	}
	var out []*care.User
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindUsers(ctx)
		return err
	})
	return out, err
}

// FindUserByID returns one member of staff.
func (s *Service) FindUserByID(ctx context.Context, id int64) (*care.User, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermUserRead); err != nil {
		return nil, err
	}
	var u *care.User
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.FindUserByID(ctx, id)
		return err
	})
	return u, err
}

// UpdateUser changes a user's name, role, team or active flag.
func (s *Service) UpdateUser(ctx context.Context, id int64, upd care.UserUpdate) (*care.User, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermUserAdmin); err != nil {
		return nil, err
	}
	if err := upd.Validate(); err != nil {
		return nil, err
	}
	if id == actor.UserID && ((upd.Active != nil && !*upd.Active) || (upd.Role != nil && *upd.Role != "admin")) {
		return nil, care.Errorf(care.EPRECONDITION, "You cannot deactivate yourself or remove your own admin role; ask another administrator.")
	}
	var u *care.User
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if u, err = tx.FindUserByID(ctx, id); err != nil {
			return err
		}
		ch := changes{}
		if upd.Name != nil {
			ch.note("name", u.Name, strings.TrimSpace(*upd.Name))
			u.Name = strings.TrimSpace(*upd.Name)
		}
		if upd.Role != nil {
			ch.note("role", u.Role, *upd.Role)
			u.Role = *upd.Role
		}
		if upd.TeamID != nil {
			if err := checkTeam(ctx, tx, "team_id", *upd.TeamID); err != nil {
				return err
			}
			ch.note("team_id", u.TeamID, *upd.TeamID)
			u.TeamID = *upd.TeamID
		}
		if upd.Active != nil {
			ch.note("active", u.Active, *upd.Active)
			u.Active = *upd.Active
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "user", u.ID, ch)
	})
	return u, err
}

// SetPassword sets a user's password: administrators for anyone, everyone
// for themselves.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	actor := care.ActorFromContext(ctx)
	if actor.UserID != userID {
		if err := actor.Require(care.PermUserAdmin); err != nil {
			return err
		}
	}
	if err := CheckPasswordStrength(password); err != nil {
		return err
	}
	hash := HashPassword(password)
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.FindUserByID(ctx, userID); err != nil {
			return err
		}
		if err := tx.SetPasswordState(ctx, userID, store.PasswordState{Hash: hash}); err != nil {
			return err
		}
		return audit(ctx, tx, "update", "user", userID, map[string]any{"password": "changed"})
	})
}

func checkTeam(ctx context.Context, tx *store.Tx, field string, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := tx.FindTeamByID(ctx, id); care.ErrorCode(err) == care.ENOTFOUND {
		return care.Invalid(field, "no team %d", id)
	} else if err != nil {
		return err
	}
	return nil
}

func checkUser(ctx context.Context, tx *store.Tx, field string, id int64) error {
	if id == 0 {
		return nil
	}
	u, err := tx.FindUserByID(ctx, id)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return care.Invalid(field, "no user %d", id)
	} else if err != nil {
		return err
	}
	if !u.Active {
		return care.Invalid(field, "user %d is deactivated", id)
	}
	return nil
}

// CreateTeam adds a team.
func (s *Service) CreateTeam(ctx context.Context, t *care.Team) error {
	if err := care.ActorFromContext(ctx).Require(care.PermTeamAdmin); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTeam(ctx, t); care.ErrorCode(err) == care.ECONFLICT {
			return care.Errorf(care.ECONFLICT, "A team called %q already exists.", t.Name)
		} else if err != nil {
			return err
		}
		return audit(ctx, tx, "create", "team", t.ID, map[string]any{"name": t.Name})
	})
}

// FindTeams lists teams.
func (s *Service) FindTeams(ctx context.Context) ([]*care.Team, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermUserRead); err != nil {
		return nil, err
	}
	var out []*care.Team
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindTeams(ctx)
		return err
	})
	return out, err
}

// CreateDispositionCode adds a disposition code.
func (s *Service) CreateDispositionCode(ctx context.Context, d *care.DispositionCode) error {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return err
	}
	d.Code, d.Label, d.Active = strings.TrimSpace(d.Code), strings.TrimSpace(d.Label), true
	if err := d.Validate(); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateDispositionCode(ctx, d); care.ErrorCode(err) == care.ECONFLICT {
			return care.Errorf(care.ECONFLICT, "Disposition code %q already exists.", d.Code)
		} else if err != nil {
			return err
		}
		return audit(ctx, tx, "create", "disposition_code", d.Code, map[string]any{"label": d.Label})
	})
}

// FindDispositionCodes lists disposition codes (any signed-in user needs
// them to log a contact).
func (s *Service) FindDispositionCodes(ctx context.Context) ([]*care.DispositionCode, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermCaseRead); err != nil {
		return nil, err
	}
	var out []*care.DispositionCode
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindDispositionCodes(ctx)
		return err
	})
	return out, err
}

// lockedMessage tells a user when a locked account opens again.
func lockedMessage(until time.Time) error {
	return care.Errorf(care.EUNAUTHORIZED, "Too many failed sign-ins; the account is locked until %s UTC.", until.UTC().Format("15:04"))
}

// FindUserByEmail returns one member of staff by sign-in email.
func (s *Service) FindUserByEmail(ctx context.Context, email string) (*care.User, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermUserRead); err != nil {
		return nil, err
	}
	var u *care.User
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
		return err
	})
	return u, err
}
