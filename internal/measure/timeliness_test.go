package measure_test

import (
	"testing"

	"caseboard/internal/casework"
	"caseboard/internal/measure"
)

func TestTimelinessMeasures(t *testing.T) {
	median := 30.0
	c := measure.Counts{
		ChargeDays: []measure.CourtDays{{casework.CrownCourt, 400}, {casework.CrownCourt, 100}, {casework.CrownCourt, 250}, {casework.CrownCourt, 300},
			{casework.MagistratesCourt, 40}},
		HelpAnswered: 4, HelpWithinDay: 3, HelpMedianHours: &median,
	}
	for code, want := range map[string]float64{
		"charge_to_finalisation_cc": 275, // the middle two of 100, 250, 300, 400
		"charge_to_finalisation_mc": 40,
		"help_response_hours":       30,
		"help_answered_within_day":  0.75,
	} {
		m, ok := measure.Lookup(code)
		if !ok {
			t.Fatalf("%s is not in the catalogue", code)
		}
		if v := m.Compute(c); v.Value == nil || *v.Value != want {
			t.Errorf("%s: %v, want %v", code, deref(v.Value), want)
		}
		if v := m.Compute(measure.Counts{}); v.Value != nil || v.RAG != measure.NoTarget {
			t.Errorf("%s with no records: %v, want no data", code, *v.Value)
		}
	}
	cc, _ := measure.Lookup("charge_to_finalisation_cc")
	if v := cc.Compute(c); *v.Denominator != 4 {
		t.Errorf("defendants counted %d", *v.Denominator)
	}
}
