//go:build !linux

package pdftext

import "errors"

// limitMemory is built for Linux only; elsewhere the child refuses to run
// without its memory limit.
func limitMemory(uint64) error {
	return errors.New("the memory limit of the PDF reader is built for Linux only")
}
