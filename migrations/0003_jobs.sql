-- Scheduled jobs: one row per job and period that has run, so every
-- instance of caseboard agrees on what has been done.

CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    period      TEXT NOT NULL,
    started_at  {{timestamp}} NOT NULL,
    finished_at {{timestamp}},
    instance    TEXT NOT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, period)
);
