package cli_test

import (
	"context"
	"os"
	"testing"

	"caseboard/internal/cli"
	"caseboard/internal/pdftext"
)

// TestMain lets this test binary act as the caseboard binary that
// pdftext.Extract starts again to read a PDF: started that way it runs
// cli.Main with its arguments (`extract-text`), as the binary would.
func TestMain(m *testing.M) {
	if os.Getenv(pdftext.ChildEnv) != "" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], cli.OSEnv()))
	}
	pdftext.ServeChild()
	dir, err := os.MkdirTemp("", "caseboard-cli-test-")
	if err != nil {
		panic(err)
	}
	demoCopyDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
