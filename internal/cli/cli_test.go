package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"caseboard/internal/cli"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	if r, ok := copiedDemo(t, env, args); ok {
		return r
	}
	return runCommand(t, env, args...)
}

// runCommand runs the command itself, always.
func runCommand(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, out.String(), errOut.String()}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"Help", []string{"help"}, 0, "Commands:"},
		{"HelpCommand", []string{"help", "serve"}, 0, "--addr"},
		{"DashH", []string{"migrate", "-h"}, 0, "--db"},
		{"ErrNoCommand", nil, 2, "Usage:"},
		{"ErrUnknownCommand", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"ErrBadFlag", []string{"serve", "--nope"}, 2, "flag provided but not defined: -nope"},
		{"ErrBadAddr", []string{"serve", "--addr", "no-port"}, 2, `--addr="no-port"`},
		{"ErrBackupNoFile", []string{"backup"}, 2, "caseboard backup FILE"},
		{"ErrAuditNoSub", []string{"audit"}, 2, "verify or export"},
		{"Version", []string{"version"}, 0, "caseboard dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, nil, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Fatalf("output lacks %q:\n%s%s", tc.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestDatabaseErrorsAreOneLine(t *testing.T) {
	for name, db := range map[string]string{
		"ErrUnreachablePostgres": "postgres://nobody@127.0.0.1:1/x?connect_timeout=1",
		"ErrUnwritableDir":       "/proc/nowhere/caseboard.db",
	} {
		t.Run(name, func(t *testing.T) {
			r := run(t, map[string]string{"CASEBOARD_DB": db}, "migrate")
			if r.code != 1 {
				t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
			}
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n"); lines != 0 || !strings.HasPrefix(r.stderr, "caseboard: ") {
				t.Fatalf("want one line, got:\n%s", r.stderr)
			}
		})
	}
}

func TestMigrateDemoBackupAudit(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, d)}
			list, _ := store.Migrations()
			if r := run(t, env, "migrate"); r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("schema is at version %d", len(list))) ||
				!strings.Contains(r.stdout, "applied migrations [1 2 ") {
				t.Fatalf("migrate: %+v", r)
			}
			if r := run(t, env, "migrate"); r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("up to date at version %d", len(list))) {
				t.Fatalf("second migrate: %+v", r)
			}
			if r := run(t, env, "demo", "--seed", "3"); r.code != 0 || !strings.Contains(r.stdout, "people") || !strings.Contains(r.stdout, "670 live cases") ||
				!strings.Contains(r.stdout, "recommendations: 3 links") {
				t.Fatalf("demo: %+v", r)
			}
			if r := run(t, env, "demo", "--if-empty"); r.code != 0 || !strings.Contains(r.stdout, "not loaded") {
				t.Fatalf("demo --if-empty on a loaded database: %+v", r)
			}
			if r := run(t, env, "demo"); r.code != 1 {
				t.Fatalf("second demo load should be refused, got %+v", r)
			}
			r := run(t, env, "audit", "verify")
			if r.code != 0 || !strings.Contains(r.stdout, "intact") {
				t.Fatalf("audit verify: %+v", r)
			}
			out := filepath.Join(t.TempDir(), "audit.jsonl")
			if r := run(t, env, "audit", "export", "--output", out); r.code != 0 {
				t.Fatalf("audit export: %+v", r)
			}
			raw, _ := os.ReadFile(out)
			lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
			var first map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["seq"] != 1.0 || first["hash"] == "" {
				t.Fatalf("first exported entry %v (err %v)", first, err)
			}
			if r := run(t, env, "audit", "export", "--from", "01/02/2026"); r.code != 2 {
				t.Fatalf("bad --from: %+v", r)
			}
			if d == store.SQLite {
				backup := filepath.Join(t.TempDir(), "copy.db")
				if r := run(t, env, "backup", backup); r.code != 0 || !strings.Contains(r.stdout, "to restore") {
					t.Fatalf("backup: %+v", r)
				}
				if r := run(t, map[string]string{"CASEBOARD_DB": backup}, "audit", "verify"); r.code != 0 {
					t.Fatalf("verify the backup: %+v", r)
				}
			} else if r := run(t, env, "backup", "x.db"); r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
				t.Fatalf("backup on postgres: %+v", r)
			}
		})
	}
}

func TestAuditVerifyFailsOnTampering(t *testing.T) {
	path := storetest.DSN(t, store.SQLite)
	env := map[string]string{"CASEBOARD_DB": path}
	run(t, env, "demo")
	// Edit the file behind caseboard's back, as an intruder would.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE audit_entries SET changes = '{}' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := run(t, env, "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, "broken at entry 2") {
		t.Fatalf("verify after tampering: %+v", r)
	}
}

// TestServeBinary builds the real binary, serves an existing database,
// measures nothing but checks it answers, and stops it with SIGTERM.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "caseboard")
	build := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", bin, "caseboard/cmd/caseboard")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "c.db")
	if out, err := exec.Command(bin, "demo", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	var stderr bytes.Buffer
	serve := exec.Command(bin, "serve", "--db", db, "--addr", addr)
	serve.Stderr = &stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill()
	if !waitHealthy(addr, 10*time.Second) {
		t.Fatalf("never became healthy:\n%s", stderr.String())
	}
	res, err := http.Get("http://" + addr + "/organisation")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("organisation page: %v %v", res, err)
	}
	res.Body.Close()
	serve.Process.Signal(syscall.SIGTERM)
	if err := serve.Wait(); err != nil {
		t.Fatalf("serve did not exit cleanly on SIGTERM: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Fatalf("no graceful shutdown logged:\n%s", stderr.String())
	}
	t.Run("ErrAddressInUse", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		out, err := exec.Command(bin, "serve", "--db", db, "--addr", ln.Addr().String()).CombinedOutput()
		if code := exitCodeOf(err); code != 1 || !strings.Contains(string(out), "choose another --addr") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})
}

func exitCodeOf(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(addr string, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		res, err := http.Get(fmt.Sprintf("http://%s/healthz", addr))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}
