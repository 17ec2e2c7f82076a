-- +goose Up
-- Times are BIGINT microseconds since the Unix epoch, UTC, in both dialects:
-- they sort and compare the same everywhere and carry no time-zone ambiguity.
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    team_id        BIGINT REFERENCES teams (id),
    active         BOOLEAN NOT NULL,
    password_hash  TEXT NOT NULL DEFAULT '',
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    hash          TEXT NOT NULL UNIQUE,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    csrf          TEXT NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);

CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL,
    name                TEXT NOT NULL,
    email               TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    address             TEXT NOT NULL DEFAULT '',
    vulnerable          BOOLEAN NOT NULL DEFAULT FALSE,
    vulnerability_note  TEXT NOT NULL DEFAULT '',
    external_ref        TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX customers_email ON customers (email) WHERE email <> '';
CREATE INDEX customers_phone ON customers (phone) WHERE phone <> '';
CREATE INDEX customers_name ON customers (lower(name));

CREATE TABLE policies (
    id             INTEGER PRIMARY KEY,
    customer_id    BIGINT NOT NULL REFERENCES customers (id),
    number         TEXT NOT NULL UNIQUE,
    line           TEXT NOT NULL,
    status         TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date       TEXT NOT NULL,
    premium_minor  BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX policies_customer ON policies (customer_id, id);

-- One row per year; the counter behind human case references CD-YYYY-NNNNNN.
CREATE TABLE reference_counters (
    year  INTEGER PRIMARY KEY,
    last  BIGINT NOT NULL
);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    status       TEXT NOT NULL,
    priority     TEXT NOT NULL,
    customer_id  BIGINT REFERENCES customers (id),
    policy_id    BIGINT REFERENCES policies (id),
    team_id      BIGINT REFERENCES teams (id),
    assignee_id  BIGINT REFERENCES users (id),
    subject      TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    regimes      TEXT NOT NULL DEFAULT '',
    received_at  BIGINT NOT NULL,
    next_due_at  BIGINT,
    is_open      BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    closed_at    BIGINT,
    version      BIGINT NOT NULL DEFAULT 1
);
-- Each index matches a list's filter and its keyset order (id DESC).
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_type ON cases (type, id);
CREATE INDEX cases_team ON cases (team_id, is_open, id);
CREATE INDEX cases_assignee ON cases (assignee_id, is_open, id);
CREATE INDEX cases_customer ON cases (customer_id, id);
-- The inbox: a team's or an agent's open cases by nearest deadline.
CREATE INDEX cases_team_due ON cases (team_id, next_due_at, id) WHERE is_open;
CREATE INDEX cases_assignee_due ON cases (assignee_id, next_due_at, id) WHERE is_open;

CREATE TABLE disposition_codes (
    code        TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE interactions (
    id                INTEGER PRIMARY KEY,
    case_id           BIGINT NOT NULL REFERENCES cases (id),
    channel           TEXT NOT NULL,
    direction         TEXT NOT NULL,
    agent_id          BIGINT REFERENCES users (id),
    queue             TEXT NOT NULL DEFAULT '',
    disposition       TEXT REFERENCES disposition_codes (code),
    subject           TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL DEFAULT '',
    offered_at        BIGINT NOT NULL,
    answered_at       BIGINT,
    ended_at          BIGINT,
    wrap_up_ended_at  BIGINT,
    abandoned         BOOLEAN NOT NULL DEFAULT FALSE,
    external_id       TEXT UNIQUE,
    created_at        BIGINT NOT NULL
);
CREATE INDEX interactions_case ON interactions (case_id, id);
CREATE INDEX interactions_offered ON interactions (offered_at);

-- The audit trail: append-only, hash-chained. audit_head holds the last
-- sequence number and hash; updating it first serialises appenders, so the
-- chain never forks even with several caredesk processes on one database.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL,
    actor_name  TEXT NOT NULL,
    source      TEXT NOT NULL,
    ip          TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
