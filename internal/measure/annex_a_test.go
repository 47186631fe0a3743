package measure_test

import (
	"math"
	"testing"

	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// checkTotals fails unless every total row is the sum of the part rows
// above it, column by column.
func checkTotals(t *testing.T, a measure.AnnexA) {
	t.Helper()
	for _, s := range a.Sections {
		var sums []float64
		for _, r := range s.Rows {
			switch {
			case r.Part:
				if sums == nil {
					sums = make([]float64, len(r.Values))
				}
				for i, v := range r.Values {
					if v != nil {
						sums[i] += *v
					}
				}
			case r.Total:
				for i, v := range r.Values {
					if v != nil && math.Abs(*v-sums[i]) > 0.011 {
						t.Errorf("%s, %s, %s: total %v, rows sum to %v", s.Title, r.Label, a.Columns[i], *v, sums[i])
					}
				}
				sums = nil
			}
		}
	}
}

func TestAnnexA(t *testing.T) {
	units := []org.Unit{{Code: "organised_crime", Name: "Organised Crime"}, {Code: "extradition", Name: "Extradition"}}
	year, _ := measure.ParsePeriod("2017-18")
	rolling, _ := measure.ParsePeriod("r12-2018-06")
	withReturns := counts
	withReturns.UnitReturns = returns
	cols := []measure.AnnexCounts{
		{Period: year, Division: withReturns, Units: measure.SplitByUnit(withReturns, units)},
		{Period: rolling, Division: measure.Counts{}, Units: measure.SplitByUnit(measure.Counts{}, units)},
	}
	a := measure.BuildAnnexA(cols, units)
	if len(a.Columns) != 2 || a.Columns[1] != "12 months to June 2018" || len(a.Sections) != 3 {
		t.Fatalf("annex %+v", a)
	}
	checkTotals(t, a)
	value := func(section, label string, col int) *float64 {
		t.Helper()
		for _, s := range a.Sections {
			for _, r := range s.Rows {
				if s.Title == section && r.Label == label {
					return r.Values[col]
				}
			}
		}
		t.Fatalf("no row %s in %s", label, section)
		return nil
	}
	for _, c := range []struct {
		section, label string
		want           float64
	}{
		{"Organised Crime", "Finalised defendants (MC)", 1},
		{"Organised Crime", "Finalised defendants (CC)", 50},
		{"Organised Crime", "Finalised defendants, total", 51},
		{"Organised Crime", "Conviction rate (CC)", 0.8},
		{"Extradition", "Export: extradition ordered", 3},
		{"Extradition", "Total", 4},
		{"The division", "Legal", 7},                          // crown advocates 4.5, specialist prosecutor 2.5
		{"The division", "Operational and senior staff", 5.5}, // paralegal officers
		{"Organised Crime", "Pre-charge decisions", 5},
	} {
		if v := value(c.section, c.label, 0); v == nil || *v != c.want {
			t.Errorf("%s %s: %v, want %v", c.section, c.label, deref(v), c.want)
		}
	}
	if v := value("The division", "Operational and senior staff", 1); v != nil {
		t.Errorf("no returns: %v, want no data", *v)
	}
	if v := value("Extradition", "Total", 1); v == nil || *v != 0 {
		t.Errorf("no outcomes: %v, want 0", deref(v))
	}
}

func TestAnnexColumns(t *testing.T) {
	june, _ := measure.ParsePeriod("2018-06")
	var got []string
	for _, p := range measure.AnnexColumns(june, 2) {
		got = append(got, p.String())
	}
	if len(got) != 3 || got[0] != "2016-17" || got[1] != "2017-18" || got[2] != "12 months to June 2018" {
		t.Errorf("columns %v", got)
	}
	march, _ := measure.ParsePeriod("r12-2018-03")
	if cols := measure.AnnexColumns(march, 1); cols[0].String() != "2017-18" || cols[1].String() != "12 months to March 2018" {
		t.Errorf("columns to March %v", cols)
	}
}
