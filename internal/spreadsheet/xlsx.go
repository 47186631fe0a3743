package spreadsheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"caseboard/internal/fault"
)

const (
	// unzipRatio bounds how much larger than the upload its unpacked parts may
	// be. Worksheet XML packs 5 to 20 times smaller; a zip bomb packs
	// thousands of times smaller.
	unzipRatio = 40
	// xmlInMemory is the largest worksheet excelize keeps in memory; larger
	// ones it unpacks to a temporary file and streams, keeping memory flat.
	xmlInMemory = 8 << 20
)

// xlsxSource reads one worksheet with excelize's streaming row iterator.
type xlsxSource struct {
	f        *excelize.File
	rows     *excelize.Rows
	number   int
	date1904 bool
}

func openXLSX(r io.Reader, limit int64, sheet string) (*xlsxSource, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readError(err)
	}
	if !bytes.Equal(head, []byte("PK\x03\x04")) {
		return nil, notXLSX(head)
	}
	path, err := spool(br, limit)
	if err != nil {
		return nil, err
	}
	// excelize has read what it needs once OpenFile returns.
	defer os.Remove(path)
	if err := checkZip(path, limit*unzipRatio); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: limit * unzipRatio, UnzipXMLSizeLimit: min(xmlInMemory, limit*unzipRatio)})
	if err != nil {
		return nil, damaged(err)
	}
	s, err := readSheet(f, sheet)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return s, nil
}

// readSheet starts reading the chosen sheet of f.
func readSheet(f *excelize.File, sheet string) (*xlsxSource, error) {
	name, err := pickSheet(f, sheet)
	if err != nil {
		return nil, err
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, damaged(err)
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, damaged(err)
	}
	return &xlsxSource{f: f, rows: rows, date1904: props.Date1904 != nil && *props.Date1904}, nil
}

// notXLSX says what a file that does not start like a zip looks like.
func notXLSX(head []byte) error {
	if bytes.Equal(head, []byte("\xD0\xCF\x11\xE0")) {
		return fault.Errorf(fault.Invalid, "This file is not an XLSX file: it is an old-style .xls workbook or a password-protected one. In Excel, remove any password and save it as .xlsx")
	}
	return fault.Errorf(fault.Invalid, "This file is not an XLSX file: save it from Excel as an Excel Workbook (.xlsx)")
}

// spool copies r to a temporary file, refusing more than limit bytes: a zip
// is read from its end, and excelize.OpenReader would hold it in memory.
func spool(r io.Reader, limit int64) (string, error) {
	tmp, err := os.CreateTemp("", "caseboard-import-*.xlsx")
	if err != nil {
		return "", &fault.Error{Code: fault.Internal, Message: "The file could not be stored for reading", Err: err}
	}
	n, err := io.Copy(tmp, io.LimitReader(r, limit+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = tooLarge(limit)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return "", readError(err)
	}
	return tmp.Name(), nil
}

// checkZip refuses a zip that is cut short, damaged, not a workbook, or
// unpacks to more than budget bytes. It unpacks every part once, because
// excelize ignores a part that fails its checksum and would read a damaged
// worksheet as one that simply ends early.
func checkZip(path string, budget int64) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return &fault.Error{Code: fault.Invalid, Err: err,
			Message: "This file is not a complete XLSX file: it may have been cut short while saving or uploading. Save it again from Excel and upload it again"}
	}
	defer zr.Close()
	total := budget
	if !isWorkbook(zr.File) {
		return fault.Errorf(fault.Invalid, "This file is not an XLSX file: it is a zip archive with no Excel workbook inside")
	}
	for _, zf := range zr.File {
		n, err := unpackedSize(zf, budget)
		if err != nil {
			return damaged(err)
		}
		if budget -= n; budget < 0 {
			return fault.Errorf(fault.Invalid, "This workbook unpacks to more than %s, the most that can be imported at once", sizeText(total))
		}
	}
	return nil
}

// isWorkbook reports whether a zip's parts include an Office content-types
// list and a workbook; a .docx or a plain zip has not both.
func isWorkbook(files []*zip.File) bool {
	var types, book bool
	for _, zf := range files {
		name := strings.ToLower(zf.Name)
		types = types || name == "[content_types].xml"
		book = book || strings.HasSuffix(name, "workbook.xml")
	}
	return types && book
}

// unpackedSize unpacks one part, up to most+1 bytes, and returns its size.
func unpackedSize(zf *zip.File, most int64) (int64, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, io.LimitReader(rc, most+1))
}

// damaged explains an error from inside a workbook.
func damaged(err error) error {
	if fe := fault.As(err); fe != nil {
		return fe
	}
	return &fault.Error{Code: fault.Invalid, Err: err,
		Message: "This XLSX file is damaged and cannot be read. Open it in Excel, save it again and upload it again"}
}

// pickSheet returns the sheet asked for, or the first visible one: hidden
// sheets usually hold the lists behind drop-downs.
func pickSheet(f *excelize.File, want string) (string, error) {
	list := f.GetSheetList()
	if want != "" {
		for _, name := range list {
			if strings.EqualFold(name, want) {
				return name, nil
			}
		}
		return "", fault.Errorf(fault.Invalid, "The workbook has no sheet named %q; its sheets are: %s", want, strings.Join(list, ", "))
	}
	for _, name := range list {
		if visible, err := f.GetSheetVisible(name); err == nil && visible {
			return name, nil
		}
	}
	if len(list) > 0 {
		return list[0], nil
	}
	return "", fault.Errorf(fault.Invalid, "The workbook has no sheets")
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, damaged(err)
		}
		return nil, 0, io.EOF
	}
	s.number++
	// Raw values are the data as stored: the cell's number format would
	// show a date without its year, or round a number to what fits.
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, &fault.Error{Code: fault.Invalid, Err: err,
			Message: fmt.Sprintf("This XLSX file is damaged at row %d and cannot be read. Open it in Excel, save it again and upload it again", s.number)}
	}
	return cells, s.number, nil
}

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
