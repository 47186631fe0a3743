package cli_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Loading the demo division takes seconds, and many more under the race
// detector, and most tests here want it only as where they start. So the
// first `demo` (or `demo --seed N`) of the run into a new SQLite file loads
// it for real and keeps a backup of the result; the same command into
// another new SQLite file later in the run is given a copy of that backup,
// and prints what the first printed. Anything else, PostgreSQL included,
// runs the command.

// demoCopyDir holds the backups; TestMain makes and removes it.
var demoCopyDir string

type demoCopy struct {
	once   sync.Once
	file   string
	stdout string
	failed *result
}

var demoCopies sync.Map // the command line -> *demoCopy

// copiedDemo answers run's demo commands from a copy when it may.
func copiedDemo(t *testing.T, env map[string]string, args []string) (result, bool) {
	t.Helper()
	path := env["CASEBOARD_DB"]
	if demoCopyDir == "" || len(args) == 0 || args[0] != "demo" || !(len(args) == 1 || len(args) == 3 && args[1] == "--seed") ||
		path == "" || strings.Contains(path, "://") {
		return result{}, false
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		return result{}, false
	}
	v, _ := demoCopies.LoadOrStore(strings.Join(args, " "), &demoCopy{})
	dc := v.(*demoCopy)
	dc.once.Do(func() {
		dir, err := os.MkdirTemp(demoCopyDir, "demo-")
		if err != nil {
			t.Fatal(err)
		}
		loaded := filepath.Join(dir, "loaded.db")
		r := runCommand(t, map[string]string{"CASEBOARD_DB": loaded}, args...)
		if r.code != 0 {
			dc.failed = &r
			return
		}
		dc.file, dc.stdout = filepath.Join(dir, "copy.db"), r.stdout
		if b := runCommand(t, map[string]string{"CASEBOARD_DB": loaded}, "backup", dc.file); b.code != 0 {
			dc.failed = &b
		}
	})
	if dc.failed != nil {
		return *dc.failed, true
	}
	if err := copyFile(dc.file, path); err != nil {
		t.Fatal(err)
	}
	return result{code: 0, stdout: dc.stdout}, true
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
