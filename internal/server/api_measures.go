package server

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/store"
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

// groupParams confine a casework measure's figure to one location, court
// or team.
var groupParams = []param{
	{Name: "by", Type: "string", Enum: []string{"location", "court", "team"}, Description: "With group: what the group is of (team only for readers who may see the organisation)."},
	{Name: "group", Type: "string", Description: "A location's code, a court (MC, CC, or none for no court recorded) or a team's id (none for no team): the figure and its trend for that group alone."},
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
	// Limits are the trend's statistical process control limits (null
	// with fewer than three periods of data); each point of the series
	// carries its own limits and whether it is a signal.
	Limits *measure.Limits `json:"limits"`
	// Signals says in words which periods lie outside the limits.
	Signals string `json:"signals"`
	// OwnAverage and OwnBest are the value's benchmarks: the average and
	// the best of the trend's periods before this one.
	OwnAverage    *float64 `json:"own_average"`
	OwnBest       *float64 `json:"own_best"`
	OwnBestPeriod string   `json:"own_best_period,omitempty"`
	// Units is every unit's value for the period, against which the
	// unit (or division) is benchmarked; given for one measure, to those
	// who may see the units.
	Units []unitFigure `json:"units,omitempty"`
	// ByLocation and ByCourt break a casework measure's value down by the
	// location of the case and by court; given for one measure.
	ByLocation []groupFigure `json:"by_location,omitempty"`
	ByCourt    []groupFigure `json:"by_court,omitempty"`
	// ByTeam breaks it down by the team of the case's lawyer, for readers
	// who may see the organisation.
	ByTeam []groupFigure `json:"by_team,omitempty"`
	// Group names the one location, court or team the figure is of, when
	// one was asked for (by and group).
	Group string `json:"group,omitempty"`
}

// groupFigure is a measure's value for one location or court.
type groupFigure struct {
	Key    string      `json:"key"`
	Name   string      `json:"name"`
	Value  *float64    `json:"value"`
	RAG    measure.RAG `json:"rag"`
	Status string      `json:"status"`
}

// trendPoint is one period of a trend.
type trendPoint struct {
	Period string      `json:"period"`
	Label  string      `json:"label"`
	Value  *float64    `json:"value"`
	RAG    measure.RAG `json:"rag"`
	// Signal is set for a period outside its control limits.
	Signal bool `json:"signal"`
}

// unitFigure is one unit's value of a measure for the period.
type unitFigure struct {
	Unit   string      `json:"unit"`
	Name   string      `json:"name"`
	Value  *float64    `json:"value"`
	RAG    measure.RAG `json:"rag"`
	Status string      `json:"status"`
}

// measureRecords is the records behind a figure.
type measureRecords struct {
	Code        string `json:"code"`
	Period      string `json:"period"`
	PeriodLabel string `json:"period_label"`
	Unit        string `json:"unit"`
	// By and Group name the one location, court or team the records are
	// of, when the request named one and the measure is of casework.
	By      string           `json:"by,omitempty"`
	Group   string           `json:"group,omitempty"`
	Records []measure.Record `json:"records"`
}

// figureQuery is a request's period and unit, checked, and optionally one
// location, court or team (By and Group) the casework figures are
// confined to.
type figureQuery struct {
	Period     measure.Period
	Unit       string
	Units      []org.Unit
	By, Group  string
	GroupLabel string
}

// grouped reports whether the figures are of one location, court or team.
func (q figureQuery) grouped() bool { return q.By != "" && q.Group != "" }

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
	if err := s.readGroup(r, &q, &v); err != nil {
		return q, err
	}
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

// readGroup reads ?by= (location, court or team) and ?group= (one
// location's code, court or team's id, as the breakdowns key them).
func (s *Server) readGroup(r *http.Request, q *figureQuery, v *fault.Validation) error {
	q.By, q.Group = strings.TrimSpace(r.URL.Query().Get("by")), strings.TrimSpace(r.URL.Query().Get("group"))
	if q.By == "" {
		if q.Group != "" {
			v.Add("by", "Say what the group is of: by location, court or team")
		}
		return nil
	}
	if !slices.Contains(store.Dimensions, q.By) {
		v.Add("by", fmt.Sprintf("Break figures down by location, court or team, not %q", q.By))
		q.By, q.Group = "", ""
		return nil
	}
	if q.By == store.ByTeam && !access.Allows(principalOf(r), access.ReadOrganisation) {
		v.Add("by", "You may not see the division's teams")
		q.By, q.Group = "", ""
		return nil
	}
	if q.Group == "" {
		return nil
	}
	names, err := s.db.GroupNames(r.Context(), q.By)
	if err != nil {
		return err
	}
	label, ok := names[groupKey(q.Group)]
	if !ok {
		v.Add("group", fmt.Sprintf("There is no %s %q", q.By, q.Group))
		q.Group = ""
		return nil
	}
	q.GroupLabel = label
	return nil
}

// noGroup is how a query names the records with no court or team, whose
// breakdown key is empty.
const noGroup = "none"

// groupKey is the breakdown key of a chosen group.
func groupKey(group string) string {
	if group == noGroup {
		return ""
	}
	return group
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
	return s.figuresOver(r, q.Period.Series(trendLength), q, measures)
}

// seriesCounts counts each period of a series for the query's unit, or
// for its one location, court or team.
func (s *Server) seriesCounts(r *http.Request, series []measure.Period, q figureQuery) ([]measure.Counts, error) {
	counts := make([]measure.Counts, len(series))
	for i, period := range series {
		var err error
		if !q.grouped() {
			if counts[i], err = s.db.MeasureCounts(r.Context(), access.FiguresReader(principalOf(r)), period, q.Unit); err != nil {
				return nil, err
			}
			continue
		}
		groups, err := s.db.MeasureBreakdown(r.Context(), access.FiguresReader(principalOf(r)), period, q.Unit, q.By)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if g.Key == groupKey(q.Group) {
				counts[i] = g.Counts
			}
		}
	}
	return counts, nil
}

// figuresOver computes measures over a series of periods, oldest first:
// each figure is the last period's, with the series as its trend, its
// control limits and its benchmarks against the periods before.
func (s *Server) figuresOver(r *http.Request, series []measure.Period, q figureQuery, measures []measure.Measure) ([]measureFigure, error) {
	unit := q.Unit
	counts, err := s.seriesCounts(r, series, q)
	if err != nil {
		return nil, err
	}
	last := series[len(series)-1]
	out := make([]measureFigure, 0, len(measures))
	for _, m := range measures {
		values := make([]measure.Value, len(series))
		labels := make([]string, len(series))
		for i := range series {
			values[i], labels[i] = m.Compute(counts[i]), series[i].String()
		}
		v := values[len(values)-1]
		f := measureFigure{Code: m.Code, Name: m.Name, Period: last.Code(), PeriodLabel: last.String(), Unit: unit,
			Format: m.Format, Polarity: m.Polarity, Target: m.Target, Value: v.Value, Numerator: v.Numerator,
			Denominator: v.Denominator, RAG: v.RAG, Status: statusWords(v), Breakdown: v.Breakdown}
		if m.Format == measure.CountFormat {
			f.Share = v.Share()
		}
		f.Limits = measure.ControlLimits(m, values)
		f.Signals = f.Limits.Describe(labels, values, func(x *float64) string { return formatLimit(m.Format, x) })
		for i, period := range series {
			f.Series = append(f.Series, trendPoint{Period: period.Code(), Label: period.String(), Value: values[i].Value, RAG: values[i].RAG,
				Signal: f.Limits != nil && slices.Contains(f.Limits.Signals, i)})
		}
		b := measure.Benchmarks(m, values)
		f.OwnAverage, f.OwnBest = b.OwnAverage, b.OwnBest
		if b.BestIndex >= 0 {
			f.OwnBestPeriod = labels[b.BestIndex]
		}
		out = append(out, f)
	}
	return out, nil
}

// breakdowns fills in a casework measure's value by location and by
// court (a measure of one court is not broken down by court).
func (s *Server) breakdowns(r *http.Request, q figureQuery, m measure.Measure, f *measureFigure) error {
	if !store.IsCasework(m.Records.Source) || q.grouped() {
		return nil
	}
	for _, by := range store.Dimensions {
		if by == store.ByCourt && m.Records.Court != "" {
			continue
		}
		if by == store.ByTeam && !access.Allows(principalOf(r), access.ReadOrganisation) {
			continue
		}
		groups, err := s.db.MeasureBreakdown(r.Context(), access.FiguresReader(principalOf(r)), q.Period, q.Unit, by)
		if err != nil {
			return err
		}
		var out []groupFigure
		for _, g := range groups {
			v := m.Compute(g.Counts)
			out = append(out, groupFigure{Key: g.Key, Name: g.Label, Value: v.Value, RAG: v.RAG, Status: statusWords(v)})
		}
		switch by {
		case store.ByLocation:
			f.ByLocation = out
		case store.ByCourt:
			f.ByCourt = out
		case store.ByTeam:
			f.ByTeam = out
		}
	}
	return nil
}

// unitFigures is every unit's value of a measure for the period, for
// benchmarking one unit against the others; nil for a reader who may not
// see the units.
func (s *Server) unitFigures(r *http.Request, q figureQuery, m measure.Measure) ([]unitFigure, error) {
	if !access.Allows(principalOf(r), access.ReadOrganisation) {
		return nil, nil
	}
	var out []unitFigure
	for _, u := range q.Units {
		if !m.AppliesTo(u.Code) {
			continue
		}
		c, err := s.db.MeasureCounts(r.Context(), access.FiguresReader(principalOf(r)), q.Period, u.Code)
		if err != nil {
			return nil, err
		}
		v := m.Compute(c)
		out = append(out, unitFigure{Unit: u.Code, Name: u.Name, Value: v.Value, RAG: v.RAG, Status: statusWords(v)})
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

// applicable is the measures the reader may see that have a figure for a
// unit: the catalogue, or for a partner the measures shared with it.
func (s *Server) applicable(r *http.Request, unit string) ([]measure.Measure, error) {
	all, err := s.db.MeasuresFor(r.Context(), principalOf(r))
	if err != nil {
		return nil, err
	}
	var out []measure.Measure
	for _, m := range all {
		if m.AppliesTo(unit) {
			out = append(out, m)
		}
	}
	return out, nil
}

// lookupMeasure finds the {code} of a request's path among the measures
// the reader may see and checks that it applies to the unit asked for.
func (s *Server) lookupMeasure(r *http.Request, unit string) (measure.Measure, error) {
	m, err := s.db.MeasureFor(r.Context(), principalOf(r), r.PathValue("code"))
	if err != nil {
		return m, err
	}
	if !m.AppliesTo(unit) {
		var v fault.Validation
		v.Add("unit", fmt.Sprintf("%s is not measured for the unit %s: it applies to %s", m.Name, unit, strings.Join(m.Units, ", ")))
		return m, v.Err("The measure does not apply to that unit")
	}
	return m, nil
}

func (s *Server) apiMeasures(w http.ResponseWriter, r *http.Request) {
	measures, err := s.db.MeasuresFor(r.Context(), principalOf(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, measureCatalogue{Measures: nonNil(measures)})
}

func (s *Server) apiMeasure(w http.ResponseWriter, r *http.Request) {
	q, err := s.readFigureQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	m, err := s.lookupMeasure(r, q.Unit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if q.grouped() && !store.IsCasework(m.Records.Source) {
		var v fault.Validation
		v.Add("by", fmt.Sprintf("%s is not casework: it has no location, court or team", m.Name))
		s.apiError(w, r, v.Err("The measure does not break down"))
		return
	}
	figures, err := s.figures(r, q, []measure.Measure{m})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	figures[0].Group = q.GroupLabel
	if q.grouped() {
		writeJSON(w, http.StatusOK, figures[0])
		return
	}
	if figures[0].Units, err = s.unitFigures(r, q, m); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.breakdowns(r, q, m, &figures[0]); err != nil {
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
	m, err := s.lookupMeasure(r, q.Unit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	records, err := s.measureRecordsFor(r, &q, m)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, measureRecords{Code: m.Code, Period: q.Period.Code(), PeriodLabel: q.Period.String(),
		Unit: q.Unit, By: q.By, Group: q.Group, Records: nonNil(records)})
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

// formatLimit writes a control limit or centre: as formatValue, but a
// count's limit to one decimal place, since it need not be whole.
func formatLimit(format measure.Format, v *float64) string {
	if format == measure.CountFormat && v != nil && *v != math.Trunc(*v) {
		return fmt.Sprintf("%.1f", *v)
	}
	return formatValue(format, v)
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

// sparkline draws a trend as a small SVG line, with a period outside its
// control limits drawn as a square rather than a dot; the label is its
// text alternative, every period and value in words, and the signals. It
// draws only numbers it computes, so the markup is safe to write as is.
func sparkline(f measureFigure) template.HTML {
	return trendChart(f, 120, 28, false)
}

// controlChart draws a trend at full size with its control limits (dashed),
// its centre line (dotted) and its target (solid, thin), each period's
// value a dot and a signal a square.
func controlChart(f measureFigure) template.HTML {
	return trendChart(f, 600, 200, true)
}

func trendChart(f measureFigure, width, height float64, detailed bool) template.HTML {
	const pad = 3.0
	left, bottom := pad, pad
	if detailed {
		left, bottom = 70, 24
	}
	var words []string
	lo, hi, seen := 0.0, 0.0, false
	include := func(v *float64) {
		if v == nil {
			return
		}
		if !seen || *v < lo {
			lo = *v
		}
		if !seen || *v > hi {
			hi = *v
		}
		seen = true
	}
	for i, p := range f.Series {
		words = append(words, p.Label+": "+formatValue(f.Format, p.Value))
		include(p.Value)
		if detailed && f.Limits != nil {
			include(f.Limits.Lower[i])
			include(f.Limits.Upper[i])
		}
	}
	if detailed && f.Target != nil && seen {
		include(&f.Target.Value)
	}
	label := "Trend of " + f.Name + ", " + strings.Join(words, "; ")
	if f.Limits != nil && len(f.Limits.Signals) > 0 {
		label += ". " + f.Signals
	}
	label = template.HTMLEscapeString(label)
	step := (width - left - pad) / float64(max(len(f.Series)-1, 1))
	x := func(i int) float64 { return left + step*float64(i) }
	y := func(v float64) float64 {
		if hi <= lo {
			return (height - bottom) / 2
		}
		return pad + (height-bottom-2*pad)*(hi-v)/(hi-lo)
	}
	var b strings.Builder
	if detailed && f.Limits != nil {
		for _, side := range [][]*float64{f.Limits.Upper, f.Limits.Lower} {
			var pts []string
			for i, v := range side {
				if v != nil {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(*v)))
				}
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="currentColor" stroke-width="1" stroke-dasharray="6 4" points="%s"/>`, strings.Join(pts, " "))
		}
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="currentColor" stroke-width="1" stroke-dasharray="2 3"/>`,
			left, width-pad, y(f.Limits.Centre), y(f.Limits.Centre))
	}
	if detailed && f.Target != nil && seen {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="currentColor" stroke-width="0.5"/>`, left, width-pad, y(f.Target.Value), y(f.Target.Value))
	}
	var points []string
	for i, p := range f.Series {
		if p.Value != nil {
			points = append(points, fmt.Sprintf("%.1f,%.1f", x(i), y(*p.Value)))
		}
	}
	if len(points) > 0 {
		fmt.Fprintf(&b, `<polyline fill="none" stroke="currentColor" stroke-width="2" points="%s"/>`, strings.Join(points, " "))
	}
	for i, p := range f.Series {
		if p.Value == nil {
			continue
		}
		cx, cy := x(i), y(*p.Value)
		switch {
		case p.Signal:
			fmt.Fprintf(&b, `<rect class="app-chart__signal" x="%.1f" y="%.1f" width="8" height="8" fill="currentColor"/>`, cx-4, cy-4)
		case detailed || i == len(f.Series)-1:
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="currentColor"/>`, cx, cy)
		}
	}
	if detailed && seen {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="currentColor">%s</text>`, left-6, y(hi)+4, template.HTMLEscapeString(formatValue(f.Format, &hi)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="currentColor">%s</text>`, left-6, y(lo)+4, template.HTMLEscapeString(formatValue(f.Format, &lo)))
		if n := len(f.Series); n > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" fill="currentColor">%s</text>`, left, height-6, template.HTMLEscapeString(f.Series[0].Label))
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="currentColor">%s</text>`, width-pad, height-6, template.HTMLEscapeString(f.Series[n-1].Label))
		}
	}
	class := "app-sparkline"
	if detailed {
		class = "app-chart"
	}
	return template.HTML(fmt.Sprintf(`<svg class="%s" role="img" aria-label="%s" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" focusable="false"><title>%s</title>%s</svg>`,
		class, label, width, height, width, height, label, b.String()))
}
