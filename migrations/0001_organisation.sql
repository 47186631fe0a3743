-- The organisation: division, units, locations, people and teams.

CREATE TABLE divisions (
    id   {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE units (
    id          {{id}},
    division_id BIGINT NOT NULL REFERENCES divisions(id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    head_title  TEXT NOT NULL
);

CREATE TABLE locations (
    id      {{id}},
    code    TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('office', 'overseas_post')),
    country TEXT NOT NULL CHECK (length(country) = 2)
);

CREATE TABLE people (
    id              {{id}},
    name            TEXT NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    grade           TEXT NOT NULL,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    location_id     BIGINT NOT NULL REFERENCES locations(id),
    line_manager_id BIGINT REFERENCES people(id),
    clearance       TEXT NOT NULL CHECK (clearance IN ('bpss', 'ctc', 'sc', 'dv')),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      {{timestamp}} NOT NULL,
    updated_at      {{timestamp}} NOT NULL
);
CREATE INDEX people_unit_name ON people (unit_id, name, id);
CREATE INDEX people_location ON people (location_id);
CREATE INDEX people_line_manager ON people (line_manager_id);
CREATE INDEX people_name ON people (name, id);

CREATE TABLE teams (
    id          {{id}},
    name        TEXT NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    location_id BIGINT NOT NULL REFERENCES locations(id),
    leader_id   BIGINT REFERENCES people(id),
    UNIQUE (unit_id, location_id, name)
);

-- Units and people refer to people and teams created after them.
ALTER TABLE units ADD COLUMN head_id BIGINT REFERENCES people(id);
ALTER TABLE people ADD COLUMN team_id BIGINT REFERENCES teams(id);
CREATE INDEX people_team ON people (team_id);
