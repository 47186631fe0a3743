package spreadsheet

import (
	"fmt"
	"strings"

	"caseboard/internal/fault"
)

// Columns is the header of a file matched to the columns an importer asked
// for. Names match case-insensitively, ignoring surrounding spaces and
// treating spaces, underscores and hyphens alike, so "Case URN" matches
// "case_urn"; the order of the columns does not matter.
type Columns struct {
	index   map[string]int    // normalised name → cell index, -1 when absent
	title   map[string]string // normalised name → the header as the file has it
	byName  map[string]column // names as importers pass them, to skip normalising every call
	hasName []bool            // the header names this cell
	ignored []string
}

// Ignored returns the header's names that the importer did not ask for, in
// file order, so it can tell the user they were not imported.
func (c *Columns) Ignored() []string { return c.ignored }

// Title returns a column's header as the file has it, so a problem found
// after reading names the column as the person wrote it; name when the
// file lacks it.
func (c *Columns) Title(name string) string {
	if t, ok := c.title[normalise(name)]; ok {
		return t
	}
	return name
}

// Has reports whether the file has the column, so an importer can tell an
// absent optional column (keep what is stored) from an empty value.
func (c *Columns) Has(name string) bool {
	i, ok := c.index[normalise(name)]
	return ok && i >= 0
}

// normalise returns the form of a column name that matching compares.
func normalise(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return ' '
		}
		return r
	}, strings.ToLower(name))
	return strings.Join(strings.Fields(name), " ")
}

// matchColumns matches a header row to the columns wanted. It returns an
// Invalid error naming every required column that is missing, or a name
// the header has twice (a value could not be told which column it is from).
func matchColumns(header, required, optional []string) (*Columns, error) {
	c := &Columns{index: map[string]int{}, title: map[string]string{}, byName: map[string]column{}, hasName: make([]bool, len(header))}
	for _, name := range append(append([]string{}, required...), optional...) {
		c.index[normalise(name)] = -1
		c.title[normalise(name)] = name
	}
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		key := normalise(h)
		if key == "" {
			continue
		}
		if j, dup := seen[key]; dup {
			return nil, fault.Errorf(fault.Invalid, "The header row names the column %q twice, in columns %s and %s: rename or remove one", h, columnName(j), columnName(i))
		}
		seen[key] = i
		c.hasName[i] = true
		if _, wanted := c.index[key]; !wanted {
			c.ignored = append(c.ignored, h)
			continue
		}
		c.index[key], c.title[key] = i, h
	}
	var missing []string
	for _, name := range required {
		if c.index[normalise(name)] < 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, missingColumns(missing, header)
	}
	return c, nil
}

// missingColumns names the missing columns, and spots the usual cause of
// every column missing: a file separated by semicolons or tabs.
func missingColumns(missing, header []string) error {
	msg := fmt.Sprintf("The file is missing the column %s", quoteList(missing))
	if len(missing) > 1 {
		msg = fmt.Sprintf("The file is missing the columns %s", quoteList(missing))
	}
	if len(header) == 1 && strings.ContainsAny(header[0], ";\t") {
		msg += ". Its columns seem to be separated by semicolons or tabs: save it as CSV UTF-8 (Comma delimited)"
	}
	return &fault.Error{Code: fault.Invalid, Message: msg}
}

// quoteList writes names as "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// column is a column the importer asked for.
type column struct {
	index int    // in the row's cells; -1 when the file lacks the column
	title string // as the file's header has it, for problem reports
}

// find returns a column the importer asked for.
func (c *Columns) find(name string) column {
	col, ok := c.byName[name]
	if !ok {
		key := normalise(name)
		i, wanted := c.index[key]
		if !wanted {
			// A column not passed to Columns is a bug in the importer, not
			// in the file; failing loudly finds it in the first test.
			panic(fmt.Sprintf("spreadsheet: column %q was not passed to Columns", name))
		}
		col = column{index: i, title: c.title[key]}
		c.byName[name] = col
	}
	return col
}

// named reports whether the header names the cell at index i.
func (c *Columns) named(i int) bool { return i < len(c.hasName) && c.hasName[i] }
