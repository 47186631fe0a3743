package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"caseboard/internal/casework"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
)

// The Annex A table: the division's performance data in the shape of the
// inspection report's Annex A, on a page, as a spreadsheet and through the
// API, every figure and total computed from the records.

// annexParams are the query of the Annex A table.
var annexParams = []param{
	{Name: "to", Type: "string", Description: "The last month of the rolling twelve months, YYYY-MM; default last month."},
	{Name: "years", Type: "string", Description: "How many financial years before it to show, 0 to 5; default 2."},
}

// annexQuery is a request's last month and number of years, checked.
type annexQuery struct {
	To    string
	Years int
	Last  measure.Period
}

func (s *Server) readAnnexQuery(r *http.Request) (annexQuery, error) {
	var v fault.Validation
	q := annexQuery{To: strings.TrimSpace(r.URL.Query().Get("to")), Years: 2}
	if q.To == "" {
		q.To = casework.MonthOf(s.db.Now().AddDate(0, -1, 0))
	}
	last, err := measure.ParsePeriod(q.To)
	if err != nil || last.Kind != measure.Month {
		v.Add("to", "Enter the last month as YYYY-MM, for example 2018-06")
	}
	q.Last = last
	if raw := strings.TrimSpace(r.URL.Query().Get("years")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 5 {
			v.Add("years", "Enter a number of financial years from 0 to 5")
		}
		q.Years = n
	}
	return q, v.Err("The Annex A table could not be shown")
}

// annexA computes the table for a query over the records the reader may
// see.
func (s *Server) annexA(r *http.Request, q annexQuery) (measure.AnnexA, error) {
	return s.db.AnnexA(r.Context(), principalOf(r), q.Last, q.Years)
}

type annexPageData struct {
	To        string
	Years     int
	Annex     measure.AnnexA
	Sections  []annexSectionView
	ExportURL string
}

type annexSectionView struct {
	Title string
	Rows  []annexRowView
}

type annexRowView struct {
	Label          string
	Heading, Total bool
	Values         []string
}

func (s *Server) annexAPage(w http.ResponseWriter, r *http.Request) {
	q, err := s.readAnnexQuery(r)
	status := http.StatusOK
	p := s.newPage(r, "Annex A: division performance data", "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance"}}
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		p.Errors, status = fe, http.StatusUnprocessableEntity
		q = annexQuery{To: casework.MonthOf(s.db.Now().AddDate(0, -1, 0)), Years: 2}
		q.Last, _ = measure.ParsePeriod(q.To)
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "csv" && format != "xlsx" {
		s.fail(w, r, fieldFault("format", "Choose xlsx or csv"))
		return
	}
	annex, err := s.annexA(r, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format != "" && status == http.StatusOK {
		s.writeAnnexA(w, annex, format, q)
		return
	}
	data := annexPageData{To: r.URL.Query().Get("to"), Years: q.Years, Annex: annex,
		ExportURL: fmt.Sprintf("/performance/annex-a?to=%s&years=%d", q.Last.Code(), q.Years)}
	if data.To == "" {
		data.To = q.To
	}
	for _, sec := range annex.Sections {
		view := annexSectionView{Title: sec.Title}
		for _, row := range sec.Rows {
			rv := annexRowView{Label: row.Label, Heading: row.Heading, Total: row.Total}
			for _, v := range row.Values {
				rv.Values = append(rv.Values, formatValue(row.Format, v))
			}
			view.Rows = append(view.Rows, rv)
		}
		data.Sections = append(data.Sections, view)
	}
	p.Data = data
	s.renderStatus(w, r, status, "annex-a", p)
}

// writeAnnexA downloads the table: one row per line of the annex and a
// column per period, rates as fractions.
func (s *Server) writeAnnexA(w http.ResponseWriter, annex measure.AnnexA, format string, q annexQuery) {
	contentType := "text/csv; charset=utf-8"
	if format == "xlsx" {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="annex-a-to-%s.%s"`, q.Last.Code(), format))
	if err := exchange.WriteAnnexA(w, format, annex); err != nil {
		s.log.Error("annex a", "err", err)
	}
}

func (s *Server) apiAnnexA(w http.ResponseWriter, r *http.Request) {
	q, err := s.readAnnexQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	annex, err := s.annexA(r, q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, annex)
}
