// Package measure computes the division's performance figures from its
// records, never from typed-in numbers, with the CPS definitions: outcomes
// per defendant, conviction rate = convictions / all finalised defendants,
// guilty plea rate = guilty pleas / convictions, separately for the
// magistrates' courts and the Crown Court.
package measure

import (
	"sort"

	"caseboard/internal/casework"
)

// OutcomeCount is how many defendants of a unit were finalised in a court
// with an outcome.
type OutcomeCount struct {
	Unit    string
	Court   casework.Court
	Outcome casework.Outcome
	Count   int
}

// OutcomeFigures are the outcome measures of a set of finalised
// defendants. Rates are nil where their denominator is zero ("no data"),
// and for extradition, which Annex A reports as counts, not rates.
type OutcomeFigures struct {
	Total          int                        `json:"total"`
	Convictions    *int                       `json:"convictions"`
	Unsuccessful   *int                       `json:"unsuccessful"`
	ConvictionRate *float64                   `json:"conviction_rate"`
	GuiltyPleaRate *float64                   `json:"guilty_plea_rate"`
	Outcomes       map[casework.Outcome]int   `json:"outcomes"`
	ByCourt        map[string]*OutcomeFigures `json:"by_court,omitempty"`
}

// Outcomes computes the figures of the counts given, which must all be of
// one kind of casework: prosecution (organised crime) or extradition.
// byCourt adds the same figures for MC and CC.
func Outcomes(kind casework.Kind, counts []OutcomeCount, byCourt bool) *OutcomeFigures {
	f := figures(kind, counts)
	if byCourt && kind == casework.Prosecution {
		f.ByCourt = map[string]*OutcomeFigures{}
		for _, court := range []casework.Court{casework.MagistratesCourt, casework.CrownCourt} {
			var in []OutcomeCount
			for _, c := range counts {
				if c.Court == court {
					in = append(in, c)
				}
			}
			f.ByCourt[string(court)] = figures(kind, in)
		}
	}
	return f
}

func figures(kind casework.Kind, counts []OutcomeCount) *OutcomeFigures {
	f := &OutcomeFigures{Outcomes: map[casework.Outcome]int{}}
	for _, o := range casework.OutcomesFor(kind) {
		f.Outcomes[o.Code] = 0
	}
	convictions, pleas := 0, 0
	for _, c := range counts {
		f.Total += c.Count
		f.Outcomes[c.Outcome] += c.Count
		if info, ok := casework.LookupOutcome(kind, c.Outcome); ok && kind == casework.Prosecution {
			if info.Conviction {
				convictions += c.Count
			}
			if info.GuiltyPlea {
				pleas += c.Count
			}
		}
	}
	if kind != casework.Prosecution {
		return f
	}
	unsuccessful := f.Total - convictions
	f.Convictions, f.Unsuccessful = &convictions, &unsuccessful
	f.ConvictionRate = rate(convictions, f.Total)
	f.GuiltyPleaRate = rate(pleas, convictions)
	return f
}

func rate(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// OutcomeCodes lists the outcome codes present in the figures in the order
// of the kind's list, for tables.
func (f *OutcomeFigures) OutcomeCodes() []casework.Outcome {
	codes := make([]casework.Outcome, 0, len(f.Outcomes))
	for code := range f.Outcomes {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	return codes
}
