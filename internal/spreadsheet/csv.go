package spreadsheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"caseboard/internal/fault"
)

// sniffSize is how much of a CSV file is checked before any row is read: the
// start of a binary file shows what it is.
const sniffSize = 8 << 10

var utf8BOM = []byte("\xEF\xBB\xBF")

// csvSource reads a CSV file record by record.
type csvSource struct {
	cr *csv.Reader
	// folded counts the line breaks inside quoted values read so far: a
	// spreadsheet shows such a value in one row, so row numbers are line
	// numbers less these.
	folded int
	last   int
}

func openCSV(r io.Reader, limit int64) (*csvSource, error) {
	br := bufio.NewReaderSize(&limitReader{r: r, limit: limit}, 64<<10)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readError(err)
	}
	if err := sniffCSV(head, len(head) == sniffSize); err != nil {
		return nil, err
	}
	if bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // rows may be ragged: checked against the header instead
	cr.ReuseRecord = true
	return &csvSource{cr: cr}, nil
}

// sniffCSV refuses the start of a file that is not UTF-8 text, saying what
// it looks like instead. more says the file goes on past head.
func sniffCSV(head []byte, more bool) error {
	notCSV := func(what string) error {
		return fault.Errorf(fault.Invalid, "This file is not a CSV file: %s", what)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return notCSV("it is a zip archive, such as an Excel .xlsx workbook. Upload a workbook with the .xlsx extension")
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return notCSV("it is an old-style Excel .xls workbook. In Excel, save it as CSV UTF-8 or as .xlsx")
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		return notCSV("it is UTF-16 text. In Excel, save it as CSV UTF-8 (Comma delimited)")
	case bytes.IndexByte(head, 0) >= 0:
		return notCSV("it holds binary data, not text")
	}
	if more {
		head = trimPartialRune(head)
	}
	if !utf8.Valid(head) {
		return errNotUTF8
	}
	return nil
}

// errNotUTF8 is the usual fate of a file saved as "CSV (Comma delimited)" by
// an older Excel, which writes £ and accented letters in Windows-1252.
var errNotUTF8 = fault.Errorf(fault.Invalid, "This file is not a CSV file in UTF-8: it has characters in another encoding. In Excel, save it as CSV UTF-8 (Comma delimited)")

// trimPartialRune drops a character cut in two at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.cr.Read()
	if err != nil {
		return nil, 0, s.readErr(err)
	}
	line, _ := s.cr.FieldPos(0)
	number := max(line-s.folded, s.last+1)
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return nil, 0, errNotUTF8
		}
		if strings.IndexByte(f, 0) >= 0 {
			return nil, 0, fault.Errorf(fault.Invalid, "This file is not a CSV file: row %d holds binary data, not text", number)
		}
		s.folded += strings.Count(f, "\n")
	}
	s.last = number
	return rec, number, nil
}

func (s *csvSource) close() error { return nil }

// readErr explains a CSV syntax error in a spreadsheet user's terms.
func (s *csvSource) readErr(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) || (pe.Err != csv.ErrBareQuote && pe.Err != csv.ErrQuote) {
		if errors.Is(err, io.EOF) {
			return err
		}
		return readError(err)
	}
	row := max(pe.StartLine-s.folded, s.last+1)
	why := "a value that starts with a quote (\") has no closing quote, or has text after it"
	if pe.Err == csv.ErrBareQuote {
		why = "a quote (\") is inside a value that is not itself in quotes"
	}
	return &fault.Error{Code: fault.Invalid, Err: err,
		Message: fmt.Sprintf("This file is not valid CSV at row %d (line %d): %s", row, pe.Line, why)}
}

// readError passes on the size limit's error and calls anything else a
// failed upload.
func readError(err error) error {
	if fe := fault.As(err); fe != nil {
		return fe
	}
	return &fault.Error{Code: fault.Invalid, Message: "The file could not be read; try uploading it again", Err: err}
}

// limitReader fails once more than limit bytes have been read.
type limitReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.limit {
		return 0, tooLarge(l.limit)
	}
	if room := l.limit - l.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.limit {
		return 0, tooLarge(l.limit)
	}
	return n, err
}

func tooLarge(limit int64) error {
	return fault.Errorf(fault.Invalid, "The file is larger than %s, the most that can be imported at once: split it into smaller files", sizeText(limit))
}
