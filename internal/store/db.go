// Package store keeps caseboard's records in SQLite or PostgreSQL.
//
// It is the only package that speaks SQL. Exported methods own their
// transaction; private find/insert helpers take the *Tx and do the work.
// Differences between the two dialects are confined to dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// DB is an open caseboard database.
type DB struct {
	dialect Dialect
	// write is the pool used for transactions that write; on SQLite it holds
	// one connection, because SQLite admits one writer at a time and letting
	// several connections queue on its lock wastes time in busy waits.
	write *sql.DB
	// read serves queries outside write transactions; on PostgreSQL it is the
	// same pool as write.
	read *sql.DB
	// Now returns the current time; tests replace it for stable timestamps.
	Now func() time.Time
	// Clearances is the least clearance for each sensitivity, from the
	// configuration; lists and record reads apply it.
	Clearances access.Clearances
	// Calendar is the bank-holiday calendar deadlines are computed with.
	Calendar *deadline.Calendar
	// statements caches prepared statements of the queries every request
	// runs: preparing the principal query costs SQLite several times what
	// running it does.
	statements sync.Map // query -> *sql.Stmt
	principals principalCache
	// heads keeps the best matches of recent searches' rankings.
	heads searchHeads
	dsn   string
}

// SetPrincipalTTL sets how long an API token's principal is reused before
// it is read again; zero reads it on every request.
func (db *DB) SetPrincipalTTL(ttl time.Duration) { db.principals.ttl = ttl }

// Open opens the database named by dsn: a postgres:// (or postgresql://) URL
// means PostgreSQL, anything else is the path of a SQLite file, created with
// its directory if missing. Open does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, fault.Errorf(fault.Invalid, "no database given: set --db or CASEBOARD_DB to a file path or a postgres:// URL")
	}
	var db *DB
	var err error
	if isPostgresURL(dsn) {
		db, err = openPostgres(dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	db.Now = func() time.Time { return time.Now().UTC() }
	db.Clearances = access.DefaultClearances
	db.Calendar = deadline.DefaultCalendar()
	db.dsn = dsn
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openSQLite(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fault.Errorf(fault.Unavailable, "cannot create the data directory %s: %v (choose another --db path or fix its permissions)", dir, err)
		}
	}
	// The options set WAL (readers never block the writer), foreign keys
	// (off by default in SQLite), a busy timeout (wait for the lock rather
	// than fail), IMMEDIATE transactions on the write pool (take the write
	// lock at BEGIN, so two writers cannot deadlock upgrading locks), and a
	// cache of prepared statements per connection (measured 12-22% off the
	// store's and API's hot paths: docs/benchmarks.md).
	base := "file:" + path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_cache_size=-20000&_stmt_cache_size=64"
	write, err := sql.Open(sqliteDriver, base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open(sqliteDriver, base+"&mode=rw")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db := &DB{dialect: SQLite, write: write, read: read, principals: principalCache{ttl: DefaultPrincipalTTL}}
	// The read pool opens the file read-write but never writes; creating the
	// file first through the write pool makes a missing file an error of
	// the write pool, which has the clearer message.
	if err := write.Ping(); err != nil {
		db.Close()
		return nil, fault.Errorf(fault.Unavailable, "cannot open the SQLite database %s: %v (check the path and its permissions)", path, err)
	}
	return db, nil
}

func openPostgres(url string) (*DB, error) {
	pool, err := sql.Open(postgresDriver, url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: Postgres, write: pool, read: pool, principals: principalCache{ttl: DefaultPrincipalTTL}}, nil
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.read.PingContext(ctx); err != nil {
		return &fault.Error{Code: fault.Unavailable, Message: fmt.Sprintf("the %s database does not answer: %v", db.dialect, err), Err: err}
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.statements.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Pools returns the connection pools by name, for metrics of their use.
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"db": db.write}
	}
	return map[string]*sql.DB{"db_write": db.write, "db_read": db.read}
}

// Tx is a write transaction with the dialect's placeholders applied.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	now     time.Time
	head    auditHead
	// audited is called after a commit that wrote to the audit trail.
	audited func()
	// risks are the risks the transaction changes, whose parts of the
	// kept trends move when it commits.
	risks *riskChanges
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.dialect.rebind(query), args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.dialect.rebind(query), args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.dialect.rebind(query), args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// inTx runs fn in a write transaction, committing if it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.beginTx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.tx.Rollback()
		return err
	}
	return tx.commit(ctx)
}

func (db *DB) beginTx(ctx context.Context) (*Tx, error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.unavailable("begin transaction", err)
	}
	return &Tx{tx: sqlTx, dialect: db.dialect, now: db.Now(), audited: db.principals.invalidate}, nil
}

// commit keeps the risk trends in step with the risks the transaction
// changed, stores the audit chain's new head, if the transaction moved it,
// and commits.
func (tx *Tx) commit(ctx context.Context) error {
	if err := tx.keepRiskChanges(ctx); err != nil {
		tx.tx.Rollback()
		return err
	}
	if err := tx.writeAuditHead(ctx); err != nil {
		tx.tx.Rollback()
		return err
	}
	if err := tx.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", tx.dialect.translate(err))
	}
	if tx.head.moved && tx.audited != nil {
		tx.audited()
	}
	return nil
}

// query runs a read outside any transaction.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.dialect.rebind(query), args...)
	if err != nil {
		return nil, db.unavailable("query", err)
	}
	return rows, nil
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.dialect.rebind(query), args...)
}

// queryRowPrepared is queryRow through a statement prepared once and kept,
// for the queries on every request's path.
func (db *DB) queryRowPrepared(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, ok := db.statements.Load(query)
	if !ok {
		prepared, err := db.read.PrepareContext(ctx, db.dialect.rebind(query))
		if err != nil {
			return nil, db.unavailable("prepare", err)
		}
		if st, ok = db.statements.LoadOrStore(query, prepared); ok {
			prepared.Close() // another request prepared it first
		}
	}
	return st.(*sql.Stmt).QueryRowContext(ctx, args...), nil
}

func (db *DB) unavailable(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &fault.Error{Code: fault.Unavailable, Message: "the database is not available", Err: fmt.Errorf("%s: %w", what, err)}
}

// RefreshStatistics has the database re-read its tables' statistics,
// which its query planner chooses indexes by. After a bulk load they
// describe empty tables until the database's own upkeep catches up, and
// PostgreSQL then plans the caseload as nested scans: a hundred times
// slower than with them.
func (db *DB) RefreshStatistics(ctx context.Context) error {
	if db.dialect != Postgres {
		if _, err := db.write.ExecContext(ctx, "ANALYZE"); err != nil {
			return fmt.Errorf("refresh statistics: %w", err)
		}
		return nil
	}
	// A bare ANALYZE on PostgreSQL reads every schema of the database, other
	// services' and other test runs' included: caseboard's own schema is
	// the one on its search path.
	rows, err := db.write.QueryContext(ctx, `SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return fmt.Errorf("refresh statistics: list tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("refresh statistics: list tables: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("refresh statistics: list tables: %w", err)
	}
	return db.refreshTableStatistics(ctx, tables...)
}

// refreshTableStatistics is RefreshStatistics for the named tables only,
// for a bulk load that wrote nothing else: on PostgreSQL a bare ANALYZE
// reads every table of every schema in the database, whoever's they are.
func (db *DB) refreshTableStatistics(ctx context.Context, tables ...string) error {
	for _, t := range tables {
		if _, err := db.write.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("refresh statistics of %s: %w", t, err)
		}
	}
	return nil
}
