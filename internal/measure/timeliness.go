package measure

import (
	"slices"

	"caseboard/internal/casework"
)

// The timeliness measures: how long a case takes from charge to
// finalisation, and how long the specialists take to answer a request
// for help.

// chargeToFinalisation is the median days from the charging decision to
// a defendant's finalisation in one court.
func chargeToFinalisation(court casework.Court) Measure {
	return Measure{
		Code: "charge_to_finalisation_" + lower(court), Name: "Days from charge to finalisation (" + courtName(court) + ")",
		Definition: "For defendants finalised in the " + courtName(court) + " in the period, the median number of days from the case's charging decision " +
			"(its pre-charge decision to charge) to the defendant's finalisation; defendants of cases with no charging decision recorded are left out.",
		Units:    []string{"organised_crime"},
		Polarity: LowerIsBetter, Format: DecimalFormat,
		Records: RecordFilter{Source: FinalisedDefendants, Kind: casework.Prosecution, Court: court, Charged: true},
		compute: func(c Counts) Value {
			var days []float64
			for _, d := range c.ChargeDays {
				if d.Court == court {
					days = append(days, float64(d.Days))
				}
			}
			n := len(days)
			return Value{Value: median(days), Denominator: &n}
		},
	}
}

// helpResponseHours is the median hours the specialists' queues took to
// answer the requests asked in the period.
var helpResponseHours = Measure{
	Code: "help_response_hours", Name: "Help request response time",
	Definition: "Of the requests for help to the specialists' queues asked in the period and answered, the median hours from asking to answer.",
	Polarity:   LowerIsBetter, Format: DecimalFormat, Records: RecordFilter{Source: HelpRequests},
	compute: func(c Counts) Value {
		n := c.HelpAnswered
		return Value{Value: c.HelpMedianHours, Denominator: &n}
	},
}

// helpAnsweredWithinDay is the share of answered requests answered within
// twenty-four hours.
var helpAnsweredWithinDay = Measure{
	Code: "help_answered_within_day", Name: "Help requests answered within a day",
	Definition: "Of the requests for help asked in the period and answered, the share answered within 24 hours of being asked.",
	Polarity:   HigherIsBetter, Format: RateFormat, Records: RecordFilter{Source: HelpRequests},
	compute: func(c Counts) Value { return ratio(c.HelpWithinDay, c.HelpAnswered) },
}

// median is the middle value (the mean of the middle two), or nil for none.
func median(values []float64) *float64 {
	if len(values) == 0 {
		return nil
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	m := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		m = (sorted[len(sorted)/2-1] + m) / 2
	}
	return &m
}
