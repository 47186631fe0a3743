-- Charges of each defendant, with the dates their custody time limits are
-- computed from, and each case's next deadline for ordering the caseload.

CREATE TABLE charges (
    id                {{id}},
    defendant_id      BIGINT NOT NULL REFERENCES defendants(id),
    description       TEXT NOT NULL,
    principal_offence TEXT NOT NULL DEFAULT '',
    -- What the custody time limit is computed from (deadline.CTLInput as
    -- JSON), and what it came to, kept for ordering and filtering.
    ctl_input         TEXT NOT NULL DEFAULT '',
    ctl_expiry        DATE,
    ctl_running       BOOLEAN NOT NULL DEFAULT FALSE,
    import_id         BIGINT REFERENCES imports(id)
);
CREATE INDEX charges_defendant ON charges (defendant_id);
CREATE INDEX charges_running_expiry ON charges (ctl_running, ctl_expiry);

-- The earliest running custody time limit of the case; 9999-12-31 when
-- none runs, so the caseload can be paged by it with a plain keyset.
ALTER TABLE cases ADD COLUMN next_deadline DATE NOT NULL DEFAULT '9999-12-31';
CREATE INDEX cases_unit_deadline ON cases (unit_id, next_deadline, id);
