-- +goose Up
-- Complaints handling to ISO 10002: the lifecycle stage and intake details
-- of each complaint (one row per complaint case), every transition with who
-- and when, who handled each review tier (for independence), investigation
-- evidence and requests to other teams, the outcome with its redress and
-- corrective and preventive actions (CAPA), the root-cause taxonomy, and
-- agents' decisions on dissatisfaction signals.
CREATE TABLE complaints (
    case_id             BIGINT PRIMARY KEY REFERENCES cases (id),
    stage               TEXT NOT NULL,
    claim_number        TEXT NOT NULL DEFAULT '',
    remedy_sought       TEXT NOT NULL DEFAULT '',
    severity            TEXT NOT NULL DEFAULT '',
    complexity          TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    immediate_action    BOOLEAN NOT NULL DEFAULT FALSE,
    vulnerable          BOOLEAN NOT NULL DEFAULT FALSE,
    vulnerability_note  TEXT NOT NULL DEFAULT '',
    referred_to         TEXT NOT NULL DEFAULT '',
    outcome             TEXT NOT NULL DEFAULT '',
    outcome_reasoning   TEXT NOT NULL DEFAULT '',
    root_cause          TEXT NOT NULL DEFAULT '',
    customer_response   TEXT NOT NULL DEFAULT '',
    response_issued_at  BIGINT,
    closed_at           BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX complaints_stage ON complaints (stage, case_id);

CREATE TABLE complaint_transitions (
    id           INTEGER PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL,
    from_value   TEXT NOT NULL,
    to_value     TEXT NOT NULL,
    actor_id     BIGINT NOT NULL,
    actor_name   TEXT NOT NULL,
    reviewer_id  BIGINT REFERENCES users (id),
    referred_to  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    at           BIGINT NOT NULL
);
CREATE INDEX complaint_transitions_case ON complaint_transitions (case_id, id);

CREATE TABLE complaint_handlers (
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    tier     TEXT NOT NULL,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    since    BIGINT NOT NULL,
    PRIMARY KEY (case_id, tier, user_id)
);

CREATE TABLE complaint_evidence (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    kind            TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    interaction_id  BIGINT REFERENCES interactions (id),
    attachment_id   BIGINT REFERENCES attachments (id),
    url             TEXT NOT NULL DEFAULT '',
    created_by      BIGINT REFERENCES users (id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX complaint_evidence_case ON complaint_evidence (case_id, id);

CREATE TABLE complaint_requests (
    id           INTEGER PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    team         TEXT NOT NULL,
    question     TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    answered_at  BIGINT
);
CREATE INDEX complaint_requests_case ON complaint_requests (case_id, id);
CREATE INDEX complaint_requests_open ON complaint_requests (due_on, id) WHERE status = 'open';

CREATE TABLE complaint_redress (
    id            INTEGER PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES cases (id),
    kind          TEXT NOT NULL,
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL,
    payment_ref   TEXT NOT NULL DEFAULT '',
    paid_at       BIGINT,
    note          TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX complaint_redress_case ON complaint_redress (case_id, id);

CREATE TABLE complaint_capa (
    id                    INTEGER PRIMARY KEY,
    case_id               BIGINT NOT NULL REFERENCES cases (id),
    kind                  TEXT NOT NULL,
    description           TEXT NOT NULL,
    owner_id              BIGINT NOT NULL REFERENCES users (id),
    due_on                TEXT NOT NULL,
    status                TEXT NOT NULL,
    effectiveness_review  TEXT NOT NULL DEFAULT '',
    effective             TEXT NOT NULL DEFAULT '',
    reviewed_at           BIGINT,
    created_by            BIGINT REFERENCES users (id),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX complaint_capa_case ON complaint_capa (case_id, id);
CREATE INDEX complaint_capa_owner ON complaint_capa (owner_id, due_on) WHERE status <> 'done' AND status <> 'cancelled';

-- The root-cause taxonomy, editable by administrators; rows are never
-- deleted (retired causes go inactive) so old complaints keep their cause.
CREATE TABLE complaint_root_causes (
    code        TEXT PRIMARY KEY,
    category    TEXT NOT NULL,
    label       TEXT NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL
);
INSERT INTO complaint_root_causes (code, category, label, active, created_at) VALUES
    ('claims_delay', 'claims', 'Delay in handling a claim', TRUE, 0),
    ('claims_decision', 'claims', 'Claim declined or settlement amount disputed', TRUE, 0),
    ('claims_repair_quality', 'claims', 'Quality of repairs or replacement by a supplier', TRUE, 0),
    ('policy_terms', 'policy', 'Policy terms, exclusions or wording unclear or unfair', TRUE, 0),
    ('sale_advice', 'policy', 'Sale or advice: mis-selling, unsuitable cover', TRUE, 0),
    ('pricing_renewal', 'policy', 'Premium, pricing or renewal', TRUE, 0),
    ('cancellation_refund', 'policy', 'Cancellation, fees or refund', TRUE, 0),
    ('admin_error', 'service', 'Administrative or processing error', TRUE, 0),
    ('communication', 'service', 'Information or communication unclear, missing or late', TRUE, 0),
    ('staff_conduct', 'service', 'Staff attitude or conduct', TRUE, 0),
    ('service_delay', 'service', 'Delay in service other than claims', TRUE, 0),
    ('vulnerable_customer', 'service', 'Needs of a vulnerable customer not met', TRUE, 0),
    ('payment_error', 'payments', 'Payment, collection or direct debit error', TRUE, 0),
    ('systems_failure', 'operations', 'IT systems or website failure', TRUE, 0),
    ('third_party', 'operations', 'Supplier or third-party performance', TRUE, 0),
    ('data_protection', 'privacy', 'Data protection or privacy', TRUE, 0),
    ('other', 'other', 'Other', TRUE, 0);

-- An agent's decision on a dissatisfaction signal scored on an interaction;
-- one decision per interaction.
CREATE TABLE complaint_signals (
    id              INTEGER PRIMARY KEY,
    interaction_id  BIGINT NOT NULL UNIQUE REFERENCES interactions (id),
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    score           DOUBLE PRECISION NOT NULL,
    reasons         TEXT NOT NULL,
    decision        TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    decided_by      BIGINT REFERENCES users (id),
    decided_at      BIGINT NOT NULL
);
CREATE INDEX complaint_signals_case ON complaint_signals (case_id, id);

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
