package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Read parses a PDF in this process and returns its text, a line per
// line of text. It has no limits
// of its own: call it only in the child (Main), never in caseboard's own
// process. A panic in the reader is returned as an error.
func Read(data []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("malformed PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	plain, err := r.GetPlainText()
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(plain)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		out.WriteString(strings.TrimSpace(line))
		out.WriteString("\n")
	}
	text = strings.TrimSpace(out.String())
	if text == "" {
		return "", errors.New("the PDF has no text (it may be scanned images)")
	}
	return text, nil
}
