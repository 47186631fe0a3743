package spreadsheet

import (
	"errors"
	"io"
	"strings"

	"caseboard/internal/fault"
)

// source yields a file's rows, whatever its format.
type source interface {
	// next returns the next row's cells and its row number as a spreadsheet
	// program shows it, or io.EOF after the last row. The cells may be
	// reused by the following call.
	next() ([]string, int, error)
	close() error
}

// Reader reads the rows of one CSV or XLSX file, one at a time, so a file of
// any length is read in the same memory.
type Reader struct {
	format   string
	src      source
	serials  bool // numbers in a date column are Excel date serials
	date1904 bool // the workbook counts days from 1904, as old Mac Excel did

	cols     *Columns
	cells    []string
	number   int
	flagged  bool     // the current row has a problem
	rowWhy   []string // what is wrong with the current row
	problems *Problems
	err      error
	done     bool
}

// Option changes how Open reads a file.
type Option func(*options)

type options struct {
	sheet string
}

// Sheet makes Open read the named sheet of a workbook (case-insensitively)
// rather than its first visible one. CSV files ignore it.
func Sheet(name string) Option {
	return func(o *options) { o.sheet = name }
}

// Open starts reading r, a file named name, which may be at most limit bytes
// (DefaultLimit when limit <= 0). The extension picks the format, and the
// content must match it, so that a renamed file gets a clear error rather
// than garbage. Errors are *fault.Error with code Invalid, except failures of
// the machine (a temporary file), which are Internal.
//
// A CSV file is read as it streams, so its size limit may be crossed after
// some rows are read: Err reports it, and importers must check Err before
// they keep anything. An XLSX file is copied to a temporary file first (a zip
// is read from its end), so its limit is checked here.
func Open(r io.Reader, name string, limit int64, opts ...Option) (*Reader, error) {
	format := formatOf(name)
	if format == "" {
		return nil, fault.Errorf(fault.Invalid, "%q is not a file type that can be imported: choose a .csv or .xlsx file", name)
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	rd := &Reader{format: format, problems: NewProblems(MaxProblems)}
	if format == CSV {
		c, err := openCSV(r, limit)
		if err != nil {
			return nil, err
		}
		rd.src = c
		return rd, nil
	}
	x, err := openXLSX(r, limit, o.sheet)
	if err != nil {
		return nil, err
	}
	rd.src, rd.serials, rd.date1904 = x, true, x.date1904
	return rd, nil
}

// Format returns CSV or XLSX.
func (r *Reader) Format() string { return r.format }

// Problems returns the problems found in the rows so far.
func (r *Reader) Problems() *Problems { return r.problems }

// Columns reads the header, the first row that is not blank, and matches its
// names to the columns the importer wants; see Columns for the rules. It
// must be called once, before Next.
func (r *Reader) Columns(required, optional []string) (*Columns, error) {
	if r.cols != nil {
		return nil, fault.Errorf(fault.Internal, "spreadsheet: Columns called twice")
	}
	cells, _, err := r.nextFilled()
	if errors.Is(err, io.EOF) {
		return nil, fault.Errorf(fault.Invalid, "The file is empty: its first row must name the columns")
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	cols, err := matchColumns(cells, required, optional)
	if err != nil {
		return nil, err
	}
	r.cols = cols
	return cols, nil
}

// Next moves to the next row that is not blank, and reports whether there is
// one. Blank rows are skipped because spreadsheets are full of them: empty
// lines, and rows that were formatted but never filled in.
func (r *Reader) Next() bool {
	if r.err != nil || r.done {
		return false
	}
	if r.cols == nil {
		r.err = fault.Errorf(fault.Internal, "spreadsheet: Next called before Columns")
		return false
	}
	cells, number, err := r.nextFilled()
	if errors.Is(err, io.EOF) {
		r.done = true
		return false
	}
	if err != nil {
		r.err = err
		return false
	}
	r.cells, r.number, r.flagged, r.rowWhy = cells, number, false, r.rowWhy[:0]
	r.checkUnnamed()
	return true
}

// Row returns the current row. It is valid until the next call to Next.
func (r *Reader) Row() Row { return Row{r: r} }

// Err returns the error that stopped Next, if any: the file is damaged, is
// not valid CSV, or crossed the size limit. Problems with single values are
// not errors: see Problems.
func (r *Reader) Err() error { return r.err }

// Close releases the temporary files of an XLSX file. Call it whether or
// not the rows were all read.
func (r *Reader) Close() error {
	if r.src == nil {
		return nil
	}
	return r.src.close()
}

// nextFilled returns the next row with a value in it, with the quotes that
// neutralise formulas removed.
func (r *Reader) nextFilled() ([]string, int, error) {
	for {
		cells, number, err := r.src.next()
		if err != nil {
			return nil, 0, err
		}
		blank := true
		for i, c := range cells {
			cells[i] = restore(c)
			if blank && strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if !blank {
			return cells, number, nil
		}
	}
}

// checkUnnamed flags values in columns that have no name in the header: in a
// CSV file they usually mean an unquoted comma has shifted the values along,
// and in either format they would otherwise be lost without a word.
func (r *Reader) checkUnnamed() {
	for i, c := range r.cells {
		if r.cols.named(i) {
			continue
		}
		if v := strings.TrimSpace(c); v != "" {
			r.problem("column "+columnName(i), v, "this column has no name in the header row, so its value cannot be imported")
		}
	}
}

// problem records a problem with the current row.
func (r *Reader) problem(column, value, why string) {
	r.flagged = true
	r.rowWhy = append(r.rowWhy, column+": "+why)
	r.problems.Add(Problem{Row: r.number, Column: column, Value: value, Why: why})
}
