package store_test

// Store microbenchmarks. They run only with -bench (scripts/bench.sh, make
// bench), never in make test: go test without -bench runs no benchmark.
// Each has a SQLite and a PostgreSQL sub-benchmark; the PostgreSQL one is
// skipped unless CASEBOARD_TEST_POSTGRES names a server. Results and the
// machine they were measured on are in docs/benchmarks.md.

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"caseboard/internal/audit"
	"caseboard/internal/demo"
	"caseboard/internal/org"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// benchDemoSeed is the seed `caseboard demo` uses by default.
const benchDemoSeed = 2019

// benchEachDialect runs fn as a sub-benchmark per dialect on a fresh,
// migrated, demo-loaded database. The database is set up in the
// sub-benchmark, which runs once, and fn's own b.Run children reuse it.
func benchEachDialect(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			if _, err := db.SeedOrganisation(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := db.LoadChart(ctx, demo.Organisation(benchDemoSeed), "benchmark demo"); err != nil {
				b.Fatal(err)
			}
			fn(b, db)
		})
	}
}

// BenchmarkPeoplePage is one page of 50 people as the API and the
// organisation page ask for it: the first page, a later page by cursor, and
// the first page filtered by unit.
func BenchmarkPeoplePage(b *testing.B) {
	benchEachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		first, err := db.People(ctx, store.PeopleFilter{Limit: 50})
		if err != nil || first.Next == "" {
			b.Fatalf("first page: %v (next %q): the demo should have more than 50 people", err, first.Next)
		}
		for _, c := range []struct {
			name string
			f    store.PeopleFilter
		}{
			{"first", store.PeopleFilter{Limit: 50}},
			{"next", store.PeopleFilter{Limit: 50, Cursor: first.Next}},
			{"unit", store.PeopleFilter{Limit: 50, Unit: "extradition"}},
		} {
			b.Run(c.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					page, err := db.People(ctx, c.f)
					if err != nil || len(page.People) == 0 {
						b.Fatalf("page: %d people, %v", len(page.People), err)
					}
				}
			})
		}
	})
}

// BenchmarkAuditAppend is one audited write per op: UpdatePerson renames a
// person, which reads the person, checks the line of management, updates
// the row and appends an entry to the hash chain, in one transaction.
func BenchmarkAuditAppend(b *testing.B) {
	benchEachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Label: "benchmark", Address: "127.0.0.1", RequestID: "bench-audit-append"})
		page, err := db.People(ctx, store.PeopleFilter{Unit: "extradition", Limit: 1})
		if err != nil || len(page.People) == 0 {
			b.Fatalf("no person to update: %v", err)
		}
		p := page.People[0]
		original := p.Name
		b.Run("UpdatePerson", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p.Name = fmt.Sprintf("%s %d", original, i)
				if err := db.UpdatePerson(ctx, &p); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// benchAuditBudget bounds how long BenchmarkVerifyAudit spends building its
// chain, and benchAuditMax how long the chain may grow. No exported API
// appends entries in bulk, so the chain is built one audited write
// (CreateLocation) at a time and is as long as the budget allows.
const (
	benchAuditBudget = 10 * time.Second
	benchAuditMax    = 100_000
)

// BenchmarkVerifyAudit is one walk of the whole audit chain per op,
// reporting entries checked per second.
func BenchmarkVerifyAudit(b *testing.B) {
	benchEachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Label: "benchmark", Address: "127.0.0.1", RequestID: "bench-verify-audit"})
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		var failed atomic.Value
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Since(start) < benchAuditBudget {
					n := next.Add(1)
					if n > benchAuditMax {
						return
					}
					l := org.Location{Code: fmt.Sprintf("bench_office_%d", n), Name: fmt.Sprintf("Benchmark office %d", n), Kind: org.Office, Country: "GB"}
					if err := db.CreateLocation(ctx, &l); err != nil {
						failed.Store(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			b.Fatal(err)
		}
		entries, brk, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil {
			b.Fatalf("verify: %v %+v", err, brk)
		}
		// Printed rather than logged: a parent benchmark's log is shown only with -v.
		fmt.Printf("# %s: built an audit chain of %d entries with CreateLocation in %v (%.0f audited writes/s, 8 writers)\n",
			db.Dialect(), entries, time.Since(start).Round(time.Millisecond), float64(entries)/time.Since(start).Seconds())
		b.Run("chain", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n, brk, err := db.VerifyAudit(ctx)
				if err != nil || brk != nil || n != entries {
					b.Fatalf("verify: %d entries, %v %+v", n, err, brk)
				}
			}
			b.ReportMetric(float64(entries), "entries")
			b.ReportMetric(float64(entries)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	})
}
