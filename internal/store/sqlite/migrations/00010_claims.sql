-- +goose Up
-- Claims from first notice of loss to payment. A claim is a case of type
-- "claim" (timeline, interactions, attachments, clocks) plus one claims row:
-- the loss, the workflow stage, the cover check, the settlement and the money.
-- Every stage change, reserve and payment is a row of its own, so the claim's
-- history can be read back; settlement authority is per role with per-user
-- overrides; catastrophe events pause the inspection milestone.

-- One row per year; the counter behind claim numbers CL-YYYY-NNNNNN.
CREATE TABLE claim_counters (
    year  INTEGER PRIMARY KEY,
    last  BIGINT NOT NULL
);

CREATE TABLE catastrophe_events (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    started_at   BIGINT NOT NULL,
    ended_at     BIGINT,
    declared_by  BIGINT,
    created_at   BIGINT NOT NULL
);

CREATE TABLE claims (
    case_id         BIGINT PRIMARY KEY REFERENCES cases (id),
    number          TEXT NOT NULL UNIQUE,
    policy_id       BIGINT NOT NULL REFERENCES policies (id),
    loss_at         BIGINT NOT NULL,
    reported_at     BIGINT NOT NULL,
    loss_type       TEXT NOT NULL,
    place           TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    channel         TEXT NOT NULL,
    parties         TEXT NOT NULL DEFAULT '[]',
    stage           TEXT NOT NULL,
    cover_problems  TEXT NOT NULL DEFAULT '[]',
    catastrophe_id  BIGINT REFERENCES catastrophe_events (id),
    currency        TEXT NOT NULL,
    reserve_minor   BIGINT NOT NULL DEFAULT 0,
    settled_minor   BIGINT NOT NULL DEFAULT 0,
    paid_minor      BIGINT NOT NULL DEFAULT 0,
    settled_by      BIGINT,
    decision        TEXT NOT NULL DEFAULT '',
    complaint_id    BIGINT REFERENCES cases (id),
    inspection_at   BIGINT,
    inspector       TEXT NOT NULL DEFAULT '',
    reopened        INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    closed_at       BIGINT
);
CREATE INDEX claims_stage ON claims (stage, case_id);
CREATE INDEX claims_policy ON claims (policy_id, case_id);
CREATE INDEX claims_catastrophe ON claims (catastrophe_id, case_id);
CREATE INDEX claims_complaint ON claims (complaint_id);

CREATE TABLE claim_transitions (
    id          INTEGER PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    actor_id    BIGINT NOT NULL,
    actor_name  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX claim_transitions_case ON claim_transitions (case_id, id);

CREATE TABLE claim_reserves (
    id            INTEGER PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    amount_minor  BIGINT NOT NULL,
    prev_minor    BIGINT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    actor_id      BIGINT NOT NULL,
    actor_name    TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX claim_reserves_case ON claim_reserves (case_id, id);

CREATE TABLE claim_payments (
    id            INTEGER PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    amount_minor  BIGINT NOT NULL,
    payee         TEXT NOT NULL,
    method        TEXT NOT NULL,
    reference     TEXT NOT NULL DEFAULT '',
    actor_id      BIGINT NOT NULL,
    actor_name    TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX claim_payments_case ON claim_payments (case_id, id);

-- A role's default limit has user_id 0; a user's override has role ''.
-- Currency '' applies to every currency.
CREATE TABLE settlement_authority (
    id           INTEGER PRIMARY KEY,
    role         TEXT NOT NULL DEFAULT '',
    user_id      BIGINT NOT NULL DEFAULT 0,
    limit_minor  BIGINT NOT NULL,
    currency     TEXT NOT NULL DEFAULT '',
    updated_at   BIGINT NOT NULL,
    UNIQUE (role, user_id, currency)
);
INSERT INTO settlement_authority (role, user_id, limit_minor, currency, updated_at) VALUES
    ('claims_handler', 0, 500000, '', 0),
    ('supervisor', 0, 2500000, '', 0),
    ('admin', 0, 10000000, '', 0);

-- +goose Down
DROP TABLE settlement_authority;
DROP TABLE claim_payments;
DROP TABLE claim_reserves;
DROP TABLE claim_transitions;
DROP TABLE claims;
DROP TABLE catastrophe_events;
DROP TABLE claim_counters;
