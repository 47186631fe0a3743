// Package pdftext reads the text of PDF files in a separate process with
// a time limit, a memory limit and a cap on what it may write, so that a
// hostile or malformed file can neither hang nor exhaust caseboard.
//
// The PDF reader (github.com/ledongthuc/pdf) loops forever on some
// malformed files: a cross-reference table whose /Prev names itself, a
// page tree that contains itself. A goroutine cannot be stopped, so the
// reading is done by the caseboard binary itself, started again as
// `caseboard extract-text` with the PDF on its standard input: Extract
// kills it when the time is up, and the child limits its own address
// space before it reads a byte.
package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Limits on one extraction.
const (
	// Timeout is how long the child may take, start to finish.
	Timeout = 10 * time.Second
	// MaxInputBytes is the largest PDF read (the import's limit on a file).
	MaxInputBytes = 20 << 20
	// MaxTextBytes is the most text kept: the child is stopped beyond it.
	MaxTextBytes = 4 << 20
	// MemoryHeadroom is how far the child's address space may grow beyond
	// what it uses when it starts.
	MemoryHeadroom = 768 << 20
)

// ChildEnv is set in the environment of a process started to extract
// text; a test binary's TestMain sees it and calls ServeChild.
const ChildEnv = "CASEBOARD_EXTRACT_TEXT"

// Command is the hidden subcommand that makes the caseboard binary an
// extractor.
const Command = "extract-text"

// ErrUnreadable says the PDF's text could not be read in the limits: the
// file is malformed, hostile, too large, or took too long.
var ErrUnreadable = errors.New("the PDF's text could not be read")

// timeout is Timeout, shortened by tests that wait for it.
var timeout = Timeout

// childReady is set by ServeChild: a test binary that has not called it
// cannot act as the extractor, and running it would run its tests again.
var childReady bool

// Extract returns the text of a PDF, read by a child process within the
// limits above. Any failure is ErrUnreadable, wrapped with the reason.
func Extract(ctx context.Context, data []byte) (string, error) {
	switch {
	case len(data) > MaxInputBytes:
		return "", fmt.Errorf("%w: larger than %d MiB", ErrUnreadable, MaxInputBytes>>20)
	case os.Getenv(ChildEnv) != "":
		return "", fmt.Errorf("%w: an extractor does not start another", ErrUnreadable)
	case testing.Testing() && !childReady:
		return "", fmt.Errorf("%w: this test binary does not call pdftext.ServeChild in TestMain", ErrUnreadable)
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, Command)
	cmd.Env = []string{ChildEnv + "=1", "GOMAXPROCS=1", "GOTRACEBACK=none"}
	cmd.Stdin = bytes.NewReader(data)
	out := &cappedBuffer{max: MaxTextBytes, full: cancel}
	stderr := &cappedBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = out, stderr
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	switch {
	case out.filled:
		// A file that says more than the limit is read as far as the limit.
		return validText(out.Bytes()), nil
	case ctx.Err() != nil:
		return "", fmt.Errorf("%w: reading took longer than %s", ErrUnreadable, timeout)
	case err != nil:
		reason := strings.TrimSpace(stderr.String())
		if reason == "" {
			reason = err.Error()
		}
		return "", fmt.Errorf("%w: %s", ErrUnreadable, reason)
	}
	return validText(out.Bytes()), nil
}

// cappedBuffer keeps up to max bytes; beyond that it calls full, which
// stops the child, and refuses the rest.
type cappedBuffer struct {
	bytes.Buffer
	max    int
	full   func()
	filled bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.Buffer.Write(p[:max(room, 0)])
		if !b.filled && b.full != nil {
			b.full()
		}
		b.filled = true
		return max(room, 0), errors.New("output limit reached")
	}
	return b.Buffer.Write(p)
}

// validText is the text as valid UTF-8 without NULs, cut at a rune.
func validText(b []byte) string {
	s := strings.ToValidUTF8(string(b), "")
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// ServeChild makes a test binary able to act as the extractor: called
// first in TestMain, it does the child's work and exits when the process
// was started by Extract, and otherwise lets the tests run.
func ServeChild() {
	if os.Getenv(ChildEnv) != "" {
		os.Exit(Main(os.Stdin, os.Stdout, os.Stderr))
	}
	childReady = true
}

// Main is the child: it limits its own memory, reads a PDF from in and
// writes its text to out. It returns the process's exit code.
func Main(in io.Reader, out, errs io.Writer) int {
	if err := limitMemory(MemoryHeadroom); err != nil {
		fmt.Fprintln(errs, "cannot limit memory:", err)
		return 1
	}
	data, err := io.ReadAll(io.LimitReader(in, MaxInputBytes+1))
	if err != nil {
		fmt.Fprintln(errs, err)
		return 1
	}
	if len(data) > MaxInputBytes {
		fmt.Fprintf(errs, "larger than %d MiB\n", MaxInputBytes>>20)
		return 1
	}
	text, err := Read(data)
	if err != nil {
		fmt.Fprintln(errs, err)
		return 1
	}
	if _, err := io.WriteString(out, text); err != nil {
		return 1
	}
	return 0
}
