package pdfdoc

import (
	"bytes"
	"time"

	"caseboard/internal/chart"

	"github.com/go-pdf/fpdf"
)

// Chart is a small line chart of one series (see internal/chart, which
// draws it the same on a PDF page and in a PNG image).
type Chart = chart.Chart

// Charts lays charts out in a grid of the given number of columns (small
// multiples); a row of charts never splits across pages.
func (d *Document) Charts(charts []Chart, columns int) {
	columns = max(columns, 1)
	width := (d.contentWidth() - chart.Gap*float64(columns-1)) / float64(columns)
	height := chart.Height(1)
	canvas := pageCanvas{pdf: d.pdf, translate: d.translate}
	for start := 0; start < len(charts); start += columns {
		d.ensureRoom(height)
		y := d.pdf.GetY()
		for i, c := range charts[start:min(start+columns, len(charts))] {
			chart.Draw(canvas, c, margin+float64(i)*(width+chart.Gap), y, width, 1)
		}
		d.pdf.SetXY(margin, y+height)
	}
	d.pdf.Ln(2)
}

// pageCanvas draws on the current page of a PDF, in the standard fonts.
type pageCanvas struct {
	pdf       *fpdf.Fpdf
	translate func(string) string
}

func (c pageCanvas) Size() (float64, float64) { return c.pdf.GetPageSize() }

func (c pageCanvas) Line(x1, y1, x2, y2, width float64, colour chart.Colour, dash float64) {
	c.pdf.SetDrawColor(colour.R, colour.G, colour.B)
	c.pdf.SetLineWidth(width)
	if dash > 0 {
		c.pdf.SetDashPattern([]float64{dash, dash}, 0)
	}
	c.pdf.Line(x1, y1, x2, y2)
	if dash > 0 {
		c.pdf.SetDashPattern(nil, 0)
	}
	c.pdf.SetDrawColor(0, 0, 0)
	c.pdf.SetLineWidth(0.2)
}

func (c pageCanvas) Dot(x, y, radius float64, colour chart.Colour) {
	c.pdf.SetFillColor(colour.R, colour.G, colour.B)
	c.pdf.Circle(x, y, radius, "F")
	c.pdf.SetFillColor(255, 255, 255)
}

func (c pageCanvas) Text(x, y, width, size float64, bold bool, colour chart.Colour, align chart.Align, s string) {
	c.font(size, bold)
	c.pdf.SetTextColor(colour.R, colour.G, colour.B)
	c.pdf.SetXY(x, y)
	c.pdf.CellFormat(width, chart.LineHeight(size), c.translate(s), "", 0, [...]string{"L", "C", "R"}[align], false, 0, "")
	c.pdf.SetTextColor(0, 0, 0)
}

func (c pageCanvas) TextWidth(size float64, bold bool, s string) float64 {
	c.font(size, bold)
	return c.pdf.GetStringWidth(c.translate(s))
}

func (c pageCanvas) font(size float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	c.pdf.SetFont("Helvetica", style, size)
}

// Sheet is a single page drawn freely rather than flowed: a poster. It
// is a chart.Canvas.
type Sheet struct {
	pageCanvas
}

// Page sizes a sheet can have.
const (
	A4 = "A4"
	A3 = "A3"
)

// NewSheet starts a one-page portrait document of the size (A4 or A3).
func NewSheet(size, title string, generated time.Time) *Sheet {
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(title, true)
	pdf.SetCreator("caseboard", true)
	pdf.SetLang("en-GB")
	if !generated.IsZero() {
		pdf.SetCreationDate(generated)
		pdf.SetModificationDate(generated)
	}
	pdf.AddPage()
	return &Sheet{pageCanvas{pdf: pdf, translate: pdf.UnicodeTranslatorFromDescriptor("")}}
}

// Bytes is the finished PDF.
func (s *Sheet) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := s.pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
