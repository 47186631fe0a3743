// Package storetest opens real, fresh caseboard databases for tests: a
// SQLite file in the test's temporary directory, and a PostgreSQL schema of
// its own on the server named by CASEBOARD_TEST_POSTGRES, dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"caseboard/internal/access"
	"caseboard/internal/store"
)

// PostgresEnv names the PostgreSQL server tests use, as a postgres:// URL.
const PostgresEnv = "CASEBOARD_TEST_POSTGRES"

// RequirePostgresEnv, when set, makes a missing PostgreSQL a failure rather
// than a skip; make test sets it so the PostgreSQL runs cannot vanish.
const RequirePostgresEnv = "CASEBOARD_REQUIRE_POSTGRES"

// Dialects lists the databases every store test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn as a subtest once per dialect, on a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh, migrated database of the dialect, closed when the
// test ends.
func Open(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	dsn := DSN(tb, d)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// DSN returns the connection string of a fresh, empty database of the
// dialect, without opening it.
func DSN(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	if d == store.SQLite {
		return filepath.Join(tb.TempDir(), "caseboard.db")
	}
	return freshSchema(tb)
}

// freshSchema creates a schema of the test's own on the PostgreSQL server
// and returns a URL whose connections use it.
func freshSchema(tb testing.TB) string {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv(RequirePostgresEnv) != "" {
			tb.Fatalf("%s is not set but %s is: PostgreSQL tests must run", PostgresEnv, RequirePostgresEnv)
		}
		tb.Skipf("PostgreSQL tests skipped: set %s to a postgres:// URL (make test does)", PostgresEnv)
	}
	var raw [6]byte
	rand.Read(raw[:])
	schema := "test_" + hex.EncodeToString(raw[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("postgres at %s: create schema: %v", base, err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Principal is the principal of the account with the email, as a request
// signed in as it would act.
func Principal(tb testing.TB, db *store.DB, email string) *access.Principal {
	tb.Helper()
	ctx := context.Background()
	a, err := db.AccountByEmail(ctx, email)
	if err != nil {
		tb.Fatalf("account %s: %v", email, err)
	}
	p, err := db.Principal(ctx, a.PersonID)
	if err != nil {
		tb.Fatalf("principal of %s: %v", email, err)
	}
	return p
}
