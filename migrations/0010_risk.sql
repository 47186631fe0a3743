-- The one risk register: risks of every category, unit and location, the
-- scale they are scored on, appetite, counter-measures, reviews,
-- acceptance and every rescoring.

-- Each version of the scale configuration, as JSON (internal/risk.Scale).
-- Scores keep the version they were made on; a new version is a new row.
CREATE TABLE risk_scales (
    version    BIGINT PRIMARY KEY,
    definition TEXT NOT NULL,
    created_by BIGINT REFERENCES people(id),
    created_at {{timestamp}} NOT NULL
);

-- The Head of Division's appetite per category.
CREATE TABLE risk_appetite (
    category  TEXT PRIMARY KEY CHECK (category IN ('strategic', 'operational', 'casework', 'project')),
    level     TEXT NOT NULL CHECK (level IN ('averse', 'minimal', 'cautious', 'open', 'eager')),
    max_score BIGINT NOT NULL CHECK (max_score BETWEEN 1 AND 25),
    set_by    BIGINT REFERENCES people(id),
    set_at    {{timestamp}} NOT NULL
);

CREATE TABLE risks (
    id                  {{id}},
    reference           TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    cause               TEXT NOT NULL DEFAULT '',
    event               TEXT NOT NULL DEFAULT '',
    consequence         TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL CHECK (category IN ('strategic', 'operational', 'casework', 'project')),
    unit_id             BIGINT NOT NULL REFERENCES units(id),
    location_id         BIGINT REFERENCES locations(id),
    owner_id            BIGINT NOT NULL REFERENCES people(id),
    themes              TEXT NOT NULL DEFAULT '',
    inherent_likelihood BIGINT NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact     BIGINT NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
    current_likelihood  BIGINT NOT NULL CHECK (current_likelihood BETWEEN 1 AND 5),
    current_impact      BIGINT NOT NULL CHECK (current_impact BETWEEN 1 AND 5),
    target_likelihood   BIGINT NOT NULL CHECK (target_likelihood BETWEEN 1 AND 5),
    target_impact       BIGINT NOT NULL CHECK (target_impact BETWEEN 1 AND 5),
    current_score       BIGINT NOT NULL,
    scale_version       BIGINT NOT NULL REFERENCES risk_scales(version),
    target_date         DATE,
    proximity           TEXT NOT NULL DEFAULT '',
    treatment           TEXT NOT NULL CHECK (treatment IN ('treat', 'tolerate', 'transfer', 'terminate')),
    status              TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'closed')),
    accepted_until      DATE,
    review_months       BIGINT NOT NULL,
    next_review         DATE NOT NULL,
    parent_id           BIGINT REFERENCES risks(id),
    project             TEXT NOT NULL DEFAULT '',
    escalated           BOOLEAN NOT NULL DEFAULT FALSE,
    closed_on           DATE,
    import_id           BIGINT REFERENCES imports(id),
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          {{timestamp}} NOT NULL,
    updated_at          {{timestamp}} NOT NULL,
    CHECK (status <> 'accepted' OR accepted_until IS NOT NULL),
    CHECK (target_likelihood * target_impact <= inherent_likelihood * inherent_impact)
);
CREATE INDEX risks_score ON risks (current_score, id);
CREATE INDEX risks_unit_score ON risks (unit_id, current_score, id);
CREATE INDEX risks_owner ON risks (owner_id, status);
CREATE INDEX risks_parent ON risks (parent_id);
CREATE INDEX risks_review ON risks (status, next_review);
CREATE INDEX risks_created ON risks (created_at);

-- Themes, one row each, so the register filters and trends by theme.
CREATE TABLE risk_themes (
    risk_id BIGINT NOT NULL REFERENCES risks(id),
    theme   TEXT NOT NULL,
    PRIMARY KEY (risk_id, theme)
);
CREATE INDEX risk_themes_theme ON risk_themes (theme, risk_id);

-- Related risks, each pair once with the smaller id first.
CREATE TABLE risk_links (
    risk_id    BIGINT NOT NULL REFERENCES risks(id),
    related_id BIGINT NOT NULL REFERENCES risks(id),
    PRIMARY KEY (risk_id, related_id),
    CHECK (risk_id < related_id)
);
CREATE INDEX risk_links_related ON risk_links (related_id);

CREATE TABLE risk_cases (
    risk_id BIGINT NOT NULL REFERENCES risks(id),
    case_id BIGINT NOT NULL REFERENCES cases(id),
    PRIMARY KEY (risk_id, case_id)
);
CREATE INDEX risk_cases_case ON risk_cases (case_id);

-- Every rescoring or change of status, never changed or deleted: trends
-- and the register "as at" a past date are read from here.
CREATE TABLE risk_scores (
    id                  {{id}},
    risk_id             BIGINT NOT NULL REFERENCES risks(id),
    at                  {{timestamp}} NOT NULL,
    inherent_likelihood BIGINT NOT NULL,
    inherent_impact     BIGINT NOT NULL,
    current_likelihood  BIGINT NOT NULL,
    current_impact      BIGINT NOT NULL,
    target_likelihood   BIGINT NOT NULL,
    target_impact       BIGINT NOT NULL,
    current_score       BIGINT NOT NULL,
    scale_version       BIGINT NOT NULL REFERENCES risk_scales(version),
    status              TEXT NOT NULL,
    by_id               BIGINT REFERENCES people(id),
    note                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_scores_risk_at ON risk_scores (risk_id, at, id);
CREATE INDEX risk_scores_at ON risk_scores (at);

CREATE TABLE risk_measures (
    id                  {{id}},
    risk_id             BIGINT NOT NULL REFERENCES risks(id),
    description         TEXT NOT NULL,
    owner_id            BIGINT NOT NULL REFERENCES people(id),
    due_on              DATE NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    expected_likelihood BIGINT NOT NULL DEFAULT 0,
    expected_impact     BIGINT NOT NULL DEFAULT 0,
    completed_on        DATE,
    created_at          {{timestamp}} NOT NULL,
    updated_at          {{timestamp}} NOT NULL
);
CREATE INDEX risk_measures_risk ON risk_measures (risk_id);
CREATE INDEX risk_measures_owner ON risk_measures (owner_id, status, due_on);

CREATE TABLE risk_reviews (
    id                 {{id}},
    risk_id            BIGINT NOT NULL REFERENCES risks(id),
    reviewer_id        BIGINT NOT NULL REFERENCES people(id),
    reviewed_at        {{timestamp}} NOT NULL,
    justification      TEXT NOT NULL,
    current_likelihood BIGINT NOT NULL,
    current_impact     BIGINT NOT NULL,
    next_review        DATE NOT NULL
);
CREATE INDEX risk_reviews_risk ON risk_reviews (risk_id, reviewed_at);

CREATE TABLE risk_acceptances (
    id            {{id}},
    risk_id       BIGINT NOT NULL REFERENCES risks(id),
    proposed_by   BIGINT NOT NULL REFERENCES people(id),
    proposed_at   {{timestamp}} NOT NULL,
    justification TEXT NOT NULL,
    approver_id   BIGINT NOT NULL REFERENCES people(id),
    expires_on    DATE NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'revoked', 'expired')),
    decided_at    {{timestamp}},
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_acceptances_risk ON risk_acceptances (risk_id, status);
CREATE INDEX risk_acceptances_approver ON risk_acceptances (approver_id, status);
