// Package spreadsheet streams rows in and out of CSV and XLSX files, with the
// checks every importer needs: that the file is what its name says, that it
// is not too large, that the header has the columns asked for, and that each
// value parses. It knows nothing about what the rows mean.
//
// Reading:
//
//	r, err := spreadsheet.Open(upload, "cases.xlsx", 20<<20)
//	defer r.Close()
//	cols, err := r.Columns([]string{"Case URN", "Opened on"}, []string{"Notes"})
//	for r.Next() {
//		row := r.Row()
//		urn := row.Get("Case URN")
//		opened, _ := row.Date("Opened on", true)
//		if !row.OK() {
//			continue // the problems are in r.Problems()
//		}
//		...
//	}
//	if err := r.Err(); err != nil { ... }          // the file itself is bad
//	if err := r.Problems().Err(); err != nil { ... } // some rows are bad
//
// XLSX cells are read as stored, not as their number format shows them: a
// format can hide a date's year or round a number. So a date cell reads as
// Excel's day number, which Row.Date understands, and a number typed into a
// General cell reads as typed.
//
// Formula injection: a text cell that begins with =, +, -, @, tab or carriage
// return would be run as a formula by Excel when a user opens an export, so
// the Writer puts a single quote in front of it (OWASP's advice for CSV
// injection), in CSV and XLSX alike: an XLSX cell is safe while it stays an
// XLSX string, but not once a user edits it or saves the sheet as CSV.
// Numbers and dates are written as numbers and need no quote, so -3 written
// with Number stays the number -3. The Reader removes that one quote again,
// so what was exported imports back exactly; see neutralise and restore for
// the rule that keeps this reversible.
package spreadsheet

import (
	"fmt"
	"strings"
)

// Formats the package reads and writes.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// DefaultLimit is the size limit Open applies when given none.
const DefaultLimit = 20 << 20

// formatOf returns the format named by a file name's extension or by a
// format name such as "xlsx", or "".
func formatOf(name string) string {
	lower := strings.ToLower(strings.TrimSpace(name))
	switch {
	case lower == CSV || strings.HasSuffix(lower, ".csv"):
		return CSV
	case lower == XLSX || strings.HasSuffix(lower, ".xlsx"):
		return XLSX
	}
	return ""
}

// isTrigger reports whether a cell beginning with c could be read by a
// spreadsheet program as a formula.
func isTrigger(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// needsQuote reports whether s, once any leading quotes are skipped, begins
// with a formula trigger. Counting the quotes that are already there is what
// makes the rule reversible: =1 is written with one quote in front, and a
// text that already starts with a quote, such as '=1, gets one more, so the
// reader can always remove exactly one.
func needsQuote(s string) bool {
	rest := strings.TrimLeft(s, "'")
	return rest != "" && isTrigger(rest[0])
}

// neutralise returns text as it is safe to write into a spreadsheet.
func neutralise(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// restore undoes neutralise. A hand-made file holding '=1 reads as =1 too,
// which is what Excel's own leading-apostrophe convention means.
func restore(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsQuote(s) {
		return s[1:]
	}
	return s
}

// sizeText formats a byte limit for a person.
func sizeText(n int64) string {
	switch {
	case n < 1<<10 || (n < 1<<20 && n%(1<<10) != 0):
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KB", n>>10)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// columnName returns the spreadsheet letters for a 0-based column index.
func columnName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}
