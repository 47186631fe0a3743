package pack

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkPoster draws a unit's poster, twelve charts and the longest
// narrative, as each format and size (docs/benchmarks.md, section 4h).
func BenchmarkPoster(b *testing.B) {
	periods, counts := quarterCounts(9, 7, 8, 6, 10, 5)
	at := time.Date(2018, 10, 5, 9, 0, 0, 0, time.UTC)
	p := Poster{Unit: "organised_crime", UnitName: "Organised Crime", Quarter: "2018-19-Q2", QuarterLabel: "Q2 2018-19", Generated: at,
		Narrative: &Commentary{Text: strings.Repeat("A steady quarter. ", MaxNarrative/18), By: "Unit Head", At: at},
		Measures:  KeyMeasures(Headlines("organised_crime", periods, counts, nil))}
	for _, c := range []struct {
		name string
		draw func(string) ([]byte, error)
	}{{"pdf", p.PDF}, {"png", p.PNG}} {
		for _, size := range []string{"A4", "A3"} {
			b.Run(c.name+"-"+size, func(b *testing.B) {
				for b.Loop() {
					if out, err := c.draw(size); err != nil || len(out) == 0 {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
