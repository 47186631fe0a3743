// Package sqlitedrivers compares the two SQLite drivers caseboard could use,
// github.com/mattn/go-sqlite3 (cgo, the one caseboard uses) and
// modernc.org/sqlite (pure Go), on the same schema, pragmas and data.
//
// It is a module of its own so that modernc.org/sqlite never enters
// caseboard's go.mod. Everything is in drivers_test.go; run it with
//
//	cd bench/sqlite-drivers && go test -run='^$' -bench=. -benchmem
//
// or through scripts/bench.sh. See docs/benchmarks.md for results.
package sqlitedrivers
