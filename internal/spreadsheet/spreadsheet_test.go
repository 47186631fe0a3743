package spreadsheet_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caseboard/internal/fault"
	"caseboard/internal/spreadsheet"
)

// write returns a file of the format with the header and rows.
func write(tb testing.TB, format string, header []string, rows ...[]spreadsheet.Cell) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := spreadsheet.NewWriter(&buf, format, "Cases")
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.WriteHeader(header); err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if err := w.WriteCells(r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// texts returns a row of text cells.
func texts(values ...string) []spreadsheet.Cell {
	cells := make([]spreadsheet.Cell, len(values))
	for i, v := range values {
		cells[i] = spreadsheet.Text(v)
	}
	return cells
}

// open opens data as a file called name, read with the columns given.
func open(tb testing.TB, data []byte, name string, required, optional []string) *spreadsheet.Reader {
	tb.Helper()
	r, err := spreadsheet.Open(bytes.NewReader(data), name, 1<<20)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	if _, err := r.Columns(required, optional); err != nil {
		tb.Fatal(err)
	}
	return r
}

// message returns the user-facing message of an Invalid error, failing the
// test for any other error.
func message(tb testing.TB, err error) string {
	tb.Helper()
	fe := fault.As(err)
	if fe == nil || fe.Code != fault.Invalid {
		tb.Fatalf("want an Invalid error, got %#v", err)
	}
	return fe.Message
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestRoundTrip writes values of every awkward kind and reads them back.
func TestRoundTrip(t *testing.T) {
	textValues := []string{
		"Siobhán Ó'Brien", "日本語のテキスト 🙂", "Smith, John", `she said "no"`, "line one\nline two",
		"0012", "", "  padded  ", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTab",
		"'quoted", "'=already quoted", "''", "_x0041_", "-3",
	}
	header := []string{"Code", "Count", "Amount", "Opened on", "Note"}
	var rows [][]spreadsheet.Cell
	for i, v := range textValues {
		rows = append(rows, []spreadsheet.Cell{
			spreadsheet.Text(v), spreadsheet.Number(float64(i - 3)), spreadsheet.Number(float64(i) + 0.25),
			spreadsheet.Date(day(2000+i, time.Month(1+i%12), 1+i)), spreadsheet.Text("note " + v),
		})
	}
	rows = append(rows, []spreadsheet.Cell{spreadsheet.Text("last"), spreadsheet.Number(-3), spreadsheet.Number(1e-7), spreadsheet.Date(time.Time{}), spreadsheet.Text("")})
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			r := open(t, write(t, format, header, rows...), "cases."+format, header, nil)
			i := 0
			for ; r.Next(); i++ {
				row := r.Row()
				if row.Number() != i+2 {
					t.Errorf("row %d numbered %d", i+2, row.Number())
				}
				wantText := "last"
				if i < len(textValues) {
					wantText = textValues[i]
				}
				if got := row.Raw("Code"); got != wantText {
					t.Errorf("row %d: Code = %q, want %q", i+2, got, wantText)
				}
				if got := row.Raw("Note"); i < len(textValues) && got != "note "+wantText {
					t.Errorf("row %d: Note = %q, want %q", i+2, got, "note "+wantText)
				}
				count, _ := row.Int("Count", true)
				amount, _ := row.Float("Amount", true)
				opened, _ := row.Date("Opened on", false)
				wantCount, wantAmount, wantOpened := i-3, float64(i)+0.25, day(2000+i, time.Month(1+i%12), 1+i)
				if i == len(textValues) {
					wantCount, wantAmount, wantOpened = -3, 1e-7, time.Time{}
				}
				if count != wantCount || amount != wantAmount || !opened.Equal(wantOpened) {
					t.Errorf("row %d: got %d, %v, %v; want %d, %v, %v", i+2, count, amount, opened, wantCount, wantAmount, wantOpened)
				}
				if !row.OK() {
					t.Errorf("row %d: %v", i+2, r.Problems())
				}
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if i != len(rows) {
				t.Fatalf("read %d rows, want %d", i, len(rows))
			}
		})
	}
}

// TestFormulaInjection: text that a spreadsheet would run is stored with a
// quote in front, numbers stay numbers, and both import as they were.
func TestFormulaInjection(t *testing.T) {
	payloads := []string{"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}
	row := append(texts(payloads...), spreadsheet.Number(-3))
	header := []string{"a", "b", "c", "d", "e", "f", "g"}

	t.Run("CSV", func(t *testing.T) {
		data := write(t, "csv", header, row)
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", "-3"}
		if !slices.Equal(records[1], want) {
			t.Fatalf("stored %q, want %q", records[1], want)
		}
		checkReimport(t, data, "x.csv", header, payloads)
	})
	t.Run("XLSX", func(t *testing.T) {
		data := write(t, "xlsx", header, row)
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for i, p := range payloads {
			cell, _ := excelize.CoordinatesToCellName(i+1, 2)
			v, _ := f.GetCellValue("Cases", cell, excelize.Options{RawCellValue: true})
			formula, _ := f.GetCellFormula("Cases", cell)
			if v != "'"+p || formula != "" {
				t.Errorf("%s holds %q (formula %q), want %q", cell, v, formula, "'"+p)
			}
		}
		if typ, _ := f.GetCellType("Cases", "G2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("-3 stored as %v, want a number", typ)
		}
		checkReimport(t, data, "x.xlsx", header, payloads)
	})
}

// checkReimport reads a file written by TestFormulaInjection.
func checkReimport(t *testing.T, data []byte, name string, header, payloads []string) {
	t.Helper()
	r := open(t, data, name, header, nil)
	if !r.Next() {
		t.Fatalf("no row: %v", r.Err())
	}
	for i, p := range payloads {
		if got := r.Row().Raw(header[i]); got != p {
			t.Errorf("column %s reads %q, want %q", header[i], got, p)
		}
	}
	if n, ok := r.Row().Int("g", true); n != -3 || !ok {
		t.Errorf("g reads %d, want -3", n)
	}
}

func TestColumns(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		data := []byte("Notes , Extra thing,  CASE_URN ,Opened-On\nn1,x,URN1,2024-01-02\n")
		r, err := spreadsheet.Open(bytes.NewReader(data), "c.csv", 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := r.Columns([]string{"Case URN", "Opened on"}, []string{"notes", "Outcome"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cols.Ignored(), []string{"Extra thing"}) || !cols.Has("NOTES") || cols.Has("Outcome") {
			t.Fatalf("ignored %q, has notes %v, has outcome %v", cols.Ignored(), cols.Has("NOTES"), cols.Has("Outcome"))
		}
		if !r.Next() {
			t.Fatal(r.Err())
		}
		row := r.Row()
		if row.Get("Case URN") != "URN1" || row.Get("case-urn") != "URN1" || row.Get("Notes") != "n1" || row.Get("Outcome") != "" {
			t.Fatalf("got %q %q %q", row.Get("Case URN"), row.Get("Notes"), row.Get("Outcome"))
		}
	})
	for name, tc := range map[string]struct {
		data     string
		required []string
		want     string
	}{
		"ErrMissing":   {"Case URN,Notes\n", []string{"Case URN", "Outcome", "Plea"}, `The file is missing the columns "Outcome" and "Plea"`},
		"ErrMissing1":  {"Case URN,Notes\n", []string{"Outcome"}, `The file is missing the column "Outcome"`},
		"ErrDuplicate": {"Case URN,Notes,case_urn\n", nil, `The header row names the column "case_urn" twice, in columns A and C: rename or remove one`},
		"ErrEmpty":     {"\n,,\n", nil, "The file is empty: its first row must name the columns"},
		"ErrSemicolon": {"Case URN;Outcome\n", []string{"Case URN"}, `The file is missing the column "Case URN". Its columns seem to be separated by semicolons or tabs: save it as CSV UTF-8 (Comma delimited)`},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := spreadsheet.Open(strings.NewReader(tc.data), "c.csv", 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Columns(tc.required, nil)
			if got := message(t, err); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// zipOf returns a zip archive of the named parts.
func zipOf(t *testing.T, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// corruptPart flips bytes inside a part's compressed data, leaving the zip's
// structure whole, as a bad disk or a bad copy would.
func corruptPart(t *testing.T, data []byte, part string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == part {
			off, _ := zf.DataOffset()
			bad := slices.Clone(data)
			for i := off + 5; i < off+25; i++ {
				bad[i] ^= 0x55
			}
			return bad
		}
	}
	t.Fatalf("no part %s", part)
	return nil
}

func TestOpen(t *testing.T) {
	book := write(t, "xlsx", []string{"Case URN"}, texts("URN1"), texts("URN2"))
	bomb := zipOf(t, map[string][]byte{
		"[Content_Types].xml": []byte("<Types/>"), "xl/workbook.xml": []byte("<workbook/>"),
		"xl/media/zeros.bin": make([]byte, 16<<20),
	})
	for name, tc := range map[string]struct {
		data  []byte
		name  string
		limit int64
		opts  []spreadsheet.Option
		want  string
	}{
		"ErrExtension":     {[]byte("a,b\n"), "cases.xls", 0, nil, `"cases.xls" is not a file type that can be imported: choose a .csv or .xlsx file`},
		"ErrNoExtension":   {[]byte("a,b\n"), "cases", 0, nil, `"cases" is not a file type that can be imported: choose a .csv or .xlsx file`},
		"ErrBinaryAsCSV":   {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "photo.csv", 0, nil, "This file is not a CSV file: it holds binary data, not text"},
		"ErrXLSXAsCSV":     {book, "cases.csv", 0, nil, "This file is not a CSV file: it is a zip archive, such as an Excel .xlsx workbook. Upload a workbook with the .xlsx extension"},
		"ErrXLSAsCSV":      {[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "cases.csv", 0, nil, "This file is not a CSV file: it is an old-style Excel .xls workbook. In Excel, save it as CSV UTF-8 or as .xlsx"},
		"ErrUTF16":         {[]byte("\xFF\xFEa\x00,\x00b\x00"), "cases.csv", 0, nil, "This file is not a CSV file: it is UTF-16 text. In Excel, save it as CSV UTF-8 (Comma delimited)"},
		"ErrWindows1252":   {[]byte("Name\nSiobh\xE1n\n"), "cases.csv", 0, nil, "This file is not a CSV file in UTF-8: it has characters in another encoding. In Excel, save it as CSV UTF-8 (Comma delimited)"},
		"ErrCSVAsXLSX":     {[]byte("Case URN\nURN1\n"), "cases.xlsx", 0, nil, "This file is not an XLSX file: save it from Excel as an Excel Workbook (.xlsx)"},
		"ErrXLSAsXLSX":     {[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "cases.xlsx", 0, nil, "This file is not an XLSX file: it is an old-style .xls workbook or a password-protected one. In Excel, remove any password and save it as .xlsx"},
		"ErrEmptyXLSX":     {nil, "cases.xlsx", 0, nil, "This file is not an XLSX file: save it from Excel as an Excel Workbook (.xlsx)"},
		"ErrZipNotXLSX":    {zipOf(t, map[string][]byte{"notes.txt": []byte("hello")}), "cases.xlsx", 0, nil, "This file is not an XLSX file: it is a zip archive with no Excel workbook inside"},
		"ErrDocxAsXLSX":    {zipOf(t, map[string][]byte{"[Content_Types].xml": nil, "word/document.xml": nil}), "cases.xlsx", 0, nil, "This file is not an XLSX file: it is a zip archive with no Excel workbook inside"},
		"ErrTruncatedXLSX": {book[:len(book)/2], "cases.xlsx", 0, nil, "This file is not a complete XLSX file: it may have been cut short while saving or uploading. Save it again from Excel and upload it again"},
		"ErrDamagedXLSX":   {corruptPart(t, book, "xl/worksheets/sheet1.xml"), "cases.xlsx", 0, nil, "This XLSX file is damaged and cannot be read. Open it in Excel, save it again and upload it again"},
		"ErrZipBomb":       {bomb, "cases.xlsx", 256 << 10, nil, "This workbook unpacks to more than 10 MB, the most that can be imported at once"},
		"ErrLargeCSV":      {bytes.Repeat([]byte("a,b\n"), 4000), "cases.csv", 4 << 10, nil, "The file is larger than 4 KB, the most that can be imported at once: split it into smaller files"},
		"ErrLargeXLSX":     {book, "cases.xlsx", 1000, nil, "The file is larger than 1000 bytes, the most that can be imported at once: split it into smaller files"},
		"ErrNoSheet":       {book, "cases.xlsx", 0, []spreadsheet.Option{spreadsheet.Sheet("Outcomes")}, `The workbook has no sheet named "Outcomes"; its sheets are: Cases`},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := spreadsheet.Open(bytes.NewReader(tc.data), tc.name, tc.limit, tc.opts...)
			if r != nil {
				t.Fatalf("opened %s", tc.name)
			}
			if got := message(t, err); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("OKSheet", func(t *testing.T) {
		r, err := spreadsheet.Open(bytes.NewReader(book), "cases.xlsx", 0, spreadsheet.Sheet("cases"))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if _, err := r.Columns([]string{"Case URN"}, nil); err != nil || !r.Next() || r.Row().Get("Case URN") != "URN1" {
			t.Fatalf("read %v, %v", err, r.Err())
		}
	})
}

// readAll reads every row of a CSV file with the given header, returning
// the reader's error.
func readAll(t *testing.T, data []byte, limit int64) (int, error) {
	t.Helper()
	r, err := spreadsheet.Open(bytes.NewReader(data), "cases.csv", limit)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Columns(nil, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	for r.Next() {
		n++
	}
	return n, r.Err()
}

// TestReadErrors: faults found after the first rows stop the reading.
func TestReadErrors(t *testing.T) {
	big := append([]byte("a,b\n"), bytes.Repeat([]byte("1,2\n"), 100_000)...)
	for name, tc := range map[string]struct {
		data  string
		limit int64
		rows  int
		want  string
	}{
		"ErrBareQuote":     {"a,b\n1,2\n3,4 \"inches\"\n", 0, 1, `This file is not valid CSV at row 3 (line 3): a quote (") is inside a value that is not itself in quotes`},
		"ErrUnclosedQuote": {"a,b\n\"x\ny\",2\n\"open,4\n5,6\n", 0, 1, `This file is not valid CSV at row 3 (line 5): a value that starts with a quote (") has no closing quote, or has text after it`},
		"ErrLargeLate":     {string(big), 256 << 10, -1, "The file is larger than 256 KB, the most that can be imported at once: split it into smaller files"},
		"ErrNotUTF8Late":   {"a,b\n" + strings.Repeat("1,2\n", 3000) + "Siobh\xE1n,2\n", 0, 3000, "This file is not a CSV file in UTF-8: it has characters in another encoding. In Excel, save it as CSV UTF-8 (Comma delimited)"},
		"ErrBinaryLate":    {"a,b\n" + strings.Repeat("1,2\n", 3000) + "x\x00y,2\n", 0, 3000, "This file is not a CSV file: row 3002 holds binary data, not text"},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := readAll(t, []byte(tc.data), tc.limit)
			if tc.rows < 0 && n > 0 && n < 100_000 {
				tc.rows = n // where the limit is crossed depends on how far the reader reads ahead
			}
			if got := message(t, err); got != tc.want || n != tc.rows {
				t.Fatalf("read %d rows, then\ngot  %q\nwant %q after %d rows", n, got, tc.want, tc.rows)
			}
		})
	}
}

// TestRowNumbers: rows are numbered as a spreadsheet program shows them:
// a value with line breaks is one row, and blank rows count but are skipped.
func TestRowNumbers(t *testing.T) {
	t.Run("CSV", func(t *testing.T) {
		data := "\xEF\xBB\xBFName,Note\r\n\"Ann\",\"two\r\nlines\"\r\n\r\n,\r\nBob,\"three\nlines\nhere\"\r\nCy,x\r\n"
		r := open(t, []byte(data), "c.csv", []string{"Name"}, []string{"Note"})
		var got []int
		for r.Next() {
			got = append(got, r.Row().Number())
		}
		if want := []int{2, 5, 6}; !slices.Equal(got, want) || r.Err() != nil {
			t.Fatalf("numbered %v, want %v (%v)", got, want, r.Err())
		}
	})
	t.Run("XLSX", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "Name")
		f.SetCellValue("Sheet1", "A2", "Ann")
		f.SetCellValue("Sheet1", "A5", "Bob")
		f.SetCellValue("Sheet1", "A7", " ")
		f.SetCellValue("Sheet1", "A9", "Cy")
		r := open(t, saved(t, f), "c.xlsx", []string{"Name"}, nil)
		var got []int
		for r.Next() {
			got = append(got, r.Row().Number())
		}
		if want := []int{2, 5, 9}; !slices.Equal(got, want) || r.Err() != nil {
			t.Fatalf("numbered %v, want %v (%v)", got, want, r.Err())
		}
	})
}

// saved returns an excelize workbook as bytes.
func saved(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return buf.Bytes()
}

// TestRaggedRows: short rows read as blanks; a value beyond the header is a
// problem, since it usually means an unquoted comma shifted the row.
func TestRaggedRows(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Name", "Town", "", "Plea"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Ann"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"Smith", "John", "Leeds", "guilty", "", "late"})
	f.SetSheetRow("Sheet1", "A4", &[]any{"Cy", "York", "", "", "", " "})
	for name, data := range map[string][]byte{
		"CSV":  []byte("Name,Town,,Plea\nAnn\nSmith, John,Leeds,guilty,,late\nCy,York,,,, \n"),
		"XLSX": saved(t, f),
	} {
		t.Run(name, func(t *testing.T) {
			r := open(t, data, "c."+strings.ToLower(name), []string{"Name", "Town"}, []string{"Plea"})
			var ok []bool
			for r.Next() {
				ok = append(ok, r.Row().OK())
				if r.Row().Number() == 2 && (r.Row().Get("Town") != "" || r.Row().Get("Plea") != "") {
					t.Errorf("short row reads %q, %q", r.Row().Get("Town"), r.Row().Get("Plea"))
				}
			}
			want := []spreadsheet.Problem{
				{Row: 3, Column: "column C", Value: "Leeds", Why: "this column has no name in the header row, so its value cannot be imported"},
				{Row: 3, Column: "column F", Value: "late", Why: "this column has no name in the header row, so its value cannot be imported"},
			}
			if !slices.Equal(ok, []bool{true, false, true}) || !slices.Equal(r.Problems().List(), want) {
				t.Fatalf("rows ok %v, problems %+v", ok, r.Problems().List())
			}
		})
	}
}

// getter reads one value of a one-column CSV file through get, returning
// what it returned and the problem it recorded, if any.
func getter[T any](t *testing.T, value string, get func(spreadsheet.Row) (T, bool)) (T, bool, string) {
	t.Helper()
	data := write(t, "csv", []string{"v", "k"}, texts(value, "k"))
	r := open(t, data, "v.csv", nil, []string{"v"})
	if !r.Next() {
		t.Fatal(r.Err())
	}
	v, ok := get(r.Row())
	why := ""
	if list := r.Problems().List(); len(list) > 0 {
		why = list[0].Why
	}
	if ok != r.Row().OK() || ok != (why == "") {
		t.Fatalf("ok %v but problems %+v", ok, r.Problems().List())
	}
	return v, ok, why
}

func TestDate(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		required    bool
		want        time.Time
		why         string
	}{
		{"OKISO", "2024-03-05", true, day(2024, 3, 5), ""},
		{"OKDayFirst", "05/03/2024", true, day(2024, 3, 5), ""},
		{"OKShortDayMonth", "5/3/2024", true, day(2024, 3, 5), ""},
		{"OKLeapDay", "29/02/2024", true, day(2024, 2, 29), ""},
		{"OKSpaces", "  2024-03-05 ", true, day(2024, 3, 5), ""},
		{"OKEmptyOptional", "", false, time.Time{}, ""},
		{"OKFirstYear", "01/01/1900", true, day(1900, 1, 1), ""},
		{"OKLastYear", "2100-12-31", true, day(2100, 12, 31), ""},
		{"ErrRequired", "", true, time.Time{}, "a value is required"},
		{"ErrImpossible", "31/02/2018", true, time.Time{}, "not a real date"},
		{"ErrImpossibleISO", "2018-02-31", true, time.Time{}, "not a real date"},
		{"ErrNotLeap", "29/02/2023", true, time.Time{}, "not a real date"},
		{"ErrMonth13", "01/13/2024", true, time.Time{}, "not a real date"},
		{"ErrTooEarly", "31/12/1899", true, time.Time{}, "the year must be between 1900 and 2100"},
		{"ErrTooLate", "2101-01-01", true, time.Time{}, "the year must be between 1900 and 2100"},
		{"ErrTwoDigitYear", "05/03/24", true, time.Time{}, "not a date: write it as DD/MM/YYYY or YYYY-MM-DD"},
		{"ErrNoPadding", "2024-3-5", true, time.Time{}, "not a date: write it as DD/MM/YYYY or YYYY-MM-DD"},
		{"ErrWords", "5 March 2024", true, time.Time{}, "not a date: write it as DD/MM/YYYY or YYYY-MM-DD"},
		{"ErrSerialInCSV", "45356", true, time.Time{}, "not a date: write it as DD/MM/YYYY or YYYY-MM-DD"},
		{"ErrSigned", "+5/03/2024", true, time.Time{}, "not a date: write it as DD/MM/YYYY or YYYY-MM-DD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, why := getter(t, tc.value, func(r spreadsheet.Row) (time.Time, bool) { return r.Date("v", tc.required) })
			if !got.Equal(tc.want) || why != tc.why {
				t.Fatalf("%q: got %v, %q; want %v, %q", tc.value, got, why, tc.want, tc.why)
			}
		})
	}
}

// TestExcelDates reads real Excel date cells, and numbers in a date column,
// which Excel stores as days since 1900 (or 1904).
func TestExcelDates(t *testing.T) {
	f := excelize.NewFile()
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	cells := []struct {
		value any
		want  time.Time
		why   string
	}{
		{day(2024, 3, 5), day(2024, 3, 5), ""},
		{time.Date(2024, 3, 5, 23, 59, 59, 0, time.UTC), day(2024, 3, 5), ""},
		{45356, day(2024, 3, 5), ""},
		{45356.75, day(2024, 3, 5), ""},
		{1, day(1900, 1, 1), ""},
		{59, day(1900, 2, 28), ""},
		{61, day(1900, 3, 1), ""},
		{60, time.Time{}, "not a real date"},
		{0, time.Time{}, "not a real date"},
		{-1, time.Time{}, "not a real date"},
		{73415, day(2100, 12, 31), ""},
		{73416, time.Time{}, "the year must be between 1900 and 2100"},
		{1e300, time.Time{}, "the year must be between 1900 and 2100"},
		{"05/03/2024", day(2024, 3, 5), ""},
		{"2024-03-05", day(2024, 3, 5), ""},
	}
	f.SetCellValue("Sheet1", "A1", "Date")
	for i, c := range cells {
		f.SetCellValue("Sheet1", "A"+strconv.Itoa(i+2), c.value)
		f.SetCellStyle("Sheet1", "A"+strconv.Itoa(i+2), "A"+strconv.Itoa(i+2), dateStyle)
	}
	r := open(t, saved(t, f), "d.xlsx", []string{"Date"}, nil)
	for i := 0; r.Next(); i++ {
		got, ok := r.Row().Date("Date", true)
		why := ""
		if !ok {
			list := r.Problems().List()
			why = list[len(list)-1].Why
		}
		if !got.Equal(cells[i].want) || why != cells[i].why {
			t.Errorf("%v: got %v, %q; want %v, %q", cells[i].value, got, why, cells[i].want, cells[i].why)
		}
	}

	t.Run("OK1904", func(t *testing.T) {
		f := excelize.NewFile()
		yes := true
		f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
		f.SetSheetRow("Sheet1", "A1", &[]any{"Date"})
		f.SetSheetRow("Sheet1", "A2", &[]any{0})
		f.SetSheetRow("Sheet1", "A3", &[]any{43894}) // 45356 less the 1,462 days between the systems
		r := open(t, saved(t, f), "d.xlsx", []string{"Date"}, nil)
		var got []time.Time
		for r.Next() {
			d, _ := r.Row().Date("Date", true)
			got = append(got, d)
		}
		if want := []time.Time{day(1904, 1, 1), day(2024, 3, 5)}; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}

func TestInt(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  int
		why   string
	}{
		{"42", 42, ""}, {"-3", -3, ""}, {"+7", 7, ""}, {"1,234,567", 1234567, ""}, {"12.0", 12, ""}, {"1E+3", 1000, ""}, {"0012", 12, ""},
		{"12.5", 0, "not a whole number"}, {"1,23", 0, "not a whole number"}, {"1234,567", 0, "not a whole number"},
		{"twelve", 0, "not a whole number"}, {"0x10", 0, "not a whole number"}, {"1_000", 0, "not a whole number"},
		{"1e300", 0, "too large a number"}, {"99999999999999999999", 0, "too large a number"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got, _, why := getter(t, tc.value, func(r spreadsheet.Row) (int, bool) { return r.Int("v", true) })
			if got != tc.want || why != tc.why {
				t.Fatalf("got %d, %q; want %d, %q", got, why, tc.want, tc.why)
			}
		})
	}
}

func TestFloat(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  float64
		why   string
	}{
		{"3.25", 3.25, ""}, {"-0.5", -0.5, ""}, {".5", 0.5, ""}, {"5.", 5, ""}, {"1,234.5", 1234.5, ""}, {"1E-7", 1e-7, ""},
		{"NaN", 0, "not a number"}, {"Inf", 0, "not a number"}, {"0x1p3", 0, "not a number"}, {"£5", 0, "not a number"},
		{".", 0, "not a number"}, {"1e", 0, "not a number"}, {"-", 0, "not a number"}, {"1e999", 0, "too large a number"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got, _, why := getter(t, tc.value, func(r spreadsheet.Row) (float64, bool) { return r.Float("v", true) })
			if got != tc.want || why != tc.why {
				t.Fatalf("got %v, %q; want %v, %q", got, why, tc.want, tc.why)
			}
		})
	}
}

func TestBool(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  bool
		why   string
	}{
		{"Yes", true, ""}, {"y", true, ""}, {"TRUE", true, ""}, {"1", true, ""},
		{"no", false, ""}, {"N", false, ""}, {"false", false, ""}, {"0", false, ""},
		{"maybe", false, "not yes or no"}, {"", false, "a value is required"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got, _, why := getter(t, tc.value, func(r spreadsheet.Row) (bool, bool) { return r.Bool("v", true) })
			if got != tc.want || why != tc.why {
				t.Fatalf("got %v, %q; want %v, %q", got, why, tc.want, tc.why)
			}
		})
	}
}

func TestOneOf(t *testing.T) {
	allowed := []string{"Guilty plea", "Convicted after trial", "Acquitted"}
	for _, tc := range []struct {
		value    string
		required bool
		want     string
		why      string
	}{
		{"guilty PLEA", true, "Guilty plea", ""},
		{" Convicted   after trial ", true, "Convicted after trial", ""},
		{"", false, "", ""},
		{"", true, "", "a value is required"},
		{"guilty", true, "", `not one of "Guilty plea", "Convicted after trial", "Acquitted"`},
	} {
		t.Run(tc.value, func(t *testing.T) {
			got, _, why := getter(t, tc.value, func(r spreadsheet.Row) (string, bool) { return r.OneOf("v", tc.required, allowed) })
			if got != tc.want || why != tc.why {
				t.Fatalf("got %q, %q; want %q, %q", got, why, tc.want, tc.why)
			}
		})
	}
}

// TestProblemsReport: the summary names the first problem, and the reject
// report lists the problems by row, neutralising formulas from the upload.
func TestProblemsReport(t *testing.T) {
	data := "Case URN,Outcome\nU1,Guilty plea\nU2,\nU3,guilty\n,\"=HYPERLINK(\"\"x\"\")\"\n"
	r := open(t, []byte(data), "c.csv", []string{"Case URN", "Outcome"}, nil)
	for r.Next() {
		row := r.Row()
		row.Get("Case URN")
		if _, ok := row.OneOf("Outcome", true, []string{"Guilty plea", "Acquitted"}); ok && row.Get("Case URN") == "U1" {
			row.Problem("Case URN", "no case has this URN")
		}
		if row.Get("Case URN") == "" {
			row.Problem("Case URN", "a value is required")
		}
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	p := r.Problems()
	wantErr := `4 rows have problems; first: row 2, column Case URN, value "U1", no case has this URN`
	if fe := fault.As(p.Err()); fe == nil || fe.Code != fault.Invalid || fe.Message != wantErr || p.Len() != 5 || p.Rows() != 4 {
		t.Fatalf("got %v (%d problems in %d rows), want %q", p.Err(), p.Len(), p.Rows(), wantErr)
	}
	var report bytes.Buffer
	if err := p.WriteCSV(&report); err != nil {
		t.Fatal(err)
	}
	want := "\xEF\xBB\xBFrow,column,value,why\n" +
		"2,Case URN,U1,no case has this URN\n" +
		"3,Outcome,,a value is required\n" +
		"4,Outcome,guilty,\"not one of \"\"Guilty plea\"\", \"\"Acquitted\"\"\"\n" +
		"5,Outcome,\"'=HYPERLINK(\"\"x\"\")\",\"not one of \"\"Guilty plea\"\", \"\"Acquitted\"\"\"\n" +
		"5,Case URN,,a value is required\n"
	if report.String() != want {
		t.Fatalf("report\n%s\nwant\n%s", report.String(), want)
	}
}

func TestProblemsCap(t *testing.T) {
	p := spreadsheet.NewProblems(2)
	if p.Err() != nil || p.Error() != "no problems" {
		t.Fatalf("empty collector reports %v", p.Err())
	}
	for _, row := range []int{7, 3, 3, 9000, 7} {
		p.Add(spreadsheet.Problem{Row: row, Column: "Plea", Value: "x", Why: "not yes or no"})
	}
	want := `3 rows have problems; first: row 7, column Plea, value "x", not yes or no (5 problems in all; the first 2 are listed)`
	if p.Error() != want || len(p.List()) != 2 || p.Len() != 5 || p.Rows() != 3 {
		t.Fatalf("got %q, %d kept", p.Error(), len(p.List()))
	}
	var report bytes.Buffer
	if err := p.WriteCSV(&report); err != nil {
		t.Fatal(err)
	}
	wantReport := "\xEF\xBB\xBFrow,column,value,why\n3,Plea,x,not yes or no\n7,Plea,x,not yes or no\n" +
		",,,3 more problems are not listed: fix these and import the file again to see them\n"
	if report.String() != wantReport {
		t.Fatalf("report\n%q\nwant\n%q", report.String(), wantReport)
	}
}

func TestWriter(t *testing.T) {
	t.Run("OKBOM", func(t *testing.T) {
		data := write(t, "csv", []string{"Name"}, texts("Siobhán"))
		if want := "\xEF\xBB\xBFName\nSiobhán\n"; string(data) != want {
			t.Fatalf("wrote %q, want %q", data, want)
		}
	})
	t.Run("OKXLSXHeader", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(write(t, "xlsx", []string{"Name"}, texts("Ann"))))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		panes, _ := f.GetPanes("Cases")
		style, _ := f.GetCellStyle("Cases", "A1")
		font, _ := f.GetStyle(style)
		if !panes.Freeze || panes.YSplit != 1 || font == nil || font.Font == nil || !font.Font.Bold {
			t.Fatalf("header not frozen and bold: %+v %+v", panes, font)
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		_, err := spreadsheet.NewWriter(io.Discard, "ods", "")
		if got := message(t, err); got != `"ods" is not a format that can be exported: choose csv or xlsx` {
			t.Fatal(got)
		}
	})
	t.Run("ErrSheetName", func(t *testing.T) {
		_, err := spreadsheet.NewWriter(io.Discard, "xlsx", "cases/2024")
		if got := message(t, err); !strings.HasPrefix(got, `"cases/2024" cannot name a sheet`) {
			t.Fatal(got)
		}
	})
	t.Run("ErrNaN", func(t *testing.T) {
		w, _ := spreadsheet.NewWriter(io.Discard, "csv", "")
		if err := w.WriteCells([]spreadsheet.Cell{spreadsheet.Number(math.NaN())}); fault.CodeOf(err) != fault.Internal {
			t.Fatalf("NaN written: %v", err)
		}
	})
	t.Run("ErrLongCell", func(t *testing.T) {
		w, _ := spreadsheet.NewWriter(io.Discard, "xlsx", "")
		defer w.Close()
		err := w.WriteRow([]string{"ok", strings.Repeat("é", 32768)})
		if got := message(t, err); got != "Row 1, column B holds more than 32767 characters, the most an XLSX cell can hold: export as CSV instead" {
			t.Fatal(got)
		}
	})
}

func TestReaderMisuse(t *testing.T) {
	t.Run("ErrNextBeforeColumns", func(t *testing.T) {
		r, _ := spreadsheet.Open(strings.NewReader("a\n1\n"), "a.csv", 0)
		if r.Next() || fault.CodeOf(r.Err()) != fault.Internal {
			t.Fatalf("Next before Columns: %v", r.Err())
		}
	})
	t.Run("ErrUndeclaredColumn", func(t *testing.T) {
		r := open(t, []byte("a,b\n1,2\n"), "a.csv", []string{"a"}, nil)
		r.Next()
		defer func() {
			if recover() == nil {
				t.Fatal("asking for an undeclared column did not panic")
			}
		}()
		r.Row().Get("b")
	})
}
