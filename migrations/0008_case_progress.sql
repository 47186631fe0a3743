-- Case progression: hearings, the court's directions with when each was
-- due and done (so timely directions are counted from the records), and
-- the key documents every case keeps current.

CREATE TABLE hearings (
    id       {{id}},
    case_id  BIGINT NOT NULL REFERENCES cases(id),
    kind     TEXT NOT NULL,
    court    TEXT NOT NULL CHECK (court IN ('MC', 'CC')),
    centre   TEXT NOT NULL DEFAULT '',
    held_on  DATE NOT NULL,
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hearings_case ON hearings (case_id, held_on);

CREATE TABLE directions (
    id           {{id}},
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    hearing_id   BIGINT REFERENCES hearings(id),
    court        TEXT NOT NULL CHECK (court IN ('MC', 'CC')),
    description  TEXT NOT NULL,
    due_on       DATE NOT NULL,
    completed_on DATE
);
CREATE INDEX directions_case ON directions (case_id);
-- Work lists read the open ones by due date; the timely-directions
-- measure reads them by court and due date.
CREATE INDEX directions_open ON directions (due_on) WHERE completed_on IS NULL;
CREATE INDEX directions_court_due ON directions (court, due_on);

-- One row per case and kind of document once anything is recorded about
-- it; review_due is computed from updated_on and the kind's interval.
CREATE TABLE case_documents (
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    kind       TEXT NOT NULL,
    updated_on DATE,
    review_due DATE,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, kind)
);
CREATE INDEX case_documents_review ON case_documents (review_due) WHERE review_due IS NOT NULL;
