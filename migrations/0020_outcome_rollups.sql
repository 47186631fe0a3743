-- Finalised defendants counted by finalisation month, unit, location,
-- court, outcome and the case's sensitivity, kept in step with the records
-- by every write that changes them, so outcome figures for whole months
-- read a few hundred rows instead of every defendant. month is YYYYMM, or
-- 0 for an outcome with no finalisation date. caseboard report verify
-- recomputes every row from the records. On SQLite the rows live in the
-- primary key's own b-tree (WITHOUT ROWID), so a range of months is read
-- in one pass.
CREATE TABLE outcome_rollups (
    month       INTEGER NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    location_id BIGINT NOT NULL REFERENCES locations(id),
    court       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    defendants  BIGINT NOT NULL,
    PRIMARY KEY (month, unit_id, location_id, court, outcome, sensitivity)
){{if sqlite}} WITHOUT ROWID{{end}};

INSERT INTO outcome_rollups (month, unit_id, location_id, court, outcome, sensitivity, defendants)
SELECT
{{if sqlite}}
    COALESCE(CAST(substr(d.finalised_on, 1, 4) || substr(d.finalised_on, 6, 2) AS INTEGER), 0),
{{end}}
{{if postgres}}
    COALESCE(CAST(to_char(d.finalised_on, 'YYYYMM') AS INTEGER), 0),
{{end}}
    c.unit_id, c.location_id, d.court, d.outcome, c.sensitivity, COUNT(*)
FROM defendants d JOIN cases c ON c.id = d.case_id
WHERE d.outcome <> ''
GROUP BY 1, 2, 3, 4, 5, 6;
