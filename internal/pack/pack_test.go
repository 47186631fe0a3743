package pack

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/png"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
)

func TestParseQuarter(t *testing.T) {
	p, err := ParseQuarter("2018-19-Q2")
	if err != nil || p.Start != time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC) || p.End != time.Date(2018, 9, 30, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("%+v %v", p, err)
	}
	for _, c := range []struct{ in, says string }{
		{"2018-19-Q5", "Q1 to Q4"},
		{"2017-19-Q1", "the year after 2017 ends in 18"},
		{"2018-19", "is not a quarter"},
		{"2018-06", "is not a quarter"},
		{"", "Give a period"},
	} {
		_, err := ParseQuarter(c.in)
		fe := fault.As(err)
		if fe == nil || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "quarter" || !strings.Contains(fe.Fields[0].Message, c.says) {
			t.Errorf("%q: %#v, want an Invalid error on quarter saying %q", c.in, fe, c.says)
		}
	}
}

func TestValidateText(t *testing.T) {
	if err := ValidateText("commentary", "Two trials collapsed when witnesses withdrew.", MaxCommentary); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "   ", strings.Repeat("é", MaxCommentary+1)} {
		fe := fault.As(ValidateText("commentary", text, MaxCommentary))
		if fe == nil || fe.Fields[0].Field != "commentary" {
			t.Errorf("%.20q accepted: %v", text, fe)
		}
	}
}

func TestFormatValue(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	for _, c := range []struct {
		f    measure.Format
		v    *float64
		want string
	}{
		{measure.RateFormat, v(0.8421), "84.2%"}, {measure.RateFormat, v(0.85), "85%"}, {measure.RateFormat, v(1), "100%"},
		{measure.CountFormat, v(2978), "2,978"}, {measure.CountFormat, v(0), "0"}, {measure.CountFormat, v(12.26), "12.3"},
		{measure.CountFormat, v(1234567), "1,234,567"}, {measure.RateFormat, nil, "No data"},
	} {
		if got := FormatValue(c.f, c.v); got != c.want {
			t.Errorf("FormatValue(%s, %v) = %q, want %q", c.f, *c.v, got, c.want)
		}
	}
}

// quarterCounts are six quarters of Crown Court outcomes: convictions out
// of ten finalised defendants, oldest first.
func quarterCounts(convictions ...int) ([]measure.Period, []measure.Counts) {
	q, _ := ParseQuarter("2018-19-Q2")
	periods := q.Series(TrendQuarters)
	counts := make([]measure.Counts, len(periods))
	for i, n := range convictions {
		counts[i].Outcomes = []measure.OutcomeCount{
			{Unit: "organised_crime", Court: casework.CrownCourt, Outcome: "guilty_plea", Count: n},
			{Unit: "organised_crime", Court: casework.CrownCourt, Outcome: "acquittal_after_trial", Count: 10 - n},
		}
	}
	return periods, counts
}

func TestHeadlinesBenchmarkAgainstTheQuartersBefore(t *testing.T) {
	periods, counts := quarterCounts(9, 7, 8, 6, 10, 5)
	at := time.Date(2018, 10, 5, 9, 0, 0, 0, time.UTC)
	headlines := Headlines("organised_crime", periods, counts, map[string]Commentary{"conviction_rate_cc": {Text: "Two trials collapsed.", By: "Head of Division", At: at}})
	var cc Headline
	for _, h := range headlines {
		if h.Code == "conviction_rate_cc" {
			cc = h
		}
		if _, ok := measure.Lookup(h.Code); !ok {
			t.Errorf("%s is not in the catalogue", h.Code)
		}
	}
	if cc.Value == nil || *cc.Value != 0.5 || cc.RAG != measure.Red || !cc.Exception() || cc.Status != "Off target" {
		t.Fatalf("conviction rate %+v", cc)
	}
	if *cc.Average != 0.8 || *cc.Best != 1 || len(cc.Series) != 6 || cc.Series[0].Label != "Q1 2017-18" || cc.Commentary.Text != "Two trials collapsed." {
		t.Errorf("benchmark %v %v, series %+v, commentary %+v", *cc.Average, *cc.Best, cc.Series, cc.Commentary)
	}
}

// textOf is what an uncompressed PDF shows, one string a line.
func textOf(t *testing.T, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.16q", pdf)
	}
	var b strings.Builder
	for _, stream := range regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`).FindAllSubmatch(pdf, -1) {
		z, err := zlib.NewReader(bytes.NewReader(stream[1]))
		if err != nil {
			continue // not a compressed content stream
		}
		content, _ := io.ReadAll(z)
		for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`).FindAllSubmatch(content, -1) {
			b.Write(m[1])
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func TestReviewPDFSaysWhatTheBoardReads(t *testing.T) {
	periods, counts := quarterCounts(9, 7, 8, 6, 10, 5)
	at := time.Date(2018, 10, 5, 9, 0, 0, 0, time.UTC)
	r := Review{Quarter: "2018-19-Q2", QuarterLabel: "Q2 2018-19", Start: periods[5].Start, End: periods[5].End, Generated: at,
		Measures:  Headlines("", periods, counts, map[string]Commentary{"conviction_rate_cc": {Text: "Two trials collapsed.", By: "Ann Head", At: at}}),
		Risks:     []Risk{{Reference: "DIV-001", Title: "Loss of experienced lawyers", Unit: "Organised Crime", Owner: "Ann Head", Score: 16, Band: "High", Status: "open", Escalated: true}},
		RisksAsAt: periods[5].End,
		Recommendations: Progress{Open: 1, Actions: 3, ActionsDone: 1, LateActions: 1, Findings: []Recommendation{
			{Name: "Recommendation 5", Inspection: "HMCPSI 2019", Text: "A performance framework", Owner: "Ann Head", Actions: 3, Done: 1, Late: 1, RAG: "red"}}},
	}
	if got := r.Uncommented(); len(got) != 0 {
		t.Errorf("uncommented %v", got)
	}
	pdf, err := r.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := textOf(t, pdf)
	for _, want := range []string{"Quarterly performance review: Q2 2018-19", "Issued", "Headline measures", "Conviction rate \\(Crown Court\\)",
		"50%", "80%", "Off target", "Own best", "Exceptions", "Commentary by Ann Head, 5 October 2018: Two trials collapsed.",
		"Top risks", "DIV-001", "Loss of experienced lawyers", "16 High", "escalated", "Recommendation progress",
		"HMCPSI 2019", "1 of 3", "Trends", "Q1 2017-18"} {
		if want == "Issued" {
			want = "Draft, not issued"
		}
		if !strings.Contains(text, want) {
			t.Errorf("pack does not say %q; it says:\n%s", want, text)
		}
	}
	for i := range r.Measures {
		if r.Measures[i].Code == "conviction_rate_cc" {
			r.Measures[i].Commentary = nil
		}
	}
	if got := r.Uncommented(); len(got) != 1 || got[0] != "Conviction rate (Crown Court)" {
		t.Errorf("uncommented %v", got)
	}
}

func TestPosterFitsOnePage(t *testing.T) {
	p := testPoster(t)
	for size, mediaBox := range map[string]string{"A4": "/MediaBox [0 0 595.28 841.89]", "A3": "/MediaBox [0 0 841.89 1190.55]"} {
		t.Run(size, func(t *testing.T) {
			pdf, err := p.PDF(size)
			if err != nil {
				t.Fatal(err)
			}
			if pages := bytes.Count(pdf, []byte("/Type /Page\n")); pages != 1 {
				t.Errorf("%d pages", pages)
			}
			if !bytes.Contains(pdf, []byte(mediaBox)) {
				t.Errorf("no %s in the %s poster", mediaBox, size)
			}
			text := textOf(t, pdf)
			for _, want := range []string{"Organised Crime: performance, Q2 2018-19", "Caseload", "Q1 2017-18", "- Unit Head, 5 October 2018"} {
				if !strings.Contains(text, want) {
					t.Errorf("the %s poster does not say %q; it says:\n%s", size, want, text)
				}
			}
		})
	}
	if _, err := p.PDF("A5"); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("an A5 poster: %v", err)
	}
}

// testPoster is an organised crime poster with a narrative at its
// longest and every key measure.
func testPoster(t *testing.T) Poster {
	t.Helper()
	periods, counts := quarterCounts(9, 7, 8, 6, 10, 5)
	at := time.Date(2018, 10, 5, 9, 0, 0, 0, time.UTC)
	key := KeyMeasures(Headlines("organised_crime", periods, counts, nil))
	if len(key) == 0 || len(key) > MaxPosterMeasures || key[0].Code != "caseload" {
		t.Fatalf("key measures %d", len(key))
	}
	return Poster{Unit: "organised_crime", UnitName: "Organised Crime", Quarter: "2018-19-Q2", QuarterLabel: "Q2 2018-19", Generated: at,
		Narrative: &Commentary{Text: strings.Repeat("A steady quarter. ", MaxNarrative/18), By: "Unit Head", At: at}, Measures: key}
}

// TestPosterPNG: the poster as an image is the page's size at PosterDPI,
// with ink on it where the title and the charts go, and none below the
// footer's margin.
func TestPosterPNG(t *testing.T) {
	p := testPoster(t)
	for size, want := range map[string]image.Point{"A4": {1240, 1754}, "a3": {1754, 2480}} {
		t.Run(size, func(t *testing.T) {
			raw, err := p.PNG(size)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != want {
				t.Fatalf("%s poster is %v pixels, want %v", size, got, want)
			}
			inked := func(from, to float64) float64 {
				b := img.Bounds()
				n, ink := 0, 0
				for y := int(from * float64(b.Dy())); y < int(to*float64(b.Dy())); y++ {
					for x := 0; x < b.Dx(); x++ {
						n++
						if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xc000 || g < 0xc000 || bl < 0xc000 {
							ink++
						}
					}
				}
				return float64(ink) / float64(n)
			}
			title, charts, bottom := inked(0.04, 0.09), inked(0.3, 0.9), inked(0.975, 1)
			if title < 0.01 || charts < 0.005 || charts > 0.5 || bottom != 0 {
				t.Errorf("ink: title %.4f, charts %.4f, below the footer %.4f", title, charts, bottom)
			}
		})
	}
	if _, err := p.PNG("letter"); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("a letter-size poster: %v", err)
	}
}

func TestQuarterOf(t *testing.T) {
	for day, want := range map[string]string{"2018-04-01": "2018-19-Q1", "2018-09-30": "2018-19-Q2", "2018-12-31": "2018-19-Q3", "2019-01-01": "2018-19-Q4", "2019-03-31": "2018-19-Q4"} {
		d, _ := time.Parse(time.DateOnly, day)
		if got := QuarterOf(d).Code(); got != want {
			t.Errorf("QuarterOf(%s) = %s, want %s", day, got, want)
		}
	}
	if got := LastFullQuarter(time.Date(2018, 10, 5, 0, 0, 0, 0, time.UTC)).Code(); got != "2018-19-Q2" {
		t.Errorf("last full quarter %s", got)
	}
}

func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2018-19-Q2", "2018-19-Q5", "2017-19-Q1", "2018-19", "r12-2018-06", "", "1990-91-Q1", "2100-01-Q4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseQuarter(s)
		if err != nil {
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.Fields[0].Field != "quarter" {
				t.Fatalf("%q: %v is not an Invalid error on quarter", s, err)
			}
			return
		}
		again, err := ParseQuarter(p.Code())
		if err != nil || p.Kind != measure.Quarter || again != p || p.End.Sub(p.Start) < 88*24*time.Hour {
			t.Fatalf("%q read as %+v, which reads back as %+v (%v)", s, p, again, err)
		}
	})
}

// FuzzPosterPDF prints any narrative: whatever the unit head writes, the
// poster is a PDF. (The PNG's text is fuzzed in internal/chart, on a
// small page: a whole poster's image is too slow to fuzz.)
func FuzzPosterPDF(f *testing.F) {
	f.Add("A steady quarter – the Crown Court team met its targets.", "Unit Head")
	f.Add("\x00\xff(unbalanced) \\ ) €", "")
	f.Fuzz(func(t *testing.T, narrative, by string) {
		p := Poster{UnitName: "Extradition", QuarterLabel: "Q2 2018-19", Narrative: &Commentary{Text: narrative, By: by}}
		pdf, err := p.PDF("A4")
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%q: %v", narrative, err)
		}
	})
}

// TestExceptionsOutsideControlLimits: a measure within its tolerance, or
// with no target, is still an exception when the quarter lies outside its
// control limits (the same mean ± 3σ as the trend charts), and the
// exception says why.
func TestExceptionsOutsideControlLimits(t *testing.T) {
	q, _ := ParseQuarter("2018-19-Q2")
	periods := q.Series(TrendQuarters)
	counts := make([]measure.Counts, len(periods))
	for i, n := range []int{10, 11, 10, 9, 10, 40} {
		counts[i].Outcomes = []measure.OutcomeCount{{Unit: "organised_crime", Court: casework.CrownCourt, Outcome: "guilty_plea", Count: n}}
	}
	headlines := Headlines("", periods, counts, nil)
	find := func(code string) Headline {
		for _, h := range headlines {
			if h.Code == code {
				return h
			}
		}
		t.Fatalf("no %s", code)
		return Headline{}
	}
	fd := find("finalised_defendants")
	if fd.RAG != measure.NoTarget || !fd.OutsideLimits || !fd.Exception() || fd.UpperLimit == nil || *fd.UpperLimit >= 40 {
		t.Fatalf("finalised defendants %+v", fd)
	}
	if got := fd.ExceptionReason(); !strings.HasPrefix(got, "Above the upper control limit (") {
		t.Errorf("reason %q", got)
	}
	// Every conviction is a guilty plea, every quarter: on target and steady.
	cc := find("conviction_rate_cc")
	if cc.Exception() || cc.OutsideLimits || cc.ExceptionReason() != "" {
		t.Errorf("a steady rate on target is an exception: %+v", cc)
	}
	r := Review{Quarter: "2018-19-Q2", QuarterLabel: "Q2 2018-19", Measures: headlines}
	if got := r.Uncommented(); !slices.Contains(got, "Finalised defendants") {
		t.Errorf("uncommented %v: a control-limit exception needs commentary too", got)
	}
	pdf, err := r.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := textOf(t, pdf)
	for _, want := range []string{"Control limits", "Above the upper control limit", "outside their statistical process control limits"} {
		if !strings.Contains(text, want) {
			t.Errorf("pack does not say %q; it says:\n%s", want, text)
		}
	}

	// The tolerance alone: 5 in 10 against 80% is off target but within
	// its p-chart limits.
	periods, counts = quarterCounts(9, 7, 8, 6, 10, 5)
	for _, h := range Headlines("", periods, counts, nil) {
		if h.Code == "conviction_rate_cc" && (h.OutsideLimits || h.ExceptionReason() != "Outside its tolerance") {
			t.Errorf("conviction rate %+v: %q", h, h.ExceptionReason())
		}
	}
}
