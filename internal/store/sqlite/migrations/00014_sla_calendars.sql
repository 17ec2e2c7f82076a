-- +goose Up
-- Admin-edited clock configuration. sla_policies keeps every version of the
-- SLA policy an administrator saved; the highest version is active and
-- applies to clocks started after it was saved (running clocks keep the
-- deadlines they were given). With no row the built-in default applies.
-- body is the policy as JSON (targets by channel and case type, the ladder,
-- priority and vulnerability shifts), written and read only by the service.
CREATE TABLE sla_policies (
    version     BIGINT PRIMARY KEY,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    created_by  BIGINT,
    created_by_name TEXT NOT NULL DEFAULT ''
);

-- firm_calendars holds, per holiday region, the firm's own business hours
-- (hours: JSON [[open, close] seconds after local midnight] by weekday,
-- Sunday first; open = close is a closed day), cut-off and time zone.
-- revision is unique across regions and grows with every save, so each
-- process can tell in one query whether its cached calendars are stale.
CREATE TABLE firm_calendars (
    region      TEXT PRIMARY KEY,
    zone        TEXT NOT NULL,
    hours       TEXT NOT NULL,
    cutoff      INTEGER NOT NULL,
    revision    BIGINT NOT NULL UNIQUE,
    updated_at  BIGINT NOT NULL,
    updated_by  BIGINT,
    updated_by_name TEXT NOT NULL DEFAULT ''
);

-- firm_calendar_days are the firm's extra closure days (kind 'closed') and
-- the public holidays on which it works (kind 'open'), on top of the
-- region's public holidays. day is the local date, YYYY-MM-DD.
CREATE TABLE firm_calendar_days (
    region  TEXT NOT NULL REFERENCES firm_calendars (region),
    day     TEXT NOT NULL,
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (region, day)
);

-- +goose Down
-- Forward-only.
