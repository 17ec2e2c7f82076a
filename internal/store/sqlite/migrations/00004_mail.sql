-- +goose Up
-- Email in and out. Outgoing mail carries extra headers (In-Reply-To,
-- References, Auto-Submitted) as a JSON object, so a customer's reply to an
-- acknowledgement or an agent's reply threads back into its case.
ALTER TABLE mail_outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';
CREATE INDEX mail_outbox_case ON mail_outbox (case_id, id);

-- Every inbound message the listener accepted, once per Message-ID: the
-- same mail delivered twice is stored once. kind says what became of it:
-- a new case, a reply threaded into a case, or an auto-reply, bounce, list
-- mail or loop that was recorded and not turned into a case. subject and
-- detail are redacted; the body lives only in the case's interaction.
CREATE TABLE inbound_mail (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT NOT NULL UNIQUE,
    from_addr       TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    case_id         BIGINT REFERENCES cases (id),
    interaction_id  BIGINT REFERENCES interactions (id),
    detail          TEXT NOT NULL DEFAULT '',
    received_at     BIGINT NOT NULL
);
CREATE INDEX inbound_mail_case ON inbound_mail (case_id, id);

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
