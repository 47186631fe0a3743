// Package pdfdoc writes caseboard's printable documents: A4 pages with a
// title, headings, paragraphs, facts and tables that carry on across pages.
// The reports that go to a Board or an inspectorate are printed and filed,
// so each page says what it is part of, when it was made and its number.
//
// The standard PDF fonts are used, so nothing is embedded and a document is
// small; their character set is Windows-1252, and any character outside it
// prints as a full stop rather than breaking the document.
package pdfdoc

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"caseboard/internal/chart"

	"github.com/go-pdf/fpdf"
)

// Options describe the document as a whole.
type Options struct {
	Title     string    // on the first page and in every footer
	Subtitle  string    // under the title: the unit, the period, the date as at
	Generated time.Time // when the figures were read; printed in every footer
	Landscape bool      // for wide tables
}

// Colour is an RGB fill for a table cell or a chart's line.
type Colour = chart.Colour

// Column is one column of a table. Width is relative: the widths of a
// table's columns share the page's width in proportion.
type Column struct {
	Header string
	Width  float64
	Right  bool // numbers align right
}

// Table is a table that repeats its header row on every page it reaches.
type Table struct {
	Columns []Column
	Rows    [][]string
	// Fill, when set, gives a cell's background; ok false leaves it white.
	Fill func(row, col int) (c Colour, ok bool)
}

const (
	margin     = 15.0 // mm
	lineHeight = 5.0  // mm, for 10 pt text
	cellPad    = 1.5  // mm
)

// Document is one PDF being written. Its methods record the first error
// and do nothing after it; Write reports it.
type Document struct {
	pdf       *fpdf.Fpdf
	translate func(string) string
}

// New starts a document with its title block on the first page.
func New(opts Options) *Document {
	orientation := "P"
	if opts.Landscape {
		orientation = "L"
	}
	pdf := fpdf.New(orientation, "mm", "A4", "")
	d := &Document{pdf: pdf, translate: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+5)
	pdf.SetTitle(opts.Title, true)
	pdf.SetCreator("caseboard", true)
	pdf.SetLang("en-GB")
	if !opts.Generated.IsZero() {
		pdf.SetCreationDate(opts.Generated)
		pdf.SetModificationDate(opts.Generated)
	}
	pdf.AliasNbPages("{pages}")
	pdf.SetFooterFunc(func() { d.footer(opts) })
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 20)
	pdf.MultiCell(0, 9, d.translate(opts.Title), "", "L", false)
	if opts.Subtitle != "" {
		pdf.SetFont("Helvetica", "", 12)
		pdf.SetTextColor(80, 90, 95)
		pdf.MultiCell(0, 6, d.translate(opts.Subtitle), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(4)
	return d
}

func (d *Document) footer(opts Options) {
	pdf := d.pdf
	pdf.SetY(-margin)
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetTextColor(80, 90, 95)
	left := opts.Title
	if !opts.Generated.IsZero() {
		left += " - produced " + opts.Generated.Format("2 January 2006 15:04")
	}
	pdf.CellFormat(0, 4, d.translate(left), "", 0, "L", false, 0, "")
	pdf.SetX(margin)
	pdf.CellFormat(0, 4, fmt.Sprintf("Page %d of {pages}", pdf.PageNo()), "", 0, "R", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
}

// Heading starts a section.
func (d *Document) Heading(text string) {
	d.ensureRoom(20)
	d.pdf.Ln(2)
	d.pdf.SetFont("Helvetica", "B", 14)
	d.pdf.MultiCell(0, 7, d.translate(text), "", "L", false)
	d.pdf.Ln(1)
}

// Subheading starts a part of a section.
func (d *Document) Subheading(text string) {
	d.ensureRoom(15)
	d.pdf.SetFont("Helvetica", "B", 11)
	d.pdf.MultiCell(0, 6, d.translate(text), "", "L", false)
}

// Paragraph writes wrapped body text.
func (d *Document) Paragraph(text string) {
	d.pdf.SetFont("Helvetica", "", 10)
	d.pdf.MultiCell(0, lineHeight, d.translate(text), "", "L", false)
	d.pdf.Ln(2)
}

// Facts writes label and value pairs, the labels in bold, one pair a line.
func (d *Document) Facts(pairs [][2]string) {
	width := d.contentWidth()
	for _, p := range pairs {
		d.ensureRoom(lineHeight)
		d.pdf.SetFont("Helvetica", "B", 10)
		d.pdf.CellFormat(width*0.35, lineHeight, d.translate(p[0]), "", 0, "L", false, 0, "")
		d.pdf.SetFont("Helvetica", "", 10)
		d.pdf.MultiCell(width*0.65, lineHeight, d.translate(p[1]), "", "L", false)
	}
	d.pdf.Ln(2)
}

// Table writes a table whose cells wrap; a row never splits across pages,
// and the header row is repeated at the top of each new page.
func (d *Document) Table(t Table) {
	widths := d.columnWidths(t.Columns)
	headers := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		headers[i] = c.Header
	}
	d.pdf.SetFont("Helvetica", "B", 9)
	d.ensureRoom(d.rowHeight(headers, widths) + lineHeight*2)
	d.tableRow(t, widths, -1, headers)
	for i, row := range t.Rows {
		d.pdf.SetFont("Helvetica", "", 9)
		height := d.rowHeight(row, widths)
		if d.pdf.GetY()+height > d.pageBottom() {
			d.pdf.AddPage()
			d.pdf.SetFont("Helvetica", "B", 9)
			d.tableRow(t, widths, -1, headers)
			d.pdf.SetFont("Helvetica", "", 9)
		}
		d.tableRow(t, widths, i, row)
	}
	d.pdf.Ln(3)
}

func (d *Document) tableRow(t Table, widths []float64, index int, cells []string) {
	pdf := d.pdf
	height := d.rowHeight(cells, widths)
	x, y := pdf.GetX(), pdf.GetY()
	for col, width := range widths {
		text := ""
		if col < len(cells) {
			text = cells[col]
		}
		fill := index < 0
		pdf.SetFillColor(243, 242, 241)
		if index >= 0 && t.Fill != nil {
			if c, ok := t.Fill(index, col); ok {
				pdf.SetFillColor(c.R, c.G, c.B)
				fill = true
			}
		}
		pdf.Rect(x, y, width, height, cellStyle(fill))
		align := "L"
		if t.Columns[col].Right {
			align = "R"
		}
		pdf.SetXY(x+cellPad, y+cellPad/2)
		pdf.MultiCell(width-2*cellPad, lineHeight-0.5, d.translate(text), "", align, false)
		x += width
	}
	pdf.SetXY(margin, y+height)
}

func cellStyle(fill bool) string {
	if fill {
		return "FD"
	}
	return "D"
}

func (d *Document) rowHeight(cells []string, widths []float64) float64 {
	lines := 1
	for col, width := range widths {
		if col >= len(cells) {
			break
		}
		n := len(d.pdf.SplitLines([]byte(d.translate(cells[col])), width-2*cellPad))
		lines = max(lines, n)
	}
	return float64(lines)*(lineHeight-0.5) + cellPad
}

func (d *Document) columnWidths(cols []Column) []float64 {
	total := 0.0
	for _, c := range cols {
		total += max(c.Width, 1)
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = d.contentWidth() * max(c.Width, 1) / total
	}
	return widths
}

func (d *Document) contentWidth() float64 {
	w, _ := d.pdf.GetPageSize()
	return w - 2*margin
}

func (d *Document) pageBottom() float64 {
	_, h := d.pdf.GetPageSize()
	return h - margin - 5
}

// ensureRoom starts a new page when less than height is left on this one,
// so a heading is never the last line of a page.
func (d *Document) ensureRoom(height float64) {
	if d.pdf.GetY()+height > d.pageBottom() {
		d.pdf.AddPage()
	}
}

// NewPage starts a new page.
func (d *Document) NewPage() { d.pdf.AddPage() }

// Write finishes the document and writes it to w.
func (d *Document) Write(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// Bytes finishes the document and returns it.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Pages is the number of pages written so far.
func (d *Document) Pages() int { return d.pdf.PageCount() }
