package config_test

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"caseboard/internal/config"
)

func load(t *testing.T, env map[string]string, args ...string) (*config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	get := config.Register(fs, func(k string) string { return env[k] }, "db", "addr", "shutdown-timeout", "max-body-bytes", "tls-cert", "tls-key", "log-level", "principal-cache", "gc-percent")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return get()
}

func TestPrecedence(t *testing.T) {
	c, err := load(t, nil)
	if err != nil || c.DB != "./data/caseboard.db" || c.Addr != "127.0.0.1:8080" || c.ShutdownTimeout != 15*time.Second {
		t.Fatalf("defaults %+v (%v)", c, err)
	}
	c, _ = load(t, map[string]string{"CASEBOARD_ADDR": "0.0.0.0:9000", "CASEBOARD_DB": "env.db"})
	if c.Addr != "0.0.0.0:9000" || c.DB != "env.db" {
		t.Fatalf("environment ignored: %+v", c)
	}
	c, _ = load(t, map[string]string{"CASEBOARD_ADDR": "0.0.0.0:9000"}, "--addr", "127.0.0.1:1234")
	if c.Addr != "127.0.0.1:1234" {
		t.Fatalf("flag should beat environment: %s", c.Addr)
	}
}

func TestPrincipalCache(t *testing.T) {
	c, err := load(t, nil)
	if err != nil || c.PrincipalCache != 5*time.Second {
		t.Fatalf("default %v (%v)", c.PrincipalCache, err)
	}
	c, err = load(t, nil, "--principal-cache", "0")
	if err != nil || c.PrincipalCache != 0 {
		t.Fatalf("zero turns it off: %v (%v)", c.PrincipalCache, err)
	}
}

func TestGCPercent(t *testing.T) {
	c, err := load(t, nil)
	if err != nil || c.GCPercent != 400 {
		t.Fatalf("default %d (%v)", c.GCPercent, err)
	}
	c, err = load(t, map[string]string{"CASEBOARD_GC_PERCENT": "150"})
	if err != nil || c.GCPercent != 150 {
		t.Fatalf("from the environment: %d (%v)", c.GCPercent, err)
	}
	for _, bad := range []string{"0", "-1", "off", "20000"} {
		if _, err := load(t, nil, "--gc-percent", bad); err == nil || !strings.Contains(err.Error(), "25 to 10000") {
			t.Errorf("--gc-percent %s: %v", bad, err)
		}
	}
}

func TestInvalid(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"ErrAddr":        {args: []string{"--addr", "8080"}, want: `--addr="8080"`},
		"ErrEnvDuration": {env: map[string]string{"CASEBOARD_SHUTDOWN_TIMEOUT": "soon"}, want: "CASEBOARD_SHUTDOWN_TIMEOUT"},
		"ErrBodyLimit":   {args: []string{"--max-body-bytes", "10"}, want: "at least 1024"},
		"ErrTLSHalf":     {args: []string{"--tls-cert", "c.pem"}, want: "go together"},
		"ErrLogLevel":    {args: []string{"--log-level", "loud"}, want: "one of debug"},
		"ErrCacheTTL":    {args: []string{"--principal-cache", "-1s"}, want: "must not be negative"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, tc.env, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDumpHidesSecrets(t *testing.T) {
	var buf bytes.Buffer
	config.Dump(&buf, func(k string) string {
		if k == "CASEBOARD_DB" {
			return "postgres://u:secret@db/x"
		}
		return ""
	})
	out := buf.String()
	if strings.Contains(out, "secret") || !strings.Contains(out, "CASEBOARD_DB") || !strings.Contains(out, "127.0.0.1:8080") {
		t.Fatalf("dump:\n%s", out)
	}
}
