-- +goose Up
-- Complaint letters. letter_templates keeps every version of every
-- template (kind, regime, language): an edit adds a version and the highest
-- is the one in use, so each sent letter can be traced to the exact text it
-- came from. Built-in templates are version 1 and are stored only when an
-- administrator first edits one. mandatory records the blocks the version
-- had to contain when it was saved.
CREATE TABLE letter_templates (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    regime       TEXT NOT NULL,
    language     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    mandatory    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    author_id    BIGINT REFERENCES users (id),
    author_name  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    UNIQUE (kind, regime, language, version)
);

-- Every letter sent to a complainant: the text as rendered, the template
-- version, how it went (email, or printed and posted by the firm), the PDF
-- kept with the case, and the timeline entry it made.
CREATE TABLE letters (
    id                INTEGER PRIMARY KEY,
    case_id           BIGINT NOT NULL REFERENCES cases (id),
    kind              TEXT NOT NULL,
    regime            TEXT NOT NULL,
    language          TEXT NOT NULL,
    template_version  INTEGER NOT NULL,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    fields            TEXT NOT NULL DEFAULT '{}',
    status            TEXT NOT NULL,
    channel           TEXT NOT NULL,
    to_addr           TEXT NOT NULL DEFAULT '',
    attachment_id     BIGINT REFERENCES attachments (id),
    interaction_id    BIGINT REFERENCES interactions (id),
    mail_id           BIGINT REFERENCES mail_outbox (id),
    sent_by           BIGINT REFERENCES users (id),
    sent_by_name      TEXT NOT NULL DEFAULT '',
    sent_at           BIGINT NOT NULL
);
CREATE INDEX letters_case ON letters (case_id, id);

-- Files sent with an outbox message (a letter's PDF): the mail job reads
-- them when it sends.
CREATE TABLE mail_outbox_attachments (
    mail_id        BIGINT NOT NULL REFERENCES mail_outbox (id),
    attachment_id  BIGINT NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (mail_id, attachment_id)
);

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
