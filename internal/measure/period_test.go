package measure_test

import (
	"strings"
	"testing"
	"time"

	"caseboard/internal/measure"
)

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, start, end, code, label string
	}{
		{"2017-18", "2017-04-01", "2018-03-31", "2017-18", "2017-18"},
		{"1999-00", "1999-04-01", "2000-03-31", "1999-00", "1999-00"},
		{"2018-19-Q1", "2018-04-01", "2018-06-30", "2018-19-Q1", "Q1 2018-19"},
		{"2018-19-Q2", "2018-07-01", "2018-09-30", "2018-19-Q2", "Q2 2018-19"},
		{"2018-19-Q4", "2019-01-01", "2019-03-31", "2018-19-Q4", "Q4 2018-19"},
		{"2018-06", "2018-06-01", "2018-06-30", "2018-06", "June 2018"},
		{"2016-02", "2016-02-01", "2016-02-29", "2016-02", "February 2016"},
		{"r12-2018-06", "2017-07-01", "2018-06-30", "r12-2018-06", "12 months to June 2018"},
		{"12 months to June 2018", "2017-07-01", "2018-06-30", "r12-2018-06", "12 months to June 2018"},
	} {
		p, err := measure.ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := p.Start.Format("2006-01-02"); got != c.start {
			t.Errorf("%s starts %s, want %s", c.in, got, c.start)
		}
		if got := p.End.Format("2006-01-02"); got != c.end {
			t.Errorf("%s ends %s, want %s", c.in, got, c.end)
		}
		if p.Code() != c.code || p.String() != c.label {
			t.Errorf("%s: code %q label %q", c.in, p.Code(), p.String())
		}
	}
}

func TestBadPeriods(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "give a period",
		"2017-19":            "the year after 2017 ends in 18",
		"2018-19-Q5":         "quarters Q1 to Q4",
		"2018-13":            "neither a financial year",
		"r12-2018-13":        "write a month as 2018-06",
		"12 months to Junly": "12 months to June 2018",
		"last year":          "is not a period",
		"0999-00":            "between 1990 and 2100",
	} {
		_, err := measure.ParsePeriod(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error saying %q", in, err, want)
		}
	}
}

func TestSeries(t *testing.T) {
	for in, want := range map[string]string{
		"2017-18":     "2015-16 2016-17 2017-18",
		"2018-19-Q1":  "2017-18-Q3 2017-18-Q4 2018-19-Q1",
		"2018-01":     "2017-11 2017-12 2018-01",
		"r12-2018-01": "r12-2017-11 r12-2017-12 r12-2018-01",
	} {
		p, _ := measure.ParsePeriod(in)
		var codes []string
		for _, q := range p.Series(3) {
			codes = append(codes, q.Code())
		}
		if got := strings.Join(codes, " "); got != want {
			t.Errorf("%s: series %s, want %s", in, got, want)
		}
	}
}

// FuzzParsePeriod checks that any text either fails with an error or reads
// as a period that writes itself back as the same period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2017-18", "2018-19-Q2", "2018-06", "r12-2018-06", "12 months to June 2018", "2017-19", "+201-02", "2018-19-Q0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := measure.ParsePeriod(s)
		if err != nil {
			return
		}
		if p.End.Before(p.Start) {
			t.Fatalf("%q: ends %v before it starts %v", s, p.End, p.Start)
		}
		again, err := measure.ParsePeriod(p.Code())
		if err != nil || again != p {
			t.Fatalf("%q: code %q reads back as %+v, %v", s, p.Code(), again, err)
		}
		if back, err := measure.ParsePeriod(p.String()); p.Kind != measure.Quarter && (err != nil || back != p) {
			t.Fatalf("%q: label %q reads back as %+v, %v", s, p.String(), back, err)
		}
	})
}

func TestMonthAndQuarterOf(t *testing.T) {
	day := time.Date(2018, time.February, 14, 0, 0, 0, 0, time.UTC)
	if got := measure.MonthOf(day).Code(); got != "2018-02" {
		t.Errorf("month %s", got)
	}
	if got := measure.QuarterOf(day).Code(); got != "2017-18-Q4" {
		t.Errorf("quarter %s", got)
	}
	if got := measure.QuarterOf(time.Date(2018, time.June, 30, 0, 0, 0, 0, time.UTC)).String(); got != "Q1 2018-19" {
		t.Errorf("quarter %s", got)
	}
}
