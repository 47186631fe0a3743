package server

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// The performance framework's figures: the measure catalogue, each
// measure's value for a period and unit with its trend, and the records
// behind it, for the API and the Performance pages alike.

// trendLength is how many periods a trend shows, the chosen one last.
const trendLength = 6

// measureParams are the query of a measure's figure and records.
var measureParams = []param{
	{Name: "period", Type: "string", Description: "A financial year (2017-18), a quarter (2018-19-Q2), a month (2018-06) or twelve months to a month (r12-2018-06); default the financial year today is in."},
	{Name: "unit", Type: "string", Description: "A unit's code; default the whole division."},
}

// measureCatalogue is the catalogue as the API gives it.
type measureCatalogue struct {
	Measures []measure.Measure `json:"measures"`
}

// measureFigure is a measure's value for a period and unit, against its
// target, with the periods before it for a trend.
type measureFigure struct {
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Period      string           `json:"period"`
	PeriodLabel string           `json:"period_label"`
	Unit        string           `json:"unit"` // empty: the division
	Format      measure.Format   `json:"format"`
	Polarity    measure.Polarity `json:"polarity"`
	Target      *measure.Target  `json:"target"`
	// Value is null where there is no data (a zero denominator).
	Value       *float64       `json:"value"`
	Numerator   *int           `json:"numerator"`
	Denominator *int           `json:"denominator"`
	Share       *float64       `json:"share"` // count measures with a whole: the count's share of it
	RAG         measure.RAG    `json:"rag"`
	Status      string         `json:"status"` // the RAG in words
	Breakdown   []measure.Part `json:"breakdown,omitempty"`
	Series      []trendPoint   `json:"series"`
}

// trendPoint is one period of a trend.
type trendPoint struct {
	Period string      `json:"period"`
	Label  string      `json:"label"`
	Value  *float64    `json:"value"`
	RAG    measure.RAG `json:"rag"`
}

// measureRecords is the records behind a figure.
type measureRecords struct {
	Code        string           `json:"code"`
	Period      string           `json:"period"`
	PeriodLabel string           `json:"period_label"`
	Unit        string           `json:"unit"`
	Records     []measure.Record `json:"records"`
}

// figureQuery is a request's period and unit, checked.
type figureQuery struct {
	Period measure.Period
	Unit   string
	Units  []org.Unit
}

// readFigureQuery reads ?period= (default: the financial year today is
// in) and ?unit= (default: the division).
func (s *Server) readFigureQuery(r *http.Request) (figureQuery, error) {
	var v fault.Validation
	q := figureQuery{Unit: strings.TrimSpace(r.URL.Query().Get("unit"))}
	raw := strings.TrimSpace(r.URL.Query().Get("period"))
	if raw == "" {
		raw = measure.YearOf(s.db.Now()).Code()
	}
	period, err := measure.ParsePeriod(raw)
	if err != nil {
		v.Add("period", upperFirst(err.Error()))
	}
	q.Period = period
	if !access.Allows(principalOf(r), access.ReadOrganisation) {
		// A partner sees the division's figures, not its units.
		if q.Unit != "" {
			v.Add("unit", "You may see the division's figures only, not a unit's")
		}
		return q, v.Err("The period or unit is not right")
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		return q, err
	}
	q.Units = units
	if q.Unit != "" && !slices.ContainsFunc(units, func(u org.Unit) bool { return u.Code == q.Unit }) {
		v.Add("unit", fmt.Sprintf("There is no unit %q: choose one of the division's units, or none for the division", q.Unit))
	}
	return q, v.Err("The period or unit is not right")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// figures computes every measure given for the query's period and unit,
// each with its trend. It counts each period once for all the measures.
func (s *Server) figures(r *http.Request, q figureQuery, measures []measure.Measure) ([]measureFigure, error) {
	series := q.Period.Series(trendLength)
	counts := make([]measure.Counts, len(series))
	for i, period := range series {
		var err error
		if counts[i], err = s.db.MeasureCounts(r.Context(), principalOf(r), period, q.Unit); err != nil {
			return nil, err
		}
	}
	out := make([]measureFigure, 0, len(measures))
	for _, m := range measures {
		v := m.Compute(counts[len(counts)-1])
		f := measureFigure{Code: m.Code, Name: m.Name, Period: q.Period.Code(), PeriodLabel: q.Period.String(), Unit: q.Unit,
			Format: m.Format, Polarity: m.Polarity, Target: m.Target, Value: v.Value, Numerator: v.Numerator,
			Denominator: v.Denominator, RAG: v.RAG, Status: statusWords(v), Breakdown: v.Breakdown}
		if m.Format == measure.CountFormat {
			f.Share = v.Share()
		}
		for i, period := range series {
			pv := m.Compute(counts[i])
			f.Series = append(f.Series, trendPoint{Period: period.Code(), Label: period.String(), Value: pv.Value, RAG: pv.RAG})
		}
		out = append(out, f)
	}
	return out, nil
}

// statusWords is a figure's standing in words: "No data" rather than a
// status when there is nothing to judge.
func statusWords(v measure.Value) string {
	if v.Value == nil {
		return "No data"
	}
	return v.RAG.Label()
}

// applicable is the catalogue's measures that have a figure for a unit.
func applicable(unit string) []measure.Measure {
	var out []measure.Measure
	for _, m := range measure.Catalogue {
		if m.AppliesTo(unit) {
			out = append(out, m)
		}
	}
	return out
}

// lookupMeasure finds the {code} of a request's path and checks that it
// applies to the unit asked for.
func lookupMeasure(r *http.Request, unit string) (measure.Measure, error) {
	m, ok := measure.Lookup(r.PathValue("code"))
	if !ok {
		return m, measure.ErrUnknownMeasure(r.PathValue("code"))
	}
	if !m.AppliesTo(unit) {
		var v fault.Validation
		v.Add("unit", fmt.Sprintf("%s is not measured for the unit %s: it applies to %s", m.Name, unit, strings.Join(m.Units, ", ")))
		return m, v.Err("The measure does not apply to that unit")
	}
	return m, nil
}

func (s *Server) apiMeasures(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, measureCatalogue{Measures: measure.Catalogue})
}

func (s *Server) apiMeasure(w http.ResponseWriter, r *http.Request) {
	q, err := s.readFigureQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	m, err := lookupMeasure(r, q.Unit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	figures, err := s.figures(r, q, []measure.Measure{m})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, figures[0])
}

func (s *Server) apiMeasureRecords(w http.ResponseWriter, r *http.Request) {
	q, err := s.readFigureQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	m, err := lookupMeasure(r, q.Unit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	records, err := s.db.MeasureRecords(r.Context(), principalOf(r), m.Code, q.Period, q.Unit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, measureRecords{Code: m.Code, Period: q.Period.Code(), PeriodLabel: q.Period.String(),
		Unit: q.Unit, Records: nonNil(records)})
}

// formatValue writes a figure as people read it: a rate as a percentage,
// a count with thousands separators, no data as "No data".
func formatValue(format measure.Format, v *float64) string {
	if v == nil {
		return "No data"
	}
	switch format {
	case measure.RateFormat:
		return fmt.Sprintf("%.1f%%", 100**v)
	case measure.DecimalFormat:
		return fmt.Sprintf("%.1f", *v)
	}
	return thousands(int(*v))
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// sparkline draws a trend as a small SVG line; the label is its text
// alternative, every period and value in words. It draws only numbers
// it computes, so the markup is safe to write as is.
func sparkline(f measureFigure) template.HTML {
	const width, height, pad = 120.0, 28.0, 3.0
	var words []string
	lo, hi, seen := 0.0, 0.0, false
	for _, p := range f.Series {
		words = append(words, p.Label+": "+formatValue(f.Format, p.Value))
		if p.Value == nil {
			continue
		}
		if !seen || *p.Value < lo {
			lo = *p.Value
		}
		if !seen || *p.Value > hi {
			hi = *p.Value
		}
		seen = true
	}
	label := template.HTMLEscapeString("Trend of " + f.Name + ", " + strings.Join(words, "; "))
	var points []string
	step := (width - 2*pad) / float64(max(len(f.Series)-1, 1))
	for i, p := range f.Series {
		if p.Value == nil {
			continue
		}
		y := height / 2
		if hi > lo {
			y = pad + (height-2*pad)*(hi-*p.Value)/(hi-lo)
		}
		points = append(points, fmt.Sprintf("%.1f,%.1f", pad+step*float64(i), y))
	}
	var line string
	if len(points) > 0 {
		last := points[len(points)-1]
		xy := strings.Split(last, ",")
		line = fmt.Sprintf(`<polyline fill="none" stroke="currentColor" stroke-width="2" points="%s"/><circle cx="%s" cy="%s" r="3" fill="currentColor"/>`,
			strings.Join(points, " "), xy[0], xy[1])
	}
	return template.HTML(fmt.Sprintf(`<svg class="app-sparkline" role="img" aria-label="%s" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" focusable="false"><title>%s</title>%s</svg>`,
		label, width, height, width, height, label, line))
}
