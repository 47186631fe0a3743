-- Inspections, their frameworks and findings, the organisation's
-- responses, the action plans that answer them, and the evidence checks'
-- results. docs/plans.md describes the model.

CREATE TABLE frameworks (
    id          {{id}},
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    created_at  {{timestamp}} NOT NULL
);

-- A criterion's id is its path within the framework (A, A1, A1.1); parent
-- is '' for a part. position keeps the order of the file.
CREATE TABLE framework_criteria (
    framework_id BIGINT NOT NULL REFERENCES frameworks(id),
    criterion    TEXT NOT NULL,
    parent       TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (framework_id, criterion)
);

CREATE TABLE inspections (
    id             {{id}},
    body           TEXT NOT NULL,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT '',
    reference      TEXT NOT NULL DEFAULT '',
    organisation   TEXT NOT NULL,
    published_on   DATE NOT NULL,
    fieldwork_from DATE,
    fieldwork_to   DATE,
    framework_id   BIGINT REFERENCES frameworks(id),
    summary        TEXT NOT NULL DEFAULT '',
    created_at     {{timestamp}} NOT NULL,
    updated_at     {{timestamp}} NOT NULL
);
CREATE INDEX inspections_published ON inspections (published_on, id);

-- Recommendations, aspects for improvement and good practice. Good
-- practice has no status, owner or response.
CREATE TABLE findings (
    id             {{id}},
    inspection_id  BIGINT NOT NULL REFERENCES inspections(id),
    kind           TEXT NOT NULL CHECK (kind IN ('recommendation', 'aspect_for_improvement', 'good_practice')),
    number         INTEGER NOT NULL,
    text           TEXT NOT NULL,
    paragraph      TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'open', 'closed_implemented', 'closed_not_implemented')),
    owner_id       BIGINT REFERENCES people(id),
    response       TEXT NOT NULL DEFAULT '' CHECK (response IN ('', 'accepted', 'partially_accepted', 'not_accepted')),
    response_text  TEXT NOT NULL DEFAULT '',
    response_on    DATE,
    closed_on      DATE,
    closed_by      BIGINT REFERENCES people(id),
    closure_note   TEXT NOT NULL DEFAULT '',
    created_at     {{timestamp}} NOT NULL,
    updated_at     {{timestamp}} NOT NULL,
    UNIQUE (inspection_id, kind, number)
);
CREATE INDEX findings_status ON findings (status, inspection_id);

CREATE TABLE finding_criteria (
    finding_id BIGINT NOT NULL REFERENCES findings(id),
    criterion  TEXT NOT NULL,
    PRIMARY KEY (finding_id, criterion)
);

-- due_on is the current target date; original_due_on the first, kept, so
-- a slipped date is always visible.
CREATE TABLE plan_actions (
    id              {{id}},
    finding_id      BIGINT NOT NULL REFERENCES findings(id),
    title           TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    owner_id        BIGINT NOT NULL REFERENCES people(id),
    due_on          DATE NOT NULL,
    original_due_on DATE NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk', 'late', 'done')),
    closed_on       DATE,
    closed_by       BIGINT REFERENCES people(id),
    closure_note    TEXT NOT NULL DEFAULT '',
    created_at      {{timestamp}} NOT NULL,
    updated_at      {{timestamp}} NOT NULL
);
CREATE INDEX plan_actions_finding ON plan_actions (finding_id, due_on, id);
CREATE INDEX plan_actions_open_due ON plan_actions (status, due_on, id);
CREATE INDEX plan_actions_owner ON plan_actions (owner_id, status);

CREATE TABLE plan_milestones (
    id        {{id}},
    action_id BIGINT NOT NULL REFERENCES plan_actions(id),
    title     TEXT NOT NULL,
    due_on    DATE NOT NULL,
    done_on   DATE
);
CREATE INDEX plan_milestones_action ON plan_milestones (action_id, due_on);

-- Every change of an action's target date, with its reason and approver;
-- never changed or deleted.
CREATE TABLE plan_target_changes (
    id          {{id}},
    action_id   BIGINT NOT NULL REFERENCES plan_actions(id),
    from_on     DATE NOT NULL,
    to_on       DATE NOT NULL,
    reason      TEXT NOT NULL,
    approved_by BIGINT NOT NULL REFERENCES people(id),
    recorded_by BIGINT REFERENCES people(id),
    recorded_at {{timestamp}} NOT NULL
);
CREATE INDEX plan_target_changes_action ON plan_target_changes (action_id, recorded_at);

CREATE TABLE plan_updates (
    id         {{id}},
    action_id  BIGINT NOT NULL REFERENCES plan_actions(id),
    status     TEXT NOT NULL,
    commentary TEXT NOT NULL,
    author_id  BIGINT REFERENCES people(id),
    author     TEXT NOT NULL,
    at         {{timestamp}} NOT NULL
);
CREATE INDEX plan_updates_action ON plan_updates (action_id, at);

-- What an action cites as evidence, by kind and reference: a document, a
-- case, a measure, an evidence check (and risks and articles later).
CREATE TABLE plan_evidence (
    id         {{id}},
    action_id  BIGINT NOT NULL REFERENCES plan_actions(id),
    kind       TEXT NOT NULL,
    ref        TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    added_by   BIGINT REFERENCES people(id),
    added_at   {{timestamp}} NOT NULL,
    UNIQUE (action_id, kind, ref)
);
CREATE INDEX plan_evidence_ref ON plan_evidence (kind, ref);

-- Each evaluation of each evidence check, kept as its history.
CREATE TABLE evidence_check_runs (
    id           {{id}},
    check_code   TEXT NOT NULL,
    evaluated_at {{timestamp}} NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'could_not_evaluate')),
    detail       TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_check_runs_code ON evidence_check_runs (check_code, evaluated_at);

-- A self-assessment of the division against a framework: per criterion, a
-- rating and commentary.
CREATE TABLE self_assessments (
    framework_id BIGINT NOT NULL REFERENCES frameworks(id),
    criterion    TEXT NOT NULL,
    rating       TEXT NOT NULL CHECK (rating IN ('strong', 'sound', 'needs_improvement', 'weak', 'not_assessed')),
    commentary   TEXT NOT NULL DEFAULT '',
    assessed_by  BIGINT REFERENCES people(id),
    assessed_at  {{timestamp}} NOT NULL,
    PRIMARY KEY (framework_id, criterion)
);
