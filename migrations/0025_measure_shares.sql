-- Joint measures: a measure of the catalogue shared with a partner
-- organisation, which then sees that measure (and only the measures shared
-- with it) on its Performance page and through the API. Unsharing deletes
-- the row; who shared and unshared, and when, is in the audit trail.

CREATE TABLE measure_shares (
    measure        TEXT NOT NULL,
    partner_id     BIGINT NOT NULL REFERENCES partners(id),
    shared_by_id   BIGINT REFERENCES people(id),
    shared_by_name TEXT NOT NULL,
    shared_at      {{timestamp}} NOT NULL,
    PRIMARY KEY (measure, partner_id)
);
CREATE INDEX measure_shares_partner ON measure_shares (partner_id, measure);
