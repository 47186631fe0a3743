package store_test

import (
	"os"
	"testing"

	"caseboard/internal/pdftext"
)

// TestMain lets this test binary act as the PDF text extractor that
// AddAttachment starts (pdftext.Extract re-executes the running binary).
func TestMain(m *testing.M) {
	pdftext.ServeChild()
	os.Exit(m.Run())
}
