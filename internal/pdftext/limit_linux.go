package pdftext

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// limitMemory caps the process's address space at what it has mapped now
// plus headroom, so that a file that makes the reader allocate without
// end fails an allocation instead of taking the machine's memory. A Go
// process maps more than it uses, so the cap is relative to now.
func limitMemory(headroom uint64) error {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return err
	}
	pages, err := strconv.ParseUint(strings.Fields(string(statm))[0], 10, 64)
	if err != nil {
		return err
	}
	limit := pages*uint64(os.Getpagesize()) + headroom
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit})
}
