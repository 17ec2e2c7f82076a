-- +goose Up
-- KPI rollups and survey answers (docs/kpis.md, docs/import.md).
--
-- kpi_cells holds the kpi package's Totals per civil day and slice, updated
-- in the transaction of the data they count, so a report over 24 months
-- reads cells, never raw rows. There are a few rollups (dims, a kpi.Dims
-- bit set): a small one for the whole centre and larger ones for slicing by
-- team and product or by agent, so a report reads the smallest that can
-- answer it. The
-- totals are the kpi.Totals as JSON (integer counts and sums, so they add
-- exactly); lags, which only the backlog reads, are kept apart with their
-- largest value, so a report finds the earlier days still open cheaply.
CREATE TABLE kpi_cells (
    dims       BIGINT NOT NULL,
    day        BIGINT NOT NULL,
    channel    TEXT NOT NULL,
    team_id    BIGINT NOT NULL,
    agent_id   BIGINT NOT NULL,
    case_type  TEXT NOT NULL,
    product    TEXT NOT NULL,
    totals     TEXT NOT NULL,
    lags       TEXT NOT NULL DEFAULT '',
    max_lag    BIGINT NOT NULL DEFAULT -1,
    PRIMARY KEY (dims, day, channel, team_id, agent_id, case_type, product)
);
CREATE INDEX kpi_cells_lag ON kpi_cells (dims, max_lag, day);
-- A report sliced by one team or one agent reads only its cells.
CREATE INDEX kpi_cells_team ON kpi_cells (dims, team_id, day);
CREATE INDEX kpi_cells_agent ON kpi_cells (dims, agent_id, day);

-- What each interaction and case last added to the cells, so a change takes
-- out exactly what was added before adding the new state.
CREATE TABLE kpi_contacts (
    interaction_id  BIGINT PRIMARY KEY REFERENCES interactions (id),
    facts           TEXT NOT NULL
);
CREATE TABLE kpi_cases (
    case_id  BIGINT PRIMARY KEY REFERENCES cases (id),
    facts    TEXT NOT NULL
);

-- The definitions the cells were counted by (time zone, thresholds); a
-- change needs "caredesk kpi rebuild".
CREATE TABLE kpi_settings (
    id        BIGINT PRIMARY KEY,
    options   TEXT NOT NULL,
    built_at  BIGINT NOT NULL
);

-- Survey answers: one per interaction and kind (csat, nps, ces).
CREATE TABLE surveys (
    id              INTEGER PRIMARY KEY,
    interaction_id  BIGINT NOT NULL REFERENCES interactions (id),
    kind            TEXT NOT NULL,
    score           BIGINT NOT NULL,
    answered_at     BIGINT NOT NULL,
    agent_id        BIGINT REFERENCES users (id),
    source          TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    UNIQUE (interaction_id, kind)
);
CREATE INDEX surveys_answered ON surveys (answered_at);

-- Case references of a previous system, so an import finds the case it
-- created for a reference before (caredesk's own references are CD-…).
CREATE TABLE import_case_refs (
    source_ref  TEXT PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases (id)
);

-- Survey invitations sent when a case is resolved: the link carries a
-- random token, only its SHA-256 is kept; it expires and is used once.
CREATE TABLE survey_invitations (
    id              INTEGER PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    interaction_id  BIGINT NOT NULL REFERENCES interactions (id),
    email           TEXT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX survey_invitations_case ON survey_invitations (case_id);

-- +goose Down
-- Forward-only: caredesk never rolls a schema back (restore a backup instead).
