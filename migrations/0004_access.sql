-- Identity and access: partner organisations, accounts, roles, unit
-- memberships, sessions, API tokens, sign-in throttling, OpenID Connect
-- sign-in state, and the generic sharing tables every sensitive record uses.

CREATE TABLE partners (
    id   {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

ALTER TABLE people ADD COLUMN partner_id BIGINT REFERENCES partners(id);

CREATE TABLE accounts (
    person_id           BIGINT PRIMARY KEY REFERENCES people(id),
    password_hash       TEXT NOT NULL DEFAULT '',
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          {{timestamp}} NOT NULL,
    password_changed_at {{timestamp}}
);

CREATE TABLE person_roles (
    person_id BIGINT NOT NULL REFERENCES people(id),
    role      TEXT NOT NULL,
    PRIMARY KEY (person_id, role)
);

-- Units a person works in beyond their own (people.unit_id).
CREATE TABLE person_units (
    person_id BIGINT NOT NULL REFERENCES people(id),
    unit_id   BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (person_id, unit_id)
);

-- Sessions are keyed by the SHA-256 of the cookie's secret.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people(id),
    csrf_token   TEXT NOT NULL,
    created_at   {{timestamp}} NOT NULL,
    last_seen_at {{timestamp}} NOT NULL,
    expires_at   {{timestamp}} NOT NULL,
    address      TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id           {{id}},
    person_id    BIGINT NOT NULL REFERENCES people(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    read_only    BOOLEAN NOT NULL,
    unit_id      BIGINT REFERENCES units(id),
    created_at   {{timestamp}} NOT NULL,
    expires_at   {{timestamp}} NOT NULL,
    revoked_at   {{timestamp}},
    last_used_at {{timestamp}}
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

-- Failed sign-ins, by account ("email:...") and by address ("addr:...").
CREATE TABLE sign_in_failures (
    id  {{id}},
    key TEXT NOT NULL,
    at  {{timestamp}} NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);

-- An OpenID Connect sign-in in progress, between the redirect to the
-- provider and its return; kept in the database so any instance can finish it.
CREATE TABLE oidc_states (
    state_hash    TEXT PRIMARY KEY,
    code_verifier TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    created_at    {{timestamp}} NOT NULL
);

-- Who a sensitive record is shared with, and who is on its case team, for
-- any kind of record (record_type: 'case', 'article', ...).
CREATE TABLE record_shares (
    record_type TEXT NOT NULL,
    record_id   BIGINT NOT NULL,
    person_id   BIGINT REFERENCES people(id),
    partner_id  BIGINT REFERENCES partners(id),
    CHECK ((person_id IS NULL) <> (partner_id IS NULL))
);
CREATE INDEX record_shares_record ON record_shares (record_type, record_id);
CREATE INDEX record_shares_person ON record_shares (person_id, record_type);
CREATE INDEX record_shares_partner ON record_shares (partner_id, record_type);

CREATE TABLE record_team (
    record_type TEXT NOT NULL,
    record_id   BIGINT NOT NULL,
    person_id   BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (record_type, record_id, person_id)
);
CREATE INDEX record_team_person ON record_team (person_id, record_type);
