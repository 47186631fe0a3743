-- The Board reads every action not yet done, in order of target date, with
-- its finding and its dates. A partial index of just those columns of just
-- those actions answers it from the index alone: most of a division's
-- actions are done, and they never enter it.
CREATE INDEX plan_actions_open ON plan_actions (due_on, id, finding_id, status, original_due_on) WHERE status <> 'done';
