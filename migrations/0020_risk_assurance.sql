-- Quarterly assurance of the risk register: a snapshot of the register as
-- it stood at a financial quarter's end, each unit head's sign-off of
-- their unit's part, and the Head of Division's certificate of assurance.
-- Nothing here is ever updated or deleted: a snapshot, a sign-off and a
-- certificate are each written once.

CREATE TABLE risk_snapshots (
    id       {{id}},
    quarter  TEXT NOT NULL UNIQUE, -- "2018-19-Q2"
    as_at    DATE NOT NULL,        -- the quarter's last day
    taken_by BIGINT NOT NULL REFERENCES people(id),
    taken_at {{timestamp}} NOT NULL
);

-- Each risk as it stood at the quarter's end, frozen as JSON
-- (internal/risk.Risk), with what the snapshot is read by.
CREATE TABLE risk_snapshot_risks (
    snapshot_id   BIGINT NOT NULL REFERENCES risk_snapshots(id),
    risk_id       BIGINT NOT NULL REFERENCES risks(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    current_score BIGINT NOT NULL,
    data          TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, risk_id)
);
CREATE INDEX risk_snapshot_risks_unit ON risk_snapshot_risks (snapshot_id, unit_id, current_score);

-- The units a snapshot needs signed off (every unit at the time it was
-- taken), and each unit head's sign-off with their comments.
CREATE TABLE risk_snapshot_units (
    snapshot_id BIGINT NOT NULL REFERENCES risk_snapshots(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    risks       BIGINT NOT NULL,
    PRIMARY KEY (snapshot_id, unit_id)
);

CREATE TABLE risk_signoffs (
    snapshot_id BIGINT NOT NULL REFERENCES risk_snapshots(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    signed_by   BIGINT NOT NULL REFERENCES people(id),
    signed_at   {{timestamp}} NOT NULL,
    comments    TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, unit_id)
);

-- The divisional certificate of assurance, once every unit has signed off.
CREATE TABLE risk_certificates (
    snapshot_id BIGINT PRIMARY KEY REFERENCES risk_snapshots(id),
    issued_by   BIGINT NOT NULL REFERENCES people(id),
    issued_at   {{timestamp}} NOT NULL,
    statement   TEXT NOT NULL
);
