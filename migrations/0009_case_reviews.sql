-- Case management panels, disclosure gateway reviews, handovers, adverse
-- outcome reports and de-briefs, with the actions each agreed.

CREATE TABLE case_reviews (
    id                {{id}},
    case_id           BIGINT NOT NULL REFERENCES cases(id),
    kind              TEXT NOT NULL,
    held_on           DATE NOT NULL,
    members           TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL,
    learning          TEXT NOT NULL DEFAULT '',
    from_lawyer_id    BIGINT REFERENCES people(id),
    to_lawyer_id      BIGINT REFERENCES people(id),
    share_with_agency BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by       BIGINT NOT NULL REFERENCES people(id),
    recorded_at       {{timestamp}} NOT NULL
);
CREATE INDEX case_reviews_case ON case_reviews (case_id, held_on);
CREATE INDEX case_reviews_kind ON case_reviews (kind, held_on);

CREATE TABLE review_actions (
    id          {{id}},
    review_id   BIGINT NOT NULL REFERENCES case_reviews(id),
    description TEXT NOT NULL,
    owner_id    BIGINT REFERENCES people(id),
    due_on      DATE NOT NULL,
    done_on     DATE
);
CREATE INDEX review_actions_review ON review_actions (review_id);
CREATE INDEX review_actions_open ON review_actions (owner_id, due_on) WHERE done_on IS NULL;
