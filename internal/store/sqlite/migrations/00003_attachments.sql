-- +goose Up
-- Files kept with cases. Text files are stored redacted; extracted_text
-- (always redacted) serves search and review.
CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    interaction_id  BIGINT REFERENCES interactions (id),
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    source          TEXT NOT NULL,
    extracted_text  TEXT NOT NULL DEFAULT '',
    data            BLOB NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id, id);

-- +goose Down
-- Forward-only.
