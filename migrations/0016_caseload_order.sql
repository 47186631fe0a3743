-- The caseload across every unit, in its two orders: soonest next
-- deadline first and newest first. Without these a division-wide list
-- sorted every case on each request.
CREATE INDEX cases_deadline ON cases (next_deadline, id);
CREATE INDEX cases_opened_all ON cases (opened_on, id);
