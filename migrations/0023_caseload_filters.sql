-- A lawyer's caseload, and a unit's cases at one stage, soonest next
-- deadline first. With only (lawyer_id, id) and (unit_id, status, id) the
-- database sorted all of a lawyer's, or all of a stage's, cases on every
-- page; at a million cases that was thousands of rows a request.
CREATE INDEX cases_lawyer_deadline ON cases (lawyer_id, next_deadline, id);
CREATE INDEX cases_unit_status_deadline ON cases (unit_id, status, next_deadline, id);
