package cli

import (
	"context"
	"fmt"
	"os"

	"caseboard/internal/audit"
	"caseboard/internal/config"
	"caseboard/internal/exchange"
)

// runImportUnitReturns enters the units' monthly returns of a spreadsheet,
// all or nothing; a row for a month a unit has a return for corrects it.
func runImportUnitReturns(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "import unit-returns", "import unit-returns FILE --as EMAIL")
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person entering the returns (the head of division, a business manager, or a unit's head or legal manager for their unit)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("import unit-returns needs one file: caseboard import unit-returns FILE --as EMAIL")
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
	path := fs.Arg(0)
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer file.Close()
	res, err := exchange.ImportUnitReturns(audit.WithActor(ctx, commandLineAs(p)), db, p, file, path, exchange.Options{})
	if res.Problems != nil && res.Problems.Len() > 0 {
		printProblems(env, res)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %s: %d rows read, %d returns added, %d corrected, %d unchanged\n", path, res.Summary.Read,
		res.Summary.Added, res.Summary.Changed, res.Summary.Unchanged)
	return nil
}
