package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/exchange"
	"caseboard/internal/pdfdoc"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// The register and the heat map for print: PDFs of what the filtered
// register and heat map pages show.

// printLimit is the most risks a register PDF lists: a printed register
// longer than this is better read as the spreadsheet export.
const printLimit = 2000

// riskRegisterPDF prints the register the filters select, highest current
// score first.
func (s *Server) riskRegisterPDF(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	risks, more, err := s.allRisks(r, f, printLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc := pdfdoc.New(pdfdoc.Options{Title: "Risk register", Subtitle: printSubtitle(r.URL.Query(), f), Generated: time.Now(), Landscape: true})
	summary := fmt.Sprintf("%d risks, highest current score first.", len(risks))
	if more {
		summary = fmt.Sprintf("The first %d risks, highest current score first; the spreadsheet export has them all.", len(risks))
	}
	doc.Paragraph(summary)
	rows := riskRows(risks, scale, apps, f.AsAt != nil)
	t := pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Reference", Width: 1.3}, {Header: "Risk", Width: 4}, {Header: "Category", Width: 1.3},
		{Header: "Unit", Width: 1.8}, {Header: "Owner", Width: 1.8}, {Header: "Current", Width: 1.3}, {Header: "Target", Width: 0.9, Right: true},
		{Header: "Next review", Width: 1.3}, {Header: "Flags", Width: 1.8}}}
	for _, rw := range rows {
		var flags []string
		if rw.Escalated {
			flags = append(flags, "Escalated")
		}
		if rw.AboveAppetite {
			flags = append(flags, "Above appetite")
		}
		if rw.ReviewOverdue {
			flags = append(flags, "Review overdue")
		}
		if rw.Status != risk.Open {
			flags = append(flags, rw.Status.Label())
		}
		unit := rw.UnitName
		if rw.LocationCode != "" {
			unit += ", " + rw.LocationCode
		}
		t.Rows = append(t.Rows, []string{rw.Reference, rw.Title, rw.Category.Label(), unit, rw.OwnerName,
			fmt.Sprintf("%d %s", rw.Current.Score(), rw.Band.Name), strconv.Itoa(rw.Target.Score()), rw.NextReview.Format("2 Jan 2006"), strings.Join(flags, ", ")})
	}
	t.Fill = func(row, col int) (pdfdoc.Colour, bool) {
		if col != 5 {
			return pdfdoc.Colour{}, false
		}
		return hexColour(rows[row].Band.Fill)
	}
	doc.Table(t)
	s.writeDocument(w, r, doc, "risk-register-"+today().Format("2006-01-02"))
}

// riskExport downloads the risks the filters select as an XLSX file in
// the import's columns, so it imports back.
func (s *Server) riskExport(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if _, err := exchange.ExportRisks(r.Context(), s.db, principalOf(r), &buf, "xlsx", f); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="risk-register-`+today().Format("2006-01-02")+`.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// allRisks reads up to limit risks the filter selects, page by page, and
// reports whether there were more.
func (s *Server) allRisks(r *http.Request, f store.RiskFilter, limit int) ([]risk.Risk, bool, error) {
	var out []risk.Risk
	f.Cursor, f.Limit = "", 500
	for {
		page, err := s.db.Risks(r.Context(), principalOf(r), f)
		if err != nil {
			return nil, false, err
		}
		out = append(out, page.Risks...)
		if page.Next == "" {
			return out, false, nil
		}
		if len(out) >= limit {
			return out[:limit], true, nil
		}
		f.Cursor = page.Next
	}
}

// riskHeatMapPDF prints the heat map of the risks the filters select: the
// 5x5 matrix coloured by band, likelihood 5 at the top as on the page.
func (s *Server) riskHeatMapPDF(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hm, err := s.db.RiskHeatMap(r.Context(), principalOf(r), f, r.URL.Query().Get("rating"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc := pdfdoc.New(pdfdoc.Options{Title: "Risk heat map", Subtitle: printSubtitle(r.URL.Query(), f), Generated: time.Now(), Landscape: true})
	doc.Paragraph(fmt.Sprintf("%d risks by their %s likelihood (rows) and impact (columns). Each cell is the number of risks; its colour is the band of its score.", hm.Total, hm.Rating))
	doc.Table(heatMapTable(hm))
	doc.Heading("Bands")
	bands := pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Band", Width: 2}, {Header: "Scores", Width: 1}}}
	for _, b := range hm.Scale.Bands {
		bands.Rows = append(bands.Rows, []string{b.Name, fmt.Sprintf("%d to %d", b.Min, b.Max)})
	}
	bands.Fill = func(row, col int) (pdfdoc.Colour, bool) {
		if col != 0 {
			return pdfdoc.Colour{}, false
		}
		return hexColour(hm.Scale.Bands[row].Fill)
	}
	doc.Table(bands)
	s.writeDocument(w, r, doc, "risk-heat-map-"+today().Format("2006-01-02"))
}

// heatMapTable lays the matrix out as a table: a row per likelihood, 5
// first, and a column per impact, each cell filled with its band's colour.
func heatMapTable(hm store.HeatMap) pdfdoc.Table {
	t := pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Likelihood \\ impact", Width: 2}}}
	for i := 1; i <= 5; i++ {
		t.Columns = append(t.Columns, pdfdoc.Column{Header: fmt.Sprintf("%d %s", i, hm.Scale.ImpactLabel(i)), Width: 1.2, Right: true})
	}
	for l := 5; l >= 1; l-- {
		row := []string{fmt.Sprintf("%d %s", l, hm.Scale.LikelihoodLabel(l))}
		for i := 1; i <= 5; i++ {
			row = append(row, strconv.Itoa(hm.Cells[l-1][i-1]))
		}
		t.Rows = append(t.Rows, row)
	}
	t.Fill = func(row, col int) (pdfdoc.Colour, bool) {
		if col == 0 {
			return pdfdoc.Colour{}, false
		}
		l, i := 5-row, col
		return hexColour(hm.Scale.Band(l * i).Fill)
	}
	return t
}

// printSubtitle says which risks a printed view shows.
func printSubtitle(q url.Values, f store.RiskFilter) string {
	var parts []string
	for _, k := range []string{"unit", "location", "category", "theme", "band", "status", "q"} {
		if v := q.Get(k); v != "" {
			parts = append(parts, k+" "+v)
		}
	}
	if f.OverdueReview {
		parts = append(parts, "review overdue")
	}
	if f.Escalated {
		parts = append(parts, "escalated")
	}
	when := "as at " + today().Format("2 January 2006")
	if f.AsAt != nil {
		when = "as at the end of " + f.AsAt.Format("2 January 2006")
	}
	if len(parts) == 0 {
		return "All live risks, " + when
	}
	return "Filtered by " + strings.Join(parts, ", ") + "; " + when
}
