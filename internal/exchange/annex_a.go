package exchange

import (
	"io"

	"caseboard/internal/measure"
	"caseboard/internal/spreadsheet"
)

// WriteAnnexA writes the table as a spreadsheet: a row per line of the
// annex (headings left out), with its section, label and kind (count,
// rate, decimal or total), and a column per period; no data is empty.
func WriteAnnexA(w io.Writer, format string, annex measure.AnnexA) error {
	out, err := spreadsheet.NewWriter(w, format, "Annex A")
	if err != nil {
		return err
	}
	if err := out.WriteHeader(append([]string{"section", "row", "kind"}, annex.Columns...)); err != nil {
		return err
	}
	for _, sec := range annex.Sections {
		for _, row := range sec.Rows {
			if row.Heading {
				continue
			}
			kind := string(row.Format)
			if row.Total {
				kind = "total"
			}
			cells := []spreadsheet.Cell{spreadsheet.Text(sec.Title), spreadsheet.Text(row.Label), spreadsheet.Text(kind)}
			for _, v := range row.Values {
				if v == nil {
					cells = append(cells, spreadsheet.Text(""))
				} else {
					cells = append(cells, spreadsheet.Number(*v))
				}
			}
			if err := out.WriteCells(cells); err != nil {
				return err
			}
		}
	}
	return out.Close()
}
