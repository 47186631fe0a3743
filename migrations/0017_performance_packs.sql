-- The Board's quarterly performance review packs and the units' posters.
-- Commentary is entered per measure while a quarter's pack is a draft;
-- issuing a pack keeps what it printed (its figures and commentary as
-- JSON, and the PDF itself), so later changes to the records never alter
-- it. The narrative is the unit head's words on the unit's poster.

CREATE TABLE performance_pack_commentary (
    quarter    TEXT NOT NULL,
    measure    TEXT NOT NULL,
    commentary TEXT NOT NULL,
    by_id      BIGINT REFERENCES people(id),
    by_name    TEXT NOT NULL,
    written_at {{timestamp}} NOT NULL,
    PRIMARY KEY (quarter, measure)
);

CREATE TABLE performance_packs (
    quarter        TEXT PRIMARY KEY,
    issued_at      {{timestamp}} NOT NULL,
    issued_by_id   BIGINT REFERENCES people(id),
    issued_by_name TEXT NOT NULL,
    snapshot       TEXT NOT NULL,
    pdf            {{blob}} NOT NULL
);

CREATE TABLE performance_posters (
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    quarter    TEXT NOT NULL,
    narrative  TEXT NOT NULL,
    by_id      BIGINT REFERENCES people(id),
    by_name    TEXT NOT NULL,
    written_at {{timestamp}} NOT NULL,
    PRIMARY KEY (unit_id, quarter)
);
