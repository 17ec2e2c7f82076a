-- +goose Up
-- Deadlines per case (regulatory regimes and SLA policy), the events that
-- start them, in-app notifications and the mail outbox. Each clock keeps its
-- rule's fields, so a deadline can be recomputed as it was even after a rule
-- pack changes. fire_at is when the scheduler must next act on a clock; the
-- lease columns let several caredesk processes share the sweep with each
-- clock fired exactly once.
ALTER TABLE cases ADD COLUMN tier TEXT NOT NULL DEFAULT 'frontline';

CREATE TABLE case_events (
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    name     TEXT NOT NULL,
    at       BIGINT NOT NULL,
    PRIMARY KEY (case_id, name)
);

CREATE TABLE case_clocks (
    id            INTEGER PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    regime        TEXT NOT NULL,
    variant       TEXT NOT NULL,
    calendar      TEXT NOT NULL,
    zone          TEXT NOT NULL,
    name          TEXT NOT NULL,
    occurrence    INTEGER NOT NULL,
    start_event   TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    warn_at       BIGINT NOT NULL,
    state         TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    first_amount  INTEGER NOT NULL,
    unit          TEXT NOT NULL,
    recurring     BOOLEAN NOT NULL,
    pausable      BOOLEAN NOT NULL,
    roll_forward  BOOLEAN NOT NULL,
    source        TEXT NOT NULL,
    on_breach     TEXT NOT NULL,
    paused_at     BIGINT,
    pauses        TEXT NOT NULL DEFAULT '',
    basis         TEXT NOT NULL,
    met_at        BIGINT,
    breached_at   BIGINT,
    fire_at       BIGINT,
    lease_owner   TEXT,
    lease_until   BIGINT,
    updated_at    BIGINT NOT NULL,
    UNIQUE (case_id, regime, name, occurrence)
);
CREATE INDEX case_clocks_fire ON case_clocks (fire_at) WHERE fire_at IS NOT NULL;
CREATE INDEX case_clocks_case ON case_clocks (case_id, id);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    case_id     BIGINT REFERENCES cases (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Outgoing mail is written here in the transaction that causes it and sent
-- afterwards by a job, so a relay outage delays mail but never loses it.
CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY,
    message_id       TEXT NOT NULL UNIQUE,
    to_addr          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    case_id          BIGINT REFERENCES cases (id),
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT,
    last_error       TEXT NOT NULL DEFAULT '',
    lease_owner      TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'pending';

-- +goose Down
-- Forward-only.
