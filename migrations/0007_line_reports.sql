-- Everyone each person line-manages, directly or through others: the
-- closure of people.line_manager_id, rebuilt in the same transaction as
-- any change to it, so a request's principal reads its reports with an
-- index lookup instead of walking the line on every request.

CREATE TABLE line_reports (
    manager_id BIGINT NOT NULL REFERENCES people(id),
    person_id  BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (manager_id, person_id)
);

INSERT INTO line_reports (manager_id, person_id)
WITH RECURSIVE chain(manager_id, person_id) AS (
    SELECT line_manager_id, id FROM people WHERE line_manager_id IS NOT NULL
    UNION
    SELECT c.manager_id, p.id FROM people p JOIN chain c ON p.line_manager_id = c.person_id
)
SELECT manager_id, person_id FROM chain;
