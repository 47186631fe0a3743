-- Business continuity plans of units and locations, their critical
-- activities with recovery time objectives, and their exercises.

CREATE TABLE continuity_plans (
    id          {{id}},
    title       TEXT NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    location_id BIGINT REFERENCES locations(id),
    owner_id    BIGINT NOT NULL REFERENCES people(id),
    contacts    TEXT NOT NULL,
    reviewed_on DATE NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE continuity_activities (
    plan_id   BIGINT NOT NULL REFERENCES continuity_plans(id),
    position  BIGINT NOT NULL,
    name      TEXT NOT NULL,
    rto_hours BIGINT NOT NULL CHECK (rto_hours > 0),
    PRIMARY KEY (plan_id, position)
);

CREATE TABLE continuity_exercises (
    id           {{id}},
    plan_id      BIGINT NOT NULL REFERENCES continuity_plans(id),
    held_on      DATE NOT NULL,
    scenario     TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    findings     TEXT NOT NULL,
    actions      TEXT NOT NULL DEFAULT '',
    recorded_by  BIGINT NOT NULL REFERENCES people(id),
    recorded_at  {{timestamp}} NOT NULL
);
CREATE INDEX continuity_exercises_plan ON continuity_exercises (plan_id, held_on);
