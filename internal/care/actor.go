package care

import (
	"context"
	"fmt"
)

// Actor is whoever performs an action: a signed-in user, an API token's user,
// an operator at the command line, or the system itself (jobs, mail intake).
// Every audit entry names one.
type Actor struct {
	UserID int64  // 0 for the system
	Name   string // a label for the audit trail: the user's email, "system", "cli"
	Role   string // the user's role; "system" has every permission
	Source string // "api", "web", "cli", "job", "smtp", "portal"
	IP     string // remote address, when known
}

// SystemActor returns an actor for work the system does on its own behalf.
func SystemActor(source string) Actor {
	return Actor{Name: "system", Role: "system", Source: source}
}

// Can reports whether the actor holds the permission.
func (a Actor) Can(p Permission) bool {
	if a.Role == "system" {
		return true
	}
	return RoleCan(a.Role, p)
}

// Require returns an EFORBIDDEN error unless the actor holds the permission.
func (a Actor) Require(p Permission) error {
	if a.Role == "" {
		return Errorf(EUNAUTHORIZED, "Sign in or present an API token.")
	}
	if !a.Can(p) {
		return Errorf(EFORBIDDEN, "Your role (%s) does not allow %s.", a.Role, p)
	}
	return nil
}

// String returns the actor label used in logs.
func (a Actor) String() string {
	return fmt.Sprintf("%s(%d)/%s", a.Name, a.UserID, a.Source)
}

type actorKey struct{}

// NewContextWithActor returns a copy of ctx that carries the actor.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor carried by ctx, or the zero Actor (which
// holds no permission).
func ActorFromContext(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}
