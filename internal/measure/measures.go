package measure

import (
	"sort"

	"caseboard/internal/casework"
)

// Catalogue is every measure of the performance framework. Adding one is
// one entry here (and a line in its test): the counts it needs, how it is
// computed, its target and the records it opens to.
var Catalogue = append([]Measure{
	{
		Code: "caseload", Name: "Caseload",
		Definition: "Cases open at the end of the period: opened by its last day and not yet finalised, completed or closed then.",
		Polarity:   Neutral, Format: CountFormat, Records: RecordFilter{Source: LiveCases},
		compute: func(c Counts) Value { return count(c.LiveCases) },
	},
	{
		Code: "pre_charge_decisions", Name: "Pre-charge decisions",
		Definition: "Cases with a pre-charge decision (charge, no further action, further evidence required, non-conviction disposal) made in the period.",
		Units:      []string{"organised_crime"},
		Polarity:   Neutral, Format: CountFormat, Records: RecordFilter{Source: PreChargeDecisions},
		compute: func(c Counts) Value { return count(c.PreCharge) },
	},
	{
		Code: "finalised_defendants", Name: "Finalised defendants",
		Definition: "Defendants (requested persons for extradition) whose case was finalised with an outcome in the period.",
		Units:      []string{"organised_crime", "extradition"},
		Polarity:   Neutral, Format: CountFormat, Records: RecordFilter{Source: FinalisedDefendants},
		compute: func(c Counts) Value {
			total := 0
			for _, o := range c.Outcomes {
				total += o.Count
			}
			return count(total)
		},
	},
	convictionRate(casework.MagistratesCourt, 0.85),
	convictionRate(casework.CrownCourt, 0.80),
	guiltyPleaRate(casework.MagistratesCourt, 0.70),
	guiltyPleaRate(casework.CrownCourt, 0.65),
	{
		Code: "timely_directions_cc", Name: "Timely Crown Court directions",
		Definition: "Of the Crown Court directions due in the period that have fallen due, the share complied with on or before the due date.",
		Units:      []string{"organised_crime"},
		Polarity:   HigherIsBetter, Format: RateFormat, Target: &Target{Value: 0.90, Tolerance: 0.05},
		Records: RecordFilter{Source: DueDirections, Court: casework.CrownCourt,
			State: []DirectionState{DirectionOnTime, DirectionLate, DirectionOutstanding}},
		compute: func(c Counts) Value {
			f := Directions(c.Directions).ByCourt[string(casework.CrownCourt)]
			return ratio(f.OnTime, f.OnTime+f.Late+f.Outstanding)
		},
	},
	{
		Code: "ctl_failures", Name: "Custody time limit failures",
		Definition: "Custody time limits that expired in the period while still running: the defendant was neither finalised nor released before the limit.",
		Units:      []string{"organised_crime", "extradition"},
		Polarity:   LowerIsBetter, Format: CountFormat, Target: &Target{Value: 0, Tolerance: 0},
		Records: RecordFilter{Source: ExpiredCTLs},
		compute: func(c Counts) Value { return count(c.CTLFailures) },
	},
	{
		Code: "iqa_completion", Name: "IQA completion",
		Definition: "Of the individual quality assessments that fell due in the period under the schedule, the share done by their due date's end.",
		Polarity:   HigherIsBetter, Format: RateFormat, Target: &Target{Value: 0.95, Tolerance: 0.05},
		Records: RecordFilter{Source: IQAObligations},
		compute: func(c Counts) Value { return ratio(c.IQAMet, c.IQADue) },
	},
	{
		Code: "case_progression_compliance", Name: "Case progression compliance",
		Definition: "Of the cases that one or more of the case progression rules applies to, the share meeting every rule that applies, as the register stands today. The rules keep no history, so only the period that includes today has a value; its records are the cases failing a rule.",
		Polarity:   HigherIsBetter, Format: RateFormat, Target: &Target{Value: 0.9, Tolerance: 0.05},
		Records: RecordFilter{Source: ComplianceCases},
		compute: func(c Counts) Value { return ratio(c.ComplianceMet, c.ComplianceChecked) },
	},
	{
		Code: "staffing", Name: "Staffing",
		Definition: "Active people by grade as the organisation stands today, whatever the period (headcount: each person counts once; the organisation keeps no history of joiners and leavers).",
		Polarity:   Neutral, Format: CountFormat, Records: RecordFilter{Source: People},
		compute: func(c Counts) Value {
			byGrade := map[string]int{}
			total := 0
			for _, s := range c.Staff {
				byGrade[s.Grade] += s.Count
				total += s.Count
			}
			v := count(total)
			for grade, n := range byGrade {
				v.Breakdown = append(v.Breakdown, Part{Label: grade, Count: n})
			}
			sort.Slice(v.Breakdown, func(i, j int) bool { return v.Breakdown[i].Label < v.Breakdown[j].Label })
			return v
		},
	},
	{
		Code: "post_interactions", Name: "Posts' casework interactions",
		Definition: "Casework interactions the overseas posts reported in their validated monthly returns for months in the period.",
		Units:      []string{"international"},
		Polarity:   Neutral, Format: CountFormat, Records: RecordFilter{Source: PostReturns},
		compute: func(c Counts) Value { return count(c.Interactions) },
	},
	staffingFTE,
	workingDaysLost,
	inHouseAdvocacy,
	crownAdvocateUtilisation,
	chargeToFinalisation(casework.MagistratesCourt),
	chargeToFinalisation(casework.CrownCourt),
	helpResponseHours,
	helpAnsweredWithinDay,
}, extraditionOutcomes()...)

// convictionRate is convictions / finalised defendants in one court.
func convictionRate(court casework.Court, target float64) Measure {
	return Measure{
		Code: "conviction_rate_" + lower(court), Name: "Conviction rate (" + courtName(court) + ")",
		Definition: "Convictions (guilty pleas, convictions after trial, proofs in absence) as a share of all defendants finalised in the " +
			courtName(court) + " in the period.",
		Units:    []string{"organised_crime"},
		Polarity: HigherIsBetter, Format: RateFormat, Target: &Target{Value: target, Tolerance: 0.05},
		Records: RecordFilter{Source: FinalisedDefendants, Kind: casework.Prosecution, Court: court},
		compute: func(c Counts) Value {
			f := prosecution(c, court)
			return ratio(*f.Convictions, f.Total)
		},
	}
}

// guiltyPleaRate is guilty pleas / convictions in one court.
func guiltyPleaRate(court casework.Court, target float64) Measure {
	var convictions []casework.Outcome
	for _, o := range casework.ProsecutionOutcomes {
		if o.Conviction {
			convictions = append(convictions, o.Code)
		}
	}
	return Measure{
		Code: "guilty_plea_rate_" + lower(court), Name: "Guilty plea rate (" + courtName(court) + ")",
		Definition: "Guilty pleas as a share of convictions in the " + courtName(court) + " in the period.",
		Units:      []string{"organised_crime"},
		Polarity:   HigherIsBetter, Format: RateFormat, Target: &Target{Value: target, Tolerance: 0.05},
		Records: RecordFilter{Source: FinalisedDefendants, Kind: casework.Prosecution, Court: court, Outcomes: convictions},
		compute: func(c Counts) Value {
			f := prosecution(c, court)
			pleas := 0
			for code, n := range f.Outcomes {
				if info, ok := casework.LookupOutcome(casework.Prosecution, code); ok && info.GuiltyPlea {
					pleas += n
				}
			}
			return ratio(pleas, *f.Convictions)
		},
	}
}

// extraditionOutcomes is one measure per extradition outcome of Annex A:
// its count, with its share of all extradition finalisations.
func extraditionOutcomes() []Measure {
	var out []Measure
	for _, o := range casework.ExtraditionOutcomes {
		code := o.Code
		out = append(out, Measure{
			Code: "extradition_" + string(code), Name: "Extradition: " + o.Label,
			Definition: "Requested persons finalised in the period with the outcome \"" + o.Label +
				"\"; the share is of all requested persons finalised in the period.",
			Units:    []string{"extradition"},
			Polarity: Neutral, Format: CountFormat,
			Records: RecordFilter{Source: FinalisedDefendants, Kind: casework.Extradition, Outcomes: []casework.Outcome{code}},
			compute: func(c Counts) Value {
				f := Outcomes(casework.Extradition, ofKind(c.Outcomes, casework.Extradition), false)
				v := ratio(f.Outcomes[code], f.Total)
				n := float64(f.Outcomes[code])
				v.Value = &n
				return v
			},
		})
	}
	return out
}

// Share is a count measure's numerator over its denominator, where it has
// one (an extradition outcome's share of all outcomes).
func (v Value) Share() *float64 {
	if v.Numerator == nil || v.Denominator == nil {
		return nil
	}
	return rate(*v.Numerator, *v.Denominator)
}

func prosecution(c Counts, court casework.Court) *OutcomeFigures {
	var in []OutcomeCount
	for _, o := range ofKind(c.Outcomes, casework.Prosecution) {
		if o.Court == court {
			in = append(in, o)
		}
	}
	return Outcomes(casework.Prosecution, in, false)
}

func ofKind(counts []OutcomeCount, kind casework.Kind) []OutcomeCount {
	var out []OutcomeCount
	for _, c := range counts {
		if k, ok := casework.KindOfUnit(c.Unit); ok && k == kind {
			out = append(out, c)
		}
	}
	return out
}

func courtName(c casework.Court) string {
	if c == casework.CrownCourt {
		return "Crown Court"
	}
	return "magistrates' courts"
}

func lower(c casework.Court) string {
	if c == casework.CrownCourt {
		return "cc"
	}
	return "mc"
}
