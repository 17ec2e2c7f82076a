-- +goose Up
-- Contact-centre events and outbound webhooks.
--
-- telephony_events keeps every accepted telephony/CCaaS event by its source
-- event id: an event delivered twice finds its id here and counts once. The
-- interaction of a call is recomputed from all of the call's events, so
-- events that arrive out of order still converge on the same interaction.
CREATE TABLE telephony_events (
    event_id      TEXT PRIMARY KEY,
    call_id       TEXT NOT NULL,
    type          TEXT NOT NULL,
    at            BIGINT NOT NULL,
    queue         TEXT NOT NULL DEFAULT '',
    agent_id      BIGINT REFERENCES users (id),
    direction     TEXT NOT NULL DEFAULT '',
    disposition   TEXT NOT NULL DEFAULT '',
    transcript    TEXT NOT NULL DEFAULT '',
    customer_id   BIGINT REFERENCES customers (id),
    source        TEXT NOT NULL,
    recorded_at   BIGINT NOT NULL
);
CREATE INDEX telephony_events_call ON telephony_events (call_id, at);

-- One row per call or chat session: its interaction, its case, and whether
-- caredesk opened that case for the call (so a caller identified only by a
-- later event can still be set on it).
CREATE TABLE telephony_calls (
    call_id         TEXT PRIMARY KEY,
    channel         TEXT NOT NULL,
    interaction_id  BIGINT NOT NULL REFERENCES interactions (id),
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    case_created    BOOLEAN NOT NULL,
    created_at      BIGINT NOT NULL
);

-- Webhook subscriptions. The secret signs each delivery (HMAC-SHA256), so it
-- is kept as given; it is shown only in the answer that created it.
CREATE TABLE webhooks (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL,
    secret       TEXT NOT NULL,
    events       TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    created_by   BIGINT,
    created_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);

-- Deliveries are written in the transaction of the event they carry and sent
-- afterwards by a job under a lease, like mail_outbox: a receiver outage
-- delays them, a rolled-back change sends nothing, and each is sent once.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY,
    webhook_id       BIGINT NOT NULL REFERENCES webhooks (id),
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT,
    last_status      INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    lease_owner      TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
