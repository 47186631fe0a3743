// Package deadline computes the time limits the law sets on a prosecution —
// custody time limits and the Part 1 extradition limits — from the dates a
// lawyer records, and shows the working line by line so a person can check
// it against the legislation rather than take it on trust.
//
// It is a pure domain package: types, validation and rules, no database or
// HTTP. Dates are civil dates (Date: year, month, day, no zone), because
// the limits run in whole days and a time.Time at midnight lets a zone or a
// clock change move a date. The only instants are the 48 hours of
// Extradition Act 2003 s.6, counted as time.Time in the arrest's location.
//
// The non-working days — Saturdays, Sundays, Christmas Day, Good Friday and
// bank holidays in England and Wales — come from a Calendar, built from
// editable data (the embedded bank-holidays-england-and-wales.csv covers
// 2010 to 2030). A date outside the calendar's years is an error wrapping
// ErrBeyondCalendar, never a year without holidays.
//
// Bad input is a *fault.Error with Code fault.Invalid and a message per
// field, named as in the JSON body. README.md in this directory sets out
// each rule, its source and every assumption caseboard makes.
package deadline
