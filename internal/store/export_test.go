package store

import (
	"context"
	"io/fs"
)

// Hooks that let the external tests reach unexported behaviour.

func MigrateWith(ctx context.Context, db *DB, list []Migration) ([]int, error) {
	return db.migrate(ctx, list)
}

func ReadMigrations(fsys fs.FS) ([]Migration, error) { return readMigrations(fsys) }

func ExecForTest(ctx context.Context, db *DB, sql string) error {
	_, err := db.write.ExecContext(ctx, sql)
	return err
}

func TableExists(ctx context.Context, db *DB, name string) bool {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if db.dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	db.queryRow(ctx, q, name).Scan(&n)
	return n > 0
}
