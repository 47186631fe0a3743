package server

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// The Performance pages: every measure's figure for a period and unit,
// against target, with its trend, each figure opening to its records.

type performancePageData struct {
	Period, PeriodLabel, Unit string
	Units                     []org.Unit
	Rows                      []performanceRow
	// ReadOrganisation: the reader may see the units' returns and teams.
	ReadOrganisation bool
	// By is the breakdown asked for (?by=location, court or team), and
	// Breakdown the casework measures' values by it.
	By, ByLocationURL, ByCourtURL, ByTeamURL string
	Breakdown                                *dashboardBreakdown
	// Group is the one location, court or team the dashboard is of
	// (?by=...&group=...), with the way back to the whole.
	Group, WholeURL string
	// ByParam and GroupParam keep the group when the period or unit changes.
	ByParam, GroupParam string
}

// dashboardBreakdown is the casework measures by location, court or team:
// a column per group, a row per measure.
type dashboardBreakdown struct {
	Dimension string
	Groups    []link
	Rows      []breakdownRow
}

type breakdownRow struct {
	Name   string
	Values []string
}

// performanceRow is one measure's line of the dashboard, written out.
type performanceRow struct {
	Code, Name, Definition string
	Value, Target, Status  string
	RAG                    measure.RAG
	Share                  string
	RecordsURL             string
	Trend                  template.HTML
	Series                 []trendCell
	Signals                string // the trend against its control limits, in words
}

type trendCell struct{ Label, Value string }

func (s *Server) performancePage(w http.ResponseWriter, r *http.Request) {
	q, err := s.readFigureQuery(r)
	status := http.StatusOK
	p := s.newPage(r, "Performance", "/performance")
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		p.Errors, status = fe, http.StatusUnprocessableEntity
		q.Period, q.Unit, q.By, q.Group = measure.YearOf(s.db.Now()), "", "", ""
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	measures, err := s.applicable(r, q.Unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.grouped() {
		measures = groupMeasures(measures, q)
	}
	figures, err := s.figures(r, q, measures)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := performancePageData{Period: r.URL.Query().Get("period"), PeriodLabel: q.Period.String(), Unit: r.URL.Query().Get("unit"), Units: q.Units,
		ReadOrganisation: access.Allows(principalOf(r), access.ReadOrganisation), Group: q.GroupLabel}
	if data.Period == "" {
		data.Period = q.Period.Code()
	}
	data.ByLocationURL, data.ByCourtURL, data.ByTeamURL = dashboardURL(q, store.ByLocation, ""), dashboardURL(q, store.ByCourt, ""), dashboardURL(q, store.ByTeam, "")
	data.WholeURL = dashboardURL(q, "", "")
	if q.grouped() {
		data.ByParam, data.GroupParam = q.By, q.Group
	}
	if status == http.StatusOK && q.By != "" && !q.grouped() {
		data.By = q.By
		if data.Breakdown, err = s.dashboardBreakdown(r, q); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	for _, f := range figures {
		m, _ := measure.Lookup(f.Code)
		row := performanceRow{Code: f.Code, Name: f.Name, Definition: m.Definition, Value: formatValue(f.Format, f.Value),
			Target: "None", Status: f.Status, RAG: f.RAG, Trend: sparkline(f), RecordsURL: recordsURL(f.Code, q), Signals: f.Signals}
		if f.Target != nil {
			row.Target = formatValue(f.Format, &f.Target.Value)
		}
		if f.Share != nil {
			row.Share = formatValue(measure.RateFormat, f.Share)
		}
		for _, pt := range f.Series {
			row.Series = append(row.Series, trendCell{Label: pt.Label, Value: formatValue(f.Format, pt.Value)})
		}
		data.Rows = append(data.Rows, row)
	}
	p.Data = data
	s.renderStatus(w, r, status, "performance-dashboard", p)
}

// groupMeasures keeps the casework measures, the only ones with a
// location, court and team, and of a court's the ones of that court.
func groupMeasures(measures []measure.Measure, q figureQuery) []measure.Measure {
	var out []measure.Measure
	for _, m := range measures {
		if !store.IsCasework(m.Records.Source) {
			continue
		}
		if q.By == store.ByCourt && m.Records.Court != "" && string(m.Records.Court) != groupKey(q.Group) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// dashboardURL is the dashboard for the query's period and unit, broken
// down by a dimension, or of one group of it.
func dashboardURL(q figureQuery, by, group string) string {
	v := url.Values{"period": {q.Period.Code()}}
	if q.Unit != "" {
		v.Set("unit", q.Unit)
	}
	if by != "" {
		v.Set("by", by)
	}
	if group != "" {
		v.Set("group", group)
	}
	return "/performance?" + v.Encode()
}

// dashboardBreakdown computes every casework measure that applies to the
// query's unit for each location, court or team its records carry; each
// group's name opens the dashboard of that group alone, with its trends
// and targets.
func (s *Server) dashboardBreakdown(r *http.Request, q figureQuery) (*dashboardBreakdown, error) {
	groups, err := s.db.MeasureBreakdown(r.Context(), access.FiguresReader(principalOf(r)), q.Period, q.Unit, q.By)
	if err != nil {
		return nil, err
	}
	b := &dashboardBreakdown{Dimension: map[string]string{store.ByLocation: "Location", store.ByCourt: "Court", store.ByTeam: "Team"}[q.By]}
	for _, g := range groups {
		key := g.Key
		if key == "" {
			key = noGroup
		}
		b.Groups = append(b.Groups, link{g.Label, dashboardURL(q, q.By, key)})
	}
	measures, err := s.applicable(r, q.Unit)
	if err != nil {
		return nil, err
	}
	for _, m := range measures {
		if !store.IsCasework(m.Records.Source) {
			continue
		}
		row := breakdownRow{Name: m.Name}
		for _, g := range groups {
			row.Values = append(row.Values, formatValue(m.Format, m.Compute(g.Counts).Value))
		}
		b.Rows = append(b.Rows, row)
	}
	return b, nil
}

func recordsURL(code string, q figureQuery) string {
	v := url.Values{"period": {q.Period.Code()}}
	if q.Unit != "" {
		v.Set("unit", q.Unit)
	}
	if q.grouped() {
		v.Set("by", q.By)
		v.Set("group", q.Group)
	}
	return "/performance/" + url.PathEscape(code) + "?" + v.Encode()
}

// measureRecordsFor is the records a measure's figure counts: of one
// location, court or team when the query names one and the measure is
// counted from casework (the only records that have them), else of the
// query's unit, with the group dropped from the query so that the figure
// shown beside them is the unit's too.
func (s *Server) measureRecordsFor(r *http.Request, q *figureQuery, m measure.Measure) ([]measure.Record, error) {
	if !store.IsCasework(m.Records.Source) {
		q.By, q.Group, q.GroupLabel = "", "", ""
	}
	if q.grouped() {
		return s.db.MeasureGroupRecords(r.Context(), principalOf(r), m.Code, q.Period, q.Unit, q.By, groupKey(q.Group))
	}
	return s.db.MeasureRecords(r.Context(), principalOf(r), m.Code, q.Period, q.Unit)
}

type measureRecordsPageData struct {
	Measure     measure.Measure
	PeriodLabel string
	Unit        string
	Value       string
	Records     []measure.Record
	BackURL     string
	// The value against its benchmarks, and its trends with their
	// control limits.
	Benchmarks []benchmarkRow
	Units      []unitRow
	Trends     []trendView
	// Breakdowns by location and by court, for casework measures.
	Breakdowns []breakdownView
	// Shares is whom the measure is shared with; nil for partners.
	Shares *measureSharesView
}

// breakdownView is the value by location or by court, written out.
type breakdownView struct {
	Title, Dimension string
	Rows             []unitRow
}

// benchmarkRow is one line of a figure's benchmarks, written out.
type benchmarkRow struct{ Label, Value, Note string }

// unitRow is one unit's figure for the period, written out.
type unitRow struct {
	Name, Value, Status string
	RAG                 measure.RAG
	This                bool // the unit the page is about
}

// trendView is one trend of a measure (month on month, quarter on
// quarter) with its control chart, written out.
type trendView struct {
	Title   string
	Chart   template.HTML
	Signals string
	Method  string
	Rows    []controlRow
}

type controlRow struct {
	Label, Value, Lower, Upper string
	Signal                     bool
}

func (s *Server) measureRecordsPage(w http.ResponseWriter, r *http.Request) {
	s.renderMeasurePage(w, r, http.StatusOK, nil)
}

// renderMeasurePage writes a measure's page: its figure, benchmarks,
// trends and records, and whom it is shared with; formErr is a refused
// share form's errors, shown on the page.
func (s *Server) renderMeasurePage(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	q, err := s.readFigureQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.lookupMeasure(r, q.Unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	records, err := s.measureRecordsFor(r, &q, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures, err := s.figures(r, q, []measure.Measure{m})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := url.Values{"period": {q.Period.Code()}}
	if q.Unit != "" {
		back.Set("unit", q.Unit)
	}
	periodLabel, backURL := q.Period.String(), "/performance?"+back.Encode()
	if q.grouped() {
		periodLabel, backURL = q.GroupLabel+", "+periodLabel, dashboardURL(q, q.By, q.Group)
	}
	data := measureRecordsPageData{Measure: m, PeriodLabel: periodLabel, Unit: q.Unit,
		Value: formatValue(m.Format, figures[0].Value), Records: records, BackURL: backURL}
	if err := s.addBenchmarks(r, q, m, figures[0], &data); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.addShares(r, q, m, &data); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, m.Name+", "+periodLabel, "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance?" + back.Encode()}}
	p.Notice = r.URL.Query().Get("done")
	if formErr != nil {
		p.Errors = formErr
	}
	p.Data = data
	s.renderStatus(w, r, status, "performance-records", p)
}

// measureSharesView is whom a measure is shared with, for the division's
// own readers, and the form to share it for those who may.
type measureSharesView struct {
	Shares   []store.MeasureShare
	MayShare bool
	Partners []org.Partner // those it is not shared with yet
	Action   string
}

// addShares lists the partners a measure is shared with, to readers who
// may see the organisation (a partner never learns of other partners).
func (s *Server) addShares(r *http.Request, q figureQuery, m measure.Measure, data *measureRecordsPageData) error {
	p := principalOf(r)
	if !access.Allows(p, access.ReadOrganisation) {
		return nil
	}
	shares, err := s.db.MeasureShares(r.Context(), m.Code)
	if err != nil {
		return err
	}
	view := &measureSharesView{Shares: shares, Action: "/performance/" + url.PathEscape(m.Code) + "/shares?" + url.Values{"period": {q.Period.Code()}}.Encode()}
	var unitIDs []int64
	for _, u := range q.Units {
		if slices.Contains(m.Units, u.Code) {
			unitIDs = append(unitIDs, u.ID)
		}
	}
	if view.MayShare = access.CanShareMeasure(p, unitIDs); view.MayShare {
		partners, err := s.db.Partners(r.Context())
		if err != nil {
			return err
		}
		for _, pt := range partners {
			if !slices.ContainsFunc(shares, func(sh store.MeasureShare) bool { return sh.Partner == pt.Code }) {
				view.Partners = append(view.Partners, pt)
			}
		}
	}
	data.Shares = view
	return nil
}

// Trend lengths of a measure's page: a year of months, two years of
// quarters.
const monthsShown, quartersShown = 12, 8

// addBenchmarks puts on a measure's page its value against target, its
// own average and best and the other units, and its trends month on month
// and quarter on quarter to the period's end, with control limits.
func (s *Server) addBenchmarks(r *http.Request, q figureQuery, m measure.Measure, f measureFigure, data *measureRecordsPageData) error {
	target := "None"
	if m.Target != nil {
		target = formatValue(m.Format, &m.Target.Value)
	}
	best := benchmarkRow{Label: "Own best", Value: "None", Note: "A measure with no better direction has no best"}
	if m.Polarity != measure.Neutral {
		best.Value, best.Note = formatValue(m.Format, f.OwnBest), f.OwnBestPeriod
	}
	data.Benchmarks = []benchmarkRow{
		{Label: "This period", Value: formatValue(m.Format, f.Value), Note: f.Status},
		{Label: "Target", Value: target},
		{Label: "Own average", Value: formatValue(m.Format, f.OwnAverage), Note: fmt.Sprintf("the %d periods before", len(f.Series)-1)},
		best,
	}
	units, err := s.unitFigures(r, q, m)
	if err != nil {
		return err
	}
	for _, u := range units {
		data.Units = append(data.Units, unitRow{Name: u.Name, Value: formatValue(m.Format, u.Value), Status: u.Status, RAG: u.RAG, This: u.Unit == q.Unit})
	}
	if err := s.breakdowns(r, q, m, &f); err != nil {
		return err
	}
	for _, b := range []struct {
		dimension string
		groups    []groupFigure
	}{{"Location", f.ByLocation}, {"Court", f.ByCourt}} {
		if len(b.groups) == 0 {
			continue
		}
		view := breakdownView{Title: "By " + strings.ToLower(b.dimension) + ", " + q.Period.String(), Dimension: b.dimension}
		for _, g := range b.groups {
			view.Rows = append(view.Rows, unitRow{Name: g.Name, Value: formatValue(m.Format, g.Value), Status: g.Status, RAG: g.RAG})
		}
		data.Breakdowns = append(data.Breakdowns, view)
	}
	for _, t := range []struct {
		title  string
		series []measure.Period
	}{
		{"Month on month", measure.MonthOf(q.Period.End).Series(monthsShown)},
		{"Quarter on quarter", measure.QuarterOf(q.Period.End).Series(quartersShown)},
	} {
		figures, err := s.figuresOver(r, t.series, q, []measure.Measure{m})
		if err != nil {
			return err
		}
		tf := figures[0]
		view := trendView{Title: t.title, Chart: controlChart(tf), Signals: tf.Signals}
		for i, pt := range tf.Series {
			row := controlRow{Label: pt.Label, Value: formatValue(m.Format, pt.Value), Signal: pt.Signal, Lower: "–", Upper: "–"}
			if tf.Limits != nil && tf.Limits.Lower[i] != nil {
				row.Lower, row.Upper = formatLimit(m.Format, tf.Limits.Lower[i]), formatLimit(m.Format, tf.Limits.Upper[i])
			}
			view.Rows = append(view.Rows, row)
		}
		data.Trends = append(data.Trends, view)
	}
	return nil
}
