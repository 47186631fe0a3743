// Package config reads caseboard's settings from command-line flags and
// CASEBOARD_* environment variables through one table of options, each with
// its default, its validation and its help text. A flag beats the
// environment, which beats the default.
package config

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
)

// Config is every setting caseboard has.
type Config struct {
	DB              string
	Addr            string
	LogLevel        string
	LogFormat       string
	BaseURL         string
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	MaxUploadBytes  int64
	TLSCert         string
	TLSKey          string
	Instance        string
	SessionIdle     time.Duration
	SMTPAddr        string
	SMTPFrom        string
	SMTPUser        string
	SMTPPassword    string
	PrincipalCache  time.Duration
	GCPercent       int
	SessionMax      time.Duration
	OIDCIssuer      string
	OIDCClientID    string
	OIDCSecret      string
	OIDCEmailClaim  string
	Clearances      access.Clearances
}

// Option describes one setting.
type Option struct {
	Name    string // flag name; the variable is CASEBOARD_ + upper snake case
	Default string
	Usage   string
	Secret  bool
	set     func(c *Config, v string) error
}

// Env is the environment variable that sets the option.
func (o Option) Env() string {
	return "CASEBOARD_" + strings.ToUpper(strings.ReplaceAll(o.Name, "-", "_"))
}

// Options is the table of every setting. Subcommands pick the ones they use.
var Options = []Option{
	{Name: "db", Default: "./data/caseboard.db", Usage: "database: a SQLite file path, or a postgres:// URL", Secret: true,
		set: func(c *Config, v string) error { c.DB = v; return nonEmpty(v) }},
	{Name: "addr", Default: "127.0.0.1:8080", Usage: "address to listen on (host:port)",
		set: func(c *Config, v string) error {
			_, _, err := net.SplitHostPort(v)
			c.Addr = v
			return err
		}},
	{Name: "log-level", Default: "info", Usage: "log level: debug, info, warn or error",
		set: func(c *Config, v string) error { c.LogLevel = v; return oneOf(v, "debug", "info", "warn", "error") }},
	{Name: "log-format", Default: "text", Usage: "log format: text or json",
		set: func(c *Config, v string) error { c.LogFormat = v; return oneOf(v, "text", "json") }},
	{Name: "base-url", Default: "", Usage: "public URL of the service, e.g. https://caseboard.example.org (used in links sent by email)",
		set: func(c *Config, v string) error { c.BaseURL = strings.TrimSuffix(v, "/"); return nil }},
	{Name: "smtp-addr", Default: "", Usage: "SMTP relay host:port that digests are sent through (empty: none is sent)",
		set: func(c *Config, v string) error { c.SMTPAddr = v; return nil }},
	{Name: "smtp-from", Default: "caseboard <caseboard@localhost>", Usage: "the address mail comes from",
		set: func(c *Config, v string) error { c.SMTPFrom = v; return nil }},
	{Name: "smtp-user", Default: "", Usage: "SMTP login, if the relay wants one (used only over TLS or to a relay on this machine)",
		set: func(c *Config, v string) error { c.SMTPUser = v; return nil }},
	{Name: "smtp-password", Default: "", Usage: "SMTP password", Secret: true,
		set: func(c *Config, v string) error { c.SMTPPassword = v; return nil }},
	{Name: "shutdown-timeout", Default: "15s", Usage: "how long to let requests finish on SIGTERM",
		set: func(c *Config, v string) (err error) { c.ShutdownTimeout, err = time.ParseDuration(v); return err }},
	{Name: "max-body-bytes", Default: "1048576", Usage: "largest request body accepted by the API and forms, in bytes",
		set: func(c *Config, v string) (err error) {
			c.MaxBodyBytes, err = strconv.ParseInt(v, 10, 64)
			if err == nil && c.MaxBodyBytes < 1024 {
				err = fmt.Errorf("must be at least 1024")
			}
			return err
		}},
	{Name: "max-upload-bytes", Default: "52428800", Usage: "largest spreadsheet accepted by an import upload, in bytes",
		set: func(c *Config, v string) (err error) {
			c.MaxUploadBytes, err = strconv.ParseInt(v, 10, 64)
			if err == nil && c.MaxUploadBytes < 1024 {
				err = fmt.Errorf("must be at least 1024")
			}
			return err
		}},
	{Name: "tls-cert", Default: "", Usage: "TLS certificate file; with --tls-key, serve HTTPS (usually a reverse proxy does this)",
		set: func(c *Config, v string) error { c.TLSCert = v; return nil }},
	{Name: "tls-key", Default: "", Usage: "TLS private key file", Secret: true,
		set: func(c *Config, v string) error { c.TLSKey = v; return nil }},
	{Name: "session-idle", Default: "30m", Usage: "sign a browser out after this long without a request",
		set: func(c *Config, v string) (err error) { c.SessionIdle, err = positiveDuration(v); return err }},
	{Name: "principal-cache", Default: "5s", Usage: "reuse an API token's permissions for this long (0: read them on every request); a change made through another instance is seen after it",
		set: func(c *Config, v string) (err error) { c.PrincipalCache, err = nonNegativeDuration(v); return err }},
	{Name: "gc-percent", Default: "400", Usage: "let the heap grow this many percent over live memory before collecting garbage (Go's GOGC, which wins when set): more memory, less CPU; 100 is Go's default",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 25 || n > 10000 {
				return fmt.Errorf("want a whole number from 25 to 10000")
			}
			c.GCPercent = n
			return nil
		}},
	{Name: "session-max", Default: "12h", Usage: "sign a browser out this long after sign-in, however busy",
		set: func(c *Config, v string) (err error) { c.SessionMax, err = positiveDuration(v); return err }},
	{Name: "oidc-issuer", Default: "", Usage: "OpenID Connect issuer URL for single sign-on (empty: local accounts only)",
		set: func(c *Config, v string) error { c.OIDCIssuer = v; return nil }}, // exactly as the provider states it: some end in a slash
	{Name: "oidc-client-id", Default: "", Usage: "OpenID Connect client id",
		set: func(c *Config, v string) error { c.OIDCClientID = v; return nil }},
	{Name: "oidc-client-secret", Default: "", Usage: "OpenID Connect client secret", Secret: true,
		set: func(c *Config, v string) error { c.OIDCSecret = v; return nil }},
	{Name: "oidc-email-claim", Default: "email", Usage: "ID token claim holding the email address that names the caseboard person",
		set: func(c *Config, v string) error { c.OIDCEmailClaim = v; return nonEmpty(v) }},
	{Name: "min-clearance", Default: access.DefaultClearances.String(), Usage: "the least security clearance that may see each sensitivity",
		set: func(c *Config, v string) (err error) { c.Clearances, err = access.ParseClearances(v); return err }},
	{Name: "instance", Default: "", Usage: "name of this instance in logs and job records (default: host name and process id)",
		set: func(c *Config, v string) error { c.Instance = v; return nil }},
}

func positiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err == nil && d <= 0 {
		err = fmt.Errorf("must be positive")
	}
	return d, err
}

func nonNegativeDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err == nil && d < 0 {
		err = fmt.Errorf("must not be negative")
	}
	return d, err
}

func nonEmpty(v string) error {
	if v == "" {
		return fmt.Errorf("must not be empty")
	}
	return nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}

func option(name string) Option {
	for _, o := range Options {
		if o.Name == name {
			return o
		}
	}
	panic("config: no option " + name)
}

// Register adds the named options to a flag set. It returns a function that,
// after fs.Parse, fills a Config from the flags, the environment (looked up
// with getenv) and the defaults, and validates every value.
func Register(fs *flag.FlagSet, getenv func(string) string, names ...string) func() (*Config, error) {
	values := map[string]*string{}
	for _, name := range names {
		o := option(name)
		values[name] = fs.String(o.Name, "", fmt.Sprintf("%s (env %s, default %q)", o.Usage, o.Env(), o.Default))
	}
	return func() (*Config, error) {
		c := &Config{}
		for _, o := range Options {
			if err := o.set(c, o.Default); err != nil && o.Default != "" {
				return nil, fmt.Errorf("default of --%s: %w", o.Name, err)
			}
		}
		for _, name := range names {
			o := option(name)
			v, from := *values[name], "--"+name
			if v == "" {
				v, from = getenv(o.Env()), o.Env()
			}
			if v == "" {
				continue
			}
			if err := o.set(c, v); err != nil {
				return nil, fmt.Errorf("%s=%q: %w", from, v, err)
			}
		}
		if c.OIDCIssuer != "" && (c.OIDCClientID == "" || c.BaseURL == "") {
			return nil, fmt.Errorf("single sign-on needs --oidc-client-id and --base-url (for the callback address) as well as --oidc-issuer")
		}
		if (c.TLSCert == "") != (c.TLSKey == "") {
			return nil, fmt.Errorf("--tls-cert and --tls-key go together: set both or neither")
		}
		if c.Instance == "" {
			host, _ := os.Hostname()
			c.Instance = fmt.Sprintf("%s-%d", host, os.Getpid())
		}
		return c, nil
	}
}

// Dump writes every option with its effective value, masking secrets.
func Dump(w io.Writer, getenv func(string) string) {
	names := make([]string, 0, len(Options))
	byName := map[string]Option{}
	for _, o := range Options {
		names = append(names, o.Name)
		byName[o.Name] = o
	}
	sort.Strings(names)
	for _, name := range names {
		o := byName[name]
		v, from := getenv(o.Env()), "env"
		if v == "" {
			v, from = o.Default, "default"
		}
		if o.Secret && v != "" && from == "env" {
			v = "(set, hidden)"
		}
		fmt.Fprintf(w, "%-28s %-20s %s\n", o.Env(), from, v)
	}
}
