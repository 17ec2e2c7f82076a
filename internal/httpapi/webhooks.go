package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

type webhookInput struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Secret      string   `json:"secret"`
	Description string   `json:"description"`
}

type webhookDTO struct {
	ID          int64    `json:"id"`
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description"`
	Secret      string   `json:"secret,omitempty"` // only in the answer that created it
	CreatedAt   *string  `json:"created_at"`
}

func toWebhook(h *store.Webhook) webhookDTO {
	return webhookDTO{ID: h.ID, URL: h.URL, Events: h.Events, Description: h.Description, CreatedAt: stamp(h.CreatedAt)}
}

type deliveryDTO struct {
	ID            int64           `json:"id"`
	WebhookID     int64           `json:"webhook_id"`
	EventID       string          `json:"event_id"`
	EventType     string          `json:"event_type"`
	State         string          `json:"state"`
	Attempts      int             `json:"attempts"`
	LastStatus    *int            `json:"last_status"`
	LastError     string          `json:"last_error"`
	NextAttemptAt *string         `json:"next_attempt_at"`
	CreatedAt     *string         `json:"created_at"`
	DeliveredAt   *string         `json:"delivered_at"`
	Payload       json.RawMessage `json:"payload"`
}

func toDelivery(d *store.WebhookDelivery) deliveryDTO {
	var status *int
	if d.LastStatus != 0 {
		status = &d.LastStatus
	}
	payload := json.RawMessage(d.Payload)
	if !json.Valid(payload) {
		payload, _ = json.Marshal(d.Payload)
	}
	return deliveryDTO{ID: d.ID, WebhookID: d.WebhookID, EventID: d.EventID, EventType: d.EventType, State: d.State,
		Attempts: d.Attempts, LastStatus: status, LastError: d.LastError, NextAttemptAt: stamp(d.NextAttemptAt),
		CreatedAt: stamp(d.CreatedAt), DeliveredAt: stamp(d.DeliveredAt), Payload: payload}
}

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) error {
	var in webhookInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	h, err := a.svc.CreateWebhook(r.Context(), service.NewWebhook{URL: in.URL, Events: in.Events, Secret: in.Secret,
		Description: in.Description})
	if err != nil {
		return err
	}
	out := toWebhook(h)
	out.Secret = h.Secret
	return created(w, "/api/v1/webhooks/"+strconv.FormatInt(h.ID, 10), out)
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	hooks, err := a.svc.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(hooks, 0, toWebhook))
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteWebhook(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	before, limit := q.cursor(), q.limit()
	if err := q.err(); err != nil {
		return err
	}
	items, next, err := a.svc.FindWebhookDeliveries(r.Context(), id, before, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPage(items, next, toDelivery))
}
