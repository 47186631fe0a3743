package measure

import "caseboard/internal/casework"

// Timely directions (report Annex A: "timely Crown Court directions").
// A direction counts in the period its due date falls in. It was timely
// when complied with on or before that date; complied with later, or not
// at all by today, it was not. A direction due today or later and not yet
// complied with has not had its chance, so it is left out of the rate and
// counted as pending.

// DirectionState is how a direction due in a period stands.
type DirectionState string

const (
	DirectionOnTime      DirectionState = "on_time"
	DirectionLate        DirectionState = "late"
	DirectionOutstanding DirectionState = "outstanding" // past due, not complied with
	DirectionPending     DirectionState = "pending"     // not yet due
)

// DirectionCount is how many directions of a court are in a state.
type DirectionCount struct {
	Court casework.Court
	State DirectionState
	Count int
}

// DirectionFigures are the timeliness figures of a set of directions.
// TimelyRate is on time / (on time + late + outstanding), nil when none
// has fallen due.
type DirectionFigures struct {
	OnTime      int                          `json:"on_time"`
	Late        int                          `json:"late"`
	Outstanding int                          `json:"outstanding"`
	Pending     int                          `json:"pending"`
	TimelyRate  *float64                     `json:"timely_rate"`
	ByCourt     map[string]*DirectionFigures `json:"by_court,omitempty"`
}

// Directions computes the figures for all the counts and, separately, for
// the magistrates' courts and the Crown Court.
func Directions(counts []DirectionCount) *DirectionFigures {
	f := directionFigures(counts, "")
	f.ByCourt = map[string]*DirectionFigures{}
	for _, court := range []casework.Court{casework.MagistratesCourt, casework.CrownCourt} {
		f.ByCourt[string(court)] = directionFigures(counts, court)
	}
	return f
}

func directionFigures(counts []DirectionCount, court casework.Court) *DirectionFigures {
	f := &DirectionFigures{}
	for _, c := range counts {
		if court != "" && c.Court != court {
			continue
		}
		switch c.State {
		case DirectionOnTime:
			f.OnTime += c.Count
		case DirectionLate:
			f.Late += c.Count
		case DirectionOutstanding:
			f.Outstanding += c.Count
		case DirectionPending:
			f.Pending += c.Count
		}
	}
	f.TimelyRate = rate(f.OnTime, f.OnTime+f.Late+f.Outstanding)
	return f
}
