package measure_test

import (
	"math"
	"strings"
	"testing"

	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// returns are two units' returns with known answers: organised crime for
// two months, extradition for one.
var returns = []measure.UnitReturn{
	{UnitCode: "organised_crime", Month: "2018-04", FTE: []measure.GradeFTE{{Grade: "crown_advocate", FTE: 4}, {Grade: "paralegal_officer", FTE: 6}},
		WorkingDaysLost: 5, SessionsInHouse: 30, SessionsCounsel: 10, CrownAdvocateHours: 300, CrownAdvocateAvailable: 400},
	{UnitCode: "organised_crime", Month: "2018-05", FTE: []measure.GradeFTE{{Grade: "crown_advocate", FTE: 5}, {Grade: "paralegal_officer", FTE: 5}},
		WorkingDaysLost: 2.5, SessionsInHouse: 20, SessionsCounsel: 20, CrownAdvocateHours: 250, CrownAdvocateAvailable: 400},
	{UnitCode: "extradition", Month: "2018-05", FTE: []measure.GradeFTE{{Grade: "specialist_prosecutor", FTE: 2.5}},
		WorkingDaysLost: 0},
}

func TestUnitReturnMeasures(t *testing.T) {
	c := measure.Counts{UnitReturns: returns}
	for code, want := range map[string]struct {
		value    float64
		num, den int // -1: none
		rag      measure.RAG
	}{
		// Organised crime averages 10 FTE over its two months; extradition 2.5.
		"staffing_fte": {12.5, -1, -1, measure.NoTarget},
		// 7.5 days over 22.5 FTE-months, times twelve.
		"working_days_lost":          {4, -1, -1, measure.Green},
		"in_house_advocacy":          {0.625, 50, 80, measure.NoTarget},
		"crown_advocate_utilisation": {0.6875, 550, 800, measure.NoTarget},
	} {
		m, ok := measure.Lookup(code)
		if !ok {
			t.Fatalf("%s is not in the catalogue", code)
		}
		v := m.Compute(c)
		if v.Value == nil || math.Abs(*v.Value-want.value) > 1e-9 || v.RAG != want.rag {
			t.Errorf("%s: %v %s, want %v %s", code, deref(v.Value), v.RAG, want.value, want.rag)
		}
		if (want.num < 0) != (v.Numerator == nil) || (v.Numerator != nil && (*v.Numerator != want.num || *v.Denominator != want.den)) {
			t.Errorf("%s: %v / %v, want %d / %d", code, v.Numerator, v.Denominator, want.num, want.den)
		}
	}
	fte, _ := measure.Lookup("staffing_fte")
	b := fte.Compute(c).Breakdown
	if len(b) != 3 || b[0].Label != "Crown advocate" || *b[0].Amount != 4.5 || b[1].Label != "Paralegal officer" || *b[1].Amount != 5.5 ||
		b[2].Label != "Specialist prosecutor" || *b[2].Amount != 2.5 || b[2].Count != 3 {
		t.Errorf("FTE by grade %+v", b)
	}
	for _, code := range []string{"staffing_fte", "working_days_lost", "in_house_advocacy", "crown_advocate_utilisation"} {
		m, _ := measure.Lookup(code)
		if v := m.Compute(measure.Counts{}); v.Value != nil {
			t.Errorf("%s with no returns: %v, want no data", code, *v.Value)
		}
		if v := m.Compute(measure.Counts{UnitReturns: returns, Withheld: []measure.Source{measure.UnitReturns}}); v.Value != nil {
			t.Errorf("%s withheld: %v, want no data", code, *v.Value)
		}
	}
}

func TestUnitReturnValidate(t *testing.T) {
	good := func() measure.UnitReturn {
		return measure.UnitReturn{UnitCode: "extradition", Month: "2018-06", FTE: []measure.GradeFTE{{Grade: "paralegal_officer", FTE: 2},
			{Grade: "crown_advocate", FTE: 1.256}, {Grade: "legal_manager_1", FTE: 0}}, WorkingDaysLost: 1.5, SessionsInHouse: 3, CrownAdvocateHours: 10, CrownAdvocateAvailable: 20}
	}
	r := good()
	if err := r.Validate("2018-06"); err != nil {
		t.Fatal(err)
	}
	if len(r.FTE) != 2 || r.FTE[0] != (measure.GradeFTE{Grade: "crown_advocate", FTE: 1.26}) || r.FTE[1].Grade != "paralegal_officer" {
		t.Errorf("FTE kept %+v: want non-zero grades, most senior first, to two places", r.FTE)
	}
	for name, c := range map[string]struct {
		change func(*measure.UnitReturn)
		field  string
	}{
		"NoUnit":        {func(r *measure.UnitReturn) { r.UnitCode = " " }, "unit"},
		"BadMonth":      {func(r *measure.UnitReturn) { r.Month = "2018-6" }, "month"},
		"FutureMonth":   {func(r *measure.UnitReturn) { r.Month = "2018-07" }, "month"},
		"OldMonth":      {func(r *measure.UnitReturn) { r.Month = "1989-12" }, "month"},
		"UnknownGrade":  {func(r *measure.UnitReturn) { r.FTE[0].Grade = "G7" }, "fte.G7"},
		"TwiceGrade":    {func(r *measure.UnitReturn) { r.FTE[1].Grade = "paralegal_officer" }, "fte.paralegal_officer"},
		"NegativeFTE":   {func(r *measure.UnitReturn) { r.FTE[0].FTE = -1 }, "fte.paralegal_officer"},
		"NaNFTE":        {func(r *measure.UnitReturn) { r.FTE[0].FTE = math.NaN() }, "fte.paralegal_officer"},
		"QuarterDay":    {func(r *measure.UnitReturn) { r.WorkingDaysLost = 1.25 }, "working_days_lost"},
		"NegativeDays":  {func(r *measure.UnitReturn) { r.WorkingDaysLost = -1 }, "working_days_lost"},
		"Sessions":      {func(r *measure.UnitReturn) { r.SessionsCounsel = -2 }, "advocacy_sessions_counsel"},
		"HoursOverTime": {func(r *measure.UnitReturn) { r.CrownAdvocateHours = 21 }, "crown_advocate_hours"},
		"Hours":         {func(r *measure.UnitReturn) { r.CrownAdvocateAvailable = -1 }, "crown_advocate_hours_available"},
	} {
		t.Run(name, func(t *testing.T) {
			r := good()
			c.change(&r)
			fe := fault.As(r.Validate("2018-06"))
			if fe == nil || fe.Code != fault.Invalid || len(fe.Fields) == 0 || fe.Fields[0].Field != c.field || strings.TrimSpace(fe.Fields[0].Message) == "" {
				t.Errorf("got %+v, want a problem in %s", fe, c.field)
			}
		})
	}
	if !org.Grade("crown_advocate").Valid() {
		t.Fatal("the test needs the crown advocate grade")
	}
}
