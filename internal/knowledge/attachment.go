package knowledge

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"caseboard/internal/fault"
)

// Attachment is a file kept with an article: a PDF, Word document or
// spreadsheet, recognised by its content. The text of Word documents and
// spreadsheets is extracted here, and that of PDFs by internal/pdftext in
// a separate process, and searched with the article.
type Attachment struct {
	ID             int64     `json:"id"`
	ArticleID      int64     `json:"article_id"`
	Name           string    `json:"name"`
	ContentType    string    `json:"content_type"`
	Size           int64     `json:"size"`
	SHA256         string    `json:"sha256"`
	UploadedByID   int64     `json:"uploaded_by_id"`
	UploadedByName string    `json:"uploaded_by_name,omitempty"`
	UploadedAt     time.Time `json:"uploaded_at"`
	// TextChars is how much text was extracted for search (0 for a PDF
	// whose text could not be read).
	TextChars int `json:"text_chars"`
}

// Limits on attachments.
const (
	MaxAttachmentBytes = 10 << 20
	MaxAttachmentText  = 200_000
	MaxAttachments     = 20
)

// Content types caseboard keeps, by the extension that must agree.
var attachmentTypes = map[string]string{
	".pdf":  "application/pdf",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// CheckAttachment decides whether a file may be attached: its size, its
// name, and what its content is, which must be what its name says. It
// returns the content type to serve it as and the text to search, which
// for a PDF is left to the caller to read (internal/pdftext).
func CheckAttachment(name string, data []byte) (contentType, text string, err error) {
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	refuse := func(msg string) (string, string, error) {
		return "", "", &fault.Error{Code: fault.Invalid, Message: "The file could not be attached", Fields: []fault.FieldError{{Field: "file", Message: msg}}}
	}
	switch {
	case len(data) == 0:
		return refuse("Choose a file to attach")
	case len(data) > MaxAttachmentBytes:
		return refuse("The file must be 10 MB or smaller")
	case name == "" || name == "." || len(name) > 200 || !utf8.ValidString(name):
		return refuse("The file needs a name of up to 200 characters")
	}
	ext := strings.ToLower(filepath.Ext(name))
	contentType, ok := attachmentTypes[ext]
	if !ok {
		return refuse("Attach a PDF, Word (DOCX) or Excel (XLSX) file")
	}
	actual := attachmentKind(data)
	if actual != ext {
		return refuse("The file is named " + ext + " but its content is not a " + strings.ToUpper(strings.TrimPrefix(ext, ".")) + " file")
	}
	switch ext {
	case ".docx":
		if text, err = ExtractDOCX(data); err != nil {
			return refuse(fault.As(err).Message)
		}
	case ".xlsx":
		if text, err = extractXLSX(data); err != nil {
			return refuse(err.Error())
		}
	}
	return contentType, AttachmentText(text), nil
}

// AttachmentText is an attachment's text cut to MaxAttachmentText
// characters, what is kept for search.
func AttachmentText(text string) string {
	if r := []rune(text); len(r) > MaxAttachmentText {
		return string(r[:MaxAttachmentText])
	}
	return text
}

// attachmentKind says which of the kept kinds a file's content is, as the
// extension it should have, or "".
func attachmentKind(data []byte) string {
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return ".pdf"
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ""
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > MaxDOCXParts {
		return ""
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return ".docx"
		case "xl/workbook.xml":
			return ".xlsx"
		}
	}
	return ""
}

// extractXLSX reads the words of a spreadsheet's shared strings, which is
// where its text cells are, with the same limits as a Word document.
func extractXLSX(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", errors.New("The spreadsheet cannot be read")
	}
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" {
			continue
		}
		if f.UncompressedSize64 > MaxDOCXXMLBytes || (f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxExpansionRatio) {
			return "", errors.New("The spreadsheet's text expands too far to be read safely")
		}
		rc, err := f.Open()
		if err != nil {
			return "", errors.New("The spreadsheet's text cannot be read")
		}
		defer rc.Close()
		limited := &io.LimitedReader{R: rc, N: min(int64(MaxDOCXXMLBytes), int64(f.CompressedSize64)*MaxExpansionRatio+4096) + 1}
		dec := xml.NewDecoder(limited)
		var out strings.Builder
		inText := false
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || limited.N <= 0 {
				return "", errors.New("The spreadsheet's text cannot be read")
			}
			switch t := tok.(type) {
			case xml.StartElement:
				inText = t.Name.Local == "t"
			case xml.EndElement:
				if t.Name.Local == "si" {
					out.WriteString("\n")
				}
				inText = false
			case xml.CharData:
				if inText {
					out.Write(t)
				}
			}
		}
		return strings.TrimSpace(out.String()), nil
	}
	return "", nil
}
