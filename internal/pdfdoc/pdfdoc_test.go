package pdfdoc

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// shownText returns the strings a PDF's uncompressed content streams show,
// in order: enough to read back what a document says without a PDF reader.
func shownText(t *testing.T, d *Document) string {
	t.Helper()
	d.pdf.SetCompression(false)
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("output does not start as a PDF: %q", out[:min(len(out), 16)])
	}
	var b strings.Builder
	for _, m := range regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`).FindAllSubmatch(out, -1) {
		b.Write(m[1])
		b.WriteByte('\n')
	}
	return b.String()
}

func TestDocumentSaysWhatItWasGiven(t *testing.T) {
	when := time.Date(2018, 7, 2, 9, 30, 0, 0, time.UTC)
	d := New(Options{Title: "Risk register", Subtitle: "Extradition, as at 2 July 2018", Generated: when})
	d.Heading("Risks above appetite")
	d.Paragraph("Two risks are above the division's appetite – both casework.")
	d.Facts([][2]string{{"Owner", "Head of Extradition"}})
	d.Table(Table{
		Columns: []Column{{Header: "Risk", Width: 3}, {Header: "Score", Width: 1, Right: true}},
		Rows:    [][]string{{"Custody time limit missed", "20"}, {"Counsel unavailable", "12"}},
	})
	text := shownText(t, d)
	for _, want := range []string{
		"Risk register", "Extradition, as at 2 July 2018", "Risks above appetite",
		"Head of Extradition", "Custody time limit missed", "20", "Counsel unavailable",
		"Risk register - produced 2 July 2018 09:30", "Page 1 of 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("document does not say %q; it says:\n%s", want, text)
		}
	}
	// The en dash is in the fonts' character set and must survive as one
	// character (0x96 in Windows-1252), not as UTF-8 bytes.
	if !strings.Contains(text, "appetite \x96 both") {
		t.Errorf("en dash not translated:\n%s", text)
	}
}

func TestLongTableRepeatsItsHeaderOnEveryPage(t *testing.T) {
	d := New(Options{Title: "Actions"})
	rows := make([][]string, 120)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("Action %03d", i), "owner"}
	}
	d.Table(Table{Columns: []Column{{Header: "Action heading", Width: 2}, {Header: "Owner", Width: 1}}, Rows: rows})
	text := shownText(t, d)
	pages := d.Pages()
	if pages < 3 {
		t.Fatalf("120 rows fit on %d pages; want at least 3", pages)
	}
	if got := strings.Count(text, "Action heading"); got != pages {
		t.Errorf("header printed %d times on %d pages", got, pages)
	}
	if !strings.Contains(text, "Action 119") || !strings.Contains(text, fmt.Sprintf("Page %d of %d", pages, pages)) {
		t.Errorf("last row or last page number missing")
	}
}

func TestCharactersOutsideTheFontsPrintAsFullStops(t *testing.T) {
	d := New(Options{Title: "κ agreement 合"})
	text := shownText(t, d)
	if !strings.Contains(text, ". agreement .") {
		t.Errorf("title printed as %q", strings.SplitN(text, "\n", 2)[0])
	}
}

func TestFilledCellsAreFilled(t *testing.T) {
	d := New(Options{Title: "Heat map"})
	d.Table(Table{
		Columns: []Column{{Header: "Likelihood"}, {Header: "1"}},
		Rows:    [][]string{{"5", "3 risks"}},
		Fill: func(row, col int) (Colour, bool) {
			return Colour{R: 212, G: 53, B: 28}, col == 1
		},
	})
	d.pdf.SetCompression(false)
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// 212/255 = 0.831, 53/255 = 0.208, 28/255 = 0.110: the fill colour operator.
	if !bytes.Contains(out, []byte("0.831 0.208 0.110 rg")) {
		t.Error("the red fill was not set")
	}
}
