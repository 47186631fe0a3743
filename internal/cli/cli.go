// Package cli is caseboard's command line: one binary, a subcommand per
// task, flags after the subcommand. Exit codes: 0 success, 1 the work failed
// or was refused, 2 a usage error.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"caseboard/internal/fault"
	"caseboard/internal/pdftext"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Version is set at build time with -ldflags "-X caseboard/internal/cli.Version=...".
var Version = "dev"

// Env is what a command runs with: its streams and environment, so tests can
// run commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// OSEnv is the process's own environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "start the web server (migrates the database first)", runServe},
		{"migrate", "bring the database schema up to date", runMigrate},
		{"demo", "load the demo division (synthetic people) into the database", runDemo},
		{"backup", "copy a live SQLite database to a new file", runBackup},
		{"import", "import cases, outcomes or a risk register (CSV or XLSX, all or nothing), an inspection framework (JSON or CSV), findings, actions or units' monthly returns, or a folder of documents as knowledge drafts", runImport},
		{"export", "export cases, outcomes, the risk register, findings or actions as CSV or XLSX that import back; the readiness report", runExport},
		{"audit", "verify or export the audit trail", runAudit},
		{"digest", "print a person's daily digest of deadlines, ready to send by email", runDigest},
		{"report", "compute figures from the records: outcomes, conviction and guilty plea rates; every measure for a period; the Annex A table; the Board pack and unit posters; verify the outcome rollups", runReport},
		{"user", "manage accounts: add, list, disable, enable, reset-password, grant, revoke, token", runUser},
		{"config", "show every setting, its environment variable and its value", runConfig},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks an error as the caller's misuse (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		printHelp(env.Stderr)
		return ExitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			return Main(ctx, []string{rest[0], "-h"}, env)
		}
		printHelp(env.Stdout)
		return ExitOK
	case pdftext.Command:
		// Not in the help: caseboard starts itself this way to read a PDF's
		// text in a process of its own, with time and memory limits.
		return pdftext.Main(env.Stdin, env.Stdout, env.Stderr)
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(env, c.run(ctx, env, rest))
		}
	}
	fmt.Fprintf(env.Stderr, "caseboard: unknown command %q; run caseboard help for the list\n", name)
	return ExitUsage
}

func exitCode(env Env, err error) int {
	var usage *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &usage):
		fmt.Fprintf(env.Stderr, "caseboard: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stderr, "caseboard: %v\n", oneLine(err))
	return ExitFail
}

// oneLine is the message of an error as a user should see it: the safe
// message of a *fault.Error, on one line.
func oneLine(err error) string {
	msg := err.Error()
	if fe := fault.As(err); fe != nil && fe.Code != fault.Internal {
		msg = fe.Error()
	}
	return strings.Join(strings.Fields(msg), " ")
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "caseboard runs and assures a prosecution division's casework.\n\nUsage:\n  caseboard COMMAND [flags]\n\nCommands:\n")
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "help", "show this help, or a command's: caseboard help serve")
	fmt.Fprintf(w, "\nEvery flag can also be set by an environment variable: --db by CASEBOARD_DB, --addr by CASEBOARD_ADDR, and so on.\nRun caseboard COMMAND -h for a command's flags.\n")
}

// newFlags makes a flag set for a command that reports errors itself.
func newFlags(env Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: caseboard %s\n\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, turning a bad flag into a usage error. Flags may
// come before or after the arguments (caseboard import outcomes FILE --as
// E), which the flag package alone does not allow.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%s: %v (see caseboard %s -h)", fs.Name(), err, fs.Name())
	}
	return nil
}

func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// flagsFirst moves the flags (with their values) ahead of the other
// arguments, keeping each group's order; "--" ends the flags as usual.
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(rest) == 0 {
		return flags
	}
	return append(append(flags, "--"), rest...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
