-- The dates an extradition case's time limits are computed from, per
-- requested person (deadline.ExtraditionInput as JSON), and the last day
-- of the earliest limit whose step is still to be taken, kept for the
-- case's next deadline and the work lists; NULL when none is open.

ALTER TABLE defendants ADD COLUMN extradition_input TEXT NOT NULL DEFAULT '';
ALTER TABLE defendants ADD COLUMN extradition_due DATE;
CREATE INDEX defendants_extradition_due ON defendants (extradition_due);
