package sqlitedrivers

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers "sqlite3" (cgo)
	_ "modernc.org/sqlite"          // registers "sqlite" (pure Go)
)

// driver is one database/sql SQLite driver and how to ask it for the same
// connection settings as the other. The settings are caseboard's own (see
// internal/store/db.go): WAL, synchronous=NORMAL, foreign keys on, a busy
// timeout and a 20 MB page cache per connection.
type driver struct {
	name   string // in benchmark names
	sqlDrv string // database/sql driver name
	dsn    func(path string) string
}

var drivers = []driver{
	{"mattn", "sqlite3", func(path string) string {
		return "file:" + path + "?_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_busy_timeout=10000&_cache_size=-20000"
	}},
	{"modernc", "sqlite", func(path string) string {
		return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)" +
			"&_pragma=busy_timeout(10000)&_pragma=cache_size(-20000)"
	}},
}

// stmtCache is mattn with its per-connection prepared statement cache on
// (_stmt_cache_size, off by default; caseboard turns it on since commit
// b4eaa8a), for the benchmarks that pass SQL text on every call as
// internal/store does.
var stmtCache = driver{"mattn-stmtcache", "sqlite3", func(path string) string {
	return drivers[0].dsn(path) + "&_stmt_cache_size=64"
}}

const schema = `
CREATE TABLE defendants (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    born TEXT NOT NULL
);
CREATE INDEX defendants_name ON defendants (name, id);
CREATE TABLE outcomes (
    id           INTEGER PRIMARY KEY,
    case_ref     TEXT NOT NULL,
    defendant_id INTEGER NOT NULL REFERENCES defendants(id),
    unit         TEXT NOT NULL,
    court        TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    finalised    TEXT NOT NULL -- YYYY-MM-DD
);
CREATE INDEX outcomes_defendant ON outcomes (defendant_id);
CREATE INDEX outcomes_unit_finalised ON outcomes (unit, finalised);
`

const (
	insertRows      = 200_000
	insertBatch     = 10_000
	insertPeople    = 20_000 // defendants present before the insert benchmark
	fixtureRows     = 1_000_000
	fixturePeople   = 100_000
	pageSize        = 50
	insertOutcome   = `INSERT INTO outcomes (case_ref, defendant_id, unit, court, outcome, finalised) VALUES (?, ?, ?, ?, ?, ?)`
	insertDefendant = `INSERT INTO defendants (id, name, born) VALUES (?, ?, ?)`
	aggregateQuery  = `SELECT unit, outcome, substr(finalised, 1, 7) AS month, COUNT(*)
		FROM outcomes GROUP BY unit, outcome, month`
	// aggregateScan is the same query made to read the table in rowid
	// order: without statistics (no ANALYZE) SQLite otherwise walks the
	// outcomes_unit_finalised index and fetches each row from the table.
	aggregateScan = `SELECT unit, outcome, substr(finalised, 1, 7) AS month, COUNT(*)
		FROM outcomes NOT INDEXED GROUP BY unit, outcome, month`
	pointQuery = `SELECT case_ref, defendant_id, unit, court, outcome, finalised FROM outcomes WHERE id = ?`
	// keysetQuery is the form internal/store used for its people pages
	// until commit b4eaa8a, which moved to the row value below.
	keysetQuery = `SELECT id, name, born FROM defendants
		WHERE (name > ? OR (name = ? AND id > ?)) ORDER BY name, id LIMIT 50`
	// keysetRowValue is the same page with a row-value comparison.
	keysetRowValue = `SELECT id, name, born FROM defendants
		WHERE (name, id) > (?, ?) ORDER BY name, id LIMIT 50`
)

var (
	units    = []string{"organised_crime", "extradition", "international", "strategy_and_policy", "proceeds_of_crime", "special_crime"}
	courts   = []string{"Southwark Crown Court", "Central Criminal Court", "Westminster Magistrates' Court", "Birmingham Crown Court", "Manchester Crown Court", "Leeds Crown Court", "Bristol Crown Court", "Cardiff Crown Court", "Liverpool Crown Court", "Snaresbrook Crown Court", "Woolwich Crown Court", "Isleworth Crown Court"}
	outcomes = []string{"convicted_plea", "convicted_trial", "acquitted", "discontinued", "dismissed", "warrant"}
	given    = []string{"Adaeze", "Ben", "Chloe", "Dariusz", "Eilidh", "Farah", "George", "Hannah", "Ibrahim", "Jade", "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sofia", "Tomasz", "Yusuf"}
	family   = []string{"Adebayo", "Brown", "Chowdhury", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones", "Kowalski", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Roberts", "Smith", "Taylor", "Williams", "Wright", "Young"}
	months   = 60 // outcomes are finalised over five years
)

type outcomeRow struct {
	caseRef                    string
	defendant                  int64
	unit, court, outcome, date string
}

// genOutcome is row i of the deterministic data set.
func genOutcome(rng *rand.Rand, i, people int) outcomeRow {
	day := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(months*365/12))
	return outcomeRow{
		caseRef:   fmt.Sprintf("%02dCB%07d", 19+i%5, i),
		defendant: 1 + rng.Int64N(int64(people)),
		unit:      units[rng.IntN(len(units))],
		court:     courts[rng.IntN(len(courts))],
		outcome:   outcomes[rng.IntN(len(outcomes))],
		date:      day.Format("2006-01-02"),
	}
}

func genName(rng *rand.Rand, i int) string {
	return fmt.Sprintf("%s, %s %d", family[rng.IntN(len(family))], given[rng.IntN(len(given))], i%977)
}

func open(tb testing.TB, d driver, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open(d.sqlDrv, d.dsn(path))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	checkPragmas(tb, d, db)
	return db
}

// checkPragmas fails unless the connection really has the settings both
// drivers are meant to share.
func checkPragmas(tb testing.TB, d driver, db *sql.DB) {
	tb.Helper()
	want := map[string]string{"journal_mode": "wal", "synchronous": "1", "foreign_keys": "1", "cache_size": "-20000", "busy_timeout": "10000"}
	for pragma, value := range want {
		var got string
		if err := db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
			tb.Fatalf("%s: PRAGMA %s: %v", d.name, pragma, err)
		}
		if got != value {
			tb.Fatalf("%s: PRAGMA %s = %s, want %s", d.name, pragma, got, value)
		}
	}
}

func createSchema(tb testing.TB, db *sql.DB, people int) {
	tb.Helper()
	if _, err := db.Exec(schema); err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	inTx(tb, db, insertDefendant, people, func(stmt *sql.Stmt, i int) error {
		_, err := stmt.Exec(i+1, genName(rng, i), fmt.Sprintf("19%02d-%02d-%02d", 40+rng.IntN(60), 1+rng.IntN(12), 1+rng.IntN(28)))
		return err
	})
}

// inTx runs n executions of a prepared statement in transactions of
// insertBatch rows.
func inTx(tb testing.TB, db *sql.DB, query string, n int, exec func(stmt *sql.Stmt, i int) error) {
	tb.Helper()
	for start := 0; start < n; start += insertBatch {
		tx, err := db.Begin()
		if err != nil {
			tb.Fatal(err)
		}
		stmt, err := tx.Prepare(query)
		if err != nil {
			tb.Fatal(err)
		}
		for i := start; i < min(start+insertBatch, n); i++ {
			if err := exec(stmt, i); err != nil {
				tb.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
	}
}

var (
	tmpDir      string
	fixtureOnce sync.Once
	fixtureErr  error
	fixturePath string
)

func TestMain(m *testing.M) {
	var err error
	tmpDir, err = os.MkdirTemp("", "caseboard-sqlite-drivers-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmpDir)
	os.Exit(code)
}

// fixture returns the path of a database of fixtureRows outcomes and
// fixturePeople defendants, built once (with mattn; the file format is the
// same for both drivers, so both read the very same file).
func fixture(b *testing.B) string {
	fixtureOnce.Do(func() {
		path := filepath.Join(tmpDir, "fixture.db")
		start := time.Now()
		db, err := sql.Open("sqlite3", drivers[0].dsn(path))
		if err != nil {
			fixtureErr = err
			return
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		createSchema(b, db, fixturePeople)
		rng := rand.New(rand.NewPCG(3, 4))
		inTx(b, db, insertOutcome, fixtureRows, func(stmt *sql.Stmt, i int) error {
			r := genOutcome(rng, i, fixturePeople)
			_, err := stmt.Exec(r.caseRef, r.defendant, r.unit, r.court, r.outcome, r.date)
			return err
		})
		if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			fixtureErr = err
			return
		}
		fixturePath = path
		fmt.Printf("# fixture: %d outcomes, %d defendants built in %v\n", fixtureRows, fixturePeople, time.Since(start).Round(time.Millisecond))
		for _, d := range drivers {
			db, err := sql.Open(d.sqlDrv, d.dsn(path))
			if err != nil {
				fixtureErr = err
				return
			}
			var version string
			db.QueryRow(`SELECT sqlite_version()`).Scan(&version)
			db.Close()
			fmt.Printf("# %s (%s): SQLite %s\n", d.name, d.sqlDrv, version)
		}
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixturePath
}

// BenchmarkInsert measures (a): 200,000 outcome rows through one prepared
// statement per transaction of 10,000, into a fresh database file. One op
// is the whole 200,000 rows.
func BenchmarkInsert(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	rows := make([]outcomeRow, insertRows)
	for i := range rows {
		rows[i] = genOutcome(rng, i, insertPeople)
	}
	for _, d := range drivers {
		b.Run(d.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				path := filepath.Join(tmpDir, fmt.Sprintf("insert-%s-%d.db", d.name, i))
				db := open(b, d, path)
				db.SetMaxOpenConns(1)
				createSchema(b, db, insertPeople)
				b.StartTimer()
				inTx(b, db, insertOutcome, insertRows, func(stmt *sql.Stmt, i int) error {
					r := &rows[i]
					_, err := stmt.Exec(r.caseRef, r.defendant, r.unit, r.court, r.outcome, r.date)
					return err
				})
				b.StopTimer()
				db.Close()
				os.Remove(path)
				os.Remove(path + "-wal")
				os.Remove(path + "-shm")
				b.StartTimer()
			}
			b.ReportMetric(float64(insertRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkAggregate measures (b): a GROUP BY unit, outcome, month over all
// 1,000,000 rows, reading every group. One op is the whole query. "planned"
// is the plan SQLite chooses; "tablescan" forbids the index.
func BenchmarkAggregate(b *testing.B) {
	path := fixture(b)
	wantGroups := len(units) * len(outcomes) * months
	for _, form := range []struct{ name, query string }{{"planned", aggregateQuery}, {"tablescan", aggregateScan}} {
		for _, d := range drivers {
			b.Run(d.name+"/"+form.name, func(b *testing.B) {
				db := open(b, d, path)
				defer db.Close()
				for i := 0; i < b.N; i++ {
					rows, err := db.Query(form.query)
					if err != nil {
						b.Fatal(err)
					}
					groups, total := 0, 0
					for rows.Next() {
						var unit, outcome, month string
						var n int
						if err := rows.Scan(&unit, &outcome, &month, &n); err != nil {
							b.Fatal(err)
						}
						groups++
						total += n
					}
					if err := rows.Err(); err != nil {
						b.Fatal(err)
					}
					rows.Close()
					if groups != wantGroups || total != fixtureRows {
						b.Fatalf("%d groups of %d rows, want %d of %d", groups, total, wantGroups, fixtureRows)
					}
				}
				b.ReportMetric(float64(fixtureRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// BenchmarkPointLookup measures (c): one row by primary key. "query" passes
// the SQL text each time, as internal/store does (with mattn's statement
// cache off, as the plain "mattn" driver here has it); "prepared" reuses a
// prepared statement; "parallel" is "query" from GOMAXPROCS goroutines.
func BenchmarkPointLookup(b *testing.B) {
	path := fixture(b)
	lookup := func(db *sql.DB, rng *rand.Rand) error {
		var r outcomeRow
		id := 1 + rng.Int64N(fixtureRows)
		return db.QueryRowContext(context.Background(), pointQuery, id).Scan(&r.caseRef, &r.defendant, &r.unit, &r.court, &r.outcome, &r.date)
	}
	for _, d := range append(drivers, stmtCache) {
		b.Run(d.name+"/query", func(b *testing.B) {
			db := open(b, d, path)
			defer db.Close()
			rng := rand.New(rand.NewPCG(7, 8))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := lookup(db, rng); err != nil {
					b.Fatal(err)
				}
			}
		})
		if d.name == stmtCache.name {
			continue
		}
		b.Run(d.name+"/prepared", func(b *testing.B) {
			db := open(b, d, path)
			defer db.Close()
			stmt, err := db.Prepare(pointQuery)
			if err != nil {
				b.Fatal(err)
			}
			defer stmt.Close()
			rng := rand.New(rand.NewPCG(7, 8))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var r outcomeRow
				if err := stmt.QueryRow(1+rng.Int64N(fixtureRows)).Scan(&r.caseRef, &r.defendant, &r.unit, &r.court, &r.outcome, &r.date); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(d.name+"/parallel", func(b *testing.B) {
			db := open(b, d, path)
			defer db.Close()
			var seed sync.Mutex
			next := uint64(9)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				seed.Lock()
				next++
				rng := rand.New(rand.NewPCG(next, 10))
				seed.Unlock()
				for pb.Next() {
					if err := lookup(db, rng); err != nil {
						b.Error(err) // not Fatal: this is not the benchmark's goroutine
						return
					}
				}
			})
		})
	}
}

// BenchmarkKeysetPage measures (d): the next page of 50 defendants by name
// after a cursor (name, id), walking the whole 100,000-row index and
// starting again at the end. "or" is the WHERE form internal/store used for
// its pages until commit b4eaa8a; "rowvalue" is the same page as
// (name, id) > (?, ?), the form it uses now.
func BenchmarkKeysetPage(b *testing.B) {
	path := fixture(b)
	for _, form := range []struct{ name, query string }{{"or", keysetQuery}, {"rowvalue", keysetRowValue}} {
		for _, d := range append(drivers, stmtCache) {
			b.Run(d.name+"/"+form.name, func(b *testing.B) {
				db := open(b, d, path)
				defer db.Close()
				afterName, afterID := "", int64(0)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					args := []any{afterName, afterName, afterID}
					if form.name == "rowvalue" {
						args = []any{afterName, afterID}
					}
					rows, err := db.Query(form.query, args...)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						var born string
						if err := rows.Scan(&afterID, &afterName, &born); err != nil {
							b.Fatal(err)
						}
						n++
					}
					if err := rows.Err(); err != nil {
						b.Fatal(err)
					}
					rows.Close()
					if n < pageSize {
						afterName, afterID = "", 0 // the end: start again
					}
				}
			})
		}
	}
}

// TestKeysetWalk checks the two keyset forms page through every defendant
// exactly once, in order, with both drivers, on a small database.
func TestKeysetWalk(t *testing.T) {
	for _, d := range drivers {
		t.Run(d.name, func(t *testing.T) {
			db := open(t, d, filepath.Join(t.TempDir(), "walk.db"))
			defer db.Close()
			createSchema(t, db, 1234)
			for _, q := range []string{keysetQuery, keysetRowValue} {
				afterName, afterID, seen := "", int64(0), 0
				for {
					args := []any{afterName, afterName, afterID}
					if q == keysetRowValue {
						args = []any{afterName, afterID}
					}
					rows, err := db.Query(q, args...)
					if err != nil {
						t.Fatal(err)
					}
					n := 0
					for rows.Next() {
						var born, name string
						var id int64
						if err := rows.Scan(&id, &name, &born); err != nil {
							t.Fatal(err)
						}
						if name < afterName || (name == afterName && id <= afterID) {
							t.Fatalf("out of order: (%q, %d) after (%q, %d)", name, id, afterName, afterID)
						}
						afterName, afterID = name, id
						n++
					}
					rows.Close()
					seen += n
					if n < pageSize {
						break
					}
				}
				if seen != 1234 {
					t.Fatalf("walked %d defendants, want 1234", seen)
				}
			}
		})
	}
}
