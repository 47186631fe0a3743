package pdftext

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func TestMain(m *testing.M) {
	ServeChild()
	os.Exit(m.Run())
}

// fixture is testdata/guidance.pdf: a one-page PDF 1.4 written by hand,
// three lines of Helvetica in an uncompressed content stream, with a
// correct cross-reference table.
func fixture(t testing.TB) []byte {
	data, err := os.ReadFile("testdata/guidance.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestExtractReadsTheText(t *testing.T) {
	text, err := Extract(context.Background(), fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "Surrender from Ruritania\nRequests to the Ruritanian ministry of justice need a sworn translation.\nAssurances on prison conditions are sought before the hearing."
	if text != want {
		t.Errorf("text = %q, want %q", text, want)
	}
}

// hostile are files that break the reader: each must give no text, and
// give it within the time limit.
func hostile(t testing.TB) map[string][]byte {
	good := fixture(t)
	xref := bytes.Index(good, []byte("\nxref")) + 1
	trailer := bytes.LastIndex(good, []byte("trailer"))
	return map[string][]byte{
		"truncated":   good[:len(good)/2],
		"header only": []byte("%PDF-1.7\n"),
		// The reader follows /Prev from a cross-reference table to itself
		// for ever.
		"xref loop": append(append([]byte{}, good[:trailer]...),
			fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", xref, xref)...),
		// A page tree that holds itself: the reader walks it for ever.
		"page tree cycle": bytes.Replace(good, []byte("/Kids [3 0 R]"), []byte("/Kids [2 0 R]"), 1),
		"not a pdf":       []byte("%PDF-<html><script>alert(1)</script></html>"),
		"huge stream":     flateBomb(t),
	}
}

// flateBomb is a PDF whose page content is 1 GiB of zeros compressed to
// about a megabyte.
func flateBomb(t testing.TB) []byte {
	bombOnce.Do(func() { bomb = makeFlateBomb() })
	return bomb
}

var (
	bombOnce sync.Once
	bomb     []byte
)

func makeFlateBomb() []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 1024; i++ {
		w.Write(zeros)
	}
	w.Close()
	var pdf bytes.Buffer
	pdf.WriteString("%PDF-1.4\n")
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, pdf.Len())
		fmt.Fprintf(&pdf, "%d 0 obj\n%s", len(offsets), body)
		if stream != nil {
			pdf.WriteString("\nstream\n")
			pdf.Write(stream)
			pdf.WriteString("\nendstream")
		}
		pdf.WriteString("\nendobj\n")
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>", nil)
	obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", z.Len()), z.Bytes())
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil)
	xref := pdf.Len()
	fmt.Fprintf(&pdf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&pdf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&pdf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return pdf.Bytes()
}

func TestExtractGivesUpOnHostileFiles(t *testing.T) {
	timeout = 3 * time.Second
	t.Cleanup(func() { timeout = Timeout })
	for name, data := range hostile(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			text, err := Extract(context.Background(), data)
			took := time.Since(start)
			if !errors.Is(err, ErrUnreadable) || text != "" {
				t.Errorf("Extract = %q, %v; want no text and ErrUnreadable", text, err)
			}
			if took > timeout+2*time.Second {
				t.Errorf("took %s, beyond the limit of %s", took, timeout)
			}
		})
	}
}

func TestExtractRefusesWhatIsTooLarge(t *testing.T) {
	big := append(fixture(t), make([]byte, MaxInputBytes)...)
	if _, err := Extract(context.Background(), big); !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want larger than the limit", err)
	}
}

func TestCappedBufferStopsTheChild(t *testing.T) {
	stopped := false
	b := &cappedBuffer{max: 5, full: func() { stopped = true }}
	if n, err := b.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatal(n, err)
	}
	if n, err := b.Write([]byte("defgh")); n != 2 || err == nil || !stopped || b.String() != "abcde" {
		t.Fatalf("n %d err %v stopped %v kept %q", n, err, stopped, b.String())
	}
}

// FuzzExtract fuzzes the bounded extraction, child process and all: the
// reader itself loops on some inputs, so it is never fuzzed in the fuzzing
// process. Whatever the input, Extract answers within its time limit with
// valid UTF-8 text of at most MaxTextBytes, or ErrUnreadable.
func FuzzExtract(f *testing.F) {
	timeout = 2 * time.Second
	f.Add(fixture(f))
	for name, data := range hostile(f) {
		// One file that loops is enough of a seed: each costs the timeout.
		if name != "huge stream" && name != "page tree cycle" {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		text, err := Extract(context.Background(), data)
		if took := time.Since(start); took > timeout+3*time.Second {
			t.Fatalf("took %s", took)
		}
		if err != nil && !errors.Is(err, ErrUnreadable) {
			t.Fatalf("err = %v, want ErrUnreadable", err)
		}
		if !utf8.ValidString(text) || len(text) > MaxTextBytes || strings.ContainsRune(text, 0) {
			t.Fatalf("text of %d bytes is not valid", len(text))
		}
	})
}
