package casework

import (
	"time"

	"caseboard/internal/deadline"
)

// ExtraditionDue is the last day of the earliest of a requested person's
// extradition time limits whose step is still to be taken: a limit ending
// on a day or at a moment (s.6's 48 hours count by the day they end on),
// with the step not yet recorded. It is zero when no such limit remains.
// A limit whose day has passed still counts, as an expired custody time
// limit does: it is overdue, not done.
func ExtraditionDue(limits []deadline.Limit) deadline.Date {
	var due deadline.Date
	for _, l := range limits {
		if !l.Done.IsZero() || !l.DoneAt.IsZero() {
			continue
		}
		last := l.Due
		if !l.DueAt.IsZero() {
			// A period ending at midnight ends with the day before it.
			last = deadline.DateOf(l.DueAt.Add(-time.Nanosecond))
		}
		if last.IsZero() {
			continue
		}
		if due.IsZero() || last.Before(due) {
			due = last
		}
	}
	return due
}
