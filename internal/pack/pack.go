// Package pack holds the performance framework's printed products: the
// Board's quarterly performance review pack (one per quarter for the
// division) and the one-page performance poster of a unit. Both are built
// from the measure catalogue's figures; the pack adds the exceptions with
// their owners' commentary, the top risks and the progress of the
// inspection recommendations, and once issued is kept as it was printed.
package pack

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"caseboard/internal/fault"
	"caseboard/internal/measure"
)

// TrendQuarters is how many quarters a trend shows, the pack's own last:
// the five before it are the benchmark.
const TrendQuarters = 6

// ParseQuarter reads a financial quarter as the performance framework
// writes it ("2018-19-Q2"). Errors: Invalid on the field "quarter".
func ParseQuarter(s string) (measure.Period, error) {
	period, err := measure.ParsePeriod(s)
	if err == nil && period.Kind != measure.Quarter {
		err = fmt.Errorf("%q is not a quarter: write a quarter of a financial year as 2018-19-Q2", s)
	}
	if err != nil {
		msg := err.Error()
		return period, &fault.Error{Code: fault.Invalid, Message: "The quarter is not right",
			Fields: []fault.FieldError{{Field: "quarter", Message: strings.ToUpper(msg[:1]) + msg[1:]}}}
	}
	return period, nil
}

// Commentary is what someone wrote, with who and when.
type Commentary struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// Longest commentary and narrative, in characters: a pack is read at a
// Board meeting and a poster fits one page.
const (
	MaxCommentary = 2000
	MaxNarrative  = 1000
)

// ValidateText checks commentary or a narrative: something said, and not
// more than fits. Errors: Invalid on the given field.
func ValidateText(field, text string, limit int) error {
	var v fault.Validation
	switch n := utf8.RuneCountInString(strings.TrimSpace(text)); {
	case n == 0:
		v.Add(field, "Write the commentary")
	case n > limit:
		v.Add(field, fmt.Sprintf("Write no more than %d characters; this is %d", limit, n))
	}
	return v.Err("The commentary is not right")
}

// Point is one quarter of a trend.
type Point struct {
	Period string   `json:"period"`
	Label  string   `json:"label"`
	Value  *float64 `json:"value"`
}

// Headline is one measure's figure for the quarter against its target
// and its benchmark: its own average and own best over the quarters
// before.
type Headline struct {
	Code     string           `json:"code"`
	Name     string           `json:"name"`
	Format   measure.Format   `json:"format"`
	Polarity measure.Polarity `json:"polarity"`
	Target   *measure.Target  `json:"target"`
	Value    *float64         `json:"value"` // nil: no data
	RAG      measure.RAG      `json:"rag"`
	Status   string           `json:"status"`
	// Average and Best are over the quarters before this one that have
	// data; Best only for a measure with a better direction.
	Average    *float64    `json:"average"`
	Best       *float64    `json:"best"`
	Series     []Point     `json:"series"`
	Commentary *Commentary `json:"commentary"`
	// OutsideLimits is set when the quarter lies outside its statistical
	// process control limits (mean ± 3σ over the trend's quarters, as the
	// trend charts draw them), with the quarter's limits; the limits are
	// null with fewer than three quarters of data.
	OutsideLimits bool     `json:"outside_limits"`
	LowerLimit    *float64 `json:"lower_limit"`
	UpperLimit    *float64 `json:"upper_limit"`
}

// Exception reports whether the figure is outside its tolerance or its
// control limits: the Board sees it with its owner's commentary.
func (h Headline) Exception() bool { return h.RAG == measure.Red || h.OutsideLimits }

// ExceptionReason says in words why a headline is an exception.
func (h Headline) ExceptionReason() string {
	var why []string
	if h.RAG == measure.Red {
		why = append(why, "outside its tolerance")
	}
	if h.OutsideLimits {
		side := "above the upper"
		if h.Value != nil && h.LowerLimit != nil && *h.Value < *h.LowerLimit {
			side = "below the lower"
		}
		why = append(why, fmt.Sprintf("%s control limit (%s to %s over the last %d quarters): a signal, not noise",
			side, FormatValue(h.Format, h.LowerLimit), FormatValue(h.Format, h.UpperLimit), len(h.Series)))
	}
	if len(why) == 0 {
		return ""
	}
	out := strings.Join(why, " and ")
	return strings.ToUpper(out[:1]) + out[1:]
}

// Headlines computes each measure that applies to the unit ("" is the
// division) for the last of the periods, with its trend over all of them
// and its benchmark over those before. counts[i] are the counts of
// periods[i]; commentary is by measure code.
func Headlines(unit string, periods []measure.Period, counts []measure.Counts, commentary map[string]Commentary) []Headline {
	var out []Headline
	last := len(periods) - 1
	for _, m := range measure.Catalogue {
		if !m.AppliesTo(unit) {
			continue
		}
		v := m.Compute(counts[last])
		h := Headline{Code: m.Code, Name: m.Name, Format: m.Format, Polarity: m.Polarity, Target: m.Target,
			Value: v.Value, RAG: v.RAG, Status: statusWords(v), Series: make([]Point, 0, len(periods))}
		var before []float64
		values := make([]measure.Value, len(periods))
		for i, period := range periods {
			pv := m.Compute(counts[i])
			values[i] = pv
			h.Series = append(h.Series, Point{Period: period.Code(), Label: period.String(), Value: pv.Value})
			if i < last && pv.Value != nil {
				before = append(before, *pv.Value)
			}
		}
		h.Average, h.Best = benchmark(m.Polarity, before)
		if limits := measure.ControlLimits(m, values); limits != nil {
			h.LowerLimit, h.UpperLimit = limits.Lower[last], limits.Upper[last]
			h.OutsideLimits = slices.Contains(limits.Signals, last)
		}
		if c, ok := commentary[m.Code]; ok {
			h.Commentary = &c
		}
		out = append(out, h)
	}
	return out
}

func statusWords(v measure.Value) string {
	if v.Value == nil {
		return "No data"
	}
	return v.RAG.Label()
}

// benchmark is the mean of the earlier values and, for a measure with a
// better direction, the best of them.
func benchmark(polarity measure.Polarity, values []float64) (average, best *float64) {
	if len(values) == 0 {
		return nil, nil
	}
	sum, top := 0.0, values[0]
	for _, v := range values {
		sum += v
		if (polarity == measure.HigherIsBetter && v > top) || (polarity == measure.LowerIsBetter && v < top) {
			top = v
		}
	}
	mean := sum / float64(len(values))
	average = &mean
	if polarity == measure.HigherIsBetter || polarity == measure.LowerIsBetter {
		best = &top
	}
	return average, best
}

// FormatValue writes a figure as the pack prints it: rates as
// percentages to one place, counts with thousands separators, and "No
// data" where there is none.
func FormatValue(f measure.Format, v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return "No data"
	}
	if f == measure.RateFormat {
		return trimZero(formatFixed(*v*100, 1)) + "%"
	}
	if *v != math.Trunc(*v) {
		return trimZero(formatFixed(*v, 1))
	}
	return groupThousands(int64(*v))
}

func formatFixed(v float64, places int) string {
	s := strconv.FormatFloat(v, 'f', places, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	grouped := groupThousands(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		grouped = "-0"
	}
	return grouped + "." + frac
}

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func groupThousands(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}

// QuarterOf is the financial quarter a day falls in.
func QuarterOf(t time.Time) measure.Period {
	year := measure.YearOf(t)
	months := (int(t.Month()) - int(time.April) + 12) % 12
	start := year.Start.AddDate(0, months/3*3, 0)
	return measure.Period{Kind: measure.Quarter, Start: start, End: start.AddDate(0, 3, -1)}
}

// LastFullQuarter is the latest quarter that has ended by a day: the one
// a pack is usually drawn up for.
func LastFullQuarter(t time.Time) measure.Period { return QuarterOf(t).Previous() }
