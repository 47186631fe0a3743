-- The casework register: cases of every kind, their defendants or
-- requested persons with outcomes, and the imports that brought rows in.

-- An import is one audit entry; every row it wrote carries its id.
CREATE TABLE imports (
    id          {{id}},
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    rows_read   BIGINT NOT NULL,
    rows_added  BIGINT NOT NULL,
    rows_changed BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    actor_id    BIGINT REFERENCES people(id),
    actor       TEXT NOT NULL,
    started_at  {{timestamp}} NOT NULL,
    finished_at {{timestamp}} NOT NULL
);

CREATE TABLE cases (
    id                    {{id}},
    reference             TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL CHECK (kind IN ('organised_crime', 'extradition', 'international')),
    title                 TEXT NOT NULL DEFAULT '',
    unit_id               BIGINT NOT NULL REFERENCES units(id),
    location_id           BIGINT NOT NULL REFERENCES locations(id),
    status                TEXT NOT NULL,
    sensitivity           TEXT NOT NULL CHECK (sensitivity IN ('official', 'official_sensitive', 'restricted')),
    lawyer_id             BIGINT REFERENCES people(id),
    manager_id            BIGINT REFERENCES people(id),
    opened_on             DATE NOT NULL,
    agency                TEXT NOT NULL DEFAULT '',
    counsel               TEXT NOT NULL DEFAULT '',
    complexity            TEXT NOT NULL DEFAULT '',
    pre_charge_decision   TEXT NOT NULL DEFAULT '',
    pre_charge_decided_on DATE,
    court                 TEXT NOT NULL DEFAULT '',
    court_centre          TEXT NOT NULL DEFAULT '',
    direction             TEXT NOT NULL DEFAULT '',
    country               TEXT NOT NULL DEFAULT '',
    warrant_type          TEXT NOT NULL DEFAULT '',
    requesting_authority  TEXT NOT NULL DEFAULT '',
    request_type          TEXT NOT NULL DEFAULT '',
    sensitive_reason      TEXT NOT NULL DEFAULT '',
    import_id             BIGINT REFERENCES imports(id),
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            {{timestamp}} NOT NULL,
    updated_at            {{timestamp}} NOT NULL
);
CREATE INDEX cases_unit_status ON cases (unit_id, status, id);
CREATE INDEX cases_lawyer ON cases (lawyer_id, id);
CREATE INDEX cases_opened ON cases (unit_id, opened_on, id);

CREATE TABLE defendants (
    id                {{id}},
    case_id           BIGINT NOT NULL REFERENCES cases(id),
    ref               TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    custody_status    TEXT NOT NULL DEFAULT '',
    principal_offence TEXT NOT NULL DEFAULT '',
    court             TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT '',
    finalised_on      DATE,
    import_id         BIGINT REFERENCES imports(id),
    UNIQUE (case_id, ref)
);
CREATE INDEX defendants_finalised ON defendants (finalised_on, outcome);
