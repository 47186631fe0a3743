package cli

import (
	"context"
	"fmt"
	"time"

	"caseboard/internal/config"
	"caseboard/internal/store"
)

const verifyUsage = "report verify [--db DB]"

// runReportVerify recomputes every outcome rollup and every kept
// themes-and-trends figure from the records and lists those that differ;
// any difference is a failure (exit status 1).
func runReportVerify(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "report verify", verifyUsage)
	load := config.Register(fs, env.Getenv, "db")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("report: %v", err)
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	diffs, err := db.VerifyRollups(ctx)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintf(env.Stdout, "month %d, unit %s, location %s, court %q, outcome %s, %s: rollup %d, records %d\n",
			d.Month, d.Unit, d.Location, d.Court, d.Outcome, d.Sensitivity, d.Rollup, d.Records)
	}
	trends, err := db.VerifyRiskTrends(ctx)
	if err != nil {
		return err
	}
	for _, d := range trends {
		fmt.Fprintln(env.Stdout, d)
	}
	if len(diffs) > 0 || len(trends) > 0 {
		return fmt.Errorf("%d outcome rollup rows and %d risk trend figures differ from the records", len(diffs), len(trends))
	}
	fmt.Fprintf(env.Stdout, "the outcome rollups and the kept risk trends agree with the records: checked in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
