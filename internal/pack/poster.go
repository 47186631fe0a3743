package pack

import (
	"slices"
	"strconv"
	"time"

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

// MaxPosterMeasures keeps a poster to one A4 page: four rows of three.
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

// PDF prints the poster on one A4 page.
func (p Poster) PDF() ([]byte, error) {
	doc := pdfdoc.New(pdfdoc.Options{Title: p.UnitName + ": performance, " + p.QuarterLabel,
		Subtitle: "The unit's key measures over the last " + strconv.Itoa(TrendQuarters) + " quarters", Generated: p.Generated})
	if p.Narrative != nil {
		doc.Paragraph(p.Narrative.Text)
		doc.Paragraph("- " + p.Narrative.By + ", " + p.Narrative.At.Format("2 January 2006"))
	}
	doc.Charts(Charts(p.Measures, false), 3)
	return doc.Bytes()
}
