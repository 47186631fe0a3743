-- The audit trail: append-only, hash-chained. Each entry's hash covers its
-- content and the previous entry's hash, so changing, deleting or reordering
-- an entry breaks the chain from that point on.

CREATE TABLE audit_entries (
    seq         {{key}},
    at_us       BIGINT NOT NULL, -- microseconds since 1970 UTC: hashed and compared as an integer
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    changes     TEXT NOT NULL,
    address     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_record ON audit_entries (record_type, record_id, seq);
CREATE INDEX audit_actor ON audit_entries (actor_id, seq);
CREATE INDEX audit_at ON audit_entries (at_us);

-- One row holding the chain's head: appending updates it, which on
-- PostgreSQL row-locks it, so concurrent writers append one at a time.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
