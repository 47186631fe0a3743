package server

import (
	"html/template"
	"net/http"
	"net/url"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// The Performance pages: every measure's figure for a period and unit,
// against target, with its trend, each figure opening to its records.

type performancePageData struct {
	Period, PeriodLabel, Unit string
	Units                     []org.Unit
	Rows                      []performanceRow
	// ReadOrganisation: the reader may see the units' returns.
	ReadOrganisation bool
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
}

type trendCell struct{ Label, Value string }

func (s *Server) performancePage(w http.ResponseWriter, r *http.Request) {
	q, err := s.readFigureQuery(r)
	status := http.StatusOK
	p := s.newPage(r, "Performance", "/performance")
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		p.Errors, status = fe, http.StatusUnprocessableEntity
		q.Period, q.Unit = measure.YearOf(s.db.Now()), ""
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	figures, err := s.figures(r, q, applicable(q.Unit))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := performancePageData{Period: r.URL.Query().Get("period"), PeriodLabel: q.Period.String(), Unit: r.URL.Query().Get("unit"), Units: q.Units,
		ReadOrganisation: access.Allows(principalOf(r), access.ReadOrganisation)}
	if data.Period == "" {
		data.Period = q.Period.Code()
	}
	for _, f := range figures {
		m, _ := measure.Lookup(f.Code)
		row := performanceRow{Code: f.Code, Name: f.Name, Definition: m.Definition, Value: formatValue(f.Format, f.Value),
			Target: "None", Status: f.Status, RAG: f.RAG, Trend: sparkline(f), RecordsURL: recordsURL(f.Code, q)}
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

func recordsURL(code string, q figureQuery) string {
	v := url.Values{"period": {q.Period.Code()}}
	if q.Unit != "" {
		v.Set("unit", q.Unit)
	}
	return "/performance/" + url.PathEscape(code) + "?" + v.Encode()
}

type measureRecordsPageData struct {
	Measure     measure.Measure
	PeriodLabel string
	Unit        string
	Value       string
	Records     []measure.Record
	BackURL     string
}

func (s *Server) measureRecordsPage(w http.ResponseWriter, r *http.Request) {
	q, err := s.readFigureQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := lookupMeasure(r, q.Unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures, err := s.figures(r, q, []measure.Measure{m})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	records, err := s.db.MeasureRecords(r.Context(), principalOf(r), m.Code, q.Period, q.Unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := url.Values{"period": {q.Period.Code()}}
	if q.Unit != "" {
		back.Set("unit", q.Unit)
	}
	p := s.newPage(r, m.Name+", "+q.Period.String(), "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance?" + back.Encode()}}
	p.Data = measureRecordsPageData{Measure: m, PeriodLabel: q.Period.String(), Unit: q.Unit,
		Value: formatValue(m.Format, figures[0].Value), Records: records, BackURL: "/performance?" + back.Encode()}
	s.render(w, r, "performance-records", p)
}
