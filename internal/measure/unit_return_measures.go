package measure

import (
	"math"
	"sort"

	"caseboard/internal/org"
)

// The measures on units' monthly returns: staffing FTE, working days lost,
// in-house advocacy and crown advocate utilisation. Each counts the
// current version of each return for the months of the period.

// staffingFTE is the unit's full-time equivalents: for each unit, the
// average of its returns' FTE over the months it returned in the period,
// added up over the units; by grade likewise.
var staffingFTE = Measure{
	Code: "staffing_fte", Name: "Staffing (FTE)",
	Definition: "Full-time equivalents by grade from the units' monthly returns: each unit's average over the months of the period it made a return for, added up over the units.",
	Polarity:   Neutral, Format: DecimalFormat, Records: RecordFilter{Source: UnitReturns},
	compute: func(c Counts) Value {
		if len(c.UnitReturns) == 0 {
			return Value{}
		}
		months := map[string]int{} // returns per unit
		for _, r := range c.UnitReturns {
			months[r.UnitCode]++
		}
		byGrade := map[org.Grade]float64{}
		total := 0.0
		for _, r := range c.UnitReturns {
			for _, g := range r.FTE {
				share := g.FTE / float64(months[r.UnitCode])
				byGrade[g.Grade] += share
				total += share
			}
		}
		total = round2(total)
		v := Value{Value: &total}
		for grade, fte := range byGrade {
			amount := round2(fte)
			v.Breakdown = append(v.Breakdown, Part{Label: grade.Label(), Count: int(math.Round(amount)), Amount: &amount})
		}
		sort.Slice(v.Breakdown, func(i, j int) bool { return v.Breakdown[i].Label < v.Breakdown[j].Label })
		return v
	},
}

// workingDaysLost is sickness absence per FTE a year: days lost over the
// FTE-months the returns cover, times twelve, so months, quarters and
// years read on one scale.
var workingDaysLost = Measure{
	Code: "working_days_lost", Name: "Working days lost per FTE",
	Definition: "Working days lost to sickness absence per full-time equivalent, at an annual rate: the days lost in the period's monthly returns over the FTE those returns report, month by month, times twelve.",
	Polarity:   LowerIsBetter, Format: DecimalFormat, Target: &Target{Value: 7.5, Tolerance: 1},
	Records: RecordFilter{Source: UnitReturns},
	compute: func(c Counts) Value {
		days, fteMonths := 0.0, 0.0
		for _, r := range c.UnitReturns {
			days += r.WorkingDaysLost
			fteMonths += r.TotalFTE()
		}
		if fteMonths == 0 {
			return Value{}
		}
		v := round2(12 * days / fteMonths)
		return Value{Value: &v}
	},
}

// inHouseAdvocacy is the share of advocacy sessions the unit's own
// advocates covered.
var inHouseAdvocacy = Measure{
	Code: "in_house_advocacy", Name: "In-house advocacy",
	Definition: "Of the advocacy sessions in the period's monthly returns, the share covered by the division's own advocates rather than counsel instructed from outside.",
	Polarity:   HigherIsBetter, Format: RateFormat, Records: RecordFilter{Source: UnitReturns},
	compute: func(c Counts) Value {
		inHouse, all := 0, 0
		for _, r := range c.UnitReturns {
			inHouse += r.SessionsInHouse
			all += r.SessionsInHouse + r.SessionsCounsel
		}
		return ratio(inHouse, all)
	},
}

// crownAdvocateUtilisation is crown advocates' hours in court over the
// hours they had for advocacy.
var crownAdvocateUtilisation = Measure{
	Code: "crown_advocate_utilisation", Name: "Crown advocate utilisation",
	Definition: "Crown advocates' hours in court as a share of the hours they had for advocacy, from the period's monthly returns; the numerator is the hours in court.",
	Polarity:   HigherIsBetter, Format: RateFormat, Records: RecordFilter{Source: UnitReturns},
	compute: func(c Counts) Value {
		hours, available := 0, 0
		for _, r := range c.UnitReturns {
			hours += r.CrownAdvocateHours
			available += r.CrownAdvocateAvailable
		}
		return ratio(hours, available)
	},
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
