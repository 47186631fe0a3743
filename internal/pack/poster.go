package pack

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/chart"
	"caseboard/internal/fault"
	"caseboard/internal/pdfdoc"
)

// Poster is a unit's one-page performance poster for a quarter: its key
// measures with their trends and a short narrative by the unit's head.
type Poster struct {
	Unit         string      `json:"unit"` // code
	UnitName     string      `json:"unit_name"`
	Quarter      string      `json:"quarter"`
	QuarterLabel string      `json:"quarter_label"`
	Generated    time.Time   `json:"generated"`
	Narrative    *Commentary `json:"narrative"`
	Measures     []Headline  `json:"measures"`
}

// keyCounts are the count measures a poster shows beside those with a
// target: what the unit handled in the quarter.
var keyCounts = []string{"caseload", "finalised_defendants", "pre_charge_decisions"}

// MaxPosterMeasures keeps a poster to one page: four rows of three.
const MaxPosterMeasures = 12

// KeyMeasures are a unit's headlines a poster shows: the measures with a
// target, and the unit's main counts, in catalogue order.
func KeyMeasures(headlines []Headline) []Headline {
	var out []Headline
	for _, h := range headlines {
		if h.Target != nil || slices.Contains(keyCounts, h.Code) {
			out = append(out, h)
		}
	}
	return out[:min(len(out), MaxPosterMeasures)]
}

// Page sizes a poster prints at, and its PNG resolution.
var posterSizes = map[string][2]float64{pdfdoc.A4: {210, 297}, pdfdoc.A3: {297, 420}}

// PosterDPI is the PNG's resolution: sharp on a screen and in print.
const PosterDPI = 150

// ParseSize reads a poster's page size, A4 (the default, for "") or A3,
// in either case. Errors: Invalid on the field "size".
func ParseSize(raw string) (string, error) {
	size := strings.ToUpper(strings.TrimSpace(raw))
	if size == "" {
		return pdfdoc.A4, nil
	}
	if _, ok := posterSizes[size]; !ok {
		var v fault.Validation
		v.Add("size", fmt.Sprintf("A poster is A4 or A3, not %q", raw))
		return "", v.Err("The poster's size is not right")
	}
	return size, nil
}

// PDF prints the poster on one page of the size (A4 or A3).
func (p Poster) PDF(size string) ([]byte, error) {
	if _, err := ParseSize(size); err != nil {
		return nil, err
	}
	sheet := pdfdoc.NewSheet(size, p.title(), p.Generated)
	p.Draw(sheet)
	return sheet.Bytes()
}

// PNG draws the poster as an image of a page of the size (A4 or A3) at
// PosterDPI.
func (p Poster) PNG(size string) ([]byte, error) {
	size, err := ParseSize(size)
	if err != nil {
		return nil, err
	}
	mm := posterSizes[size]
	raster := chart.NewRaster(mm[0], mm[1], PosterDPI)
	p.Draw(raster)
	return raster.PNG()
}

func (p Poster) title() string { return p.UnitName + ": performance, " + p.QuarterLabel }

// Draw lays the poster out on a page of any size: the A4 layout, scaled
// to the page's width, so A3 is the same poster larger.
func (p Poster) Draw(c chart.Canvas) {
	width, height := c.Size()
	scale := width / 210
	margin := 15 * scale
	content := width - 2*margin
	y := margin
	y += chart.Paragraph(c, margin, y, content, 20*scale, true, chart.Black, p.title())
	y += chart.Paragraph(c, margin, y, content, 12*scale, false, chart.Grey,
		"The unit's key measures over the last "+strconv.Itoa(TrendQuarters)+" quarters")
	y += 4 * scale
	if p.Narrative != nil {
		y += chart.Paragraph(c, margin, y, content, 10*scale, false, chart.Black, p.Narrative.Text)
		y += 2 * scale
		y += chart.Paragraph(c, margin, y, content, 10*scale, false, chart.Black, "- "+p.Narrative.By+", "+p.Narrative.At.Format("2 January 2006"))
		y += 2 * scale
	}
	const columns = 3
	gap := chart.Gap * scale
	chartWidth := (content - gap*(columns-1)) / columns
	for i, ch := range Charts(p.Measures, false) {
		row, col := i/columns, i%columns
		chart.Draw(c, ch, margin+float64(col)*(chartWidth+gap), y+float64(row)*chart.Height(scale), chartWidth, scale)
	}
	footer := p.title()
	if !p.Generated.IsZero() {
		footer += " - produced " + p.Generated.Format("2 January 2006 15:04")
	}
	c.Text(margin, height-margin, content, 8*scale, false, chart.Grey, chart.Left, footer)
}
