// Package chart draws caseboard's printed charts and posters once, against
// a small Canvas: a PDF page (internal/pdfdoc) and a PNG image (Raster,
// here) are both canvases, so a poster and its charts come out the same
// in either format and at any page size, with no browser to render them.
//
// Coordinates are millimetres from the page's top left corner; text sizes
// are points.
package chart

import (
	"math"
	"strconv"
	"strings"
)

// Colour is an RGB colour.
type Colour struct{ R, G, B int }

// Colours the charts use.
var (
	Black = Colour{11, 12, 12}
	Grey  = Colour{80, 90, 95} // secondary text, the target line
	Rule  = Colour{177, 180, 182}
)

// Align places a line of text in its box.
type Align int

const (
	Left Align = iota
	Centre
	Right
)

// Canvas is a page to draw on.
type Canvas interface {
	// Size is the page's width and height in millimetres.
	Size() (width, height float64)
	// Line draws a straight line; dash, when above zero, is the length
	// of its dashes and gaps.
	Line(x1, y1, x2, y2, width float64, c Colour, dash float64)
	// Dot fills a circle.
	Dot(x, y, radius float64, c Colour)
	// Text writes one line of text in a box whose top left corner is at
	// x, y, width wide and LineHeight(size) high, vertically centred.
	Text(x, y, width, size float64, bold bool, c Colour, align Align, s string)
	// TextWidth is how wide the text is, in millimetres.
	TextWidth(size float64, bold bool, s string) float64
}

// pointMM is one typographic point in millimetres.
const pointMM = 25.4 / 72

// LineHeight is the height of a line of text of the size.
func LineHeight(size float64) float64 { return size * pointMM * 1.3 }

// Wrap breaks text into lines no wider than width, at spaces; a word
// wider than the width has a line of its own.
func Wrap(c Canvas, text string, width, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			next := word
			if line != "" {
				next = line + " " + word
			}
			if line != "" && c.TextWidth(size, bold, next) > width {
				lines = append(lines, line)
				next = word
			}
			line = next
		}
		lines = append(lines, line)
	}
	return lines
}

// Paragraph writes wrapped text from x, y and returns its height.
func Paragraph(c Canvas, x, y, width, size float64, bold bool, colour Colour, text string) float64 {
	h := LineHeight(size)
	lines := Wrap(c, text, width, size, bold)
	for i, line := range lines {
		c.Text(x, y+float64(i)*h, width, size, bold, colour, Left, line)
	}
	return float64(len(lines)) * h
}

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
	// Colour is the line's; near black when zero.
	Colour Colour
}

// Sizes of a chart at scale 1 (an A4 page), in millimetres.
const (
	plotHeight = 22.0 // the plotting area
	textHeight = 10.0 // the title and note
	labelsRoom = 4.0  // the period labels under the plot
	axisRoom   = 12.0 // left of the plot, for the axis values
	// Gap is the room between charts side by side.
	Gap = 6.0
)

// Height is the height one chart takes at the scale.
func Height(scale float64) float64 { return (textHeight + plotHeight + labelsRoom + 3) * scale }

// Draw draws a chart with its top left corner at x, y, width wide, its
// sizes multiplied by scale (1 for A4; √2 for A3).
func Draw(cv Canvas, c Chart, x, y, width, scale float64) {
	cv.Text(x, y, width, 9*scale, true, Black, Left, c.Title)
	cv.Text(x, y+4.5*scale, width, 8*scale, false, Grey, Left, c.Note)

	top := y + textHeight*scale
	plot := plotHeight * scale
	left, plotWidth := x+axisRoom*scale, width-axisRoom*scale
	cv.Line(left, top+plot, left+plotWidth, top+plot, 0.2*scale, Rule, 0)
	cv.Line(left, top, left, top+plot, 0.2*scale, Rule, 0)
	defer drawLabels(cv, c, left, top+plot, plotWidth, scale)

	low, high, ok := valueRange(c.Values, c.Target)
	if !ok {
		cv.Text(left, top+plot/2-LineHeight(8*scale)/2, plotWidth, 8*scale, false, Black, Centre, "No data")
		return
	}
	format := c.Format
	if format == nil {
		format = plainNumber
	}
	axis := 7 * scale
	cv.Text(x, top-LineHeight(axis)/2, axisRoom*scale-1*scale, axis, false, Black, Right, format(high))
	cv.Text(x, top+plot-LineHeight(axis)/2, axisRoom*scale-1*scale, axis, false, Black, Right, format(low))

	at := func(i int, v float64) (float64, float64) {
		px := left + plotWidth/2
		if len(c.Values) > 1 {
			px = left + plotWidth/float64(len(c.Values)-1)*float64(i)
		}
		return px, top + plot - (v-low)/(high-low)*plot
	}
	if c.Target != nil {
		_, ty := at(0, *c.Target)
		cv.Line(left, ty, left+plotWidth, ty, 0.2*scale, Grey, 1*scale)
	}
	line := c.Colour
	if line == (Colour{}) {
		line = Black
	}
	var prevX, prevY float64
	havePrev := false
	for i, v := range c.Values {
		if v == nil || math.IsNaN(*v) {
			havePrev = false
			continue
		}
		px, py := at(i, *v)
		if havePrev {
			cv.Line(prevX, prevY, px, py, 0.5*scale, line, 0)
		}
		cv.Dot(px, py, 0.7*scale, line)
		prevX, prevY, havePrev = px, py, true
	}
}

// drawLabels prints the first and last period under the plot.
func drawLabels(cv Canvas, c Chart, left, bottom, plotWidth, scale float64) {
	if len(c.Labels) == 0 {
		return
	}
	size := 7 * scale
	cv.Text(left, bottom+0.5*scale, plotWidth/2, size, false, Grey, Left, c.Labels[0])
	if len(c.Labels) > 1 {
		cv.Text(left+plotWidth/2, bottom+0.5*scale, plotWidth/2, size, false, Grey, Right, c.Labels[len(c.Labels)-1])
	}
}

// valueRange is the span the vertical axis covers: every value and the
// target, widened when they are all equal so a flat line sits mid-chart.
func valueRange(values []*float64, target *float64) (low, high float64, ok bool) {
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
