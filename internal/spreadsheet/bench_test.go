package spreadsheet_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"caseboard/internal/spreadsheet"
)

var (
	benchHeader   = []string{"Case URN", "Opened on", "Outcome", "Charges", "Costs", "Notes"}
	benchOutcomes = []string{"Guilty plea", "Convicted after trial", "Acquitted", "Discontinued"}
)

// benchRow returns the i'th generated row, like a casework export.
func benchRow(i int) []spreadsheet.Cell {
	return []spreadsheet.Cell{
		spreadsheet.Text(fmt.Sprintf("%02dAB%07d", i%100, i)),
		spreadsheet.Date(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%5000)),
		spreadsheet.Text(benchOutcomes[i%len(benchOutcomes)]),
		spreadsheet.Number(float64(i % 12)),
		spreadsheet.Number(float64(i%100000) / 100),
		spreadsheet.Text(fmt.Sprintf("Reviewed by team %d, listed at court %d", i%40, i%250)),
	}
}

// writeRows writes n generated rows to w.
func writeRows(tb testing.TB, w io.Writer, format string, n int) {
	sw, err := spreadsheet.NewWriter(w, format, "Cases")
	if err != nil {
		tb.Fatal(err)
	}
	if err := sw.WriteHeader(benchHeader); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		if err := sw.WriteCells(benchRow(i)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Close(); err != nil {
		tb.Fatal(err)
	}
}

// generate writes a file of n rows in a temporary directory, so no large
// file is committed, and returns its path.
func generate(b *testing.B, format string, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "cases."+format)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	writeRows(b, f, format, n)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchRead reads the file as an importer would, every column through its
// getter, and reports rows/s and the largest heap seen while reading, which
// stays flat however long the file is.
func benchRead(b *testing.B, path string, rows int) {
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	b.ReportAllocs()
	var peak uint64
	var stats runtime.MemStats
	b.ResetTimer()
	for range b.N {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := spreadsheet.Open(f, path, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Columns(benchHeader, nil); err != nil {
			b.Fatal(err)
		}
		n := 0
		for r.Next() {
			row := r.Row()
			row.Get("Case URN")
			row.Date("Opened on", true)
			row.OneOf("Outcome", true, benchOutcomes)
			row.Int("Charges", true)
			row.Float("Costs", false)
			row.Get("Notes")
			if n++; n%(rows/10) == 0 {
				runtime.ReadMemStats(&stats)
				peak = max(peak, stats.HeapInuse)
			}
		}
		if r.Err() != nil || n != rows || r.Problems().Len() != 0 {
			b.Fatalf("read %d rows: %v, %v", n, r.Err(), r.Problems())
		}
		r.Close()
		f.Close()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
}

// BenchmarkReadCSV reads a generated 200,000-row CSV file.
func BenchmarkReadCSV(b *testing.B) {
	benchRead(b, generate(b, "csv", 200_000), 200_000)
}

// BenchmarkReadXLSX reads a generated 50,000-row XLSX file.
func BenchmarkReadXLSX(b *testing.B) {
	benchRead(b, generate(b, "xlsx", 50_000), 50_000)
}

// BenchmarkWriteXLSX writes 50,000 rows through the stream writer.
func BenchmarkWriteXLSX(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		writeRows(b, io.Discard, "xlsx", 50_000)
	}
	b.ReportMetric(50_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
