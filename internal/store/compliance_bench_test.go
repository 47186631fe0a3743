package store_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/quality"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// benchComplianceCases is how many cases BenchmarkCompliance generates:
// a million, the figure the compliance checks must answer for, unless
// CASEBOARD_BENCH_CASES asks for another (a smaller run to try a change).
func benchComplianceCases(b *testing.B) int {
	n := 1_000_000
	if raw := os.Getenv("CASEBOARD_BENCH_CASES"); raw != "" {
		var err error
		if n, err = strconv.Atoi(raw); err != nil || n < 1 {
			b.Fatalf("CASEBOARD_BENCH_CASES=%q: give a number of cases", raw)
		}
	}
	return n
}

// BenchmarkCompliance evaluates every compliance rule over a generated
// register of a million cases (with their defendants, charges, directions,
// key documents and review actions), as the compliance page does for the
// head of division ("all"), and for one changed case ("one"). The register
// is generated once per dialect, only when the benchmark runs.
func BenchmarkCompliance(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			if _, err := db.SeedOrganisation(ctx); err != nil {
				b.Fatal(err)
			}
			chart := demo.Division(benchDemoSeed)
			if _, err := db.LoadChart(ctx, chart, "benchmark demo"); err != nil {
				b.Fatal(err)
			}
			n := benchComplianceCases(b)
			start := time.Now()
			ids := generateRegister(b, db, n)
			b.Logf("%s: generated %d cases in %s", d, len(ids), time.Since(start).Round(time.Millisecond))
			heads, err := db.People(ctx, store.PeopleFilter{Grade: "head_of_division", Limit: 1})
			if err != nil || len(heads.People) == 0 {
				b.Fatalf("no head of division: %v", err)
			}
			hod := heads.People[0].ID
			principal, err := db.Principal(ctx, hod)
			if err != nil {
				b.Fatal(err)
			}
			// The head of division sees every case but the restricted ones
			// of others' line; "one" changes cases among those.
			ids = ids[:0]
			if err := db.EachComplianceFact(ctx, principal, nil, func(f *quality.CaseFacts) { ids = append(ids, f.CaseID) }); err != nil {
				b.Fatal(err)
			}
			today := deadline.Today(db.Now()).Time(time.UTC)
			byUnit := func(f quality.CaseFacts) string { return strconv.FormatInt(f.UnitID, 10) }

			b.Run("all", func(b *testing.B) {
				b.ReportAllocs()
				cpu := processCPU()
				defer func() { b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op") }()
				for i := 0; i < b.N; i++ {
					// As the compliance page does: each case evaluated as it
					// is read.
					e := quality.NewEvaluation(quality.ComplianceRules, today, byUnit)
					cases := 0
					count := func(f *quality.CaseFacts) { cases++; e.Add(f) }
					if err := db.EachComplianceFact(ctx, principal, nil, count); err != nil {
						b.Fatal(err)
					}
					breaches, groups := e.Result()
					if cases != len(ids) || len(breaches) == 0 || len(groups) == 0 {
						b.Fatalf("%d cases, %d breaches, %d groups", cases, len(breaches), len(groups))
					}
					b.ReportMetric(float64(cases), "cases")
				}
			})
			b.Run("one", func(b *testing.B) {
				rng := rand.New(rand.NewPCG(benchDemoSeed, 1))
				b.ReportAllocs()
				cpu := processCPU()
				defer func() { b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op") }()
				for i := 0; i < b.N; i++ {
					if _, err := db.CaseCompliance(ctx, principal, ids[rng.IntN(len(ids))]); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// processCPU is the processor time this process has used, user and
// system: on a machine shared with other work it says what an operation
// cost when the wall clock says how long it waited as well.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// generateRegister adds n cases to the register in a few set-based
// statements, each case's details following from its number (so the same
// n always gives the same register), and returns their ids: the lawyers,
// units and offices of the demo division in turn; a third each organised
// crime, extradition and international; most with a defendant, many with
// a second, and charges, directions, key documents and review actions on
// a share of them, some late, so that every rule has cases to pass and to
// fail.
func generateRegister(b *testing.B, db *store.DB, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	exec := func(what, q string, args ...any) {
		b.Helper()
		if err := store.ExecArgs(ctx, db, q, args...); err != nil {
			b.Fatalf("%s: %v", what, err)
		}
	}
	exec("lawyers", `CREATE TABLE bench_lawyers AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id AS person_id, unit_id, location_id
		FROM people WHERE active AND partner_id IS NULL`)
	lawyers, err := store.QueryIDs(ctx, db, `SELECT COUNT(*) FROM bench_lawyers`)
	if err != nil || lawyers[0] == 0 {
		b.Fatalf("no people to give cases to: %v", err)
	}
	// Days from eight years ago to a year ahead, by number.
	const days = 3300
	exec("days", `CREATE TABLE bench_days (k BIGINT PRIMARY KEY, day DATE NOT NULL)`)
	first := time.Now().UTC().AddDate(-8, 0, 0).Truncate(24 * time.Hour)
	for k := 0; k < days; k += 300 {
		q, args := `INSERT INTO bench_days (k, day) VALUES `, []any{}
		for j := k; j < min(k+300, days); j++ {
			if j > k {
				q += ", "
			}
			q += "(?, ?)"
			args = append(args, j, first.AddDate(0, 0, j))
		}
		exec("days", q, args...)
	}
	now := time.Now().UTC()
	exec("cases", `INSERT INTO cases (reference, kind, title, unit_id, location_id, status, sensitivity, lawyer_id, opened_on, agency,
			pre_charge_decision, pre_charge_decided_on, court, court_centre, direction, country, warrant_type, created_at, updated_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		SELECT 'BENCH/' || i, CASE i % 3 WHEN 0 THEN 'organised_crime' WHEN 1 THEN 'extradition' ELSE 'international' END, '',
			l.unit_id, l.location_id,
			CASE (i * 7) % 10 WHEN 0 THEN 'pre_charge' WHEN 1 THEN 'pre_charge' WHEN 2 THEN 'received' WHEN 3 THEN 'charged' WHEN 4 THEN 'charged'
				WHEN 5 THEN 'trial' ELSE 'finalised' END,
			CASE WHEN i % 20 = 0 THEN 'restricted' WHEN i % 5 = 0 THEN 'official_sensitive' ELSE 'official' END,
			CASE WHEN i % 50 = 0 THEN NULL ELSE l.person_id END,
			o.day, 'NCA',
			CASE WHEN i % 4 = 0 THEN '' ELSE 'charge' END, CASE WHEN i % 4 = 0 THEN NULL ELSE o.day END,
			CASE WHEN i % 2 = 0 THEN 'CC' ELSE 'MC' END, CASE WHEN i % 9 = 0 THEN '' ELSE 'Southwark' END,
			CASE WHEN i % 3 = 1 THEN 'export' ELSE '' END, CASE WHEN i % 3 = 1 AND i % 11 <> 0 THEN 'PL' ELSE '' END,
			CASE WHEN i % 3 = 1 AND i % 13 <> 0 THEN 'eaw_conviction' ELSE '' END, ?, ?
		FROM n JOIN bench_lawyers l ON l.k = i % ? JOIN bench_days o ON o.k = (i * 13) % ?`, n, now, now, lawyers[0], days-400)
	exec("defendants", `INSERT INTO defendants (case_id, ref, name, custody_status, outcome)
		SELECT id, '1', 'Bench Defendant', CASE WHEN id % 6 = 0 THEN 'in_custody' ELSE '' END,
			CASE WHEN status = 'finalised' AND id % 10 <> 0 THEN 'convicted' ELSE '' END
		FROM cases WHERE reference LIKE 'BENCH/%' AND id % 17 <> 0`)
	exec("second defendants", `INSERT INTO defendants (case_id, ref, name, outcome)
		SELECT id, '2', 'Second Defendant', CASE WHEN status = 'finalised' THEN 'acquitted' ELSE '' END
		FROM cases WHERE reference LIKE 'BENCH/%' AND id % 3 = 0`)
	exec("charges", `INSERT INTO charges (defendant_id, description, ctl_running, ctl_expiry)
		SELECT d.id, 'Conspiracy', d.custody_status = 'in_custody' AND d.id % 4 <> 0, x.day
		FROM defendants d JOIN cases c ON c.id = d.case_id JOIN bench_days x ON x.k = 2900 + d.id % 400
		WHERE c.reference LIKE 'BENCH/%' AND d.id % 2 = 0`)
	exec("next deadlines", `UPDATE cases SET next_deadline = x.day
		FROM (SELECT d.case_id, MIN(ch.ctl_expiry) AS day FROM charges ch JOIN defendants d ON d.id = ch.defendant_id
			WHERE ch.ctl_running GROUP BY d.case_id) x
		WHERE x.case_id = cases.id`)
	exec("directions", `INSERT INTO directions (case_id, court, description, due_on, completed_on)
		SELECT c.id, 'CC', 'Serve the case', x.day, CASE WHEN c.id % 5 = 0 THEN NULL ELSE x.day END
		FROM cases c JOIN bench_days x ON x.k = c.id % ?
		WHERE c.reference LIKE 'BENCH/%' AND c.id % 3 = 0`, days)
	for _, doc := range []struct {
		kind string
		mod  int
	}{{"prosecution_strategy", 2}, {"disclosure_management", 3}} {
		exec(doc.kind, `INSERT INTO case_documents (case_id, kind, updated_on, review_due)
			SELECT c.id, ?, u.day, r.day
			FROM cases c JOIN bench_days u ON u.k = c.id % 2900 JOIN bench_days r ON r.k = c.id % 2900 + 90
			WHERE c.reference LIKE 'BENCH/%' AND c.id % ? <> 0`, doc.kind, doc.mod+5)
	}
	exec("reviews", `INSERT INTO case_reviews (case_id, kind, held_on, summary, recorded_by, recorded_at)
		SELECT c.id, 'local_panel', x.day, 'Panel', c.lawyer_id, ?
		FROM cases c JOIN bench_days x ON x.k = c.id % 2900
		WHERE c.reference LIKE 'BENCH/%' AND c.id % 10 = 0 AND c.lawyer_id IS NOT NULL`, now)
	exec("review actions", `INSERT INTO review_actions (review_id, description, due_on, done_on)
		SELECT r.id, 'Chase the papers', x.day, CASE WHEN r.id % 3 = 0 THEN NULL ELSE x.day END
		FROM case_reviews r JOIN bench_days x ON x.k = r.case_id % 2900 + 30
		WHERE r.summary = 'Panel'`)
	if err := db.RefreshStatistics(ctx); err != nil {
		b.Fatal(err)
	}
	ids, err := store.QueryIDs(ctx, db, `SELECT id FROM cases WHERE reference LIKE 'BENCH/%' ORDER BY id`)
	if err != nil || len(ids) != n {
		b.Fatalf("%d cases generated of %d: %v", len(ids), n, err)
	}
	return ids
}
