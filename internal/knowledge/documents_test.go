package knowledge_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// docx builds a Word document whose word/document.xml is body.
func docx(t testing.TB, body string, extra ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range append([]string{"[Content_Types].xml"}, extra...) {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(body))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wordXML = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Surrender checklist</w:t></w:r></w:p>
<w:p><w:r><w:t>Arrange removal within ten days</w:t></w:r><w:r><w:t xml:space="preserve"> of the order.</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Steps</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>Tell the NCA</w:t></w:r></w:p>
<w:p><w:r><w:t>&lt;script&gt;alert(1)&lt;/script&gt;</w:t></w:r></w:p>
</w:body></w:document>`

func TestReadDocument(t *testing.T) {
	doc, err := knowledge.ReadDocument("surrender.docx", docx(t, wordXML), nil)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Type != knowledge.TypeDOCX || doc.Title != "Surrender checklist" || doc.Summary != "Arrange removal within ten days of the order." {
		t.Fatalf("docx: %+v", doc)
	}
	if !strings.Contains(doc.Body, "## Steps") || !strings.Contains(doc.Body, "- Tell the NCA") || strings.Contains(doc.Body, "# Surrender checklist") {
		t.Fatalf("docx body:\n%s", doc.Body)
	}
	if out := knowledge.Render(doc.Body); strings.Contains(out, "<script") {
		t.Fatal("a script in a DOCX renders as a script")
	}
	md, err := knowledge.ReadDocument("notes/poland_prisons.md", []byte("Intro paragraph\nwrapped.\n\n## Detail\n\nMore."), nil)
	if err != nil || md.Title != "poland prisons" || md.Summary != "Intro paragraph wrapped." {
		t.Fatalf("markdown: %+v %v", md, err)
	}
	for name, tc := range map[string]struct {
		file string
		data []byte
		want string
	}{
		"PDFNamedDocx":   {"guide.docx", []byte("%PDF-1.7\n..."), "content is pdf"},
		"BinaryNamedMd":  {"guide.md", []byte{0x00, 0x01, 0xff}, "content is unknown"},
		"ZipNotWord":     {"guide.docx", docx(t, "")[:0], "content is markdown"},
		"UnknownName":    {"guide.exe", []byte("text"), "not a Markdown"},
		"PDFNotRead":     {"guide.pdf", []byte("%PDF-1.4\n"), "not read here"},
		"Empty":          {"empty.md", []byte("  \n"), "no text"},
		"BadXML":         {"bad.docx", docx(t, "<w:document><w:p>"), "not well-formed"},
		"NoDocumentPart": {"other.docx", zipWith(t, "xl/workbook.xml", "<x/>"), "not a Word document"},
		"TooManyParts":   {"many.docx", docx(t, wordXML, manyNames(knowledge.MaxDOCXParts)...), "parts"},
		"ZipBomb":        {"bomb.docx", docx(t, "<w:document>"+strings.Repeat("<w:p/>", 3_000_000)+"</w:document>"), "expands too far"},
		"Huge":           {"huge.md", bytes.Repeat([]byte("a"), knowledge.MaxDocumentBytes+1), "larger than"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := knowledge.ReadDocument(tc.file, tc.data, nil)
			if fault.CodeOf(err) != fault.Invalid || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// TestReadDocumentPDF turns a PDF's lines into Markdown: the first line
// the title, each further line a paragraph, with what Markdown would read
// as syntax escaped. The reading itself is internal/pdftext's.
func TestReadDocumentPDF(t *testing.T) {
	text := "Surrender from Ruritania\nRequests need a sworn translation.\n# not a heading\n1. not a list\n<script>alert(1)</script>"
	doc, err := knowledge.ReadDocument("ruritania.pdf", []byte("%PDF-1.4\n"), func([]byte) (string, error) { return text, nil })
	if err != nil {
		t.Fatal(err)
	}
	if doc.Type != knowledge.TypePDF || doc.Title != "Surrender from Ruritania" || doc.Summary != "Requests need a sworn translation." {
		t.Fatalf("pdf: %+v", doc)
	}
	want := "Requests need a sworn translation.\n\n\\# not a heading\n\n\\1. not a list\n\n<script>alert(1)</script>"
	if doc.Body != want {
		t.Fatalf("body %q, want %q", doc.Body, want)
	}
	if out := knowledge.Render(doc.Body); strings.Contains(out, "<script") || strings.Contains(out, "<h") || strings.Contains(out, "<ol") {
		t.Fatalf("rendered as markup: %s", out)
	}
	_, err = knowledge.ReadDocument("scan.pdf", []byte("%PDF-1.4\n"), func([]byte) (string, error) { return "", errors.New("reading took longer than 10s") })
	if fault.CodeOf(err) != fault.Invalid || err.Error() != "scan.pdf: reading took longer than 10s" {
		t.Fatalf("a PDF that cannot be read: %v", err)
	}
}

func zipWith(t testing.TB, name, body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write([]byte(body))
	zw.Close()
	return buf.Bytes()
}

func manyNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "media/" + strings.Repeat("x", 1+i%5) + string(rune('a'+i%26)) + "/" + itoa(i)
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// FuzzReadDocument reads arbitrary bytes as each kind of file: it may
// refuse them, but never panics, and whatever it accepts renders safely.
func FuzzReadDocument(f *testing.F) {
	f.Add("a.docx", docx(f, wordXML))
	f.Add("a.md", []byte("# Title\n\nText <script>x</script>"))
	f.Add("a.docx", []byte("PK\x03\x04garbage"))
	f.Add("a.pdf", []byte("%PDF-1.7"))
	f.Add("a.pdf", []byte("%PDF-1.7\n# Title\n- item\n<script>x</script>"))
	// A PDF's text is taken to be the file itself after its header, so the
	// conversion of any text to Markdown is fuzzed; the reading of real
	// PDFs is fuzzed by internal/pdftext's FuzzExtract.
	asText := func(data []byte) (string, error) { return strings.ToValidUTF8(string(data[5:]), ""), nil }
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := knowledge.ReadDocument(name, data, asText)
		if err != nil {
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("error %v is not a refusal", err)
			}
			return
		}
		if doc.Title == "" || doc.Summary == "" {
			t.Fatalf("accepted without title or summary: %+v", doc)
		}
		if strings.Contains(strings.ToLower(knowledge.Render(doc.Body)), "<script") {
			t.Fatal("renders a script")
		}
	})
}

func TestCheckAttachment(t *testing.T) {
	doc := docx(t, wordXML)
	ctype, text, err := knowledge.CheckAttachment("Surrender.DOCX", doc)
	if err != nil || !strings.Contains(ctype, "wordprocessingml") || !strings.Contains(text, "Tell the NCA") {
		t.Fatalf("docx: %q %q %v", ctype, text, err)
	}
	xlsx := zipWith2(t, map[string]string{"xl/workbook.xml": "<workbook/>",
		"xl/sharedStrings.xml": `<sst><si><t>Poland</t></si><si><r><t>Assurance</t></r><r><t> given</t></r></si></sst>`})
	ctype, text, err = knowledge.CheckAttachment("tracker.xlsx", xlsx)
	if err != nil || !strings.Contains(ctype, "spreadsheetml") || text != "Poland\nAssurance given" {
		t.Fatalf("xlsx: %q %q %v", ctype, text, err)
	}
	if ctype, text, err := knowledge.CheckAttachment("scan.pdf", []byte("%PDF-1.7\n")); err != nil || ctype != "application/pdf" || text != "" {
		t.Fatalf("pdf: %q %q %v", ctype, text, err)
	}
	for name, tc := range map[string]struct {
		file string
		data []byte
	}{
		"Empty":          {"a.pdf", nil},
		"TooBig":         {"a.pdf", append([]byte("%PDF-"), make([]byte, knowledge.MaxAttachmentBytes)...)},
		"Executable":     {"a.exe", []byte("MZ")},
		"HTMLAsPDF":      {"a.pdf", []byte("<html><script>alert(1)</script>")},
		"PDFAsDocx":      {"a.docx", []byte("%PDF-1.4")},
		"XLSXAsDocx":     {"a.docx", xlsx},
		"DocxAsXlsx":     {"a.xlsx", doc},
		"ZipBomb":        {"bomb.docx", docx(t, "<w:document>"+strings.Repeat("<w:p/>", 3_000_000)+"</w:document>")},
		"NoName":         {"", []byte("%PDF-1.4")},
		"PlainZipAsDocx": {"a.docx", zipWith(t, "readme.txt", "hello")},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := knowledge.CheckAttachment(tc.file, tc.data)
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.FieldMessage("file") == "" {
				t.Fatalf("accepted or wrong error: %v", err)
			}
		})
	}
}

func zipWith2(t testing.TB, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}
