package spreadsheet_test

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"slices"
	"testing"
	"time"

	"caseboard/internal/spreadsheet"
)

// readFuzzed reads every row of data as a file called name, exercising
// every getter, and checks the invariants whatever the bytes: no panic, rows
// numbered upward from after the header, and every problem in a row.
func readFuzzed(t *testing.T, data []byte, name string) {
	r, err := spreadsheet.Open(bytes.NewReader(data), name, 1<<20)
	if err != nil {
		return
	}
	defer r.Close()
	if _, err := r.Columns(nil, []string{"a", "b", "date", "n", "x"}); err != nil {
		return
	}
	last := 1
	for r.Next() {
		row := r.Row()
		if row.Number() <= last {
			t.Fatalf("row %d follows row %d", row.Number(), last)
		}
		last = row.Number()
		row.Get("a")
		row.Date("date", true)
		row.Int("n", false)
		row.Float("x", false)
		row.Bool("b", false)
		row.OneOf("a", false, []string{"yes", "no"})
	}
	for _, p := range r.Problems().List() {
		if p.Row <= 1 || p.Row > last || p.Why == "" {
			t.Fatalf("problem outside the rows read: %+v", p)
		}
	}
}

// FuzzReadCSV: any bytes named .csv are rows or an error, never a panic.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("a,b,date,n,x\n1,yes,05/03/2024,3,1.5\n"))
	f.Add([]byte("\xEF\xBB\xBFa,date\n\"x\ny\",31/02/2018\n\n,\n\"q\"\"\",2024-13-01\nz,1,2,3,4,5,6\n"))
	f.Add([]byte("a\n\"unclosed\n"))
	f.Add([]byte("date\n29/02/1900\n01/01/1900\n99999999999999999999/1/2000\n"))
	f.Add([]byte("n,x\n1e400,1,234.5\n-0,.\n"))
	f.Add([]byte("\xFF\xFEa\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		readFuzzed(t, data, "fuzz.csv")
	})
}

// FuzzReadXLSX: any bytes named .xlsx are rows or an error, never a panic.
func FuzzReadXLSX(f *testing.F) {
	header := []string{"a", "b", "date", "n", "x"}
	f.Add(write(f, "xlsx", header,
		[]spreadsheet.Cell{spreadsheet.Text("=1"), spreadsheet.Text("yes"), spreadsheet.Date(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)), spreadsheet.Number(3), spreadsheet.Number(-1.5)},
		texts("", "", "31/02/2018", "x", "y")))
	f.Add(write(f, "xlsx", []string{"a"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		readFuzzed(t, data, "fuzz.xlsx")
	})
}

// FuzzReadXLSXSheet: any worksheet XML inside a sound workbook is rows or an
// error, never a panic. Bytes fuzzed as a whole file rarely get past the
// zip's checksums to the XML, so this target puts them there.
func FuzzReadXLSXSheet(f *testing.F) {
	book := write(f, "xlsx", []string{"a", "date", "n"},
		[]spreadsheet.Cell{spreadsheet.Text("x"), spreadsheet.Date(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)), spreadsheet.Number(3)})
	parts := unzip(f, book)
	f.Add(parts[sheetPart])
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="3"><c r="XFD3" t="s"><v>99</v></c><c t="b"><v>1</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row r="1048577"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		parts[sheetPart] = sheet
		readFuzzed(t, rezip(t, parts), "fuzz.xlsx")
	})
}

const sheetPart = "xl/worksheets/sheet1.xml"

// unzip returns a zip's parts by name.
func unzip(tb testing.TB, data []byte) map[string][]byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		parts[zf.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return parts
}

// rezip returns a zip of the parts, in a fixed order so runs repeat.
func rezip(tb testing.TB, parts map[string][]byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(parts[name])
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
