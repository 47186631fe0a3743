package spreadsheet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Row is a Reader's current row. Its typed getters do not fail: a value that
// does not parse is recorded as a Problem, and the getter returns false, so
// one pass over a file finds every problem in it. Columns are named as they
// were passed to Reader.Columns; asking for any other column panics.
type Row struct{ r *Reader }

// Number returns the row's number as a spreadsheet program shows it: the
// header is usually row 1, and a CSV value holding line breaks is one row.
func (row Row) Number() int { return row.r.number }

// Get returns a column's value with surrounding spaces removed, or "" when
// the file lacks the column or the row stops short of it.
func (row Row) Get(column string) string {
	v, _ := row.cell(column)
	return strings.TrimSpace(v)
}

// Raw returns a column's value as the file holds it, spaces included.
func (row Row) Raw(column string) string {
	v, _ := row.cell(column)
	return v
}

// OK reports whether no problem has been recorded for this row.
func (row Row) OK() bool { return !row.r.flagged }

// Why says what is wrong with the row, one "column: why" per problem,
// however many problems the file has had before it (the Problems list
// keeps only the first MaxProblems).
func (row Row) Why() string { return strings.Join(row.r.rowWhy, "; ") }

// Problem records a problem the importer found with a column's value, such
// as a reference to a record that does not exist.
func (row Row) Problem(column, why string) {
	v, title := row.cell(column)
	row.r.problem(title, strings.TrimSpace(v), why)
}

// Date returns a column's date, at midnight UTC as the domain stores dates.
// It accepts YYYY-MM-DD and DD/MM/YYYY (day first, as in the UK) and, in an
// XLSX file, Excel's own date cells; a date cell's time of day is dropped.
// It refuses dates that do not exist, such as 31/02/2018, and years outside
// 1900 to 2100, which are typing mistakes in casework.
func (row Row) Date(column string, required bool) (time.Time, bool) {
	v, title, ok := row.value(column, required)
	if !ok || v == "" {
		return time.Time{}, ok
	}
	d, why := parseDate(v, row.r.serials, row.r.date1904)
	if why != "" {
		row.r.problem(title, v, why)
		return time.Time{}, false
	}
	return d, true
}

// Int returns a column's whole number. Commas between thousands are allowed,
// as Excel shows them.
func (row Row) Int(column string, required bool) (int, bool) {
	v, title, ok := row.value(column, required)
	if !ok || v == "" {
		return 0, ok
	}
	n, why := parseInt(v)
	if why != "" {
		row.r.problem(title, v, why)
		return 0, false
	}
	return n, true
}

// Float returns a column's number. Commas between thousands are allowed.
func (row Row) Float(column string, required bool) (float64, bool) {
	v, title, ok := row.value(column, required)
	if !ok || v == "" {
		return 0, ok
	}
	clean, valid := cleanNumber(v)
	if !valid {
		row.r.problem(title, v, "not a number")
		return 0, false
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		row.r.problem(title, v, "too large a number")
		return 0, false
	}
	return f, true
}

// Bool returns a column's yes or no: yes, y, true or 1, and no, n, false or
// 0, in any case. An XLSX TRUE/FALSE cell reads as 1 or 0.
func (row Row) Bool(column string, required bool) (bool, bool) {
	v, title, ok := row.value(column, required)
	if !ok || v == "" {
		return false, ok
	}
	switch strings.ToLower(v) {
	case "yes", "y", "true", "1":
		return true, true
	case "no", "n", "false", "0":
		return false, true
	}
	row.r.problem(title, v, "not yes or no")
	return false, false
}

// OneOf returns the allowed value that a column's value matches, ignoring
// case and repeated spaces, spelled as in allowed.
func (row Row) OneOf(column string, required bool, allowed []string) (string, bool) {
	v, title, ok := row.value(column, required)
	if !ok || v == "" {
		return "", ok
	}
	key := strings.Join(strings.Fields(v), " ")
	for _, a := range allowed {
		if strings.EqualFold(key, a) {
			return a, true
		}
	}
	row.r.problem(title, v, "not one of "+choices(allowed))
	return "", false
}

// cell returns a column's raw value and its title in the file.
func (row Row) cell(column string) (string, string) {
	col := row.r.cols.find(column)
	if col.index < 0 || col.index >= len(row.r.cells) {
		return "", col.title
	}
	return row.r.cells[col.index], col.title
}

// value returns a column's trimmed value and title, and records a problem
// when a required value is empty.
func (row Row) value(column string, required bool) (string, string, bool) {
	v, title := row.cell(column)
	v = strings.TrimSpace(v)
	if v == "" && required {
		row.r.problem(title, "", "a value is required")
		return "", title, false
	}
	return v, title, true
}

// choices lists allowed values for a person, shortening a long list.
func choices(allowed []string) string {
	const most = 20
	q := make([]string, 0, min(len(allowed), most))
	for _, a := range allowed[:min(len(allowed), most)] {
		q = append(q, fmt.Sprintf("%q", a))
	}
	s := strings.Join(q, ", ")
	if len(allowed) > most {
		s += fmt.Sprintf(" (and %d more)", len(allowed)-most)
	}
	return s
}

const (
	minYear = 1900
	maxYear = 2100
)

// parseDate returns the date s holds, or why it holds none. serials allows
// Excel's date numbers, counted from 1904 when date1904 is set.
func parseDate(s string, serials, date1904 bool) (time.Time, string) {
	if serials {
		if _, ok := cleanNumber(s); ok {
			return fromSerial(s, date1904)
		}
		// Cells of Excel's rarely used ISO date type hold a date and time.
		if len(s) > 10 && s[10] == 'T' {
			s = s[:10]
		}
	}
	var y, m, d int
	var ok bool
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, ok = digits(s[:4], 4, 4)
		m, ok = digitsAnd(ok, s[5:7], 2, 2)
		d, ok = digitsAnd(ok, s[8:], 2, 2)
	} else if parts := strings.Split(s, "/"); len(parts) == 3 {
		d, ok = digits(parts[0], 1, 2)
		m, ok = digitsAnd(ok, parts[1], 1, 2)
		y, ok = digitsAnd(ok, parts[2], 4, 4)
	}
	if !ok {
		return time.Time{}, "not a date: write it as DD/MM/YYYY or YYYY-MM-DD"
	}
	return checkDate(y, m, d)
}

// checkDate returns the date y-m-d, refusing one that does not exist.
func checkDate(y, m, d int) (time.Time, string) {
	if y < minYear || y > maxYear {
		return time.Time{}, fmt.Sprintf("the year must be between %d and %d", minYear, maxYear)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, "not a real date"
	}
	return t, ""
}

// fromSerial converts an Excel date number: days since 30 December 1899,
// except that Excel, copying Lotus 1-2-3, counts a 29 February 1900 that
// never was (serial 60), so serials before it are a day out.
func fromSerial(s string, date1904 bool) (time.Time, string) {
	clean, _ := cleanNumber(s)
	f, err := strconv.ParseFloat(clean, 64)
	day := math.Floor(f)
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case err != nil || day > 1e6: // far past 2100, and past what AddDate takes
		return time.Time{}, fmt.Sprintf("the year must be between %d and %d", minYear, maxYear)
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		if day < 0 {
			return time.Time{}, "not a real date"
		}
	case day < 1 || day == 60:
		return time.Time{}, "not a real date"
	case day < 60:
		day++
	}
	t := base.AddDate(0, 0, int(day))
	return checkDate(t.Year(), int(t.Month()), t.Day())
}

// digits parses s as a number of lo to hi ASCII digits.
func digits(s string, lo, hi int) (int, bool) {
	if len(s) < lo || len(s) > hi {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// digitsAnd is digits when ok, to chain the parts of a date.
func digitsAnd(ok bool, s string, lo, hi int) (int, bool) {
	if !ok {
		return 0, false
	}
	return digits(s, lo, hi)
}

// parseInt returns the whole number s holds, or why it holds none.
func parseInt(s string) (int, string) {
	clean, ok := cleanNumber(s)
	if !ok {
		return 0, "not a whole number"
	}
	if n, err := strconv.Atoi(clean); err == nil {
		return n, ""
	}
	// 12.0 and 1E+3 are whole numbers too, as other programs write them.
	f, err := strconv.ParseFloat(clean, 64)
	switch {
	case err != nil || math.Abs(f) > 1<<53:
		return 0, "too large a number"
	case f != math.Trunc(f):
		return 0, "not a whole number"
	}
	return int(f), ""
}

// cleanNumber checks that s is a plain decimal number, with an optional
// sign, point and exponent and commas between thousands, and returns it
// without the commas. ParseFloat alone would also take Inf, NaN, 0x1p3 and
// 1_000.
func cleanNumber(s string) (string, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	whole, ok := scanGrouped(s, &i)
	if !ok {
		return "", false
	}
	frac := 0
	if i < len(s) && s[i] == '.' {
		i++
		frac = scanDigits(s, &i)
	}
	if whole+frac == 0 {
		return "", false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if scanDigits(s, &i) == 0 {
			return "", false
		}
	}
	if i != len(s) {
		return "", false
	}
	if strings.IndexByte(s[start:], ',') < 0 {
		return s, true
	}
	return strings.ReplaceAll(s, ",", ""), true
}

// scanGrouped moves *i past digits, allowing a comma before each group of
// three after the first, and returns how many digits it passed.
func scanGrouped(s string, i *int) (int, bool) {
	n := scanDigits(s, i)
	grouped := false
	for *i < len(s) && s[*i] == ',' {
		if n == 0 || (!grouped && n > 3) {
			return 0, false
		}
		*i++
		if scanDigits(s, i) != 3 {
			return 0, false
		}
		n, grouped = n+3, true
	}
	return n, true
}

// scanDigits moves *i past ASCII digits and returns how many.
func scanDigits(s string, i *int) int {
	start := *i
	for *i < len(s) && s[*i] >= '0' && s[*i] <= '9' {
		*i++
	}
	return *i - start
}
