package httpapi

import (
	"net/http"

	"github.com/caredesk/caredesk/internal/care"
)

type tokenInfoDTO struct {
	ID         int64   `json:"id"`
	UserID     int64   `json:"user_id"`
	Name       string  `json:"name"`
	Prefix     string  `json:"prefix"`
	CreatedAt  *string `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
}

func toTokenInfo(t *care.APIToken) tokenInfoDTO {
	return tokenInfoDTO{ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, CreatedAt: stamp(t.CreatedAt),
		LastUsedAt: stamp(t.LastUsedAt), RevokedAt: stamp(t.RevokedAt)}
}

// listTokens answers the caller's tokens, or a user's (?user_id=, admins).
func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	user := q.id("user_id")
	if err := q.err(); err != nil {
		return err
	}
	if user == 0 {
		user = care.ActorFromContext(r.Context()).UserID
	}
	toks, err := a.svc.FindTokens(r.Context(), user)
	if err != nil {
		return err
	}
	items := make([]tokenInfoDTO, len(toks))
	for i, t := range toks {
		items[i] = toTokenInfo(t)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// revokeToken ends a token at once.
func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := a.svc.RevokeToken(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toTokenInfo(t))
}
