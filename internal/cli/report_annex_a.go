package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"slices"

	"caseboard/internal/config"
	"caseboard/internal/exchange"
	"caseboard/internal/measure"
)

const annexUsage = "report annex-a --as EMAIL --to YYYY-MM [--years N] [--format json|csv|xlsx] [--output FILE]"

// runReportAnnexA prints the Annex A table: the financial years before
// the twelve months to a month, and those twelve months.
func runReportAnnexA(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "report annex-a", annexUsage)
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the report is for: it counts what they may see")
	to := fs.String("to", "", "the last month of the rolling twelve months, YYYY-MM")
	years := fs.Int("years", 2, "how many financial years before it, 0 to 5")
	format := fs.String("format", "json", "json, csv or xlsx")
	output := fs.String("output", "", "file to write to; standard output when not given")
	if err := parse(fs, args); err != nil {
		return err
	}
	last, err := measure.ParsePeriod(*to)
	if err != nil || last.Kind != measure.Month {
		return usagef("report annex-a: --to is a month, YYYY-MM, for example 2018-06")
	}
	if *years < 0 || *years > 5 {
		return usagef("report annex-a: --years is 0 to 5")
	}
	if !slices.Contains([]string{"json", "csv", "xlsx"}, *format) {
		return usagef("report annex-a: --format is json, csv or xlsx")
	}
	cfg, err := load()
	if err != nil {
		return usagef("report annex-a: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	annex, err := db.AnnexA(ctx, p, last, *years)
	if err != nil {
		return err
	}
	var w io.Writer = env.Stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(annex)
	}
	return exchange.WriteAnnexA(w, *format, annex)
}
