package store

import (
	"context"
	"errors"
	"fmt"
	"os"

	"caseboard/internal/fault"
)

// ErrUsePgDump is returned by Backup on PostgreSQL, whose own tools take
// consistent backups better than caseboard could.
var ErrUsePgDump = &fault.Error{Code: fault.Invalid,
	Message: "caseboard backup copies SQLite databases; for PostgreSQL use pg_dump (for example: pg_dump --format=custom --file=caseboard.dump \"$CASEBOARD_DB\")"}

// Backup writes a consistent copy of a live SQLite database to path with
// VACUUM INTO, which reads one snapshot while writers carry on. Restoring is
// copying the file back into place while caseboard is stopped.
// Errors: Conflict (path exists), Invalid (PostgreSQL).
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrUsePgDump
	}
	if _, err := os.Stat(path); err == nil {
		return fault.Errorf(fault.Conflict, "%s already exists: choose a new file name, caseboard does not overwrite backups", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
