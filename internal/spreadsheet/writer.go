package spreadsheet

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"caseboard/internal/fault"
)

// Cell is one value to write: text, a number or a date.
type Cell struct {
	kind cellKind
	text string
	num  float64
	date time.Time
}

type cellKind int

const (
	textCell cellKind = iota
	numberCell
	dateCell
)

// Text returns a text cell. Text that a spreadsheet program could take for a
// formula is written with a quote in front; see the package comment.
func Text(s string) Cell { return Cell{kind: textCell, text: s} }

// Number returns a number cell: a number in XLSX, plain digits in CSV.
func Number(f float64) Cell { return Cell{kind: numberCell, num: f} }

// Date returns a date cell for t's calendar day: a real date in XLSX, shown
// in the reader's own short-date format, and YYYY-MM-DD in CSV. The zero
// time writes an empty cell, as the domain uses it for no date.
func Date(t time.Time) Cell { return Cell{kind: dateCell, date: t} }

// maxCellChars is the most characters (UTF-16 units) an XLSX cell holds.
const maxCellChars = 32767

// Writer writes rows to a CSV or XLSX file. XLSX rows go through excelize's
// stream writer, which keeps memory flat by spilling to a temporary file.
type Writer struct {
	out    io.Writer
	csv    *csv.Writer
	book   *excelize.File
	sheet  *excelize.StreamWriter
	rows   int // written so far
	date   int // style of date cells
	header int // style of the header row
	record []string
	values []any
}

// NewWriter starts a file of format CSV or XLSX (as a name, such as "xlsx",
// or a file name). sheetName names an XLSX file's one sheet ("Sheet1" when
// empty). A CSV file starts with a UTF-8 byte-order mark, without which
// Excel reads UTF-8 as Windows-1252 and garbles names such as Siobhán.
//
// What is written reads back through a Reader unchanged, except that a CSV
// value's CR LF reads back as LF (CSV readers normalise line ends), and XLSX,
// being XML, cannot hold control characters other than tab, LF and CR:
// excelize writes them as U+FFFD.
func NewWriter(w io.Writer, format, sheetName string) (*Writer, error) {
	switch formatOf(format) {
	case "":
		return nil, fault.Errorf(fault.Invalid, "%q is not a format that can be exported: choose csv or xlsx", format)
	case CSV:
		if _, err := w.Write(utf8BOM); err != nil {
			return nil, err
		}
		// LF line ends, because a csv.Writer set to CRLF drops a lone
		// carriage return inside a value, and values must round-trip.
		return &Writer{out: w, csv: csv.NewWriter(w)}, nil
	}
	return newXLSXWriter(w, sheetName)
}

func newXLSXWriter(w io.Writer, sheetName string) (*Writer, error) {
	if sheetName == "" {
		sheetName = "Sheet1"
	}
	book := excelize.NewFile()
	if err := book.SetSheetName("Sheet1", sheetName); err != nil {
		_ = book.Close()
		return nil, fault.Errorf(fault.Invalid, "%q cannot name a sheet: %v", sheetName, err)
	}
	xw := &Writer{out: w, book: book}
	var err error
	if xw.sheet, err = book.NewStreamWriter(sheetName); err == nil {
		// Built-in format 14 shows a date as the reader's computer does:
		// 05/03/2024 in the UK.
		if xw.date, err = book.NewStyle(&excelize.Style{NumFmt: 14}); err == nil {
			xw.header, err = book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		}
	}
	if err != nil {
		_ = book.Close()
		return nil, err
	}
	return xw, nil
}

// WriteHeader writes the column names: in XLSX, bold and frozen above the
// rows that scroll. Call it before any row.
func (w *Writer) WriteHeader(names []string) error {
	if w.sheet != nil && w.rows == 0 {
		err := w.sheet.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		if err != nil {
			return err
		}
	}
	cells := make([]Cell, len(names))
	for i, n := range names {
		cells[i] = Text(n)
	}
	return w.write(cells, w.header)
}

// WriteRow writes a row of text cells.
func (w *Writer) WriteRow(cells []string) error {
	typed := make([]Cell, len(cells))
	for i, c := range cells {
		typed[i] = Text(c)
	}
	return w.write(typed, 0)
}

// WriteCells writes a row of typed cells.
func (w *Writer) WriteCells(cells []Cell) error { return w.write(cells, 0) }

// Close finishes the file: an XLSX file is written to the output only now.
func (w *Writer) Close() error {
	if w.csv != nil {
		w.csv.Flush()
		return w.csv.Error()
	}
	defer w.book.Close()
	if err := w.sheet.Flush(); err != nil {
		return err
	}
	return w.book.Write(w.out)
}

func (w *Writer) write(cells []Cell, style int) error {
	for _, c := range cells {
		if c.kind == numberCell && (math.IsNaN(c.num) || math.IsInf(c.num, 0)) {
			return fault.Errorf(fault.Internal, "spreadsheet: row %d has %v, which is not a number a spreadsheet can hold", w.rows+1, c.num)
		}
	}
	var err error
	if w.csv != nil {
		err = w.writeCSV(cells)
	} else {
		err = w.writeXLSX(cells, style)
	}
	if err == nil {
		w.rows++
	}
	return err
}

func (w *Writer) writeCSV(cells []Cell) error {
	w.record = w.record[:0]
	for _, c := range cells {
		switch {
		case c.kind == numberCell:
			w.record = append(w.record, strconv.FormatFloat(c.num, 'f', -1, 64))
		case c.kind == dateCell && !c.date.IsZero():
			w.record = append(w.record, c.date.Format(time.DateOnly))
		case c.kind == dateCell:
			w.record = append(w.record, "")
		default:
			w.record = append(w.record, neutralise(c.text))
		}
	}
	return w.csv.Write(w.record)
}

func (w *Writer) writeXLSX(cells []Cell, style int) error {
	w.values = w.values[:0]
	for i, c := range cells {
		v, err := w.xlsxValue(c, i, style)
		if err != nil {
			return err
		}
		w.values = append(w.values, v)
	}
	ref, err := excelize.CoordinatesToCellName(1, w.rows+1)
	if err != nil {
		return err
	}
	return w.sheet.SetRow(ref, w.values)
}

// xlsxValue returns what excelize is given for a cell: nil for an empty one,
// so empty cells take no room in the file. style applies to text.
func (w *Writer) xlsxValue(c Cell, col, style int) (any, error) {
	switch {
	case c.kind == numberCell:
		return excelize.Cell{Value: c.num}, nil
	case c.kind == dateCell && c.date.IsZero():
		return nil, nil
	case c.kind == dateCell:
		day := time.Date(c.date.Year(), c.date.Month(), c.date.Day(), 0, 0, 0, 0, time.UTC)
		return excelize.Cell{StyleID: w.date, Value: day}, nil
	case c.text == "":
		return nil, nil
	}
	s := neutralise(c.text)
	// excelize would cut a longer value short without a word.
	if len(s) > maxCellChars && len(utf16.Encode([]rune(s))) > maxCellChars {
		return nil, fault.Errorf(fault.Invalid, "Row %d, column %s holds more than %d characters, the most an XLSX cell can hold: export as CSV instead", w.rows+1, columnName(col), maxCellChars)
	}
	return excelize.Cell{StyleID: style, Value: s}, nil
}
