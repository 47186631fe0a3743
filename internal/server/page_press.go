package server

import (
	"fmt"
	"net/http"
	"time"

	"caseboard/internal/spreadsheet"
)

// pressList downloads the sensitive case log as the press office receives
// it, as XLSX (the default) or CSV.
func (s *Server) pressList(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if format != "xlsx" && format != "csv" {
		s.fail(w, r, fieldFault("format", "Choose xlsx or csv"))
		return
	}
	entries, err := s.db.PressList(r.Context(), principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contentType := "text/csv; charset=utf-8"
	if format == "xlsx" {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="press-list-%s.%s"`, time.Now().Format("2006-01-02"), format))
	w.Header().Set("Cache-Control", "no-store")
	out, err := spreadsheet.NewWriter(w, format, "Press list")
	if err != nil {
		s.log.Error("press list", "err", err)
		return
	}
	out.WriteHeader([]string{"reference", "title", "unit", "location", "court_centre", "next_hearing", "lawyer", "why_sensitive", "opened_on"})
	text := spreadsheet.Text
	for _, e := range entries {
		next := text("")
		if e.NextHearing != nil {
			next = spreadsheet.Date(*e.NextHearing)
		}
		out.WriteCells([]spreadsheet.Cell{text(e.Reference), text(e.Title), text(e.Unit), text(e.Location), text(e.CourtCentre), next,
			text(e.Lawyer), text(e.Reason), spreadsheet.Date(e.OpenedOn)})
	}
	if err := out.Close(); err != nil {
		s.log.Error("press list", "err", err)
	}
}
