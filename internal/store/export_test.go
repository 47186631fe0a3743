package store

import (
	"caseboard/internal/access"
	"context"
	"io/fs"
	"time"
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

// VisibleTo exposes the visibility condition to the external tests.
func VisibleTo(f access.Filter, recordType, alias string) (string, []any) {
	return visibleTo(f, recordType, alias)
}

// ExecArgs runs a statement written with ? placeholders.
func ExecArgs(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.dialect.rebind(q), args...)
	return err
}

// QueryIDs runs a query returning one integer column.
func QueryIDs(ctx context.Context, db *DB, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// AppendViews appends n audit entries in one transaction, to build a long
// chain quickly for benchmarks.
func AppendViews(ctx context.Context, db *DB, n int) error {
	return db.inTx(ctx, func(tx *Tx) error {
		for i := 0; i < n; i++ {
			if err := tx.record(ctx, "view", "case", int64(i), "{}"); err != nil {
				return err
			}
		}
		return nil
	})
}

// DateOnly is dateOnly, for tests comparing stored dates.
func DateOnly(t time.Time) time.Time { return dateOnly(t) }
