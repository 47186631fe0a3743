package server

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"caseboard/internal/fault"
)

// FuzzExtraditionFormMoment: whatever is typed in a date and time, the form
// either refuses it with a message on the field or reads back the very
// day, month and year typed, in England's time; it never panics. (A time
// in the hour the clocks skip moves on by the hour, as time.Date does.)
func FuzzExtraditionFormMoment(f *testing.F) {
	f.Add("4", "6", "2018", "09:30")
	f.Add("31", "2", "2018", "09:30")
	f.Add("29", "2", "2020", "23:59")
	f.Add("", "", "", "")
	f.Add("1", "1", "99999999999999999999", "24:00")
	f.Add("-1", "13", "0", "9:5")
	f.Fuzz(func(t *testing.T, day, month, year, clock string) {
		form := url.Values{"arrested-day": {day}, "arrested-month": {month}, "arrested-year": {year}, "arrested-time": {clock}}
		var v fault.Validation
		at := formMoment(&v, form, "arrested", true)
		if err := fault.As(v.Err("refused")); err != nil {
			if err.FieldMessage("arrested") == "" || !at.IsZero() {
				t.Fatalf("refused without a message on the field, or with a moment: %v %v", err, at)
			}
			return
		}
		at = at.In(london)
		if at.IsZero() || strconv.Itoa(at.Day()) != trimZeros(day) || strconv.Itoa(int(at.Month())) != trimZeros(month) || strconv.Itoa(at.Year()) != trimZeros(year) {
			t.Fatalf("%q %q %q %q read as %v", day, month, year, clock, at)
		}
	})
}

// trimZeros drops the leading zeros and spaces the form allows.
func trimZeros(s string) string {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return strconv.Itoa(n)
}
