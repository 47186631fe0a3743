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

-- An import checks each reference against the register whatever its case.
CREATE INDEX risks_reference_upper ON risks (UPPER(reference));

-- The register at 100,000 risks and 1,000,000 score-history rows.
--
-- Each score-history row records when the next row of its risk superseded
-- it: set once, in the transaction that writes the next row, and never
-- again. The register "as at" a date is then a range read (the rows in
-- force at the end of that day) instead of a search for each risk's last
-- row, and it can be read in score order from an index.
ALTER TABLE risk_scores ADD COLUMN superseded_at {{timestamp}};
UPDATE risk_scores SET superseded_at = (
    SELECT MIN(s2.at) FROM risk_scores s2
    WHERE s2.risk_id = risk_scores.risk_id
      AND (s2.at > risk_scores.at OR (s2.at = risk_scores.at AND s2.id > risk_scores.id)));
CREATE INDEX risk_scores_score ON risk_scores (current_score, risk_id, at, superseded_at, status);

-- One cell of the heat map in score order, and the heat map's counts (of
-- the division, or of a unit) read from an index alone.
CREATE INDEX risks_cell ON risks (current_likelihood, current_impact, current_score, id, status);
CREATE INDEX risks_unit_cell ON risks (unit_id, current_likelihood, current_impact, status);
