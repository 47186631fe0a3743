package store

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"caseboard/internal/fault"
	"caseboard/migrations"
)

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	return readMigrations(migrations.FS)
}

func readMigrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var list []Migration
	seen := map[int]string{}
	for _, name := range names {
		number, rest, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", other, name, version)
		}
		seen[version] = name
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		list = append(list, Migration{Version: version, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	for i, m := range list {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration versions must run 1, 2, 3... without gaps; found %d where %d was expected", m.Version, i+1)
		}
	}
	return list, nil
}

// migrationLockKey is the PostgreSQL advisory lock that lets only one
// instance migrate at a time ("cbmigr" in ASCII).
const migrationLockKey = 0x63626d69677200

// Migrate brings the schema up to the newest embedded version and returns
// the versions it applied. It refuses a database whose schema is newer than
// this binary knows, and applies each migration in its own transaction, so
// a failure leaves the schema at the last good version.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	list, err := Migrations()
	if err != nil {
		return nil, err
	}
	return db.migrate(ctx, list)
}

func (db *DB) migrate(ctx context.Context, list []Migration) ([]int, error) {
	if err := db.createMigrationTable(ctx); err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range list {
		done, err := db.applyMigration(ctx, m, len(list))
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

func (db *DB) createMigrationTable(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, db.dialect.expandSchema(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at {{timestamp}} NOT NULL
	)`))
	if err != nil {
		return db.unavailable("create schema_migrations", err)
	}
	return nil
}

// applyMigration applies m unless it already has been, reporting whether it
// did. The version is checked again inside the transaction, under the
// migration lock, so two instances starting together apply it once.
func (db *DB) applyMigration(ctx context.Context, m Migration, known int) (bool, error) {
	applied := false
	err := db.inTx(ctx, func(tx *Tx) error {
		if lock := tx.dialect.advisoryLockSQL(); lock != "" {
			if _, err := tx.exec(ctx, lock, migrationLockKey); err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
		}
		current, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if current > known {
			return fault.Errorf(fault.Conflict, "the database schema is at version %d, newer than this caseboard knows (%d): run a newer caseboard", current, known)
		}
		if current >= m.Version {
			return nil
		}
		if _, err := tx.exec(ctx, tx.dialect.expandSchema(m.SQL)); err != nil {
			return fmt.Errorf("migration %04d_%s failed, nothing of it was applied: %w", m.Version, m.Name, err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, tx.now); err != nil {
			return fmt.Errorf("record migration %d: %w", m.Version, err)
		}
		applied = true
		return nil
	})
	return applied, err
}

func schemaVersion(ctx context.Context, tx *Tx) (int, error) {
	var v int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// SchemaVersion returns the version the database's schema is at, and the
// newest version this binary knows.
func (db *DB) SchemaVersion(ctx context.Context) (current, known int, err error) {
	list, err := Migrations()
	if err != nil {
		return 0, 0, err
	}
	if err := db.createMigrationTable(ctx); err != nil {
		return 0, 0, err
	}
	err = db.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current)
	return current, len(list), err
}
