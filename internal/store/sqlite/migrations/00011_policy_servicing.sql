-- +goose Up
-- Policy servicing: every lifecycle transition with who, when and why; the
-- term of each renewal with its offer, reminder sequence and outcome (which
-- feeds churn); mid-term changes as service requests with effective dates;
-- the instalment schedule, payments and missed payments; and each renewal
-- reminder sent (at most one of each kind per term).
CREATE TABLE policy_events (
    id           INTEGER PRIMARY KEY,
    policy_id    BIGINT NOT NULL REFERENCES policies (id),
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL,
    term_start   TEXT NOT NULL,
    term_end     TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX policy_events_policy ON policy_events (policy_id, id);

-- One row per policy term that came up for renewal. next_reminder_at is
-- when the reminder job next looks at it (NULL: nothing more to do).
CREATE TABLE policy_renewals (
    id                INTEGER PRIMARY KEY,
    policy_id         BIGINT NOT NULL REFERENCES policies (id),
    term_start        TEXT NOT NULL,
    term_end          TEXT NOT NULL,
    line              TEXT NOT NULL,
    premium_minor     BIGINT NOT NULL DEFAULT 0,
    offered_at        BIGINT,
    outcome           TEXT NOT NULL DEFAULT '',
    outcome_reason    TEXT NOT NULL DEFAULT '',
    outcome_by        TEXT NOT NULL DEFAULT '',
    outcome_at        BIGINT,
    next_reminder_at  BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (policy_id, term_end)
);
CREATE INDEX policy_renewals_due ON policy_renewals (next_reminder_at);
-- renewal_opened is the end date of the term whose renewal the reminder
-- job has opened; the job looks, on every tick, only at policies in force
-- whose current term's renewal it has not opened yet, which this partial
-- index keeps small (a policy leaves it when its renewal is opened and
-- comes back with its next term).
ALTER TABLE policies ADD COLUMN renewal_opened TEXT NOT NULL DEFAULT '';
CREATE INDEX policies_renewal_pending ON policies (end_date)
    WHERE status IN ('in_force', 'renewed') AND renewal_opened <> end_date;
CREATE INDEX policy_renewals_outcome ON policy_renewals (outcome_at, id);

CREATE TABLE policy_reminders (
    id          INTEGER PRIMARY KEY,
    renewal_id  BIGINT NOT NULL REFERENCES policy_renewals (id),
    policy_id   BIGINT NOT NULL REFERENCES policies (id),
    kind        TEXT NOT NULL,
    to_addr     TEXT NOT NULL DEFAULT '',
    mail_id     BIGINT,
    note        TEXT NOT NULL DEFAULT '',
    sent_at     BIGINT NOT NULL,
    UNIQUE (renewal_id, kind)
);
CREATE INDEX policy_reminders_policy ON policy_reminders (policy_id, id);

CREATE TABLE policy_changes (
    id                        INTEGER PRIMARY KEY,
    policy_id                 BIGINT NOT NULL REFERENCES policies (id),
    case_id                   BIGINT REFERENCES cases (id),
    kind                      TEXT NOT NULL,
    details                   TEXT NOT NULL DEFAULT '',
    effective_date            TEXT NOT NULL,
    status                    TEXT NOT NULL,
    premium_adjustment_minor  BIGINT NOT NULL DEFAULT 0,
    reason                    TEXT NOT NULL DEFAULT '',
    requested_by              TEXT NOT NULL,
    decided_by                TEXT NOT NULL DEFAULT '',
    decided_at                BIGINT,
    applied_at                BIGINT,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL
);
CREATE INDEX policy_changes_policy ON policy_changes (policy_id, id);

CREATE TABLE policy_payments (
    id            INTEGER PRIMARY KEY,
    policy_id     BIGINT NOT NULL REFERENCES policies (id),
    amount_minor  BIGINT NOT NULL,
    method        TEXT NOT NULL,
    reference     TEXT NOT NULL DEFAULT '',
    received_on   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX policy_payments_policy ON policy_payments (policy_id, id);

CREATE TABLE policy_instalments (
    id            INTEGER PRIMARY KEY,
    policy_id     BIGINT NOT NULL REFERENCES policies (id),
    seq           INTEGER NOT NULL,
    due_date      TEXT NOT NULL,
    amount_minor  BIGINT NOT NULL,
    status        TEXT NOT NULL,
    payment_id    BIGINT REFERENCES policy_payments (id),
    paid_at       BIGINT,
    missed_at     BIGINT,
    created_at    BIGINT NOT NULL,
    UNIQUE (policy_id, seq)
);
CREATE INDEX policy_instalments_due ON policy_instalments (status, due_date);

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
