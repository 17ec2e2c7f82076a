-- +goose Up
-- A second factor for staff sign-in: TOTP (RFC 6238). The shared secret must
-- be readable to check codes, so it is stored as is (protect the database and
-- its backups); recovery codes are random and stored only as SHA-256 hashes.
-- last_step is the time step of the last code accepted, so a code is never
-- accepted twice. A sign-in challenge is the state between a correct password
-- and a correct code, found by the hash of a cookie secret.
CREATE TABLE user_totp (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id),
    secret        TEXT NOT NULL,
    confirmed_at  BIGINT,
    last_step     BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE TABLE totp_recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id),
    hash      TEXT NOT NULL UNIQUE,
    used_at   BIGINT
);
CREATE INDEX totp_recovery_codes_user ON totp_recovery_codes (user_id);

CREATE TABLE signin_challenges (
    id          INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    ip          TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX signin_challenges_user ON signin_challenges (user_id);

-- +goose Down
-- Forward-only.
