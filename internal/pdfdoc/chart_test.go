package pdfdoc

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

func TestChartsDrawTheirLinesAndSayWhatTheyShow(t *testing.T) {
	d := New(Options{Title: "Poster"})
	target := 0.85
	d.Charts([]Chart{
		{Title: "Conviction rate (MC)", Note: "84% - within tolerance", Labels: []string{"Q1 2017-18", "Q2 2017-18", "Q3 2017-18"},
			Values: []*float64{ptr(0.8), nil, ptr(0.84)}, Target: &target, Format: func(v float64) string { return strconv0(v*100) + "%" }},
		{Title: "Caseload", Note: "120", Labels: []string{"Q1", "Q2"}, Values: []*float64{ptr(120), ptr(120)}},
		{Title: "Custody time limit failures", Note: "No data", Labels: []string{"Q1", "Q2"}, Values: []*float64{nil, nil}},
	}, 2)
	d.pdf.SetCompression(false)
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	text := shownTextOf(out)
	for _, want := range []string{`Conviction rate \(MC\)`, "84% - within tolerance", "Q1 2017-18", "Q3 2017-18", "85%", "80%",
		"Caseload", "Custody time limit failures", "No data"} {
		if !strings.Contains(text, want) {
			t.Errorf("chart does not say %q; it says:\n%s", want, text)
		}
	}
	// The gap (no data in Q2) breaks the first line: its two points are
	// drawn as dots with no segment between them; the flat caseload line
	// is one segment. Segments are "x y m x y l S".
	segments := len(regexp.MustCompile(`(?m)^[\d.]+ [\d.]+ m [\d.]+ [\d.]+ l S$`).FindAll(out, -1))
	// Axes: two per chart (3 charts), the target line, and one data
	// segment (caseload).
	if want := 3*2 + 1 + 1; segments != want {
		t.Errorf("%d line segments drawn, want %d", segments, want)
	}
	if d.Pages() != 1 {
		t.Errorf("%d pages, want 1", d.Pages())
	}
}

func TestChartRowsNeverSplitAcrossPages(t *testing.T) {
	d := New(Options{Title: "Many charts"})
	var charts []Chart
	for range 20 {
		charts = append(charts, Chart{Title: "A measure", Values: []*float64{ptr(1), ptr(2)}})
	}
	d.Charts(charts, 2)
	if d.Pages() < 2 {
		t.Fatalf("20 charts in two columns fit on %d page", d.Pages())
	}
	if y := d.pdf.GetY(); y > d.pageBottom()+2 {
		t.Errorf("last row ends at %.1f mm, below the page bottom %.1f", y, d.pageBottom())
	}
}

func strconv0(v float64) string { return strconv.Itoa(int(v + 0.5)) }

// shownTextOf is the text an uncompressed PDF shows, one string a line.
func shownTextOf(out []byte) string {
	var b strings.Builder
	for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`).FindAllSubmatch(out, -1) {
		b.Write(m[1])
		b.WriteByte('\n')
	}
	return b.String()
}
