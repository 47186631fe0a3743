-- Units' monthly returns of staffing, absence and advocacy, from which the
-- performance measures on them are computed. A unit has one current return
-- a month; a correction supersedes it with a new version, and every
-- version keeps who entered it and when.

CREATE TABLE unit_returns (
    id                       {{id}},
    unit_id                  BIGINT NOT NULL REFERENCES units(id),
    month                    TEXT NOT NULL,
    version                  BIGINT NOT NULL,
    working_days_lost        DOUBLE PRECISION NOT NULL DEFAULT 0,
    sessions_in_house        BIGINT NOT NULL DEFAULT 0,
    sessions_counsel         BIGINT NOT NULL DEFAULT 0,
    crown_advocate_hours     BIGINT NOT NULL DEFAULT 0,
    crown_advocate_available BIGINT NOT NULL DEFAULT 0,
    entered_by               BIGINT NOT NULL REFERENCES people(id),
    entered_at               {{timestamp}} NOT NULL,
    superseded_at            {{timestamp}},
    UNIQUE (unit_id, month, version)
);
CREATE UNIQUE INDEX unit_returns_current ON unit_returns (unit_id, month) WHERE superseded_at IS NULL;
CREATE INDEX unit_returns_month ON unit_returns (month);

CREATE TABLE unit_return_fte (
    return_id BIGINT NOT NULL REFERENCES unit_returns(id),
    grade     TEXT NOT NULL,
    fte       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (return_id, grade)
);
