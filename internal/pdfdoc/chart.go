package pdfdoc

import (
	"math"
	"strconv"
)

// Chart is a small line chart of one series: a measure's trend over the
// periods before it. A missing value (no data) breaks the line rather
// than being drawn as zero.
type Chart struct {
	Title  string     // above the chart, in bold
	Note   string     // under the title: the latest value and its status
	Labels []string   // one per value, oldest first; the first and last are printed
	Values []*float64 // nil is no data
	// Target, when set, is drawn as a dashed line across the chart.
	Target *float64
	// Format writes a value for the axis; plain numbers when nil.
	Format func(float64) string
	// Colour is the line's; dark grey when zero.
	Colour Colour
}

const (
	chartPlotHeight = 22.0 // mm: the plotting area
	chartTextHeight = 10.0 // mm: the title and note
	chartLabelsRoom = 4.0  // mm: the period labels under the plot
	chartGap        = 6.0  // mm between charts side by side
	axisRoom        = 12.0 // mm left of the plot for the axis values
)

// ChartHeight is the height one chart takes on the page.
const ChartHeight = chartTextHeight + chartPlotHeight + chartLabelsRoom + 3

// Charts lays charts out in a grid of the given number of columns (small
// multiples); a row of charts never splits across pages.
func (d *Document) Charts(charts []Chart, columns int) {
	columns = max(columns, 1)
	width := (d.contentWidth() - chartGap*float64(columns-1)) / float64(columns)
	for start := 0; start < len(charts); start += columns {
		d.ensureRoom(ChartHeight)
		y := d.pdf.GetY()
		for i, c := range charts[start:min(start+columns, len(charts))] {
			d.chart(c, margin+float64(i)*(width+chartGap), y, width)
		}
		d.pdf.SetXY(margin, y+ChartHeight)
	}
	d.pdf.Ln(2)
}

// chart draws one chart with its top left corner at x, y.
func (d *Document) chart(c Chart, x, y, width float64) {
	pdf := d.pdf
	pdf.SetXY(x, y)
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(width, 4.5, d.translate(c.Title), "", 2, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetTextColor(80, 90, 95)
	pdf.CellFormat(width, 4.5, d.translate(c.Note), "", 2, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)

	top := y + chartTextHeight
	left, plotWidth := x+axisRoom, width-axisRoom
	pdf.SetDrawColor(177, 180, 182)
	pdf.SetLineWidth(0.2)
	pdf.Line(left, top+chartPlotHeight, left+plotWidth, top+chartPlotHeight)
	pdf.Line(left, top, left, top+chartPlotHeight)

	low, high, ok := chartRange(c.Values, c.Target)
	if !ok {
		pdf.SetXY(left, top+chartPlotHeight/2-2)
		pdf.CellFormat(plotWidth, 4, "No data", "", 0, "C", false, 0, "")
		d.chartLabels(c, left, top, plotWidth)
		pdf.SetDrawColor(0, 0, 0)
		return
	}
	format := c.Format
	if format == nil {
		format = plainNumber
	}
	pdf.SetFont("Helvetica", "", 7)
	pdf.SetXY(x, top-1.5)
	pdf.CellFormat(axisRoom-1, 3, d.translate(format(high)), "", 0, "R", false, 0, "")
	pdf.SetXY(x, top+chartPlotHeight-1.5)
	pdf.CellFormat(axisRoom-1, 3, d.translate(format(low)), "", 0, "R", false, 0, "")

	at := func(i int, v float64) (float64, float64) {
		step := plotWidth
		if len(c.Values) > 1 {
			step = plotWidth / float64(len(c.Values)-1)
		}
		px := left + step*float64(i)
		if len(c.Values) == 1 {
			px = left + plotWidth/2
		}
		return px, top + chartPlotHeight - (v-low)/(high-low)*chartPlotHeight
	}
	if c.Target != nil {
		pdf.SetDrawColor(80, 90, 95)
		pdf.SetDashPattern([]float64{1, 1}, 0)
		_, ty := at(0, *c.Target)
		pdf.Line(left, ty, left+plotWidth, ty)
		pdf.SetDashPattern(nil, 0)
	}
	line := c.Colour
	if line == (Colour{}) {
		line = Colour{11, 12, 12}
	}
	pdf.SetDrawColor(line.R, line.G, line.B)
	pdf.SetFillColor(line.R, line.G, line.B)
	pdf.SetLineWidth(0.5)
	var prevX, prevY float64
	havePrev := false
	for i, v := range c.Values {
		if v == nil || math.IsNaN(*v) {
			havePrev = false
			continue
		}
		px, py := at(i, *v)
		if havePrev {
			pdf.Line(prevX, prevY, px, py)
		}
		pdf.Circle(px, py, 0.7, "F")
		prevX, prevY, havePrev = px, py, true
	}
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	d.chartLabels(c, left, top, plotWidth)
}

// chartLabels prints the first and last period under the plot.
func (d *Document) chartLabels(c Chart, left, top, plotWidth float64) {
	if len(c.Labels) == 0 {
		return
	}
	pdf := d.pdf
	pdf.SetFont("Helvetica", "", 7)
	pdf.SetTextColor(80, 90, 95)
	pdf.SetXY(left, top+chartPlotHeight+0.5)
	pdf.CellFormat(plotWidth/2, 3.5, d.translate(c.Labels[0]), "", 0, "L", false, 0, "")
	if len(c.Labels) > 1 {
		pdf.CellFormat(plotWidth/2, 3.5, d.translate(c.Labels[len(c.Labels)-1]), "", 0, "R", false, 0, "")
	}
	pdf.SetTextColor(0, 0, 0)
}

// chartRange is the span the vertical axis covers: every value and the
// target, widened when they are all equal so a flat line sits mid-chart.
func chartRange(values []*float64, target *float64) (low, high float64, ok bool) {
	low, high = math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if v != nil && !math.IsNaN(*v) {
			low, high, ok = min(low, *v), max(high, *v), true
		}
	}
	if !ok {
		return 0, 0, false
	}
	if target != nil {
		low, high = min(low, *target), max(high, *target)
	}
	if high == low {
		pad := math.Max(math.Abs(high)*0.1, 1)
		if low >= 0 && low-pad < 0 {
			return 0, high + pad, true
		}
		return low - pad, high + pad, true
	}
	return low, high, true
}

// plainNumber writes an axis value with at most two decimals.
func plainNumber(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
