package measure_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"caseboard/internal/measure"
)

func rateOf(num, den int) measure.Value {
	v := float64(num) / float64(den)
	return measure.Value{Value: &v, Numerator: &num, Denominator: &den}
}

func countOf(x float64) measure.Value { return measure.Value{Value: &x} }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

func TestControlLimitsPChart(t *testing.T) {
	m, _ := measure.Lookup("conviction_rate_cc")
	series := []measure.Value{rateOf(80, 100), rateOf(85, 100), {}, rateOf(82, 100), rateOf(50, 100), rateOf(84, 100)}
	l := measure.ControlLimits(m, series)
	// p̄ = 381/500; σ = √(p̄(1−p̄)/100) for every period of 100 defendants.
	sigma := math.Sqrt(0.762 * 0.238 / 100)
	if l == nil || l.Method != measure.PChart || !near(l.Centre, 0.762) || !near(*l.Lower[0], 0.762-3*sigma) || !near(*l.Upper[0], 0.762+3*sigma) {
		t.Fatalf("limits %+v", l)
	}
	if l.Lower[2] != nil || len(l.Signals) != 1 || l.Signals[0] != 4 {
		t.Errorf("a period without data has no limits, and only the 50%% period is a signal: %+v", l)
	}
	// A period with fewer cases has wider limits.
	series[1] = rateOf(17, 20)
	if l := measure.ControlLimits(m, series); *l.Upper[1]-*l.Lower[1] <= *l.Upper[0]-*l.Lower[0] {
		t.Errorf("limits do not widen for a small period: %+v", l)
	}
	labels := []string{"a", "b", "c", "d", "e", "f"}
	words := l.Describe(labels, series, func(v *float64) string { return fmt.Sprintf("%.1f%%", 100**v) })
	for _, want := range []string{"1 of 6 periods outside", "e (50.0%) is below the lower limit 63.4%", "p-chart"} {
		if !strings.Contains(words, want) {
			t.Errorf("%q lacks %q", words, want)
		}
	}
}

func TestControlLimitsIndividuals(t *testing.T) {
	m, _ := measure.Lookup("caseload")
	var series []measure.Value
	for _, x := range []float64{10, 11, 10, 11, 10, 11, 10, 11, 25} {
		series = append(series, countOf(x))
	}
	l := measure.ControlLimits(m, series)
	// Mean 109/9; mean moving range 21/8; σ = 2.625/1.128.
	mean, sigma := 109.0/9, 2.625/1.128
	if l == nil || l.Method != measure.Individuals || !near(l.Centre, mean) || !near(*l.Upper[0], mean+3*sigma) || !near(*l.Lower[0], mean-3*sigma) {
		t.Fatalf("limits %+v", l)
	}
	if len(l.Signals) != 1 || l.Signals[0] != 8 {
		t.Errorf("signals %v, want the last period", l.Signals)
	}
	// Limits never go below zero.
	low := []measure.Value{countOf(0), countOf(5), countOf(0), countOf(6)}
	if l := measure.ControlLimits(m, low); *l.Lower[0] != 0 {
		t.Errorf("lower limit %v", *l.Lower[0])
	}
	if l := measure.ControlLimits(m, []measure.Value{countOf(1), {}, countOf(2)}); l != nil {
		t.Errorf("two points gave limits %+v", l)
	}
	var none *measure.Limits
	if !strings.Contains(none.Describe(nil, nil, nil), "Too few periods") {
		t.Error("no limits need words too")
	}
	words := measure.ControlLimits(m, series[:8]).Describe(make([]string, 8), series[:8], func(v *float64) string { return fmt.Sprint(*v) })
	if !strings.Contains(words, "Every period is within the control limits") {
		t.Errorf("%q", words)
	}
}

func TestBenchmarks(t *testing.T) {
	higher, _ := measure.Lookup("conviction_rate_cc")
	lower, _ := measure.Lookup("ctl_failures")
	neutral, _ := measure.Lookup("caseload")
	series := []measure.Value{countOf(0.8), {}, countOf(0.9), countOf(0.7), countOf(0.85)}
	b := measure.Benchmarks(higher, series)
	if !near(*b.OwnAverage, 0.8) || *b.OwnBest != 0.9 || b.BestIndex != 2 {
		t.Errorf("higher is better: %+v", b)
	}
	if b := measure.Benchmarks(lower, series); *b.OwnBest != 0.7 || b.BestIndex != 3 {
		t.Errorf("lower is better: %+v", b)
	}
	if b := measure.Benchmarks(neutral, series); b.OwnBest != nil || b.OwnAverage == nil {
		t.Errorf("neutral: %+v", b)
	}
	if b := measure.Benchmarks(higher, series[:1]); b.OwnAverage != nil {
		t.Errorf("nothing before: %+v", b)
	}
}
