package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/config"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// The kinds of file import and export know.
var (
	importKinds = []string{"cases", "outcomes", "risks", "framework", "findings", "actions", "unit-returns"}
	exportKinds = []string{"cases", "outcomes", "risks", "findings", "actions", "readiness"}
)

// exchangeKind reads the kind of file an import or export names first. A
// help request answers ok false with no error.
func exchangeKind(env Env, verb, usage string, args []string) (kind string, ok bool, err error) {
	exchangeKinds := exportKinds
	if verb == "import" {
		exchangeKinds = importKinds
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stderr, "Usage: caseboard "+usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return "", false, nil
		}
		return "", false, usagef("%s needs what to %s (%s)", verb, verb, strings.Join(exchangeKinds, ", "))
	}
	if !slices.Contains(exchangeKinds, args[0]) {
		return "", false, usagef("%s: cannot %s %q; caseboard can %s %s", verb, verb, args[0], verb, strings.Join(exchangeKinds, ", "))
	}
	return args[0], true, nil
}

// openAs opens the configured database for work done for the person with
// the email.
func openAs(ctx context.Context, cfg *config.Config, email string) (*store.DB, *access.Principal, error) {
	db, _, err := openMigrated(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	p, err := principalByEmail(ctx, db, email)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, p, nil
}

func runImport(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "knowledge" {
		return runImportKnowledge(ctx, env, args[1:])
	}
	kind, ok, err := exchangeKind(env, "import", "import cases|outcomes FILE --as EMAIL [--skip-invalid] [--rejects PATH]\n       caseboard import risks|findings|actions|unit-returns FILE --as EMAIL\n       caseboard "+frameworkUsage, args)
	if !ok {
		return err
	}
	switch kind {
	case "framework":
		return runImportFramework(ctx, env, args[1:])
	case "findings", "actions", "unit-returns":
		return runImportWhole(ctx, env, kind, args[1:])
	}
	fs := newFlags(env, "import "+kind, "import "+kind+" FILE --as EMAIL [--skip-invalid] [--rejects PATH]")
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the import is made for (they must be allowed to record casework)")
	skip := fs.Bool("skip-invalid", false, "write the good rows and put the bad ones in the rejects file, instead of writing nothing")
	rejectsPath := fs.String("rejects", "", "where --skip-invalid writes the bad rows (default FILE.rejects.csv)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("import %s needs one file: caseboard import %s FILE --as EMAIL", kind, kind)
	}
	if kind == "risks" && *skip {
		return usagef("import risks is all or nothing: a register's risks link to one another, so --skip-invalid is not offered")
	}
	cfg, err := load()
	if err != nil {
		return usagef("import: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	return importFile(audit.WithActor(ctx, commandLineAs(p)), env, db, p, kind, fs.Arg(0), *skip, *rejectsPath)
}

// importers are the imports by kind of file.
var importers = map[string]func(context.Context, *store.DB, *access.Principal, io.Reader, string, exchange.Options) (exchange.Result, error){
	"cases":    exchange.ImportCases,
	"outcomes": exchange.ImportOutcomes,
	"risks":    exchange.ImportRisks,
}

func importFile(ctx context.Context, env Env, db *store.DB, p *access.Principal, kind, path string, skip bool, rejectsPath string) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer file.Close()
	opts := exchange.Options{SkipInvalid: skip, Progress: progressBar(env, file)}
	// A file on the operator's own disk is imported whole, however large:
	// the size limit guards uploads from browsers and API clients.
	if info, err := file.Stat(); err == nil {
		opts.Limit = max(info.Size()+1, spreadsheet.DefaultLimit)
	}
	if skip {
		if rejectsPath == "" {
			rejectsPath = path + ".rejects.csv"
		}
		rejects, err := os.Create(rejectsPath)
		if err != nil {
			return fmt.Errorf("rejects file: %w", err)
		}
		defer rejects.Close()
		opts.Rejects = rejects
	}
	res, err := importers[kind](ctx, db, p, file, path, opts)
	if res.Problems != nil && res.Problems.Len() > 0 {
		printProblems(env, res)
	}
	if err != nil {
		return err
	}
	s := res.Summary
	fmt.Fprintf(env.Stdout, "imported %s: %d rows read, %d added, %d changed, %d unchanged, %d rejected (import %d)\n",
		path, s.Read, s.Added, s.Changed, s.Unchanged, s.Rejected, s.ID)
	if len(res.Ignored) > 0 {
		fmt.Fprintf(env.Stdout, "columns not used: %s\n", strings.Join(res.Ignored, ", "))
	}
	if s.Rejected > 0 {
		fmt.Fprintf(env.Stdout, "the rejected rows, with what is wrong with each, are in %s\n", rejectsPath)
	}
	return nil
}

func printProblems(env Env, res exchange.Result) {
	const shown = 20
	for i, p := range res.Problems.List() {
		if i == shown {
			fmt.Fprintf(env.Stderr, "... and %d more problems\n", res.Problems.Len()-shown)
			break
		}
		fmt.Fprintf(env.Stderr, "row %d, column %s, value %q: %s\n", p.Row, p.Column, p.Value, p.Why)
	}
}

// progressBar reports rows, rows a second and the time left, from how
// much of the file has been read, when standard error is a terminal.
func progressBar(env Env, file *os.File) func(int) {
	out, ok := env.Stderr.(*os.File)
	if !ok || !term.IsTerminal(int(out.Fd())) {
		return nil
	}
	info, err := file.Stat()
	if err != nil || info.Size() == 0 {
		return nil
	}
	start, last := time.Now(), time.Time{}
	return func(rows int) {
		if time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		pos, _ := file.Seek(0, 1)
		elapsed := time.Since(start).Seconds()
		done := float64(pos) / float64(info.Size())
		eta := "?"
		if done > 0 {
			eta = time.Duration(elapsed / done * (1 - done) * float64(time.Second)).Round(time.Second).String()
		}
		fmt.Fprintf(out, "\r%d rows, %.0f rows/s, %3.0f%%, about %s left   ", rows, float64(rows)/max(elapsed, 0.001), done*100, eta)
	}
}

func runExport(ctx context.Context, env Env, args []string) error {
	kind, ok, err := exchangeKind(env, "export", "export cases|outcomes --as EMAIL [--format csv|xlsx] [--unit U] [--from DATE] [--to DATE] [--output FILE]\n"+
		"       caseboard export risks --as EMAIL [--format csv|xlsx] [--unit U] [--output FILE]\n"+
		"       caseboard export findings|actions --as EMAIL [--format csv|xlsx] [--output FILE]\n"+
		"       caseboard export readiness --framework CODE --as EMAIL [--format csv|xlsx|pdf] [--output FILE]", args)
	if !ok {
		return err
	}
	if kind == "findings" || kind == "actions" || kind == "readiness" {
		return runExportPlans(ctx, env, kind, args[1:])
	}
	fs := newFlags(env, "export "+kind, "export "+kind+" --as EMAIL [--format csv|xlsx] [--output FILE]")
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the export is made for: it holds what they may see")
	format := fs.String("format", "csv", "csv or xlsx")
	unit := fs.String("unit", "", "outcomes and risks: only this unit (unit code)")
	from := fs.String("from", "", "outcomes: finalised on or after this date (YYYY-MM-DD)")
	to := fs.String("to", "", "outcomes: finalised on or before this date (YYYY-MM-DD)")
	output := fs.String("output", "", "write to this file instead of standard output")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *format != "csv" && *format != "xlsx" {
		return usagef("export: --format is csv or xlsx")
	}
	f := store.OutcomeFilter{Unit: *unit}
	if f.From, err = parseDay(*from, "--from"); err != nil {
		return err
	}
	if f.To, err = parseDay(*to, "--to"); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("export: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	return writeOutput(env, *output, func(w *os.File) error {
		switch kind {
		case "cases":
			_, err := exchange.ExportCases(ctx, db, p, w, *format)
			return err
		case "risks":
			_, err := exchange.ExportRisks(ctx, db, p, w, *format, store.RiskFilter{Unit: *unit, Status: "all"})
			return err
		}
		_, err := exchange.ExportOutcomes(ctx, db, p, w, *format, f)
		return err
	})
}

// principalByEmail is the person a command acts for.
func principalByEmail(ctx context.Context, db *store.DB, email string) (*access.Principal, error) {
	if email == "" {
		return nil, usagef("give --as EMAIL: the person the work is done for, whose access applies")
	}
	a, err := db.AccountByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	if a.Disabled {
		return nil, fault.Errorf(fault.Forbidden, "the account of %s is disabled", email)
	}
	return db.Principal(ctx, a.PersonID)
}

// commandLineAs records command-line work under the person it is done for
// and the operating system account that ran it.
func commandLineAs(p *access.Principal) audit.Actor {
	actor := commandLineActor()
	actor.PersonID = &p.PersonID
	actor.Label = p.String() + " via " + actor.Label
	return actor
}
