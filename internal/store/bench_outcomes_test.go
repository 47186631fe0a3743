package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/demo"
	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// benchOutcomeRows is how many finalised defendants BenchmarkOutcomeReport
// loads: CASEBOARD_BENCH_OUTCOMES, or 1,000,000 (the figure is for
// 5,000,000, which takes several minutes to load on each database).
func benchOutcomeRows(b *testing.B) int {
	if s := os.Getenv("CASEBOARD_BENCH_OUTCOMES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			b.Fatalf("CASEBOARD_BENCH_OUTCOMES=%q: a number of defendants, at least 1000", s)
		}
		return n
	}
	return 1_000_000
}

// bulkLoadOutcomes writes n finalised defendants, five to a case, straight
// into the tables with each database's own row generator: ten financial
// years from April 2009, both units, the four offices, both courts, every
// outcome, about one case in ten official-sensitive and one in fifty
// restricted. The values come from a fixed arithmetic sequence, so every
// run loads the same rows. The rollups are then counted afresh.
func bulkLoadOutcomes(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	units, err := store.QueryIDs(ctx, db, `SELECT id FROM units WHERE code IN ('organised_crime', 'extradition') ORDER BY code DESC`)
	if err != nil || len(units) != 2 {
		b.Fatalf("units: %v %v", units, err)
	}
	// The division's own offices; the overseas posts finalise no defendants.
	locations, err := store.QueryIDs(ctx, db, `SELECT id FROM locations WHERE code IN ('petty_france', 'birmingham', 'warrington', 'calder') ORDER BY id`)
	if err != nil || len(locations) == 0 {
		b.Fatalf("locations: %v", err)
	}
	pick := func(expr string, values []string) string {
		s := "CASE (" + expr + ") % " + strconv.Itoa(len(values))
		for i, v := range values {
			s += fmt.Sprintf(" WHEN %d THEN %s", i, v)
		}
		return s + " END"
	}
	var locs []string
	for _, id := range locations {
		locs = append(locs, strconv.FormatInt(id, 10))
	}
	var prosecution, extradition []string
	for _, o := range casework.OutcomesFor(casework.Prosecution) {
		prosecution = append(prosecution, "'"+string(o.Code)+"'")
	}
	for _, o := range casework.OutcomesFor(casework.Extradition) {
		extradition = append(extradition, "'"+string(o.Code)+"'")
	}
	// Guilty pleas are most outcomes of a prosecution, as in the CPS's own
	// figures.
	prosecution = append(prosecution, slices.Repeat([]string{"'guilty_plea'"}, len(prosecution))...)
	cases := n / 5
	isExtradition := "(i % 7 = 0)"
	caseSQL := `INSERT INTO cases (id, reference, kind, unit_id, location_id, status, sensitivity, opened_on, created_at, updated_at, next_deadline)
		SELECT 1000000 + i, 'BENCH' || i,
			CASE WHEN ` + isExtradition + ` THEN 'extradition' ELSE 'organised_crime' END,
			CASE WHEN ` + isExtradition + ` THEN ` + strconv.FormatInt(units[1], 10) + ` ELSE ` + strconv.FormatInt(units[0], 10) + ` END,
			` + pick("i * 7919", locs) + `, 'finalised',
			CASE WHEN i % 50 = 1 THEN 'restricted' WHEN i % 10 = 3 THEN 'official_sensitive' ELSE 'official' END,
			OPENED, NOW, NOW, NOW
		FROM SERIES`
	defendantSQL := `INSERT INTO defendants (case_id, ref, principal_offence, court, outcome, finalised_on)
		SELECT 1000000 + i / 5, CAST(i % 5 + 1 AS TEXT),
			CASE WHEN (i / 5) % 7 = 0 THEN '' ELSE 'drugs_offences' END,
			CASE WHEN (i / 5) % 7 = 0 THEN '' WHEN (i * 31) % 10 < 3 THEN 'MC' ELSE 'CC' END,
			CASE WHEN (i / 5) % 7 = 0 THEN ` + pick("i * 104729", extradition) + ` ELSE ` + pick("i * 104729", prosecution) + ` END,
			FINALISED
		FROM SERIES`
	// Cases open over ten years; each defendant is finalised up to 200
	// days after.
	if db.Dialect() == store.Postgres {
		caseSQL = replaceAll(caseSQL, "OPENED", "DATE '2009-04-01' + CAST(i % 3450 AS INTEGER)", "NOW", "TIMESTAMPTZ '2019-04-01 00:00:00+00'",
			"SERIES", fmt.Sprintf("generate_series(0::bigint, %d) AS g(i)", cases-1), "'BENCH' || i", "'BENCH' || i::text")
		defendantSQL = replaceAll(defendantSQL, "FINALISED", "DATE '2009-04-01' + CAST((i / 5) % 3450 + (i * 37) % 200 AS INTEGER)",
			"SERIES", fmt.Sprintf("generate_series(0::bigint, %d) AS g(i)", cases*5-1))
	} else {
		series := func(n int) string {
			return fmt.Sprintf("(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s)", n-1)
		}
		// Dates as caseboard stores them on SQLite: midnight UTC as text.
		caseSQL = replaceAll(caseSQL, "OPENED", "date('2009-04-01', '+' || (i % 3450) || ' days') || ' 00:00:00+00:00'",
			"NOW", "'2019-04-01 00:00:00+00:00'", "SERIES", series(cases))
		defendantSQL = replaceAll(defendantSQL, "FINALISED",
			"date('2009-04-01', '+' || (((i / 5) % 3450) + (i * 37) % 200) || ' days') || ' 00:00:00+00:00'", "SERIES", series(cases*5))
	}
	start := time.Now()
	for _, q := range []string{caseSQL, defendantSQL} {
		if err := store.ExecForTest(ctx, db, q); err != nil {
			b.Fatalf("bulk load: %v\n%s", err, q)
		}
	}
	if err := store.RebuildOutcomeRollups(ctx, db); err != nil {
		b.Fatal(err)
	}
	if err := db.RefreshStatistics(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: loaded %d finalised defendants of %d cases and counted the rollups in %s", db.Dialect(), cases*5, cases, time.Since(start).Round(time.Second))
}

func replaceAll(s string, oldNew ...string) string {
	return strings.NewReplacer(oldNew...).Replace(s)
}

// BenchmarkOutcomeReport is `report outcomes` over a large division: for
// periods of every kind (a financial year, a quarter, a month, rolling
// twelve months) and for the division, a unit, and a unit's court, it
// times CountOutcomes (the rollups) and, side by side in the same run, the
// plain GROUP BY over the records it replaces, and checks they agree. It
// reports each one's 95th percentile and their ratio.
func BenchmarkOutcomeReport(b *testing.B) {
	n := benchOutcomeRows(b)
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			benchOutcomeReport(b, storetest.Open(b, d), n)
		})
	}
}

func benchOutcomeReport(b *testing.B, db *store.DB, n int) {
	{
		ctx := context.Background()
		if _, err := db.SeedOrganisation(ctx); err != nil {
			b.Fatal(err)
		}
		chart := demo.Division(benchDemoSeed)
		if _, err := db.LoadChart(ctx, chart, "benchmark demo"); err != nil {
			b.Fatal(err)
		}
		bulkLoadOutcomes(b, db, n)
		var hod *access.Principal
		for _, p := range chart.People {
			if p.Grade == "head_of_division" {
				a, err := db.AccountByEmail(ctx, p.Email)
				if err != nil {
					b.Fatal(err)
				}
				if hod, err = db.Principal(ctx, a.PersonID); err != nil {
					b.Fatal(err)
				}
			}
		}
		if hod == nil {
			b.Fatal("no head of division")
		}
		periods := []string{"2016-17", "2017-18-Q3", "2018-02", "r12-2018-06"}
		filters := []struct {
			name  string
			unit  string
			court casework.Court
		}{{"division", "", ""}, {"unit", "organised_crime", ""}, {"unit-court", "organised_crime", casework.CrownCourt}}
		for _, period := range periods {
			for _, fl := range filters {
				p, err := measure.ParsePeriod(period)
				if err != nil {
					b.Fatal(err)
				}
				f := store.OutcomeFilter{Unit: fl.unit, Court: fl.court, From: p.Start, To: p.End}
				b.Run(period+"/"+fl.name, func(b *testing.B) {
					compareOutcomeCounts(b, db, hod, f)
				})
			}
		}
	}
}

// compareOutcomeCounts times the rollups' answer b.N times and the plain
// GROUP BY a few times (it takes seconds), and reports both 95th
// percentiles and their ratio.
func compareOutcomeCounts(b *testing.B, db *store.DB, p *access.Principal, f store.OutcomeFilter) {
	ctx := context.Background()
	var plain []time.Duration
	var want []measure.OutcomeCount
	for range 3 {
		start := time.Now()
		counts, err := db.CountOutcomesFromRecords(ctx, p, f)
		plain = append(plain, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		want = counts
	}
	fast := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		got, err := db.CountOutcomes(ctx, p, f)
		fast = append(fast, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 && fmt.Sprint(sortedCounts(got)) != fmt.Sprint(sortedCounts(want)) {
			b.Fatalf("rollups %v, records %v", got, want)
		}
	}
	b.StopTimer()
	rollup, records := percentile(fast, 95), percentile(plain, 95)
	b.ReportMetric(float64(rollup.Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(records.Microseconds())/1000, "groupby-p95-ms")
	b.ReportMetric(float64(records)/float64(rollup), "ratio")
}

func percentile(d []time.Duration, p int) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	i := (len(d)*p + 99) / 100
	return d[max(0, min(len(d)-1, i-1))]
}

// BenchmarkImportRollups measures what keeping the outcome rollups in step
// costs an import: 50,000 new finalised defendants (25,000 new cases)
// through the store's import, with the rollups kept and without, each on a
// fresh database that holds the demo division. It reports rows a second.
func BenchmarkImportRollups(b *testing.B) {
	const rows = 50000
	for _, d := range storetest.Dialects {
		for _, keep := range []bool{true, false} {
			name := string(d) + "/rollups"
			if !keep {
				name = string(d) + "/no-rollups"
			}
			b.Run(name, func(b *testing.B) {
				b.StopTimer()
				db := storetest.Open(b, d)
				ctx := context.Background()
				if _, err := db.SeedOrganisation(ctx); err != nil {
					b.Fatal(err)
				}
				chart := demo.Division(benchDemoSeed)
				if _, err := db.LoadChart(ctx, chart, "benchmark demo"); err != nil {
					b.Fatal(err)
				}
				var hod *access.Principal
				for _, p := range chart.People {
					if p.Grade == "head_of_division" {
						a, _ := db.AccountByEmail(ctx, p.Email)
						hod, _ = db.Principal(ctx, a.PersonID)
					}
				}
				for i := 0; i < b.N; i++ {
					file := benchOutcomeRowsFor(i, rows)
					b.StartTimer()
					im, err := db.BeginImport(ctx, hod, store.ImportMeta{Kind: "outcomes", FileName: "bench.csv"})
					if err != nil {
						b.Fatal(err)
					}
					if !keep {
						store.ImportWithoutRollups(im)
					}
					for n, r := range file {
						if err := im.Outcome(ctx, n+2, r); err != nil {
							b.Fatalf("row %d: %v", n+2, err)
						}
					}
					if _, err := im.Commit(ctx, rows, 0); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
				}
				b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// benchOutcomeRowsFor is batch's rows for BenchmarkImportRollups: new
// organised crime cases of two defendants each, over a year of months,
// every location, both courts and several outcomes.
func benchOutcomeRowsFor(batch, rows int) []casework.OutcomeRow {
	locations := []string{"petty_france", "birmingham", "warrington", "calder"}
	outcomes := []casework.Outcome{"guilty_plea", "guilty_plea", "guilty_plea", "conviction_after_trial", "acquitted", "discontinued"}
	out := make([]casework.OutcomeRow, rows)
	for i := range out {
		c := i / 2
		court := casework.CrownCourt
		if c%10 == 0 {
			court = casework.MagistratesCourt
		}
		out[i] = casework.OutcomeRow{CaseURN: fmt.Sprintf("IR%04d%07d", batch, c), Unit: "organised_crime", Location: locations[c%4], Court: court,
			DefendantRef: fmt.Sprint(1 + i%2), PrincipalOffence: "drugs_offences",
			FinalisedOn: time.Date(2018, time.Month(1+c%12), 1+c%28, 0, 0, 0, 0, time.UTC), Outcome: outcomes[i%6]}
	}
	return out
}
