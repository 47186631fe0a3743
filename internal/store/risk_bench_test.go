package store_test

// The risk register at scale: 100,000 risks with 1,000,000 score-history
// rows, generated with a fixed seed when the benchmark runs (never in make
// test). The targets (docs/benchmarks.md): the register list with filters
// p99 under 20 ms, the heat map and themes-and-trends under 50 ms, the
// register "as at" a past quarter's end under 100 ms.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

const (
	benchRisks         = 100_000
	benchScoresPerRisk = 10 // 1,000,000 score-history rows
	benchRiskSeed      = 2019
)

// benchRiskThemes are the themes generated risks carry, one to three each.
var benchRiskThemes = []string{"recruitment", "finance", "disclosure", "custody time limits", "eu exit", "health and safety",
	"vetting", "quality standards", "extradition", "international", "reporting", "resilience"}

// benchNow is the day the generated register is read on: its history runs
// the three years before.
var benchNow = time.Date(2019, 6, 14, 12, 0, 0, 0, time.UTC)

// writePool is the pool a bulk load writes through.
func writePool(db *store.DB) *sql.DB {
	pools := db.Pools()
	if p, ok := pools["db_write"]; ok {
		return p
	}
	return pools["db"]
}

// bulkInsert writes rows into table in multi-row INSERTs inside tx.
func bulkInsert(ctx context.Context, tx *sql.Tx, d store.Dialect, table string, columns []string, rows [][]any) error {
	const batchParams = 30_000 // under both SQLite's and PostgreSQL's limits on parameters
	per := max(1, batchParams/len(columns))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		var args []any
		for _, r := range batch {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(batch)), ", ")
		if d == store.Postgres {
			n := 0
			q = replaceEach(q, "?", func() string { n++; return "$" + strconv.Itoa(n) })
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

func replaceEach(s, old string, next func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(next())
		s = s[i+len(old):]
	}
}

// loadBenchRegister generates the register: risks spread over the demo's
// units, locations and people, each with ten scorings over three years,
// a tenth of them closed.
func loadBenchRegister(b *testing.B, db *store.DB) {
	b.Helper()
	ctx := context.Background()
	started := time.Now()
	rng := rand.New(rand.NewPCG(benchRiskSeed, benchRiskSeed))
	units, err := db.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	people, err := db.People(ctx, store.PeopleFilter{Limit: 500})
	if err != nil || len(people.People) == 0 {
		b.Fatalf("people: %v", err)
	}
	def, _ := json.Marshal(risk.DefaultScale)
	categories := []risk.Category{risk.Strategic, risk.Operational, risk.Casework, risk.Project}
	var risks, scores, themes [][]any
	scoreID := 0
	for id := 1; id <= benchRisks; id++ {
		owner := people.People[rng.IntN(len(people.People))]
		raised := benchNow.AddDate(-3, 0, 0).Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
		inherent := risk.Rating{Likelihood: 2 + rng.IntN(4), Impact: 2 + rng.IntN(4)}
		target := risk.Rating{Likelihood: 1, Impact: 1 + rng.IntN(inherent.Impact)}
		status := risk.Open
		if rng.IntN(10) == 0 {
			status = risk.Closed
		}
		var current risk.Rating
		step := benchNow.Sub(raised) / benchScoresPerRisk
		for k := 0; k < benchScoresPerRisk; k++ {
			current = risk.Rating{Likelihood: 1 + rng.IntN(inherent.Likelihood), Impact: 1 + rng.IntN(inherent.Impact)}
			st := risk.Open
			if k == benchScoresPerRisk-1 {
				st = status
			}
			scoreID++
			scores = append(scores, []any{int64(scoreID), int64(id), raised.Add(time.Duration(k) * step), inherent.Likelihood, inherent.Impact,
				current.Likelihood, current.Impact, target.Likelihood, target.Impact, current.Score(), 1, string(st), ""})
		}
		var closed any
		if status == risk.Closed {
			closed = benchNow.AddDate(0, 0, -rng.IntN(300)).Truncate(24 * time.Hour)
		}
		picked := map[string]bool{}
		for n := 1 + rng.IntN(3); len(picked) < n; {
			picked[benchRiskThemes[rng.IntN(len(benchRiskThemes))]] = true
		}
		var names []string
		for t := range picked {
			names = append(names, t)
		}
		slices.Sort(names)
		for _, t := range names {
			themes = append(themes, []any{int64(id), t})
		}
		category := categories[rng.IntN(len(categories))]
		project := ""
		if category == risk.Project {
			project = "Project " + strconv.Itoa(rng.IntN(40))
		}
		nextReview := benchNow.AddDate(0, 0, rng.IntN(240)-60).Truncate(24 * time.Hour)
		risks = append(risks, []any{int64(id), fmt.Sprintf("RSK-%06d", id), fmt.Sprintf("Generated risk %d", id), "a cause", "an event", "a consequence",
			string(category), units[rng.IntN(len(units))].ID, owner.ID, strings.Join(names, ","),
			inherent.Likelihood, inherent.Impact, current.Likelihood, current.Impact, target.Likelihood, target.Impact, current.Score(), 1,
			string(risk.Treat), string(status), 3, nextReview, project, status != risk.Closed && current.Score() >= 16, closed, 1, raised, benchNow})
	}
	tx, err := writePool(db).BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	steps := []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"risk_scales", []string{"version", "definition", "created_at"}, [][]any{{1, string(def), benchNow}}},
		{"risks", []string{"id", "reference", "title", "cause", "event", "consequence", "category", "unit_id", "owner_id", "themes",
			"inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact", "target_likelihood", "target_impact", "current_score",
			"scale_version", "treatment", "status", "review_months", "next_review", "project", "escalated", "closed_on", "version", "created_at", "updated_at"}, risks},
		{"risk_themes", []string{"risk_id", "theme"}, themes},
		{"risk_scores", []string{"id", "risk_id", "at", "inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact",
			"target_likelihood", "target_impact", "current_score", "scale_version", "status", "note"}, scores},
	}
	for _, s := range steps {
		if err := bulkInsert(ctx, tx, db.Dialect(), s.table, s.columns, s.rows); err != nil {
			b.Fatal(err)
		}
	}
	if db.Dialect() == store.Postgres {
		// The rows carry their ids: move the identity sequences past them.
		for _, t := range []string{"risks", "risk_scores"} {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))`, t, t)); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// The rows were written directly: set since when each risk has been
	// above appetite and count the heat map's cells, as the store's
	// writes keep them. Before the vacuum: an
	// update of every row after it would leave the visibility map stale
	// and every index twice its size.
	if err := store.SetKeptRiskFiguresForTest(ctx, db); err != nil {
		b.Fatal(err)
	}
	if db.Dialect() == store.Postgres {
		// What autovacuum does to freshly loaded tables, done now: the
		// visibility map lets counts read the indexes alone.
		for _, t := range []string{"risks", "risk_themes", "risk_scores"} {
			if _, err := writePool(db).ExecContext(ctx, "VACUUM ANALYZE "+t); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := db.RefreshStatistics(ctx); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("# %s: generated %d risks and %d score-history rows in %v\n", db.Dialect(), len(risks), len(scores), time.Since(started).Round(time.Millisecond))
}

// benchP99 runs op b.N times and reports the 99th percentile and the
// median of its durations, in milliseconds, beside the mean Go reports.
func benchP99(b *testing.B, op func() error) {
	b.Helper()
	b.ReportAllocs()
	took := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
}

// BenchmarkRiskRegister100k reads the generated register as its pages do,
// as the Head of Division (every unit).
func BenchmarkRiskRegister100k(b *testing.B) {
	benchEachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return benchNow }
		loadBenchRegister(b, db)
		hod := &access.Principal{PersonID: 1, Roles: []access.Role{access.HeadOfDivision}}
		units, _ := db.Units(ctx)
		people, _ := db.People(ctx, store.PeopleFilter{Limit: 1})
		owner := people.People[0].ID
		first, err := db.Risks(ctx, hod, store.RiskFilter{Limit: 50, Today: benchNow})
		if err != nil || len(first.Risks) != 50 {
			b.Fatalf("first page: %d risks, %v", len(first.Risks), err)
		}
		quarterEnd := time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			name string
			f    store.RiskFilter
		}{
			{"list/first", store.RiskFilter{}},
			{"list/next", store.RiskFilter{Cursor: first.Next}},
			{"list/unit", store.RiskFilter{Unit: units[0].Code}},
			{"list/unit+category", store.RiskFilter{Unit: units[1].Code, Category: risk.Operational}},
			{"list/theme", store.RiskFilter{Theme: "eu exit"}},
			{"list/band", store.RiskFilter{Band: "Very high"}},
			{"list/owner", store.RiskFilter{OwnerID: &owner}},
			{"list/overdue", store.RiskFilter{OverdueReview: true}},
			{"list/escalated", store.RiskFilter{Escalated: true}},
			{"list/cell", store.RiskFilter{Likelihood: 2, Impact: 3}},
			{"list/all-statuses", store.RiskFilter{Status: "all"}},
			{"asat/quarter-end", store.RiskFilter{AsAt: &quarterEnd}},
			{"asat/quarter-end+unit", store.RiskFilter{AsAt: &quarterEnd, Unit: units[0].Code}},
		} {
			f := c.f
			f.Limit, f.Today = 50, benchNow
			b.Run(c.name, func(b *testing.B) {
				benchP99(b, func() error {
					page, err := db.Risks(ctx, hod, f)
					if err == nil && len(page.Risks) == 0 {
						err = fmt.Errorf("no risks")
					}
					return err
				})
			})
		}
		b.Run("heatmap/all", func(b *testing.B) {
			benchP99(b, func() error {
				_, err := db.RiskHeatMap(ctx, hod, store.RiskFilter{Today: benchNow}, "current")
				return err
			})
		})
		b.Run("heatmap/unit", func(b *testing.B) {
			benchP99(b, func() error {
				_, err := db.RiskHeatMap(ctx, hod, store.RiskFilter{Unit: units[0].Code, Today: benchNow}, "current")
				return err
			})
		})
		// The quarters are kept once, as the daily job (or the first
		// reader) would keep them; the reads below find them kept.
		from := benchNow.AddDate(-3, 0, 0)
		started := time.Now()
		if err := db.KeepRiskTrends(ctx, from); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("# %s: kept the trends of %d quarters in %v\n", db.Dialect(), len(store.QuartersForTest(from, benchNow)), time.Since(started).Round(time.Millisecond))
		b.Run("trends/3-years", func(b *testing.B) {
			benchP99(b, func() error {
				tr, err := db.RiskTrends(ctx, hod, from, benchNow)
				if err == nil && (len(tr.Quarters) < 12 || len(tr.AboveAppetite) != 20) {
					err = fmt.Errorf("%d quarters, %d above appetite", len(tr.Quarters), len(tr.AboveAppetite))
				}
				return err
			})
		})
		b.Run("trends/3-years-unit-token", func(b *testing.B) {
			scoped := *hod
			scoped.Token = &access.TokenScope{UnitID: &units[0].ID}
			benchP99(b, func() error {
				tr, err := db.RiskTrends(ctx, &scoped, from, benchNow)
				if err == nil && len(tr.Quarters) < 12 {
					err = fmt.Errorf("%d quarters", len(tr.Quarters))
				}
				return err
			})
		})
		// What keeping the trends costs a write: a rescoring moves the
		// risk's part of every kept quarter (here 13) and its
		// above-appetite date. Last, since it changes the register.
		b.Run("write/rescore", func(b *testing.B) {
			id := first.Risks[0].ID
			benchP99(b, func() error {
				r, err := db.Risk(ctx, hod, id)
				if err != nil {
					return err
				}
				r.Current.Likelihood = 1 + r.Current.Likelihood%r.Inherent.Likelihood
				return db.UpdateRisk(ctx, hod, &r, store.RiskUpdate{Note: "benchmark"})
			})
		})
	})
}
