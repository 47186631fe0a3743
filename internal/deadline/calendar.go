package deadline

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"caseboard/internal/fault"
)

// ErrBeyondCalendar is the cause (under a fault.Invalid error) when a date
// falls in a year the calendar does not cover. A year with no holidays listed
// is not a year with no holidays, so caseboard refuses rather than guesses.
var ErrBeyondCalendar = errors.New("date outside the bank-holiday calendar")

// Holiday is one bank holiday: a day the courts' time limits leave out.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// Calendar knows which days are not working days in England and Wales:
// Saturdays, Sundays, Christmas Day, Good Friday and the bank holidays it was
// built from. It is editable data, not code, because bank holidays are
// proclaimed a year or so ahead and one-off days are added at short notice.
type Calendar struct {
	first, last int // the years covered, inclusive
	names       map[Date]string
	list        []Holiday
}

//go:embed bank-holidays-england-and-wales.csv
var defaultHolidaysCSV string

var defaultCalendar = sync.OnceValue(func() *Calendar {
	hs, err := ParseHolidaysCSV(strings.NewReader(defaultHolidaysCSV))
	if err == nil {
		var cal *Calendar
		if cal, err = NewCalendar(hs); err == nil {
			return cal
		}
	}
	// The file is compiled in and checked by the tests, so this is a bug.
	panic("deadline: the embedded bank-holiday calendar is invalid: " + err.Error())
})

// DefaultCalendar returns the calendar built from the embedded
// bank-holidays-england-and-wales.csv, covering 2010 to 2030.
func DefaultCalendar() *Calendar { return defaultCalendar() }

// NewCalendar builds a calendar from a list of holidays in any order. The
// years it covers run from the earliest holiday's year to the latest's, and
// every year between must list at least one holiday, so a year left out by
// mistake is an error rather than a year of no holidays. It returns a
// fault.Invalid error naming each bad entry.
func NewCalendar(holidays []Holiday) (*Calendar, error) {
	var v fault.Validation
	if len(holidays) == 0 {
		v.Add("holidays", "List at least one bank holiday")
	}
	cal := &Calendar{names: make(map[Date]string, len(holidays))}
	for i, h := range holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		name := strings.TrimSpace(h.Name)
		switch {
		case h.Date.IsZero():
			v.Add(field, "Enter the holiday's date")
		case h.Date.Year() < 1900 || h.Date.Year() > 9999:
			v.Add(field, fmt.Sprintf("%s is not a plausible year for a bank holiday", h.Date))
		case name == "":
			v.Add(field, fmt.Sprintf("Enter a name for the holiday on %s", h.Date))
		case len(name) > 200:
			v.Add(field, "A holiday's name must be 200 characters or fewer")
		case cal.names[h.Date] != "":
			v.Add(field, fmt.Sprintf("%s is listed twice (%s and %s)", h.Date, cal.names[h.Date], name))
		default:
			cal.names[h.Date] = name
			cal.list = append(cal.list, Holiday{h.Date, name})
		}
	}
	if err := v.Err("The bank-holiday calendar could not be used"); err != nil {
		return nil, err
	}
	slices.SortFunc(cal.list, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	cal.first, cal.last = cal.list[0].Date.Year(), cal.list[len(cal.list)-1].Date.Year()
	if err := cal.checkEveryYear(); err != nil {
		return nil, err
	}
	return cal, nil
}

func (c *Calendar) checkEveryYear() error {
	seen := make(map[int]bool)
	for _, h := range c.list {
		seen[h.Date.Year()] = true
	}
	var v fault.Validation
	for y := c.first; y <= c.last; y++ {
		if !seen[y] {
			v.Add("holidays", fmt.Sprintf("No bank holidays are listed for %d, between %d and %d; list that year's holidays", y, c.first, c.last))
		}
	}
	return v.Err("The bank-holiday calendar could not be used")
}

// ParseHolidaysCSV reads holidays from CSV with two columns, date
// (YYYY-MM-DD) and name. A first row "date,name" is a header; lines starting
// with # are comments. It returns a fault.Invalid error naming the line.
func ParseHolidaysCSV(r io.Reader) ([]Holiday, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 2
	cr.TrimLeadingSpace = true
	var hs []Holiday
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			return hs, nil
		}
		if err != nil {
			return nil, &fault.Error{Code: fault.Invalid, Message: "The bank-holiday file is not valid CSV with two columns, date and name: " + err.Error(), Err: err}
		}
		if first && strings.EqualFold(strings.TrimSpace(rec[0]), "date") {
			continue
		}
		line, _ := cr.FieldPos(0)
		d, err := ParseDate(strings.TrimSpace(rec[0]))
		if err != nil || d.IsZero() {
			return nil, fault.Errorf(fault.Invalid, "Line %d of the bank-holiday file: %q is not a date written as YYYY-MM-DD", line, rec[0])
		}
		hs = append(hs, Holiday{Date: d, Name: strings.TrimSpace(rec[1])})
	}
}

// Years returns the first and last years the calendar covers.
func (c *Calendar) Years() (first, last int) { return c.first, c.last }

// Covers reports whether d falls in a year the calendar covers.
func (c *Calendar) Covers(d Date) bool { return d.Year() >= c.first && d.Year() <= c.last }

// Holidays returns the listed holidays in date order, for display and export.
func (c *Calendar) Holidays() []Holiday { return slices.Clone(c.list) }

// IsWorkingDay reports whether d is a working day: not a Saturday, Sunday,
// Christmas Day, Good Friday or listed bank holiday. Christmas Day and Good
// Friday count even if an edited list leaves them out, as the Regulations
// name them separately from bank holidays. It returns an error wrapping
// ErrBeyondCalendar for a year the calendar does not cover.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	if err := c.check(d); err != nil {
		return false, err
	}
	return c.closedFor(d) == "", nil
}

// PrecedingWorkingDay returns the last working day strictly before d.
func (c *Calendar) PrecedingWorkingDay(d Date) (Date, error) {
	return c.WorkingDayOnOrBefore(d.AddDays(-1))
}

// WorkingDayOnOrBefore returns d if it is a working day, and otherwise the
// last working day before it: the rule of reg 2(5) of the custody time limit
// Regulations for a limit that would end on a day the courts are shut.
func (c *Calendar) WorkingDayOnOrBefore(d Date) (Date, error) {
	for {
		if err := c.check(d); err != nil {
			return Date{}, err
		}
		if c.closedFor(d) == "" {
			return d, nil
		}
		d = d.AddDays(-1)
	}
}

// Describe says what kind of day d is, for the working shown to users:
// "a working day", "a Saturday", "Good Friday", "Easter Monday, a bank
// holiday".
func (c *Calendar) Describe(d Date) (string, error) {
	why, err := c.why(d)
	if err == nil && why == "" {
		why = "a working day"
	}
	return why, err
}

// why returns why d is not a working day, "" if it is one, or an error
// beyond the calendar.
func (c *Calendar) why(d Date) (string, error) {
	if err := c.check(d); err != nil {
		return "", err
	}
	return c.closedFor(d), nil
}

// closedFor returns why d is not a working day, or "" if it is one.
func (c *Calendar) closedFor(d Date) string {
	switch {
	case d.Month() == time.December && d.Day() == 25:
		return "Christmas Day"
	case d == Easter(d.Year()).AddDays(-2):
		return "Good Friday"
	}
	if name, ok := c.names[d]; ok {
		return name + ", a bank holiday"
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return "a " + wd.String()
	}
	return ""
}

func (c *Calendar) check(d Date) error {
	if d.IsZero() || !c.Covers(d) {
		return &fault.Error{
			Code:    fault.Invalid,
			Message: fmt.Sprintf("The bank-holiday calendar covers %d to %d and %s is outside it; add that year's bank holidays to the calendar", c.first, c.last, d),
			Err:     ErrBeyondCalendar,
		}
	}
	return nil
}

// Easter returns Easter Sunday of year in the Gregorian calendar, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher). Good Friday is two
// days before and Easter Monday the day after.
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}
