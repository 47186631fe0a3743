-- Email notices waiting to be sent. A notice is queued in the same
-- transaction as the change it tells of (a question allocated to someone),
-- so it is neither lost when the relay is down nor sent for a change that
-- was rolled back; a scheduled job sends it. The row stays as the record
-- of what was sent, when, or why not.

CREATE TABLE mail_outbox (
    id            {{id}},
    kind          TEXT NOT NULL,
    record_id     BIGINT NOT NULL,
    person_id     BIGINT NOT NULL REFERENCES people(id),
    queued_at     {{timestamp}} NOT NULL,
    claimed_until {{timestamp}},
    attempts      BIGINT NOT NULL DEFAULT 0,
    sent_at       {{timestamp}},
    outcome       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_waiting ON mail_outbox (queued_at, id) WHERE sent_at IS NULL AND outcome = '';
