package knowledge

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"caseboard/internal/fault"
)

// Documents brought into the repository (caseboard import knowledge DIR)
// are recognised by their content, never by their name: a file called
// guide.docx that is not a Word document is refused as what it is.

// DocumentType is what a file's content says it is.
type DocumentType string

const (
	TypeMarkdown DocumentType = "markdown" // text: Markdown or plain
	TypeDOCX     DocumentType = "docx"
	TypePDF      DocumentType = "pdf"
	TypeUnknown  DocumentType = "unknown"
)

// Limits on what an imported document may hold, so that a small file
// cannot expand into a large one (a zip bomb) or a huge article.
const (
	MaxDocumentBytes  = 20 << 20 // the file itself
	MaxDOCXParts      = 2000     // entries in a DOCX's zip
	MaxDOCXXMLBytes   = 30 << 20 // word/document.xml, uncompressed
	MaxExpansionRatio = 200      // uncompressed to compressed, for that part
)

// Sniff says what a file's first bytes show it to be.
func Sniff(data []byte) DocumentType {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return TypeDOCX // confirmed when its parts are read
	case utf8.Valid(data) && !bytes.ContainsRune(data, 0):
		return TypeMarkdown
	}
	return TypeUnknown
}

// Document is an imported file as an article's draft.
type Document struct {
	Type    DocumentType
	Title   string
	Summary string
	Body    string // Markdown
}

// PDFReader returns the text of a PDF, or why it cannot. The reading is
// done in a separate process with time and memory limits
// (internal/pdftext), never by this package.
type PDFReader func(data []byte) (string, error)

// ReadDocument turns a file into an article's title, summary and text,
// by what its content is. A name's extension must agree with the content:
// a PDF named .docx, or a binary named .md, is refused. A PDF is read by
// readPDF; without one it is refused.
func ReadDocument(name string, data []byte, readPDF PDFReader) (Document, error) {
	if len(data) > MaxDocumentBytes {
		return Document{}, fault.Errorf(fault.Invalid, "%s is larger than %d MiB", name, MaxDocumentBytes>>20)
	}
	kind := Sniff(data)
	ext := strings.ToLower(filepath.Ext(name))
	want := map[string]DocumentType{".md": TypeMarkdown, ".markdown": TypeMarkdown, ".txt": TypeMarkdown, ".docx": TypeDOCX, ".pdf": TypePDF}[ext]
	if want == "" {
		return Document{}, fault.Errorf(fault.Invalid, "%s is not a Markdown, text, DOCX or PDF file", name)
	}
	if kind != want {
		return Document{}, fault.Errorf(fault.Invalid, "%s is named as %s but its content is %s", name, want, kind)
	}
	doc := Document{Type: kind}
	var err error
	switch kind {
	case TypeMarkdown:
		doc.Body = strings.ReplaceAll(string(data), "\r\n", "\n")
	case TypeDOCX:
		doc.Body, err = ExtractDOCX(data)
	case TypePDF:
		doc.Body, err = pdfMarkdown(name, data, readPDF)
	}
	if err != nil {
		return Document{}, err
	}
	doc.Title, doc.Summary = titleAndSummary(doc.Body, name)
	// The title is the article's own; its heading need not repeat it.
	if first, rest, _ := strings.Cut(strings.TrimLeft(doc.Body, "\n"), "\n"); first == "# "+doc.Title {
		doc.Body = strings.TrimLeft(rest, "\n")
	}
	if strings.TrimSpace(doc.Body) == "" {
		return Document{}, fault.Errorf(fault.Invalid, "%s has no text", name)
	}
	return doc, nil
}

// pdfMarkdown makes a PDF's text an article's Markdown: the PDF holds
// lines, not paragraphs, so its first line is taken as the title and each
// further line becomes a paragraph, for the authors to join where they
// belong. Characters Markdown would read as syntax at the start of a line
// are escaped, so the text reads as it did in the PDF.
func pdfMarkdown(name string, data []byte, readPDF PDFReader) (string, error) {
	if readPDF == nil {
		return "", fault.Errorf(fault.Invalid, "%s is a PDF, and PDFs are not read here", name)
	}
	text, err := readPDF(data)
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "%s: %v", name, err)
	}
	var paras []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		if strings.ContainsRune(`#>-+*|=~`+"`"+`0123456789`, rune(line[0])) {
			line = `\` + line
		}
		if len(paras) == 0 {
			line = "# " + strings.TrimPrefix(line, `\`)
		}
		paras = append(paras, line)
	}
	return strings.Join(paras, "\n\n"), nil
}

// titleAndSummary takes the first heading as the title (or the file's
// name) and the first paragraph as the summary.
func titleAndSummary(body, name string) (title, summary string) {
	title = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	title = strings.NewReplacer("_", " ", "-", " ").Replace(title)
	titled := false
	for _, para := range strings.Split(body, "\n\n") {
		para = strings.TrimSpace(para)
		switch {
		case para == "":
		case strings.HasPrefix(para, "# ") && !titled:
			line, _, _ := strings.Cut(para, "\n")
			title, titled = strings.TrimSpace(strings.TrimPrefix(line, "# ")), true
		case strings.HasPrefix(para, "#"), strings.HasPrefix(para, "|"), strings.HasPrefix(para, "```"):
		case summary == "":
			summary = strings.Join(strings.Fields(para), " ")
		}
	}
	if strings.TrimSpace(title) == "" {
		title = "Untitled document"
	}
	if summary == "" {
		summary = title
	}
	if r := []rune(summary); len(r) > 300 {
		summary = string(r[:297]) + "..."
	}
	if r := []rune(title); len(r) > MaxTitle {
		title = string(r[:MaxTitle])
	}
	return title, summary
}

// ExtractDOCX reads the text of a Word document with the standard
// library's zip and XML readers: paragraphs become paragraphs, headings
// become Markdown headings, and list paragraphs become list items. It
// refuses archives with too many parts and a document part that expands
// beyond the limits, whatever its headers claim.
func ExtractDOCX(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "the file is not a readable DOCX (zip) archive")
	}
	if len(zr.File) > MaxDOCXParts {
		return "", fault.Errorf(fault.Invalid, "the DOCX has %d parts, more than %d", len(zr.File), MaxDOCXParts)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
		}
	}
	if part == nil {
		return "", fault.Errorf(fault.Invalid, "the file is a zip archive but not a Word document (it has no word/document.xml)")
	}
	if part.UncompressedSize64 > MaxDOCXXMLBytes || (part.CompressedSize64 > 0 && part.UncompressedSize64/part.CompressedSize64 > MaxExpansionRatio) {
		return "", fault.Errorf(fault.Invalid, "the DOCX's text expands too far to be read safely")
	}
	rc, err := part.Open()
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "the DOCX's text cannot be read")
	}
	defer rc.Close()
	// The headers can lie: count what is actually read, too.
	limit := min(int64(MaxDOCXXMLBytes), int64(part.CompressedSize64)*MaxExpansionRatio+4096)
	limited := &io.LimitedReader{R: rc, N: limit + 1}
	text, err := docxText(limited)
	if limited.N <= 0 {
		return "", fault.Errorf(fault.Invalid, "the DOCX's text expands too far to be read safely")
	}
	if err != nil {
		return "", fault.Errorf(fault.Invalid, "the DOCX's text is not well-formed XML")
	}
	return text, nil
}

// docxText walks WordprocessingML: w:p paragraphs with w:r runs of w:t
// text, w:tab and w:br breaks, and w:pStyle naming headings and lists.
func docxText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var out strings.Builder
	var para strings.Builder
	style := ""
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				para.Reset()
				style = ""
			case "pStyle":
				for _, a := range t.Attr {
					if a.Name.Local == "val" {
						style = a.Value
					}
				}
			case "numPr":
				if style == "" {
					style = "ListParagraph"
				}
			case "t":
				inText = true
			case "tab":
				para.WriteByte(' ')
			case "br":
				para.WriteByte(' ')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				line := strings.TrimSpace(para.String())
				if line == "" {
					continue
				}
				out.WriteString(markdownLine(style, line))
				out.WriteString("\n\n")
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	return strings.TrimSpace(out.String()) + "\n", nil
}

// markdownLine writes a paragraph of a Word style as Markdown.
func markdownLine(style, line string) string {
	lower := strings.ToLower(style)
	switch {
	case lower == "title":
		return "# " + line
	case strings.HasPrefix(lower, "heading"):
		level := 1
		if n := strings.TrimPrefix(lower, "heading"); len(n) == 1 && n[0] >= '1' && n[0] <= '5' {
			level = int(n[0] - '0')
		}
		return strings.Repeat("#", level+1) + " " + line
	case strings.Contains(lower, "list"):
		return "- " + line
	}
	return line
}
