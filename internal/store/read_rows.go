package store

import (
	"context"

	"github.com/jackc/pgx/v5/stdlib"
)

// scanner is a row being read.
type scanner interface{ Scan(...any) error }

// eachRow runs a read outside any transaction and hands each row to fn.
// On PostgreSQL it reads the rows through pgx's own interface instead of
// database/sql's: pgx decodes each column straight into its destination,
// where database/sql first boxes every value of every row into an
// interface and then copies it out, which on a list of fifty cases was a
// third of the request's CPU. The destinations must be types both accept
// (strings, integers, times, booleans, pointers to them, sql.Null*).
func (db *DB) eachRow(ctx context.Context, query string, args []any, fn func(scanner) error) error {
	query = db.dialect.rebind(query)
	if db.dialect != Postgres {
		rows, err := db.read.QueryContext(ctx, query, args...)
		if err != nil {
			return db.unavailable("query", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return db.unavailable("connect", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		rows, err := driverConn.(*stdlib.Conn).Conn().Query(ctx, query, args...)
		if err != nil {
			return db.unavailable("query", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}
