package deadline

import (
	"fmt"
	"time"

	"caseboard/internal/fault"
)

// Date is a civil date — a year, month and day with no time of day and no
// time zone. The limits the law sets run in whole days ("the day custody
// began is not counted", "21 days starting with the date of the arrest"), and
// a time.Time at midnight invites bugs where a zone or a clock change moves
// the date. The zero Date means "not recorded".
type Date struct {
	year  int
	month time.Month
	day   int
}

// NewDate returns the date y-m-d, normalised as time.Date normalises (so
// 2018-02-30 is 2018-03-02); use ParseDate to reject such dates instead.
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC))
}

// DateOf returns the civil date of t in t's own location. Callers asking
// "what day is it in England" pass t.In(london): near midnight the UTC date
// and the London date differ for an hour in summer.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written YYYY-MM-DD, the form used in files, the
// API and HTML date inputs. The empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fault.Errorf(fault.Invalid, "%q is not a date written as YYYY-MM-DD", s)
	}
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD {
		return Date{}, fault.Errorf(fault.Invalid, "%q is not a date written as YYYY-MM-DD", s)
	}
	date := NewDate(y, time.Month(m), d)
	if date.year != y || int(date.month) != m || date.day != d {
		return Date{}, fault.Errorf(fault.Invalid, "%q is not a real date", s)
	}
	return date, nil
}

func digits(s string) (int, bool) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Year returns the date's year.
func (d Date) Year() int { return d.year }

// Month returns the date's month.
func (d Date) Month() time.Month { return d.month }

// Day returns the date's day of the month.
func (d Date) Day() int { return d.day }

// IsZero reports whether the date is the zero Date, "not recorded".
func (d Date) IsZero() bool { return d == Date{} }

// String formats the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// Time returns midnight at the start of the date in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date { return NewDate(d.year, d.month, d.day+n) }

// Sub returns the number of days from e to d: d.Sub(e) is 56 when d is e
// AddMonths returns the same day n months later, or the last day of that
// month when it is shorter: a month after 31 January is 28 or 29 February.
func (d Date) AddMonths(n int) Date {
	first := NewDate(d.year, d.month+time.Month(n), 1)
	last := NewDate(first.year, first.month+1, 0).day
	return Date{first.year, first.month, min(d.day, last)}
}

// plus 56 days.
func (d Date) Sub(e Date) int { return d.ordinal() - e.ordinal() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.ordinal() < e.ordinal() }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.ordinal() > e.ordinal() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e, for
// slices.SortFunc.
func (d Date) Compare(e Date) int {
	switch a, b := d.ordinal(), e.ordinal(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText writes the date as YYYY-MM-DD, and the zero Date as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written YYYY-MM-DD; "" is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// noon is the date at noon UTC: far from midnight, so no arithmetic can
// slip a day.
func (d Date) noon() time.Time { return time.Date(d.year, d.month, d.day, 12, 0, 0, 0, time.UTC) }

// ordinal counts days from 1970-01-01. Dividing Unix seconds avoids
// time.Duration, which overflows after 292 years.
func (d Date) ordinal() int {
	s := d.noon().Unix()
	if s < 0 {
		return int((s - 86399) / 86400)
	}
	return int(s / 86400)
}

// longDate writes a date with its weekday for the working lines, e.g.
// "Thursday 2018-03-29".
func longDate(d Date) string { return d.Weekday().String() + " " + d.String() }
