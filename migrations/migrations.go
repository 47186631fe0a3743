// Package migrations embeds caseboard's schema changes.
//
// Each file is NNNN_name.sql, applied in order, once, in its own transaction.
// Files are written once for both dialects; the few words that differ are
// written as {{macros}} (see internal/store/dialect.go). A released file is
// never edited: change the schema with a new file.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
