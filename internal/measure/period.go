package measure

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is the length of a reporting period.
type PeriodKind string

const (
	Month         PeriodKind = "month"
	Quarter       PeriodKind = "quarter"
	FinancialYear PeriodKind = "year"
	Rolling12     PeriodKind = "rolling"
)

// Period is a span of whole days a figure is computed over. The financial
// year runs from April to March: "2017-18" is 1 April 2017 to 31 March
// 2018, and its first quarter is April to June.
type Period struct {
	Kind  PeriodKind
	Start time.Time // first day
	End   time.Time // last day, inclusive
}

// earliestYear and latestYear bound the years a period may fall in, so a
// typing slip ("20177-18") is an error rather than a far-off period.
const earliestYear, latestYear = 1990, 2100

// ParsePeriod reads a period written as a financial year ("2017-18"), a
// quarter of one ("2018-19-Q2"), a month ("2018-06"), or twelve months to
// a month ("r12-2018-06", or as shown, "12 months to June 2018").
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Period{}, fmt.Errorf("give a period: a financial year (2017-18), a quarter (2018-19-Q2), a month (2018-06) or twelve months to a month (r12-2018-06)")
	case strings.HasPrefix(s, "r12-"):
		start, err := parseMonth(strings.TrimPrefix(s, "r12-"))
		if err != nil {
			return Period{}, err
		}
		return rolling(start), nil
	case strings.HasPrefix(strings.ToLower(s), "12 months to "):
		start, err := time.Parse("January 2006", s[len("12 months to "):])
		if err != nil || start.Year() < earliestYear || start.Year() > latestYear {
			return Period{}, fmt.Errorf("%q: write twelve months to a month as \"12 months to June 2018\"", s)
		}
		return rolling(start), nil
	case len(s) == len("2018-19-Q2") && s[7:9] == "-Q":
		year, err := parseFinancialYear(s[:7])
		if err != nil {
			return Period{}, err
		}
		q := int(s[9] - '0')
		if q < 1 || q > 4 {
			return Period{}, fmt.Errorf("%q: a financial year has quarters Q1 to Q4", s)
		}
		start := year.AddDate(0, 3*(q-1), 0)
		return Period{Kind: Quarter, Start: start, End: start.AddDate(0, 3, -1)}, nil
	case len(s) == len("2017-18"):
		year, yearErr := parseFinancialYear(s)
		if yearErr == nil {
			return Period{Kind: FinancialYear, Start: year, End: year.AddDate(1, 0, -1)}, nil
		}
		start, err := parseMonth(s)
		if err != nil {
			return Period{}, fmt.Errorf("%q is neither a financial year nor a month (2018-06): %v", s, yearErr)
		}
		return Period{Kind: Month, Start: start, End: start.AddDate(0, 1, -1)}, nil
	}
	if start, err := time.Parse("January 2006", s); err == nil && start.Year() >= earliestYear && start.Year() <= latestYear {
		return Period{Kind: Month, Start: start, End: start.AddDate(0, 1, -1)}, nil
	}
	return Period{}, fmt.Errorf("%q is not a period: write a financial year (2017-18), a quarter (2018-19-Q2), a month (2018-06) or twelve months to a month (r12-2018-06)", s)
}

// parseFinancialYear reads "2017-18" and returns 1 April 2017.
func parseFinancialYear(s string) (time.Time, error) {
	first, err1 := strconv.Atoi(s[:4])
	second, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || s[4] != '-' || s[0] == '+' || s[0] == '-' || s[5] == '+' || s[5] == '-' {
		return time.Time{}, fmt.Errorf("%q: write a financial year as 2017-18", s)
	}
	if second != (first+1)%100 {
		return time.Time{}, fmt.Errorf("%q is not a financial year: the year after %d ends in %02d", s, first, (first+1)%100)
	}
	if first < earliestYear || first > latestYear {
		return time.Time{}, fmt.Errorf("%q: the year must be between %d and %d", s, earliestYear, latestYear)
	}
	return time.Date(first, time.April, 1, 0, 0, 0, 0, time.UTC), nil
}

// parseMonth reads "2018-06" and returns its first day.
func parseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != len("2006-01") {
		return time.Time{}, fmt.Errorf("%q: write a month as 2018-06", s)
	}
	if t.Year() < earliestYear || t.Year() > latestYear {
		return time.Time{}, fmt.Errorf("%q: the year must be between %d and %d", s, earliestYear, latestYear)
	}
	return t, nil
}

// rolling is the twelve months ending with the month that starts on last.
func rolling(last time.Time) Period {
	return Period{Kind: Rolling12, Start: last.AddDate(0, -11, 0), End: last.AddDate(0, 1, -1)}
}

// financialYearOf is the first year of the financial year a day is in.
func financialYearOf(t time.Time) int {
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// Code is the period as ParsePeriod reads it, for links and the API.
func (p Period) Code() string {
	fy := financialYearOf(p.Start)
	switch p.Kind {
	case FinancialYear:
		return fmt.Sprintf("%d-%02d", fy, (fy+1)%100)
	case Quarter:
		q := (int(p.Start.Month())+8)%12/3 + 1
		return fmt.Sprintf("%d-%02d-Q%d", fy, (fy+1)%100, q)
	case Rolling12:
		return "r12-" + p.End.Format("2006-01")
	}
	return p.Start.Format("2006-01")
}

// String is the period as people write it: "2017-18", "Q2 2018-19",
// "June 2018", "12 months to June 2018".
func (p Period) String() string {
	switch p.Kind {
	case FinancialYear:
		return p.Code()
	case Quarter:
		c := p.Code()
		return c[8:] + " " + c[:7]
	case Rolling12:
		return "12 months to " + p.End.Format("January 2006")
	}
	return p.Start.Format("January 2006")
}

// Previous is the period of the same kind before this one; for rolling
// twelve months, the twelve months to the month before.
func (p Period) Previous() Period {
	switch p.Kind {
	case FinancialYear:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(-1, 0, 0), End: p.Start.AddDate(0, 0, -1)}
	case Quarter:
		return Period{Kind: p.Kind, Start: p.Start.AddDate(0, -3, 0), End: p.Start.AddDate(0, 0, -1)}
	case Rolling12:
		return rolling(p.End.AddDate(0, 0, 1).AddDate(0, -2, 0))
	}
	return Period{Kind: p.Kind, Start: p.Start.AddDate(0, -1, 0), End: p.Start.AddDate(0, 0, -1)}
}

// Series is n periods ending with p, oldest first: a trend.
func (p Period) Series(n int) []Period {
	out := make([]Period, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = p
		p = p.Previous()
	}
	return out
}

// YearOf is the financial year a day falls in.
func YearOf(t time.Time) Period {
	start := time.Date(financialYearOf(t), time.April, 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: FinancialYear, Start: start, End: start.AddDate(1, 0, -1)}
}

// MonthOf is the calendar month a day falls in.
func MonthOf(t time.Time) Period {
	start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: Month, Start: start, End: start.AddDate(0, 1, -1)}
}

// QuarterOf is the quarter of the financial year a day falls in.
func QuarterOf(t time.Time) Period {
	m := (int(t.Month())-1)/3*3 + 1 // January, April, July or October
	start := time.Date(t.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: Quarter, Start: start, End: start.AddDate(0, 3, -1)}
}
