package measure

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// UnitReturn is a unit's monthly return of its staffing, absence and
// advocacy: until the people and finance records hold these, the unit
// states them once a month and the measures are computed from the
// returns. A unit has one return a month; a correction is a new version
// that replaces it, and every version keeps who entered it and when.
type UnitReturn struct {
	ID       int64      `json:"id"`
	UnitID   int64      `json:"unit_id"`
	UnitCode string     `json:"unit"`
	Month    string     `json:"month"` // YYYY-MM
	FTE      []GradeFTE `json:"fte"`   // full-time equivalents by grade
	// WorkingDaysLost is the working days lost to sickness absence in the
	// month, in half days.
	WorkingDaysLost float64 `json:"working_days_lost"`
	// Advocacy sessions (half days in court) covered by the unit's own
	// advocates and by counsel instructed from outside.
	SessionsInHouse int `json:"advocacy_sessions_in_house"`
	SessionsCounsel int `json:"advocacy_sessions_counsel"`
	// Crown advocates' hours in court, and the hours they had for advocacy.
	CrownAdvocateHours     int `json:"crown_advocate_hours"`
	CrownAdvocateAvailable int `json:"crown_advocate_hours_available"`

	Version       int64     `json:"version"`
	EnteredBy     int64     `json:"entered_by"`
	EnteredByName string    `json:"entered_by_name,omitempty"`
	EnteredAt     time.Time `json:"entered_at"`
}

// GradeFTE is a grade's full-time equivalents in a unit's month.
type GradeFTE struct {
	Grade org.Grade `json:"grade"`
	FTE   float64   `json:"fte"`
}

// TotalFTE is the return's full-time equivalents, all grades.
func (r UnitReturn) TotalFTE() float64 {
	total := 0.0
	for _, g := range r.FTE {
		total += g.FTE
	}
	return total
}

// Limits of a return's figures: well beyond any unit's month, so a typing
// slip is caught rather than counted.
const (
	maxFTE      = 1000
	maxSessions = 10000
	maxHours    = 100000
)

// Validate checks a return; thisMonth bounds the month, since a return is
// of a month that has begun. Each problem is named by the field it is in
// (fte.<grade> for a grade's FTE).
func (r *UnitReturn) Validate(thisMonth string) error {
	var v fault.Validation
	r.UnitCode = strings.TrimSpace(r.UnitCode)
	if r.UnitID == 0 && r.UnitCode == "" {
		v.Add("unit", "Choose the unit the return is for")
	}
	r.Month = strings.TrimSpace(r.Month)
	month, err := time.Parse("2006-01", r.Month)
	switch {
	case err != nil || len(r.Month) != len("2006-01"):
		v.Add("month", "Enter the month as YYYY-MM, for example 2018-06")
	case month.Year() < earliestYear || r.Month > thisMonth:
		v.Add("month", fmt.Sprintf("Enter a month from %d up to this month", earliestYear))
	}
	seen := map[org.Grade]bool{}
	var kept []GradeFTE
	for _, g := range r.FTE {
		field := "fte." + string(g.Grade)
		switch {
		case !g.Grade.Valid():
			v.Add(field, fmt.Sprintf("%q is not one of the division's grades", g.Grade))
		case seen[g.Grade]:
			v.Add(field, "Give each grade's FTE once")
		case math.IsNaN(g.FTE) || g.FTE < 0 || g.FTE > maxFTE:
			v.Add(field, fmt.Sprintf("Enter the FTE as a number from 0 to %d, for example 4.6", maxFTE))
		case g.FTE > 0:
			kept = append(kept, GradeFTE{Grade: g.Grade, FTE: math.Round(g.FTE*100) / 100})
		}
		seen[g.Grade] = true
	}
	r.FTE = sortedByGrade(kept)
	if math.IsNaN(r.WorkingDaysLost) || r.WorkingDaysLost < 0 || r.WorkingDaysLost > maxFTE*31 {
		v.Add("working_days_lost", "Enter the working days lost as a number of days, 0 or more, for example 3.5")
	} else if r.WorkingDaysLost*2 != math.Trunc(r.WorkingDaysLost*2) {
		v.Add("working_days_lost", "Enter the working days lost in whole or half days, for example 3.5")
	}
	for field, n := range map[string]int{"advocacy_sessions_in_house": r.SessionsInHouse, "advocacy_sessions_counsel": r.SessionsCounsel} {
		if n < 0 || n > maxSessions {
			v.Add(field, fmt.Sprintf("Enter a number of sessions from 0 to %d", maxSessions))
		}
	}
	for field, n := range map[string]int{"crown_advocate_hours": r.CrownAdvocateHours, "crown_advocate_hours_available": r.CrownAdvocateAvailable} {
		if n < 0 || n > maxHours {
			v.Add(field, fmt.Sprintf("Enter a whole number of hours from 0 to %d", maxHours))
		}
	}
	if r.CrownAdvocateHours > r.CrownAdvocateAvailable && r.CrownAdvocateHours <= maxHours && r.CrownAdvocateAvailable >= 0 {
		v.Add("crown_advocate_hours", "Crown advocates' hours in court cannot be more than the hours they had for advocacy")
	}
	return v.Err("The monthly return could not be saved")
}

// sortedByGrade orders FTE lines as the grades are listed, most senior first.
func sortedByGrade(lines []GradeFTE) []GradeFTE {
	rank := func(g org.Grade) int {
		return slices.IndexFunc(org.Grades, func(gi org.GradeInfo) bool { return gi.Code == g })
	}
	slices.SortFunc(lines, func(a, b GradeFTE) int { return rank(a.Grade) - rank(b.Grade) })
	return lines
}
