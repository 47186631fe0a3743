package measure

import (
	"fmt"
	"math"
	"strings"
)

// Statistical process control: limits a measure's trend is expected to
// stay within from common-cause variation alone, so that a manager sees a
// period outside them (a signal) rather than reacting to noise.
//
// The limits are the mean ± 3σ of the trend's own periods. σ depends on
// what is measured:
//
//   - a rate with a numerator and denominator in each period (conviction
//     rate, timely directions, IQA completion) is a proportion: a p-chart,
//     with centre p̄ = Σ numerators / Σ denominators and, for each period,
//     σ = √(p̄(1−p̄)/n) where n is that period's denominator, so a period
//     with fewer cases has wider limits;
//   - anything else (counts, days, hours, FTE) is an individuals (XmR)
//     chart: centre the mean of the values, σ = the mean moving range
//     between consecutive periods / 1.128 (the d₂ constant for ranges of
//     two), which is robust to a shift in the level.
//
// Limits are clipped to what a value can be: never below zero, and never
// above 100% for a rate. Fewer than three periods with data have no limits.

// ChartMethod names how a trend's limits were set.
type ChartMethod string

const (
	PChart      ChartMethod = "p-chart"
	Individuals ChartMethod = "individuals"
)

// minimumPoints is the fewest periods with data that limits are set from.
const minimumPoints = 3

// Limits are a trend's control limits, per period (a p-chart's vary).
type Limits struct {
	Method ChartMethod `json:"method"`
	Centre float64     `json:"centre"`
	// Lower and Upper hold each period's limits, null where the period
	// has no data.
	Lower []*float64 `json:"lower"`
	Upper []*float64 `json:"upper"`
	// Signals are the indexes of the periods outside their limits.
	Signals []int `json:"signals"`
}

// ControlLimits sets a trend's limits (series oldest first), or returns nil
// where there are too few periods with data.
func ControlLimits(m Measure, series []Value) *Limits {
	var values []float64
	proportion := m.Format == RateFormat
	num, den := 0, 0
	for _, v := range series {
		if v.Value == nil {
			continue
		}
		values = append(values, *v.Value)
		if v.Numerator == nil || v.Denominator == nil {
			proportion = false
		} else {
			num, den = num+*v.Numerator, den+*v.Denominator
		}
	}
	if len(values) < minimumPoints {
		return nil
	}
	l := &Limits{Lower: make([]*float64, len(series)), Upper: make([]*float64, len(series))}
	ceiling := math.Inf(1)
	if m.Format == RateFormat {
		ceiling = 1
	}
	var sigma func(i int) float64
	if proportion && den > 0 {
		p := float64(num) / float64(den)
		l.Method, l.Centre = PChart, p
		sigma = func(i int) float64 { return math.Sqrt(p * (1 - p) / float64(*series[i].Denominator)) }
	} else {
		mean, movingRange := 0.0, 0.0
		for i, x := range values {
			mean += x
			if i > 0 {
				movingRange += math.Abs(x - values[i-1])
			}
		}
		mean /= float64(len(values))
		s := movingRange / float64(len(values)-1) / 1.128
		l.Method, l.Centre = Individuals, mean
		sigma = func(int) float64 { return s }
	}
	for i, v := range series {
		if v.Value == nil {
			continue
		}
		lo, hi := math.Max(0, l.Centre-3*sigma(i)), math.Min(ceiling, l.Centre+3*sigma(i))
		l.Lower[i], l.Upper[i] = &lo, &hi
		if *v.Value < lo-1e-9 || *v.Value > hi+1e-9 {
			l.Signals = append(l.Signals, i)
		}
	}
	return l
}

// Describe says in words where the trend stands against its limits;
// labels name the periods and format writes a value.
func (l *Limits) Describe(labels []string, series []Value, format func(*float64) string) string {
	if l == nil {
		return "Too few periods with data to set control limits."
	}
	method := "individuals chart, mean ± 3σ with σ from the moving range"
	if l.Method == PChart {
		method = "p-chart, p̄ ± 3σ with σ from each period's number of cases"
	}
	centre := l.Centre
	if len(l.Signals) == 0 {
		return fmt.Sprintf("Every period is within the control limits (%s; centre %s): the variation is common-cause.", method, format(&centre))
	}
	var out []string
	for _, i := range l.Signals {
		side, limit := "above the upper", l.Upper[i]
		if *series[i].Value < *l.Lower[i] {
			side, limit = "below the lower", l.Lower[i]
		}
		out = append(out, fmt.Sprintf("%s (%s) is %s limit %s", labels[i], format(series[i].Value), side, format(limit)))
	}
	return fmt.Sprintf("%d of %d periods outside the control limits (%s; centre %s): %s. A point outside the limits is a signal worth looking into.",
		len(l.Signals), len(series), method, format(&centre), strings.Join(out, "; "))
}

// Benchmark is a period's value against the unit's own record over the
// periods before it: their average and their best (by the measure's
// polarity; a neutral measure has no best).
type Benchmark struct {
	OwnAverage *float64 `json:"own_average"`
	OwnBest    *float64 `json:"own_best"`
	// BestIndex is the period of the best in the series given, or -1.
	BestIndex int `json:"-"`
}

// Benchmarks compares the last period of a series with those before it.
func Benchmarks(m Measure, series []Value) Benchmark {
	b := Benchmark{BestIndex: -1}
	if len(series) < 2 {
		return b
	}
	sum, n := 0.0, 0
	for i, v := range series[:len(series)-1] {
		if v.Value == nil {
			continue
		}
		sum, n = sum+*v.Value, n+1
		better := b.OwnBest == nil ||
			(m.Polarity == HigherIsBetter && *v.Value > *b.OwnBest) || (m.Polarity == LowerIsBetter && *v.Value < *b.OwnBest)
		if m.Polarity != Neutral && better {
			best := *v.Value
			b.OwnBest, b.BestIndex = &best, i
		}
	}
	if n > 0 {
		avg := sum / float64(n)
		b.OwnAverage = &avg
	}
	return b
}
