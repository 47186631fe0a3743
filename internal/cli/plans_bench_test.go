package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"caseboard/internal/cli"
	"caseboard/internal/plan"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// BenchmarkEvaluateChecks is one evaluation of every evidence check per op,
// kept as the daily job and "Evaluate now" keep them, over the demo
// division that caseboard demo loads with its fixed seed: its casework
// register, custody time limits, risk registers, continuity plans and
// quality assessments. The figure is under a second. The division
// is loaded when the benchmark runs, never in make test; results are in
// docs/benchmarks.md.
func BenchmarkEvaluateChecks(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			dsn := storetest.DSN(b, d)
			var out, errOut bytes.Buffer
			code := cli.Main(ctx, []string{"demo", "--seed", "2019"}, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
				Getenv: func(k string) string { return map[string]string{"CASEBOARD_DB": dsn}[k] }})
			if code != 0 {
				b.Fatalf("demo: %d %s", code, errOut.String())
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			results, err := db.EvaluateChecks(ctx)
			if err != nil || len(results) != len(store.EvidenceChecks()) {
				b.Fatalf("%d results, %v", len(results), err)
			}
			for _, r := range results {
				if r.Outcome == plan.CouldNotEvaluate {
					b.Fatalf("%s could not be evaluated: %s", r.Code, r.Reason)
				}
			}
			b.Run("EvaluateChecks", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := db.EvaluateChecks(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
