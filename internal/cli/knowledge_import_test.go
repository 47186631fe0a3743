package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caseboard/internal/pdftext"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestImportKnowledge(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	demo := run(t, env, "demo", "--seed", "5")
	if demo.code != 0 || !strings.Contains(demo.stdout, "loaded the demo knowledge repository") {
		t.Fatalf("demo: %+v", demo)
	}
	hod := ""
	for _, line := range strings.Split(run(t, env, "user", "list").stdout, "\n") {
		if strings.Contains(line, "head_of_division") {
			hod = strings.Fields(line)[0]
		}
	}
	docs := filepath.Join(dir, "docs")
	os.MkdirAll(filepath.Join(docs, "old"), 0o755)
	os.WriteFile(filepath.Join(docs, "liaison.md"), []byte("# Liaison magistrates\n\nWho they are and when to call them.\n"), 0o600)
	os.WriteFile(filepath.Join(docs, "old", "liar.docx"), []byte("%PDF-1.4 not a word document"), 0o600)
	os.WriteFile(filepath.Join(docs, "photo.jpg"), []byte{0xff, 0xd8, 0xff}, 0o600)
	pdf, err := os.ReadFile("../pdftext/testdata/guidance.pdf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(docs, "ruritania.pdf"), pdf, 0o600)
	// A page tree that holds itself: the reader would walk it for ever.
	os.WriteFile(filepath.Join(docs, "loop.pdf"), bytes.Replace(pdf, []byte("/Kids [3 0 R]"), []byte("/Kids [2 0 R]"), 1), 0o600)
	start := time.Now()
	r := run(t, env, "import", "knowledge", docs, "--as", hod, "--unit", "extradition", "--kind", "good_practice")
	if r.code != 0 || !strings.Contains(r.stdout, "imported liaison.md as draft article") || !strings.Contains(r.stdout, "Liaison magistrates") ||
		!strings.Contains(r.stdout, "old/liar.docx is named as docx but its content is pdf") ||
		!strings.Contains(r.stdout, "(pdf): Surrender from Ruritania") ||
		!strings.Contains(r.stdout, "skipped  loop.pdf: loop.pdf: the PDF's text could not be read: reading took longer than 10s") ||
		!strings.Contains(r.stdout, "2 imported as drafts, 3 skipped") {
		t.Fatalf("import knowledge: %+v", r)
	}
	if took := time.Since(start); took > pdftext.Timeout+10*time.Second {
		t.Errorf("the import took %s: the PDF reader was not stopped", took)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"import", "knowledge", docs}, 2},
		{[]string{"import", "knowledge", docs, "--as", hod, "--kind", "memo"}, 2},
		{[]string{"import", "knowledge", docs, "--as", hod, "--unit", "nowhere"}, 2},
		{[]string{"import", "knowledge", filepath.Join(docs, "old"), "--as", hod}, 1},
		{[]string{"import", "knowledge", filepath.Join(dir, "missing"), "--as", hod}, 1},
	} {
		if r := run(t, env, tc.args...); r.code != tc.code {
			t.Errorf("%v: exit %d, want %d: %+v", tc.args, r.code, tc.code, r)
		}
	}
}
