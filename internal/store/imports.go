package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
)

// Import is a bulk load in progress: one transaction, one audit entry, and
// every row it writes carries its id. Rows are checked against the
// database as they arrive; the caller commits only if every row was good
// (or it chose to skip the bad ones), so an import is all or nothing.
// New cases and defendants are written in batches of many rows a
// statement (COPY on PostgreSQL), and what they add to the outcome
// rollups is kept and written before the commit, in the same transaction.
type Import struct {
	db      *DB
	conn    *sql.Conn // the transaction's own connection, given back at the end
	tx      *Tx
	id      int64
	p       *access.Principal
	meta    ImportMeta
	started time.Time

	units, locations map[string]int64
	people           map[string]int64 // by lower-case email, as rows name them
	lastCase         importedCase
	seen             map[uint64]int // defendant key -> file row that had it
	stmts            importStatements

	caseIDs     caseIDs
	knownCases  map[uint64]struct{}     // PostgreSQL: a hash of every reference in the register, or nil
	newCases    map[string]importedCase // by reference, until written
	caseRows    []any                   // new cases' values, batchRows at a time
	defendants  []any                   // new defendants' values
	rollup      rollupDelta
	batchCases  *sql.Stmt // a full batch of new cases
	batchDefend *sql.Stmt // a full batch of new defendants
	// withoutRollups leaves the rollups behind, for the benchmark that
	// measures what keeping them costs; nothing else sets it.
	withoutRollups bool

	Added, Changed, Unchanged int
}

// ImportMeta describes the file being imported.
type ImportMeta struct {
	Kind     string // "outcomes", "cases", ...
	FileName string
	SHA256   string
}

// ImportSummary is what an import did.
type ImportSummary struct {
	ID                                        int64
	Read, Added, Changed, Unchanged, Rejected int
}

type importedCase struct {
	ref         string
	id          int64
	kind        casework.Kind
	unitID      int64
	locationID  int64
	sensitivity string
	opened      time.Time
	isNew       bool // created by this import: it has no defendants but the file's
}

type importStatements struct {
	findCase, findDefendant, changeDefendant *sql.Stmt
}

// batchRows is how many new cases or defendants go in one INSERT: large
// enough that the statement's own cost is spread thin, small enough to stay
// under both databases' limits on placeholders.
const batchRows = 500

const (
	newCaseColumns      = `INSERT INTO cases (id, reference, kind, unit_id, location_id, status, sensitivity, opened_on, import_id, created_at, updated_at, next_deadline) VALUES `
	newCaseRow          = `(?, ?, ?, ?, ?, 'finalised', 'official', ?, ?, ?, ?, ?)`
	newCaseWidth        = 10
	newDefendantColumns = `INSERT INTO defendants (case_id, ref, principal_offence, court, country, outcome, finalised_on, import_id) VALUES `
	newDefendantWidth   = 8
)

// The columns COPY loads new cases and defendants into on PostgreSQL, in
// the order of the INSERTs' rows.
var (
	newCaseCopyColumns = []string{"id", "reference", "kind", "unit_id", "location_id", "status", "sensitivity", "opened_on", "import_id",
		"created_at", "updated_at", "next_deadline"}
	newDefendantCopyColumns = []string{"case_id", "ref", "principal_offence", "court", "country", "outcome", "finalised_on", "import_id"}
)

// BeginImport starts an import for the principal, who must be allowed to
// write casework.
func (db *DB) BeginImport(ctx context.Context, p *access.Principal, meta ImportMeta) (*Import, error) {
	if !access.Allows(p, access.WriteCases) {
		return nil, fault.Errorf(fault.Forbidden, "Your roles do not include importing casework")
	}
	conn, tx, err := db.beginImportTx(ctx)
	if err != nil {
		return nil, err
	}
	im := &Import{db: db, conn: conn, tx: tx, p: p, meta: meta, started: tx.now, seen: map[uint64]int{},
		newCases: map[string]importedCase{}, rollup: rollupDelta{}}
	if err := im.prepare(ctx); err != nil {
		im.Rollback()
		return nil, err
	}
	return im, nil
}

// beginImportTx begins an import's transaction on a connection of its own.
// On SQLite that connection keeps its temporary files in memory for the
// import: each batch INSERT keeps a statement journal of the pages it
// changes, so that it can be undone alone, and on file those journals wrote
// 7.4 GB for a 1.2-million-row import whose database is 0.5 GB
// (docs/benchmarks.md, section 4c). A journal holds one batch's pages, a
// few megabytes. On PostgreSQL the connection is the one COPY runs on.
func (db *DB) beginImportTx(ctx context.Context) (*sql.Conn, *Tx, error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, nil, db.unavailable("connect", err)
	}
	if db.dialect == SQLite {
		if _, err := conn.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("keep the import's journals in memory: %w", err)
		}
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		db.releaseImportConn(conn)
		return nil, nil, db.unavailable("begin transaction", err)
	}
	return conn, &Tx{tx: sqlTx, dialect: db.dialect, now: db.Now(), audited: db.principals.invalidate}, nil
}

// releaseImportConn puts the import's connection back in the pool as the
// other writers expect it.
func (db *DB) releaseImportConn(conn *sql.Conn) {
	if db.dialect == SQLite {
		// A failure leaves the journals in memory: harmless, so not reported.
		conn.ExecContext(context.Background(), "PRAGMA temp_store = DEFAULT")
	}
	conn.Close()
}

func (im *Import) prepare(ctx context.Context) error {
	actor := audit.ActorFrom(ctx)
	id, err := im.tx.insert(ctx, `INSERT INTO imports (kind, file_name, sha256, rows_read, rows_added, rows_changed, rows_rejected,
		actor_id, actor, started_at, finished_at) VALUES (?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?)`,
		im.meta.Kind, im.meta.FileName, im.meta.SHA256, actor.PersonID, actor.Label, im.started, im.started)
	if err != nil {
		return fmt.Errorf("record import: %w", err)
	}
	im.id = id
	if im.units, err = codeMap(ctx, im.tx, "units"); err != nil {
		return err
	}
	if im.locations, err = codeMap(ctx, im.tx, "locations"); err != nil {
		return err
	}
	im.caseIDs = caseIDs{tx: im.tx}
	if im.tx.dialect == Postgres {
		if im.knownCases, err = referenceHashes(ctx, im.tx); err != nil {
			return err
		}
	}
	return im.prepareStatements(ctx)
}

func (im *Import) prepareStatements(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = im.tx.tx.PrepareContext(ctx, im.tx.dialect.rebind(q))
		return st
	}
	im.stmts = importStatements{
		findCase:        prep(`SELECT id, kind, unit_id, location_id, sensitivity, opened_on FROM cases WHERE reference = ?`),
		findDefendant:   prep(`SELECT id, principal_offence, court, country, outcome, finalised_on FROM defendants WHERE case_id = ? AND ref = ?`),
		changeDefendant: prep(`UPDATE defendants SET principal_offence = ?, court = ?, country = ?, outcome = ?, finalised_on = ?, import_id = ? WHERE id = ?`),
	}
	if im.tx.dialect == SQLite { // PostgreSQL loads new rows with COPY
		im.batchCases = prep(newCaseColumns + valueRowsOf(newCaseRow, batchRows))
		im.batchDefend = prep(newDefendantColumns + valueRows(batchRows, newDefendantWidth))
	}
	return err
}

// valueRowsOf is n copies of one row of a VALUES list.
func valueRowsOf(row string, n int) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// caseIDs hands out ids for new cases, so their defendants can name them
// before the cases are written. SQLite's import holds the only write
// transaction, so the ids after the largest are free; PostgreSQL's are
// taken from the table's own sequence, a batch at a time.
type caseIDs struct {
	tx       *Tx
	next     int64   // SQLite: the next free id, once read
	reserved []int64 // PostgreSQL: ids taken from the sequence, not yet used
}

func (c *caseIDs) take(ctx context.Context) (int64, error) {
	if c.tx.dialect != Postgres {
		if c.next == 0 {
			if err := c.tx.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM cases`).Scan(&c.next); err != nil {
				return 0, fmt.Errorf("find the next case id: %w", err)
			}
		}
		c.next++
		return c.next - 1, nil
	}
	if len(c.reserved) == 0 {
		rows, err := c.tx.query(ctx, `SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, ?)`, batchRows)
		if err != nil {
			return 0, fmt.Errorf("reserve case ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			c.reserved = append(c.reserved, id)
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	id := c.reserved[0]
	c.reserved = c.reserved[1:]
	return id, nil
}

// referenceHashes is a 64-bit hash of every case reference, read once, so
// that on PostgreSQL, where each look-up is a round trip to the server, a
// row of a case not yet in the register (most rows of a large import)
// needs none: a reference whose hash is absent is surely new, and one whose
// hash is present is looked up. It costs about 30 bytes a case, so a
// register of more than maxKnownCases cases is looked up row by row
// instead (nil), and SQLite, whose look-ups cost microseconds, never reads
// it: memory stays flat there whatever the size of the register.
func referenceHashes(ctx context.Context, tx *Tx) (map[uint64]struct{}, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
		return nil, fmt.Errorf("count cases: %w", err)
	}
	if n > maxKnownCases {
		return nil, nil
	}
	rows, err := tx.query(ctx, `SELECT reference FROM cases`)
	if err != nil {
		return nil, fmt.Errorf("read case references: %w", err)
	}
	defer rows.Close()
	out := make(map[uint64]struct{}, n)
	var ref []byte
	for rows.Next() {
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out[referenceHash(ref)] = struct{}{}
	}
	return out, rows.Err()
}

const maxKnownCases = 2_000_000

func referenceHash(ref []byte) uint64 {
	h := fnv.New64a()
	h.Write(ref)
	return h.Sum64()
}

func codeMap(ctx context.Context, tx *Tx, table string) (map[string]int64, error) {
	rows, err := tx.query(ctx, `SELECT code, id FROM `+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		m[code] = id
	}
	return m, rows.Err()
}

// Outcome writes one finalised defendant from the file's row number row,
// creating the case if it is new. A row that disagrees with what is stored
// (a case of another unit, a finalisation before the case opened, a
// defendant twice in the file) is refused with a field-level *fault.Error
// and nothing of it is written.
func (im *Import) Outcome(ctx context.Context, row int, r casework.OutcomeRow) error {
	if err := r.Validate(); err != nil {
		return err
	}
	kind, _ := casework.KindOfUnit(r.Unit)
	unitID, locationID := im.units[r.Unit], im.locations[r.Location]
	if unitID == 0 {
		return fieldError("unit", "There is no unit "+r.Unit)
	}
	if locationID == 0 {
		return fieldError("location", "There is no location "+r.Location)
	}
	if first, dup := im.firstSeen(r.CaseURN, r.DefendantRef, row); dup {
		return fieldError("defendant_id", fmt.Sprintf("Defendant %s of case %s is already in the file at row %d", r.DefendantRef, r.CaseURN, first))
	}
	c, err := im.caseFor(ctx, r, kind, unitID, locationID)
	if err != nil {
		return err
	}
	if err := im.checkCase(c, r, kind, unitID); err != nil {
		return err
	}
	if r.FinalisedOn.Before(c.opened) {
		return fieldError("finalised_on", "Case "+r.CaseURN+" was opened on "+c.opened.Format("2006-01-02")+", after this finalisation date")
	}
	if c.isNew && c.id == 0 {
		if c, err = im.newCase(ctx, c, r); err != nil {
			return err
		}
	}
	return im.writeDefendant(ctx, c, r)
}

func fieldError(field, msg string) error {
	return &fault.Error{Code: fault.Invalid, Message: msg, Fields: []fault.FieldError{{Field: field, Message: msg}}}
}

// firstSeen remembers each defendant of the file by a 64-bit hash of its
// case and id, which keeps memory to a few tens of megabytes for a million
// rows; a collision, about one chance in ten million at that size, would
// report a false duplicate, never miss a real one.
func (im *Import) firstSeen(urn, ref string, row int) (int, bool) {
	h := fnv.New64a()
	h.Write([]byte(urn))
	h.Write([]byte{0})
	h.Write([]byte(ref))
	key := h.Sum64()
	if first, ok := im.seen[key]; ok {
		return first, true
	}
	im.seen[key] = row
	return 0, false
}

// caseFor finds the row's case: the last one (rows of one case usually
// come together), one this import is about to create, or one in the
// database. A case in none of them is new: it is given an id, and written
// with the next batch once its first row has been found good.
func (im *Import) caseFor(ctx context.Context, r casework.OutcomeRow, kind casework.Kind, unitID, locationID int64) (importedCase, error) {
	if im.lastCase.ref == r.CaseURN && im.lastCase.id != 0 {
		return im.lastCase, nil
	}
	if c, ok := im.newCases[r.CaseURN]; ok {
		im.lastCase = c
		return c, nil
	}
	c := importedCase{ref: r.CaseURN}
	var kindText string
	err := sql.ErrNoRows
	if _, known := im.knownCases[referenceHash([]byte(r.CaseURN))]; known || im.knownCases == nil {
		err = im.stmts.findCase.QueryRowContext(ctx, r.CaseURN).Scan(&c.id, &kindText, &c.unitID, &c.locationID, &c.sensitivity, &c.opened)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Not given an id yet: a row refused now must leave no case behind.
		return importedCase{ref: r.CaseURN, kind: kind, unitID: unitID, locationID: locationID,
			sensitivity: string(access.Official), opened: dateOnly(r.FinalisedOn), isNew: true}, nil
	case err != nil:
		return c, err
	}
	c.kind, c.opened = casework.Kind(kindText), c.opened.UTC()
	im.lastCase = c
	return c, nil
}

// newCase queues a new case, opened on its first row's finalisation date,
// to be written with the next batch.
func (im *Import) newCase(ctx context.Context, c importedCase, r casework.OutcomeRow) (importedCase, error) {
	var err error
	if c.id, err = im.caseIDs.take(ctx); err != nil {
		return c, err
	}
	im.caseRows = append(im.caseRows, c.id, r.CaseURN, string(c.kind), c.unitID, c.locationID, c.opened, im.id, im.tx.now, im.tx.now, noDeadline)
	im.newCases[r.CaseURN] = c
	if im.knownCases != nil {
		im.knownCases[referenceHash([]byte(r.CaseURN))] = struct{}{}
	}
	im.lastCase = c
	return c, nil
}

func (im *Import) checkCase(c importedCase, r casework.OutcomeRow, kind casework.Kind, unitID int64) error {
	if c.kind != kind || c.unitID != unitID {
		return fieldError("unit", fmt.Sprintf("Case %s is a %s case of another unit", r.CaseURN, c.kind.Label()))
	}
	return nil
}

// writeDefendant queues a new defendant, or changes a stored one at once.
// A case this import created has no defendants but the file's, each of
// them once, so it needs no look-up.
func (im *Import) writeDefendant(ctx context.Context, c importedCase, r casework.OutcomeRow) error {
	day := dateOnly(r.FinalisedOn)
	values := []any{string(r.PrincipalOffence), string(r.Court), r.Country, string(r.Outcome), day, im.id}
	if c.isNew {
		return im.addDefendant(ctx, c, r, values)
	}
	var id int64
	var offence, court, country, outcome string
	var finalised sql.NullTime
	err := im.stmts.findDefendant.QueryRowContext(ctx, c.id, r.DefendantRef).Scan(&id, &offence, &court, &country, &outcome, &finalised)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return im.addDefendant(ctx, c, r, values)
	case err != nil:
		return err
	case offence == string(r.PrincipalOffence) && court == string(r.Court) && country == r.Country &&
		outcome == string(r.Outcome) && finalised.Valid && finalised.Time.UTC().Equal(day):
		im.Unchanged++
	default:
		if _, err := im.stmts.changeDefendant.ExecContext(ctx, append(values, id)...); err != nil {
			return err
		}
		if outcome != "" {
			month := 0
			if finalised.Valid {
				month = monthOf(finalised.Time.UTC())
			}
			im.roll(rollupKey{month, c.unitID, c.locationID, court, outcome, c.sensitivity}, -1)
		}
		im.roll(rollupKey{monthOf(day), c.unitID, c.locationID, string(r.Court), string(r.Outcome), c.sensitivity}, 1)
		im.Changed++
	}
	return nil
}

func (im *Import) addDefendant(ctx context.Context, c importedCase, r casework.OutcomeRow, values []any) error {
	im.defendants = append(append(im.defendants, c.id, r.DefendantRef), values...)
	im.roll(rollupKey{monthOf(r.FinalisedOn), c.unitID, c.locationID, string(r.Court), string(r.Outcome), c.sensitivity}, 1)
	im.Added++
	return im.flush(ctx, false)
}

// roll counts a defendant into (1) or out of (-1) a rollup row.
func (im *Import) roll(k rollupKey, n int64) {
	if !im.withoutRollups {
		im.rollup[k] += n
	}
}

// flush writes the queued cases and defendants, cases first, as their
// defendants refer to them. Before the end (all false) it writes only full
// batches, with the statements prepared for them: cases when a batch is
// queued, defendants when a batch is queued and none of their cases is
// waiting (or so many are queued that the cases must go in a short batch).
func (im *Import) flush(ctx context.Context, all bool) error {
	caseBatch, defendantBatch := batchRows*newCaseWidth, batchRows*newDefendantWidth
	if len(im.caseRows) >= caseBatch || (len(im.caseRows) > 0 && (all || len(im.defendants) >= 8*defendantBatch)) {
		if err := im.writeCases(ctx); err != nil {
			return fmt.Errorf("create cases: %w", im.tx.dialect.translate(err))
		}
		im.caseRows = im.caseRows[:0]
		clear(im.newCases)
	}
	if len(im.caseRows) > 0 || (len(im.defendants) < defendantBatch && !all) {
		return nil
	}
	rest := len(im.defendants) % defendantBatch
	if all {
		rest = 0
	}
	if err := im.writeDefendants(ctx, im.defendants[:len(im.defendants)-rest]); err != nil {
		return fmt.Errorf("add defendants: %w", im.tx.dialect.translate(err))
	}
	im.defendants = append(im.defendants[:0], im.defendants[len(im.defendants)-rest:]...)
	return nil
}

// writeCases writes the queued new cases: with COPY on PostgreSQL, in
// batch INSERTs on SQLite.
func (im *Import) writeCases(ctx context.Context) error {
	if im.tx.dialect == Postgres {
		return im.copyRows(ctx, "cases", newCaseCopyColumns, newCaseWidth, im.caseRows, func(v []any) []any {
			// The INSERT's row writes status and sensitivity as constants.
			return []any{v[0], v[1], v[2], v[3], v[4], "finalised", string(access.Official), v[5], v[6], v[7], v[8], v[9]}
		})
	}
	return im.insertRows(ctx, im.batchCases, newCaseColumns, newCaseRow, newCaseWidth, im.caseRows)
}

// writeDefendants writes queued new defendants, as writeCases does cases.
func (im *Import) writeDefendants(ctx context.Context, values []any) error {
	if im.tx.dialect == Postgres {
		return im.copyRows(ctx, "defendants", newDefendantCopyColumns, newDefendantWidth, values, func(v []any) []any { return v })
	}
	return im.insertRows(ctx, im.batchDefend, newDefendantColumns, "("+placeholders(newDefendantWidth)+")", newDefendantWidth, values)
}

// copyRows loads values, width to a row, with PostgreSQL's COPY, on the
// import's own connection and so inside its transaction: a failure rolls
// back with the rest. row turns a queued row into the columns' values.
func (im *Import) copyRows(ctx context.Context, table string, columns []string, width int, values []any, row func([]any) []any) error {
	return im.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs a pgx connection, not a %T", dc)
		}
		_, err := pc.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromSlice(len(values)/width, func(i int) ([]any, error) {
			return row(values[i*width : (i+1)*width]), nil
		}))
		return err
	})
}

// insertRows writes values, width to a row, with the prepared statement
// for full batches and one made for the rest.
func (im *Import) insertRows(ctx context.Context, full *sql.Stmt, insert, row string, width int, values []any) error {
	for len(values) >= batchRows*width {
		if _, err := full.ExecContext(ctx, values[:batchRows*width]...); err != nil {
			return err
		}
		values = values[batchRows*width:]
	}
	if len(values) == 0 {
		return nil
	}
	_, err := im.tx.exec(ctx, insert+valueRowsOf(row, len(values)/width), values...)
	return err
}

// SetSHA256 records the file's digest, known once it has all been read.
func (im *Import) SetSHA256(sum string) { im.meta.SHA256 = sum }

// Commit writes what is queued and the outcome rollups' changes, records
// the import's counts as one audit entry and commits.
func (im *Import) Commit(ctx context.Context, read, rejected int) (ImportSummary, error) {
	sum := ImportSummary{ID: im.id, Read: read, Added: im.Added, Changed: im.Changed, Unchanged: im.Unchanged, Rejected: rejected}
	err := im.commit(ctx, sum)
	im.closeStatements()
	im.db.releaseImportConn(im.conn)
	if err != nil {
		return sum, err
	}
	if read >= bulkRows {
		return sum, im.db.refreshTableStatistics(ctx, "cases", "defendants", "outcome_rollups")
	}
	return sum, nil
}

// commit writes the rest and commits, or rolls back on any failure.
func (im *Import) commit(ctx context.Context, sum ImportSummary) error {
	read, rejected := sum.Read, sum.Rejected
	if err := im.flush(ctx, true); err != nil {
		im.tx.tx.Rollback()
		return err
	}
	if err := im.tx.applyRollup(ctx, im.rollup); err != nil {
		im.tx.tx.Rollback()
		return err
	}
	if _, err := im.tx.exec(ctx, `UPDATE imports SET sha256 = ?, rows_read = ?, rows_added = ?, rows_changed = ?, rows_rejected = ?, finished_at = ? WHERE id = ?`,
		im.meta.SHA256, read, sum.Added, sum.Changed, rejected, im.db.Now(), im.id); err != nil {
		im.tx.tx.Rollback()
		return err
	}
	if err := im.tx.record(ctx, audit.Import, "import", im.id, audit.Fields(map[string]any{
		"kind": im.meta.Kind, "file": im.meta.FileName, "sha256": im.meta.SHA256,
		"read": read, "added": sum.Added, "changed": sum.Changed, "unchanged": sum.Unchanged, "rejected": rejected,
	})); err != nil {
		im.tx.tx.Rollback()
		return err
	}
	return im.tx.commit(ctx)
}

// bulkRows is the size of import after which the planner's statistics are
// refreshed at once rather than left to the database's upkeep.
const bulkRows = 1000

// Rollback abandons the import: nothing it wrote remains.
func (im *Import) Rollback() {
	im.closeStatements()
	im.tx.tx.Rollback()
	im.db.releaseImportConn(im.conn)
}

func (im *Import) closeStatements() {
	for _, st := range []*sql.Stmt{im.stmts.findCase, im.stmts.findDefendant, im.stmts.changeDefendant, im.batchCases, im.batchDefend} {
		if st != nil {
			st.Close()
		}
	}
}

// OutcomeFilter selects finalised defendants for export and reports.
type OutcomeFilter struct {
	Unit     string
	Court    casework.Court // MC or CC; empty for both
	From, To time.Time      // finalisation dates, inclusive; zero is open
}

// ExportOutcomes calls fn for every finalised defendant of the cases the
// principal may see, in case and defendant order, streaming from the
// database.
func (db *DB) ExportOutcomes(ctx context.Context, p *access.Principal, f OutcomeFilter, fn func(casework.OutcomeRow) error) error {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	where := visible + " AND d.outcome <> ''"
	if f.Unit != "" {
		where += " AND u.code = ?"
		args = append(args, f.Unit)
	}
	if !f.From.IsZero() {
		where += " AND d.finalised_on >= ?"
		args = append(args, dateOnly(f.From))
	}
	if !f.To.IsZero() {
		where += " AND d.finalised_on <= ?"
		args = append(args, dateOnly(f.To))
	}
	rows, err := db.query(ctx, `SELECT c.reference, u.code, l.code, d.court, d.ref, d.principal_offence, d.finalised_on, d.outcome, d.country
		FROM defendants d JOIN cases c ON c.id = d.case_id JOIN units u ON u.id = c.unit_id JOIN locations l ON l.id = c.location_id
		WHERE `+where+` ORDER BY c.reference, d.ref`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r casework.OutcomeRow
		var court, offence, outcome string
		if err := rows.Scan(&r.CaseURN, &r.Unit, &r.Location, &court, &r.DefendantRef, &offence, &r.FinalisedOn, &outcome, &r.Country); err != nil {
			return err
		}
		r.Court, r.PrincipalOffence, r.Outcome, r.FinalisedOn = casework.Court(court), casework.OffenceCategory(offence), casework.Outcome(outcome), r.FinalisedOn.UTC()
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountOutcomes counts the finalised defendants of the cases the principal
// may see, by unit, court and outcome, within the filter's dates: from the
// outcome rollups for whole months, from the records for the rest.
func (db *DB) CountOutcomes(ctx context.Context, p *access.Principal, f OutcomeFilter) ([]measure.OutcomeCount, error) {
	return db.countOutcomesFromRollups(ctx, p, f)
}

// CountOutcomesFromRecords is CountOutcomes by a plain count over the
// records, without the rollups: what they are checked and measured against.
func (db *DB) CountOutcomesFromRecords(ctx context.Context, p *access.Principal, f OutcomeFilter) ([]measure.OutcomeCount, error) {
	return db.countOutcomesFromRecords(ctx, p, f, "", nil)
}

// countOutcomesFromRecords counts from the records. With counted (the
// reader's part of the rollups, rollupVisible), it counts only what the
// reader sees beyond it: cases shared with them and restricted cases on
// their team.
func (db *DB) countOutcomesFromRecords(ctx context.Context, p *access.Principal, f OutcomeFilter, counted string, countedArgs []any) ([]measure.OutcomeCount, error) {
	filter := db.Clearances.ReadFilter(p)
	visible, args := visibleTo(filter, "case", "c")
	where := visible + " AND d.outcome <> ''"
	if counted != "" {
		where += " AND NOT (" + rollupCounted(counted) + ")"
		args = append(args, countedArgs...)
		where += " AND c.id IN (SELECT rs.record_id FROM record_shares rs WHERE rs.record_type = 'case' AND rs.person_id = ?" +
			" UNION SELECT rt.record_id FROM record_team rt WHERE rt.record_type = 'case' AND rt.person_id IN (" + placeholders(len(filter.TeamMembers)) + "))"
		args = append(append(args, filter.PersonID), idArgs(filter.TeamMembers)...)
	}
	if f.Unit != "" {
		where += " AND u.code = ?"
		args = append(args, f.Unit)
	}
	if f.Court != "" {
		where += " AND d.court = ?"
		args = append(args, string(f.Court))
	}
	if !f.From.IsZero() {
		where += " AND d.finalised_on >= ?"
		args = append(args, dateOnly(f.From))
	}
	if !f.To.IsZero() {
		where += " AND d.finalised_on <= ?"
		args = append(args, dateOnly(f.To))
	}
	rows, err := db.query(ctx, `SELECT u.code, d.court, d.outcome, COUNT(*) FROM defendants d
		JOIN cases c ON c.id = d.case_id JOIN units u ON u.id = c.unit_id
		WHERE `+where+` GROUP BY u.code, d.court, d.outcome ORDER BY u.code, d.court, d.outcome`, args...)
	if err != nil {
		return nil, err
	}
	return scanOutcomeCounts(rows)
}

func scanOutcomeCounts(rows *sql.Rows) ([]measure.OutcomeCount, error) {
	defer rows.Close()
	var out []measure.OutcomeCount
	for rows.Next() {
		var c measure.OutcomeCount
		var court, outcome string
		if err := rows.Scan(&c.Unit, &court, &outcome, &c.Count); err != nil {
			return nil, err
		}
		c.Court, c.Outcome = casework.Court(court), casework.Outcome(outcome)
		out = append(out, c)
	}
	return out, rows.Err()
}
