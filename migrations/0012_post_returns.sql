-- Overseas posts' monthly returns: what each post did in a month, in words
-- and counts, prepared at the post and validated (or sent back) by the
-- regional legal manager.

CREATE TABLE post_returns (
    id                    {{id}},
    location_id           BIGINT NOT NULL REFERENCES locations(id),
    month                 TEXT NOT NULL,
    narrative             TEXT NOT NULL DEFAULT '',
    casework_interactions BIGINT NOT NULL DEFAULT 0,
    training_delivered    BIGINT NOT NULL DEFAULT 0,
    capacity_building     BIGINT NOT NULL DEFAULT 0,
    status                TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'validated', 'sent_back')),
    prepared_by           BIGINT NOT NULL REFERENCES people(id),
    submitted_at          {{timestamp}},
    decided_by            BIGINT REFERENCES people(id),
    decided_at            {{timestamp}},
    sent_back_reason      TEXT NOT NULL DEFAULT '',
    version               BIGINT NOT NULL DEFAULT 1,
    UNIQUE (location_id, month)
);
CREATE INDEX post_returns_month ON post_returns (month, status);
