package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/store"
)

// The figures the inspections issue sets: the Board view over 500
// inspections, 5,000 recommendations and 50,000 actions in under 50 ms.
// The plans are generated with a fixed seed when the benchmark runs,
// never in make test. docs/benchmarks.md has the results.
const (
	benchInspections     = 500
	benchRecommendations = 10 // per inspection: 5,000
	benchActions         = 10 // per recommendation: 50,000
)

// BenchmarkBoard is one computation of the Board view per op, as the
// Board page and GET /api/v1/board make it, over the volume.
func BenchmarkBoard(b *testing.B) {
	benchEachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		page, err := db.People(ctx, store.PeopleFilter{Limit: 200})
		if err != nil || len(page.People) == 0 {
			b.Fatalf("no people to own the plans: %v", err)
		}
		var owners []int64
		for _, p := range page.People {
			owners = append(owners, p.ID)
		}
		today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		err = store.SeedPlansForBench(ctx, db, store.BenchPlans{Seed: benchDemoSeed, Inspections: benchInspections,
			RecommendationsPerReport: benchRecommendations, ActionsPerRecommendation: benchActions, Owners: owners, Today: today})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.EvaluateChecks(ctx); err != nil {
			b.Fatal(err)
		}
		if err := db.RefreshStatistics(ctx); err != nil {
			b.Fatal(err)
		}
		board, err := db.Board(ctx, today)
		if err != nil {
			b.Fatal(err)
		}
		if board.Totals.Actions != benchInspections*benchRecommendations*benchActions || len(board.Open) == 0 || len(board.Late) == 0 || len(board.Slipped) == 0 {
			b.Fatalf("the Board does not see the plans: %+v, %d open, %d late, %d slipped", board.Totals, len(board.Open), len(board.Late), len(board.Slipped))
		}
		b.Logf("%d open findings, %d late and %d slipped actions (lists bounded at 200), %d flagged", len(board.Open), board.Totals.LateActions,
			board.Totals.SlippedActions, len(board.Flagged))
		b.Run("Board", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.Board(ctx, today); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
