package deadline_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// TestEaster checks the algorithm against Easter Sundays written down
// independently (from published tables), including the earliest and
// latest possible dates.
func TestEaster(t *testing.T) {
	for year, want := range map[int]string{
		2010: "2010-04-04", 2011: "2011-04-24", 2012: "2012-04-08", 2013: "2013-03-31",
		2014: "2014-04-20", 2015: "2015-04-05", 2016: "2016-03-27", 2017: "2017-04-16",
		2018: "2018-04-01", 2019: "2019-04-21", 2020: "2020-04-12", 2021: "2021-04-04",
		2022: "2022-04-17", 2023: "2023-04-09", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16", 2029: "2029-04-01",
		2030: "2030-04-21",
		1818: "1818-03-22", // the earliest possible date
		1943: "1943-04-25", // the latest possible date
		2285: "2285-03-22",
	} {
		if got := deadline.Easter(year); got.String() != want || got.Weekday() != time.Sunday {
			t.Errorf("Easter %d = %s (%s); want %s", year, got, got.Weekday(), want)
		}
	}
}

// TestDefaultCalendarEaster checks every Good Friday and Easter Monday in the
// file against the algorithm, both ways: each year has exactly one of each,
// on the right day.
func TestDefaultCalendarEaster(t *testing.T) {
	cal := deadline.DefaultCalendar()
	byName := map[string][]deadline.Date{}
	for _, h := range cal.Holidays() {
		byName[h.Name] = append(byName[h.Name], h.Date)
	}
	var wantGF, wantEM []deadline.Date
	for y := 2010; y <= 2030; y++ {
		e := deadline.Easter(y)
		wantGF = append(wantGF, e.AddDays(-2))
		wantEM = append(wantEM, e.AddDays(1))
	}
	if !slices.Equal(byName["Good Friday"], wantGF) {
		t.Errorf("Good Fridays in the file:\n%v\nwant\n%v", byName["Good Friday"], wantGF)
	}
	if !slices.Equal(byName["Easter Monday"], wantEM) {
		t.Errorf("Easter Mondays in the file:\n%v\nwant\n%v", byName["Easter Monday"], wantEM)
	}
	for _, d := range wantGF {
		if d.Weekday() != time.Friday {
			t.Errorf("Good Friday %s is a %s", d, d.Weekday())
		}
	}
}

// TestDefaultCalendarRules rebuilds the whole file from the rules of the
// Banking and Financial Dealings Act 1971 and the proclamations, written
// here independently of the data, and compares them day by day.
func TestDefaultCalendarRules(t *testing.T) {
	var want []string
	for y := 2010; y <= 2030; y++ {
		want = append(want, expectedHolidays(y)...)
	}
	var got []string
	for _, h := range deadline.DefaultCalendar().Holidays() {
		got = append(got, h.Date.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("holidays differ from the rules:\n got %v\nwant %v", got, want)
	}
	first, last := deadline.DefaultCalendar().Years()
	if first != 2010 || last != 2030 {
		t.Errorf("covers %d to %d", first, last)
	}
}

// expectedHolidays lists year's bank holidays in date order by rule.
func expectedHolidays(y int) []string {
	var ds []deadline.Date
	add := func(d deadline.Date) { ds = append(ds, d) }
	add(weekdayOnOrAfter(deadline.NewDate(y, 1, 1), 0))
	e := deadline.Easter(y)
	add(e.AddDays(-2))
	add(e.AddDays(1))
	earlyMay, spring := firstMonday(y, 5), lastMonday(y, 5)
	switch y {
	case 2012: // Diamond Jubilee: spring holiday moved to 4 June, 5 June added
		spring = deadline.NewDate(2012, 6, 4)
		add(deadline.NewDate(2012, 6, 5))
	case 2020: // 75th anniversary of VE Day: early May holiday moved to Friday 8 May
		earlyMay = deadline.NewDate(2020, 5, 8)
	case 2022: // Platinum Jubilee: spring holiday moved to Thursday 2 June, 3 June added; State Funeral
		spring = deadline.NewDate(2022, 6, 2)
		add(deadline.NewDate(2022, 6, 3))
		add(deadline.NewDate(2022, 9, 19))
	case 2011: // the royal wedding
		add(deadline.NewDate(2011, 4, 29))
	case 2023: // the Coronation
		add(deadline.NewDate(2023, 5, 8))
	}
	add(earlyMay)
	add(spring)
	add(lastMonday(y, 8))
	// Christmas Day and Boxing Day each move to the next weekday not already taken.
	xmas := weekdayOnOrAfter(deadline.NewDate(y, 12, 25), 0)
	add(xmas)
	add(weekdayOnOrAfter(deadline.NewDate(y, 12, 26), xmas.Sub(deadline.NewDate(y, 12, 26))+1))
	slices.SortFunc(ds, func(a, b deadline.Date) int { return a.Compare(b) })
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// weekdayOnOrAfter returns the first Monday–Friday on or after d plus skip days.
func weekdayOnOrAfter(d deadline.Date, skip int) deadline.Date {
	if skip > 0 {
		d = d.AddDays(skip)
	}
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDays(1)
	}
	return d
}

func firstMonday(y int, m time.Month) deadline.Date {
	d := deadline.NewDate(y, m, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDays(1)
	}
	return d
}

func lastMonday(y int, m time.Month) deadline.Date {
	d := deadline.NewDate(y, m+1, 0)
	for d.Weekday() != time.Monday {
		d = d.AddDays(-1)
	}
	return d
}

func TestIsWorkingDay(t *testing.T) {
	cal := deadline.DefaultCalendar()
	for _, tc := range []struct {
		date, why string // why is "" for a working day
	}{
		{"2018-04-26", ""},
		{"2018-03-29", ""},
		{"2018-03-30", "Good Friday"},
		{"2018-03-31", "a Saturday"},
		{"2018-04-01", "a Sunday"},
		{"2018-04-02", "Easter Monday, a bank holiday"},
		{"2018-12-24", ""}, // Christmas Eve is a working day
		{"2018-12-25", "Christmas Day"},
		{"2018-12-26", "Boxing Day, a bank holiday"},
		{"2021-12-25", "Christmas Day"}, // a Saturday, still Christmas Day
		{"2021-12-27", "Christmas Day (substitute day), a bank holiday"},
		{"2021-12-28", "Boxing Day (substitute day), a bank holiday"},
		{"2021-12-29", ""},
		{"2022-01-03", "New Year's Day (substitute day), a bank holiday"},
		{"2011-04-29", "Royal wedding, a bank holiday"},
		{"2012-05-28", ""}, // the usual spring holiday, moved for the Jubilee
		{"2012-06-04", "Spring bank holiday, a bank holiday"},
		{"2012-06-05", "Queen's Diamond Jubilee, a bank holiday"},
		{"2020-05-04", ""}, // the usual early May holiday, moved to VE Day
		{"2020-05-08", "Early May bank holiday (VE Day), a bank holiday"},
		{"2022-05-30", ""}, // the usual spring holiday, moved for the Platinum Jubilee
		{"2022-06-02", "Spring bank holiday, a bank holiday"},
		{"2022-06-03", "Platinum Jubilee bank holiday, a bank holiday"},
		{"2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II, a bank holiday"},
		{"2023-05-01", "Early May bank holiday, a bank holiday"},
		{"2023-05-08", "Bank holiday for the coronation of King Charles III, a bank holiday"},
		{"2030-12-31", ""},
		{"2010-01-01", "New Year's Day, a bank holiday"},
	} {
		t.Run(tc.date, func(t *testing.T) {
			ok, err := cal.IsWorkingDay(date(tc.date))
			if err != nil || ok != (tc.why == "") {
				t.Fatalf("IsWorkingDay = %v, %v", ok, err)
			}
			want := tc.why
			if want == "" {
				want = "a working day"
			}
			if got, _ := cal.Describe(date(tc.date)); got != want {
				t.Errorf("Describe = %q; want %q", got, want)
			}
		})
	}
}

func TestPrecedingWorkingDay(t *testing.T) {
	cal := deadline.DefaultCalendar()
	for _, tc := range []struct{ from, preceding, onOrBefore string }{
		{"2018-04-26", "2018-04-25", "2018-04-26"}, // Thursday
		{"2018-04-02", "2018-03-29", "2018-03-29"}, // Easter Monday → Maundy Thursday
		{"2018-04-03", "2018-03-29", "2018-04-03"}, // Tuesday after Easter
		{"2018-12-27", "2018-12-24", "2018-12-27"}, // past Christmas and Boxing Day
		{"2021-12-28", "2021-12-24", "2021-12-24"}, // both substitute days and the weekend
		{"2022-01-04", "2021-12-31", "2022-01-04"}, // New Year substitute, weekend, into the old year
		{"2022-06-06", "2022-06-01", "2022-06-06"}, // Platinum Jubilee weekend
		{"2022-09-19", "2022-09-16", "2022-09-16"}, // State Funeral Monday
		{"2011-05-02", "2011-04-28", "2011-04-28"}, // early May, weekend, royal wedding
		{"2020-05-11", "2020-05-07", "2020-05-11"}, // VE Day Friday
		{"2023-05-09", "2023-05-05", "2023-05-09"}, // Coronation Monday
	} {
		t.Run(tc.from, func(t *testing.T) {
			p, err := cal.PrecedingWorkingDay(date(tc.from))
			if err != nil || p.String() != tc.preceding {
				t.Errorf("PrecedingWorkingDay = %s, %v; want %s", p, err, tc.preceding)
			}
			o, err := cal.WorkingDayOnOrBefore(date(tc.from))
			if err != nil || o.String() != tc.onOrBefore {
				t.Errorf("WorkingDayOnOrBefore = %s, %v; want %s", o, err, tc.onOrBefore)
			}
		})
	}
}

func TestCalendarBeyondItsYears(t *testing.T) {
	cal := deadline.DefaultCalendar()
	for _, s := range []string{"2009-12-31", "2031-01-01", "1900-01-01", ""} {
		t.Run("Err"+s, func(t *testing.T) {
			_, err := cal.IsWorkingDay(date(s))
			if !errors.Is(err, deadline.ErrBeyondCalendar) || fault.CodeOf(err) != fault.Invalid {
				t.Errorf("IsWorkingDay(%q) err = %v", s, err)
			}
		})
	}
	t.Run("ErrWalksOffTheStart", func(t *testing.T) {
		// 2010-01-01 is a bank holiday, so the working day before 2010-01-02
		// (a Saturday) would be in 2009, which the calendar does not know.
		_, err := cal.WorkingDayOnOrBefore(date("2010-01-03"))
		if !errors.Is(err, deadline.ErrBeyondCalendar) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestNewCalendar(t *testing.T) {
	h := func(d, name string) deadline.Holiday { return deadline.Holiday{Date: date(d), Name: name} }
	t.Run("OK", func(t *testing.T) {
		cal, err := deadline.NewCalendar([]deadline.Holiday{h("2041-08-26", "Summer bank holiday"), h("2040-12-25", "Christmas Day")})
		if err != nil {
			t.Fatal(err)
		}
		if first, last := cal.Years(); first != 2040 || last != 2041 {
			t.Errorf("years %d–%d", first, last)
		}
		// Christmas Day and Good Friday are never working days, listed or not.
		for _, d := range []string{"2041-12-25", "2041-04-19", "2041-08-26"} {
			if ok, err := cal.IsWorkingDay(date(d)); ok || err != nil {
				t.Errorf("%s working = %v, %v", d, ok, err)
			}
		}
		hs := cal.Holidays()
		hs[0].Name = "changed"
		if cal.Holidays()[0].Name != "Christmas Day" {
			t.Error("Holidays shares its slice with the calendar")
		}
	})
	for name, tc := range map[string]struct {
		hs    []deadline.Holiday
		field string
	}{
		"ErrDuplicate":   {[]deadline.Holiday{h("2040-12-25", "Christmas Day"), h("2040-12-25", "Christmas")}, "holidays[1]"},
		"ErrName":        {[]deadline.Holiday{h("2040-12-25", "  ")}, "holidays[0]"},
		"ErrLongName":    {[]deadline.Holiday{h("2040-12-25", strings.Repeat("x", 201))}, "holidays[0]"},
		"ErrDate":        {[]deadline.Holiday{{Name: "Christmas Day"}}, "holidays[0]"},
		"ErrYearMissing": {[]deadline.Holiday{h("2040-12-25", "Christmas Day"), h("2042-12-25", "Christmas Day")}, "holidays"},
		"ErrEmpty":       {nil, "holidays"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deadline.NewCalendar(tc.hs)
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s error, got %v", tc.field, err)
			}
		})
	}
}

func TestParseHolidaysCSV(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		hs, err := deadline.ParseHolidaysCSV(strings.NewReader("# a comment\ndate,name\n2040-12-25, Christmas Day\n\"2040-12-26\",\"Boxing Day, a holiday\"\n"))
		want := []deadline.Holiday{{Date: date("2040-12-25"), Name: "Christmas Day"}, {Date: date("2040-12-26"), Name: "Boxing Day, a holiday"}}
		if err != nil || !slices.Equal(hs, want) {
			t.Fatalf("got %v, %v", hs, err)
		}
	})
	t.Run("OKNoHeader", func(t *testing.T) {
		hs, err := deadline.ParseHolidaysCSV(strings.NewReader("2040-12-25,Christmas Day\n"))
		if err != nil || len(hs) != 1 {
			t.Fatalf("got %v, %v", hs, err)
		}
	})
	for name, in := range map[string]string{
		"ErrDate":    "date,name\n2040-12-25,Christmas Day\n25/12/2040,Christmas Day\n",
		"ErrColumns": "date,name\n2040-12-25\n",
		"ErrQuote":   "date,name\n2040-12-25,\"Christmas\n",
		"ErrEmpty":   "date,name\n,Christmas Day\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deadline.ParseHolidaysCSV(strings.NewReader(in))
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("err = %v", err)
			}
		})
	}
	t.Run("ErrDateNamesLine", func(t *testing.T) {
		_, err := deadline.ParseHolidaysCSV(strings.NewReader("date,name\n2040-12-25,Christmas Day\n2040-13-01,Nonsense\n"))
		if err == nil || !strings.Contains(err.Error(), "Line 3") {
			t.Fatalf("err = %v; want it to name line 3", err)
		}
	})
}

// TestDefaultCalendarCounts pins the number of holidays per year, so an
// edit that drops or doubles a day is seen.
func TestDefaultCalendarCounts(t *testing.T) {
	counts := map[int]int{}
	for _, h := range deadline.DefaultCalendar().Holidays() {
		counts[h.Date.Year()]++
	}
	for y := 2010; y <= 2030; y++ {
		want := 8
		switch y {
		case 2011, 2012, 2023:
			want = 9
		case 2022:
			want = 10
		}
		if counts[y] != want {
			t.Errorf("%d has %d holidays; want %d", y, counts[y], want)
		}
	}
	if got := fmt.Sprint(len(deadline.DefaultCalendar().Holidays())); got != "173" {
		t.Errorf("%s holidays in all", got)
	}
}
