package measure_test

import (
	"testing"

	"caseboard/internal/casework"
	"caseboard/internal/measure"
)

// counts is a period's counts with known answers.
var counts = measure.Counts{
	Outcomes: []measure.OutcomeCount{
		{"organised_crime", "CC", "guilty_plea", 30},
		{"organised_crime", "CC", "conviction_after_trial", 8},
		{"organised_crime", "CC", "proved_in_absence", 2},
		{"organised_crime", "CC", "acquitted", 10},
		{"organised_crime", "MC", "guilty_plea", 1},
		{"extradition", "", "export_extradition_ordered", 3},
		{"extradition", "", "appeal_allowed", 1},
	},
	Directions: []measure.DirectionCount{
		{Court: casework.CrownCourt, State: measure.DirectionOnTime, Count: 6},
		{Court: casework.CrownCourt, State: measure.DirectionLate, Count: 2},
		{Court: casework.CrownCourt, State: measure.DirectionPending, Count: 9},
	},
	LiveCases: 12, PreCharge: 5, CTLFailures: 1, IQADue: 20, IQAMet: 18, ComplianceChecked: 40, ComplianceMet: 33,
	Staff:        []measure.StaffCount{{"extradition", "G7", 2}, {"organised_crime", "G7", 1}, {"organised_crime", "SEO", 4}},
	Interactions: 37,
}

func TestCatalogueValues(t *testing.T) {
	for code, want := range map[string]struct {
		value    float64
		num, den int // den -1: none
		rag      measure.RAG
	}{
		"caseload":                               {12, 12, -1, measure.NoTarget},
		"finalised_defendants":                   {55, 55, -1, measure.NoTarget},
		"conviction_rate_cc":                     {0.8, 40, 50, measure.Green},
		"conviction_rate_mc":                     {1, 1, 1, measure.Green},
		"guilty_plea_rate_cc":                    {0.75, 30, 40, measure.Green},
		"timely_directions_cc":                   {0.75, 6, 8, measure.Red},
		"ctl_failures":                           {1, 1, -1, measure.Red},
		"iqa_completion":                         {0.9, 18, 20, measure.Amber},
		"case_progression_compliance":            {0.825, 33, 40, measure.Red},
		"staffing":                               {7, 7, -1, measure.NoTarget},
		"post_interactions":                      {37, 37, -1, measure.NoTarget},
		"extradition_export_extradition_ordered": {3, 3, 4, measure.NoTarget},
		"extradition_withdrawn":                  {0, 0, 4, measure.NoTarget},
	} {
		m, ok := measure.Lookup(code)
		if !ok {
			t.Errorf("%s is not in the catalogue", code)
			continue
		}
		v := m.Compute(counts)
		if v.Value == nil || *v.Value != want.value || *v.Numerator != want.num || v.RAG != want.rag {
			t.Errorf("%s: %+v (value %v), want %+v", code, v, deref(v.Value), want)
		}
		if (want.den < 0) != (v.Denominator == nil) || (v.Denominator != nil && *v.Denominator != want.den) {
			t.Errorf("%s: denominator %v, want %d", code, v.Denominator, want.den)
		}
	}
	staffing, _ := measure.Lookup("staffing")
	if b := staffing.Compute(counts).Breakdown; len(b) != 2 || b[0] != (measure.Part{Label: "G7", Count: 3}) || b[1] != (measure.Part{Label: "SEO", Count: 4}) {
		t.Errorf("staffing by grade %+v", b)
	}
	ordered, _ := measure.Lookup("extradition_export_extradition_ordered")
	if s := ordered.Compute(counts).Share(); s == nil || *s != 0.75 {
		t.Errorf("share %v", s)
	}
}

func TestNoDataHasNoValueAndNoStatus(t *testing.T) {
	for _, m := range measure.Catalogue {
		v := m.Compute(measure.Counts{})
		if m.Format == measure.RateFormat && (v.Value != nil || v.RAG != measure.NoTarget) {
			t.Errorf("%s with no records: %+v, want no data", m.Code, v)
		}
	}
}

func TestStatusAgainstTarget(t *testing.T) {
	higher := measure.Measure{Polarity: measure.HigherIsBetter, Target: &measure.Target{Value: 0.8, Tolerance: 0.05}}
	lower := measure.Measure{Polarity: measure.LowerIsBetter, Target: &measure.Target{Value: 2, Tolerance: 1}}
	for _, c := range []struct {
		m     measure.Measure
		value float64
		want  measure.RAG
	}{
		{higher, 0.8, measure.Green}, {higher, 0.9, measure.Green}, {higher, 0.75, measure.Amber}, {higher, 0.7499, measure.Red},
		{lower, 2, measure.Green}, {lower, 0, measure.Green}, {lower, 3, measure.Amber}, {lower, 4, measure.Red},
	} {
		if got := c.m.Status(&c.value); got != c.want {
			t.Errorf("%s %v against %v: %s, want %s", c.m.Polarity, c.value, c.m.Target.Value, got, c.want)
		}
	}
	if measure.Red.Label() != "Off target" || measure.NoTarget.Label() != "No target" {
		t.Error("every status needs words")
	}
}

func TestCatalogueIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range measure.Catalogue {
		if m.Code == "" || m.Name == "" || m.Definition == "" || m.Records.Source == "" || seen[m.Code] {
			t.Errorf("measure %+v: needs a unique code, a name, a definition and its records", m)
		}
		seen[m.Code] = true
		if m.Target != nil && m.Polarity == measure.Neutral {
			t.Errorf("%s has a target but no direction to judge it by", m.Code)
		}
	}
	if len(seen) != 21+len(casework.ExtraditionOutcomes) {
		t.Errorf("%d measures", len(seen))
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
