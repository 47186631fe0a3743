-- Themes and trends kept once computed. risk_trend_quarters lists each
-- financial quarter whose figures are kept (quarter is YYYYMM of its first
-- month; ends_at is the first instant after it). risk_trend_figures holds,
-- for each kept quarter and unit, the live risks at the quarter's end and
-- the sum of their current scores by theme, and under the theme '' the same
-- for every live risk with the risks raised and closed in the quarter. Every
-- write that changes a risk's history, themes, unit or closing date moves
-- that risk's part of every kept quarter in the same transaction, so the
-- figures never disagree with the records; caseboard report verify
-- recomputes them. Access is by unit, so readers sum the units they see.
CREATE TABLE risk_trend_quarters (
    quarter   INTEGER PRIMARY KEY,
    starts_at {{timestamp}} NOT NULL,
    ends_at   {{timestamp}} NOT NULL,
    kept_at   {{timestamp}} NOT NULL
);

CREATE TABLE risk_trend_figures (
    quarter   INTEGER NOT NULL REFERENCES risk_trend_quarters(quarter),
    unit_id   BIGINT NOT NULL REFERENCES units(id),
    theme     TEXT NOT NULL,
    live      BIGINT NOT NULL,
    score_sum BIGINT NOT NULL,
    raised    BIGINT NOT NULL,
    closed    BIGINT NOT NULL,
    PRIMARY KEY (quarter, unit_id, theme)
){{if sqlite}} WITHOUT ROWID{{end}};

-- Since when a live risk has been above its category's appetite without a
-- break (the start of its last run of scores above it), or NULL: the
-- "above appetite longest" list reads the oldest twenty from the index
-- instead of walking every such risk's history. Kept by every write to a
-- risk and by a change of appetite. (The first row by ORDER BY ... LIMIT 1,
-- not MIN: PostgreSQL answers MIN(at) by walking the index on at.)
ALTER TABLE risks ADD COLUMN above_appetite_since {{timestamp}};
UPDATE risks SET above_appetite_since = CASE
    WHEN status <> 'closed' AND current_score > COALESCE((SELECT a.max_score FROM risk_appetite a WHERE a.category = risks.category),
        CASE category WHEN 'casework' THEN 6 WHEN 'project' THEN 12 ELSE 9 END)
    THEN (SELECT s.at FROM risk_scores s WHERE s.risk_id = risks.id AND NOT EXISTS (
        SELECT 1 FROM risk_scores b WHERE b.risk_id = risks.id
          AND b.current_score <= COALESCE((SELECT a.max_score FROM risk_appetite a WHERE a.category = risks.category),
              CASE category WHEN 'casework' THEN 6 WHEN 'project' THEN 12 ELSE 9 END)
          AND (b.at > s.at OR (b.at = s.at AND b.id > s.id)))
        ORDER BY s.at, s.id LIMIT 1)
    END;
CREATE INDEX risks_above_appetite ON risks (above_appetite_since, id) WHERE above_appetite_since IS NOT NULL;
CREATE INDEX risks_unit_above_appetite ON risks (unit_id, above_appetite_since, id) WHERE above_appetite_since IS NOT NULL;

-- One person's risks in score order, so that the register filtered by
-- owner stops at the page's end instead of sorting all of them.
CREATE INDEX risks_owner_score ON risks (owner_id, current_score, id);

-- The heat map's counts: risks by unit, location (0 for none), category,
-- status and each rating's cell, kept in step by every write to a risk
-- (with the trends, just before it commits), so the heat map of the whole
-- register, or of a unit, location, category or status, sums a few
-- hundred rows instead of counting every risk. Other filters count risks.
CREATE TABLE risk_cell_counts (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    location_id BIGINT NOT NULL,
    category    TEXT NOT NULL,
    status      TEXT NOT NULL,
    rating      TEXT NOT NULL,
    likelihood  BIGINT NOT NULL,
    impact      BIGINT NOT NULL,
    risks       BIGINT NOT NULL,
    PRIMARY KEY (rating, unit_id, location_id, category, status, likelihood, impact)
){{if sqlite}} WITHOUT ROWID{{end}};

INSERT INTO risk_cell_counts (unit_id, location_id, category, status, rating, likelihood, impact, risks)
SELECT unit_id, COALESCE(location_id, 0), category, status, 'current', current_likelihood, current_impact, COUNT(*)
FROM risks GROUP BY unit_id, COALESCE(location_id, 0), category, status, current_likelihood, current_impact
UNION ALL
SELECT unit_id, COALESCE(location_id, 0), category, status, 'inherent', inherent_likelihood, inherent_impact, COUNT(*)
FROM risks GROUP BY unit_id, COALESCE(location_id, 0), category, status, inherent_likelihood, inherent_impact
UNION ALL
SELECT unit_id, COALESCE(location_id, 0), category, status, 'target', target_likelihood, target_impact, COUNT(*)
FROM risks GROUP BY unit_id, COALESCE(location_id, 0), category, status, target_likelihood, target_impact;
