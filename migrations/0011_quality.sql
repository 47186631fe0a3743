-- Individual quality assessments: each of a person's work on a case, by an
-- assessor, against one version of a template (the templates are in the
-- quality package); their marks; earlier versions kept when an assessment
-- changes; the IQA schedule's rules; and the dip samples drawn for blind
-- re-marking.

CREATE TABLE assessments (
    id               {{id}},
    kind             TEXT NOT NULL CHECK (kind IN ('iqa', 'remark')),
    remark_of        BIGINT REFERENCES assessments(id),
    assessed_id      BIGINT NOT NULL REFERENCES people(id),
    assessor_id      BIGINT NOT NULL REFERENCES people(id),
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    activity         TEXT NOT NULL CHECK (activity IN ('legal_casework', 'legal_advocacy', 'paralegal_casework')),
    template_version BIGINT NOT NULL,
    assessed_on      DATE NOT NULL,
    feedback         TEXT NOT NULL DEFAULT '',
    acknowledged_at  {{timestamp}},
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       {{timestamp}} NOT NULL,
    updated_at       {{timestamp}} NOT NULL,
    CHECK (assessed_id <> assessor_id),
    CHECK ((kind = 'remark') = (remark_of IS NOT NULL))
);
CREATE INDEX assessments_assessed ON assessments (assessed_id, assessed_on);
CREATE INDEX assessments_assessor ON assessments (assessor_id, assessed_on);
CREATE INDEX assessments_unit ON assessments (unit_id, assessed_on);
CREATE INDEX assessments_remark_of ON assessments (remark_of);

CREATE TABLE assessment_marks (
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    question      TEXT NOT NULL,
    answer        TEXT NOT NULL CHECK (answer IN ('fully_meets', 'partially_meets', 'not_met', 'not_applicable')),
    comment       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assessment_id, question)
);

-- An assessment's earlier versions: its marks as JSON, and why it changed.
CREATE TABLE assessment_revisions (
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    version       BIGINT NOT NULL,
    marks         TEXT NOT NULL,
    feedback      TEXT NOT NULL,
    acknowledged_at {{timestamp}},
    reason        TEXT NOT NULL,
    revised_by    BIGINT NOT NULL REFERENCES people(id),
    revised_at    {{timestamp}} NOT NULL,
    PRIMARY KEY (assessment_id, version)
);

CREATE TABLE quality_schedule_rules (
    id            {{id}},
    activity      TEXT NOT NULL UNIQUE,
    profession    TEXT NOT NULL,
    period_months BIGINT NOT NULL CHECK (period_months IN (1, 3, 6, 12)),
    required      BIGINT NOT NULL CHECK (required BETWEEN 1 AND 12)
);
INSERT INTO quality_schedule_rules (activity, profession, period_months, required) VALUES
    ('legal_casework', 'legal', 3, 1),
    ('legal_advocacy', 'legal', 3, 1),
    ('paralegal_casework', 'paralegal', 1, 1);

-- A dip sample of a unit's IQAs drawn at random for blind re-marking: the
-- seed and the period are kept so the draw can be repeated and checked.
CREATE TABLE dip_samples (
    id          {{id}},
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    period_from DATE NOT NULL,
    period_to   DATE NOT NULL,
    seed        BIGINT NOT NULL,
    size        BIGINT NOT NULL,
    remarker_id BIGINT NOT NULL REFERENCES people(id),
    drawn_by    BIGINT NOT NULL REFERENCES people(id),
    drawn_at    {{timestamp}} NOT NULL
);

CREATE TABLE dip_sample_items (
    sample_id     BIGINT NOT NULL REFERENCES dip_samples(id),
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    remark_id     BIGINT REFERENCES assessments(id),
    PRIMARY KEY (sample_id, assessment_id)
);
CREATE INDEX dip_sample_items_assessment ON dip_sample_items (assessment_id);

-- A random sample of cases drawn for a manager's compliance dip check:
-- the seed and the scope are kept so the draw can be repeated and checked.
CREATE TABLE case_samples (
    id         {{id}},
    scope      TEXT NOT NULL,
    seed       BIGINT NOT NULL,
    size       BIGINT NOT NULL,
    drawn_by   BIGINT NOT NULL REFERENCES people(id),
    drawn_at   {{timestamp}} NOT NULL
);

CREATE TABLE case_sample_items (
    sample_id BIGINT NOT NULL REFERENCES case_samples(id),
    case_id   BIGINT NOT NULL REFERENCES cases(id),
    PRIMARY KEY (sample_id, case_id)
);
