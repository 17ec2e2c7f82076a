package service

import (
	"context"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// CreateToken issues an API token for a user and returns its secret, which
// is shown once and stored only as a hash. Users may create their own;
// administrators may create one for anyone.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (string, *care.APIToken, error) {
	actor := care.ActorFromContext(ctx)
	perm := care.PermTokenCreateOwn
	if actor.UserID != userID {
		perm = care.PermUserAdmin
	}
	if err := actor.Require(perm); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "api"
	}
	if len(name) > 100 {
		return "", nil, care.Invalid("name", "must be at most 100 characters")
	}
	secret := newSecret(TokenPrefix)
	t := &care.APIToken{UserID: userID, Name: name, Prefix: secret[:len(TokenPrefix)+6]}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.FindUserByID(ctx, userID)
		if err != nil {
			return err
		}
		if !u.Active {
			return care.Errorf(care.EPRECONDITION, "User %s is deactivated.", u.Email)
		}
		if err := tx.CreateAPIToken(ctx, t, secretHash(secret)); err != nil {
			return err
		}
		return audit(ctx, tx, "create", "api_token", t.ID, map[string]any{"user_id": userID, "name": name, "prefix": t.Prefix})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// AuthenticateToken returns the actor an API token stands for. It costs one
// indexed read; the last-used time is written at most once a minute.
func (s *Service) AuthenticateToken(ctx context.Context, secret, ip string) (care.Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return care.Actor{}, care.Errorf(care.EUNAUTHORIZED, "The API token is not valid (it should start with %s).", TokenPrefix)
	}
	var tok *care.APIToken
	var u *care.User
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		tok, u, err = tx.FindAPITokenByHash(ctx, secretHash(secret))
		return err
	})
	if err != nil {
		return care.Actor{}, err
	}
	if !u.Active {
		return care.Actor{}, care.Errorf(care.EUNAUTHORIZED, "The token's user is deactivated.")
	}
	if s.Now().Sub(tok.LastUsedAt) > s.cfg.TokenTouchEvery {
		if err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(ctx, tok.ID) }); err != nil {
			s.log.Warn("record token use", "token", tok.ID, "err", err)
		}
	}
	return care.Actor{UserID: u.ID, Name: u.Email, Role: u.Role, Source: "api", IP: ip}, nil
}

// SignIn checks an email and password. Repeated failures lock the account
// for a while; every attempt is audited.
func (s *Service) SignIn(ctx context.Context, email, password, ip string) (*care.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	bad := care.Errorf(care.EUNAUTHORIZED, "The email or password is not right.")
	var u *care.User
	var st *store.PasswordState
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		if u, err = tx.FindUserByEmail(ctx, email); err != nil {
			return err
		}
		st, err = tx.FindPasswordState(ctx, u.ID)
		return err
	})
	if care.ErrorCode(err) == care.ENOTFOUND {
		CheckPassword(dummyHash, password) // same cost as a real check: no user enumeration by timing
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	now := s.Now()
	if now.Before(st.LockedUntil) {
		return nil, lockedMessage(st.LockedUntil)
	}
	ok := u.Active && CheckPassword(st.Hash, password)
	actx := care.NewContextWithActor(ctx, care.Actor{UserID: u.ID, Name: u.Email, Role: u.Role, Source: "web", IP: ip})
	err = s.store.Write(actx, func(tx *store.Tx) error {
		if ok {
			st.FailedLogins, st.LockedUntil = 0, now.Add(-1)
			if err := tx.SetPasswordState(actx, u.ID, *st); err != nil {
				return err
			}
			return audit(actx, tx, "login", "user", u.ID, nil)
		}
		st.FailedLogins++
		if st.FailedLogins >= s.cfg.LockoutAfter {
			st.LockedUntil, st.FailedLogins = now.Add(s.cfg.LockoutFor), 0
		}
		if err := tx.SetPasswordState(actx, u.ID, *st); err != nil {
			return err
		}
		return audit(actx, tx, "login_failed", "user", u.ID, map[string]any{"locked": !st.LockedUntil.IsZero() && st.LockedUntil.After(now)})
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		if st.LockedUntil.After(now) {
			return nil, lockedMessage(st.LockedUntil)
		}
		return nil, bad
	}
	return u, nil
}

var dummyHash = HashPassword("caredesk-timing-equaliser")

// CreateSession starts a browser session for a signed-in user and returns
// the cookie secret (stored only as a hash) and the session.
func (s *Service) CreateSession(ctx context.Context, userID int64, ip string) (string, *store.Session, error) {
	secret := newSecret("")
	sess := &store.Session{UserID: userID, CSRF: newSecret(""), IP: ip, ExpiresAt: s.Now().Add(s.cfg.SessionIdle)}
	err := s.store.Write(ctx, func(tx *store.Tx) error { return tx.CreateSession(ctx, sess, secretHash(secret)) })
	return secret, sess, err
}

// FindSession returns the live session for a cookie secret and its user,
// extending its idle expiry (written at most once a minute).
func (s *Service) FindSession(ctx context.Context, secret string) (*store.Session, *care.User, error) {
	var sess *store.Session
	var u *care.User
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		sess, u, err = tx.FindSessionByHash(ctx, secretHash(secret))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	if now.Sub(sess.CreatedAt) > s.cfg.SessionMax {
		_ = s.DeleteSession(ctx, sess.ID)
		return nil, nil, care.Errorf(care.EUNAUTHORIZED, "Your session has ended; please sign in again.")
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.ExpiresAt = now.Add(s.cfg.SessionIdle)
		_ = s.store.Write(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, sess.ID, sess.ExpiresAt) })
	}
	return sess, u, nil
}

// SignOut ends the caller's session and records the sign-out in the audit
// trail.
func (s *Service) SignOut(ctx context.Context, sessionID int64) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSession(ctx, sessionID); err != nil {
			return err
		}
		return audit(ctx, tx, "logout", "user", care.ActorFromContext(ctx).UserID, nil)
	})
}

// DeleteSession ends a session without an audit entry (expiry).
func (s *Service) DeleteSession(ctx context.Context, id int64) error {
	return s.store.Write(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, id) })
}

// FindTokens lists a user's API tokens (never their secrets): one's own, or
// anyone's for administrators.
func (s *Service) FindTokens(ctx context.Context, userID int64) ([]*care.APIToken, error) {
	if err := requireSelfOr(ctx, userID, care.PermUserAdmin); err != nil {
		return nil, err
	}
	var out []*care.APIToken
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindAPITokensByUser(ctx, userID)
		return err
	})
	return out, err
}

// RevokeToken ends an API token at once: one's own, or anyone's for
// administrators (a leaked token must be killable without waiting).
func (s *Service) RevokeToken(ctx context.Context, id int64) (*care.APIToken, error) {
	if care.ActorFromContext(ctx).Role == "" {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Sign in or present an API token.")
	}
	var t *care.APIToken
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if t, err = tx.FindAPITokenByID(ctx, id); err != nil {
			return err
		}
		if err := requireSelfOr(ctx, t.UserID, care.PermUserAdmin); err != nil {
			return notFoundFor(err, "API token", id)
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		if err := tx.RevokeAPIToken(ctx, id); err != nil {
			return err
		}
		t.RevokedAt = tx.Now()
		return audit(ctx, tx, "update", "api_token", id, map[string]any{"revoked": true, "user_id": t.UserID, "prefix": t.Prefix})
	})
	return t, err
}

// requireSelfOr allows the actor when the thing is theirs, or when they hold p.
func requireSelfOr(ctx context.Context, ownerID int64, p care.Permission) error {
	a := care.ActorFromContext(ctx)
	if a.UserID != 0 && a.UserID == ownerID && a.Role != "" {
		return nil
	}
	return a.Require(p)
}

// notFoundFor hides someone else's thing behind not-found, so a user cannot
// probe which ids exist.
func notFoundFor(err error, what string, id int64) error {
	if care.ErrorCode(err) == care.EFORBIDDEN {
		return care.Errorf(care.ENOTFOUND, "No %s %d.", what, id)
	}
	return err
}
