package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

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
type Import struct {
	db      *DB
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
	ref    string
	id     int64
	kind   casework.Kind
	unitID int64
	opened time.Time
}

type importStatements struct {
	findCase, addCase, findDefendant, addDefendant, changeDefendant *sql.Stmt
}

// BeginImport starts an import for the principal, who must be allowed to
// write casework.
func (db *DB) BeginImport(ctx context.Context, p *access.Principal, meta ImportMeta) (*Import, error) {
	if !access.Allows(p, access.WriteCases) {
		return nil, fault.Errorf(fault.Forbidden, "Your roles do not include importing casework")
	}
	tx, err := db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	im := &Import{db: db, tx: tx, p: p, meta: meta, started: tx.now, seen: map[uint64]int{}}
	if err := im.prepare(ctx); err != nil {
		tx.tx.Rollback()
		return nil, err
	}
	return im, nil
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
		findCase: prep(`SELECT id, kind, unit_id, opened_on FROM cases WHERE reference = ?`),
		addCase: prep(`INSERT INTO cases (reference, kind, unit_id, location_id, status, sensitivity, opened_on, import_id, created_at, updated_at, next_deadline)
			VALUES (?, ?, ?, ?, 'finalised', 'official', ?, ?, ?, ?, ?) RETURNING id`),
		findDefendant:   prep(`SELECT id, principal_offence, court, country, outcome, finalised_on FROM defendants WHERE case_id = ? AND ref = ?`),
		addDefendant:    prep(`INSERT INTO defendants (case_id, ref, principal_offence, court, country, outcome, finalised_on, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		changeDefendant: prep(`UPDATE defendants SET principal_offence = ?, court = ?, country = ?, outcome = ?, finalised_on = ?, import_id = ? WHERE id = ?`),
	}
	return err
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
	if r.FinalisedOn.Before(c.opened) {
		return fieldError("finalised_on", "Case "+r.CaseURN+" was opened on "+c.opened.Format("2006-01-02")+", after this finalisation date")
	}
	return im.writeDefendant(ctx, c.id, r)
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

// caseFor finds the row's case, or creates it: rows of one case usually
// come together, so the last case is kept at hand.
func (im *Import) caseFor(ctx context.Context, r casework.OutcomeRow, kind casework.Kind, unitID, locationID int64) (importedCase, error) {
	if im.lastCase.ref == r.CaseURN && im.lastCase.id != 0 {
		return im.lastCase, im.checkCase(im.lastCase, r, kind, unitID)
	}
	c := importedCase{ref: r.CaseURN}
	var kindText string
	err := im.stmts.findCase.QueryRowContext(ctx, r.CaseURN).Scan(&c.id, &kindText, &c.unitID, &c.opened)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		opened := dateOnly(r.FinalisedOn)
		err = im.stmts.addCase.QueryRowContext(ctx, r.CaseURN, string(kind), unitID, locationID, opened, im.id, im.tx.now, im.tx.now, noDeadline).Scan(&c.id)
		if err != nil {
			return c, fmt.Errorf("create case %s: %w", r.CaseURN, im.tx.dialect.translate(err))
		}
		c.kind, c.unitID, c.opened = kind, unitID, opened
	case err != nil:
		return c, err
	default:
		c.kind, c.opened = casework.Kind(kindText), c.opened.UTC()
	}
	im.lastCase = c
	return c, im.checkCase(c, r, kind, unitID)
}

func (im *Import) checkCase(c importedCase, r casework.OutcomeRow, kind casework.Kind, unitID int64) error {
	if c.kind != kind || c.unitID != unitID {
		return fieldError("unit", fmt.Sprintf("Case %s is a %s case of another unit", r.CaseURN, c.kind.Label()))
	}
	return nil
}

func (im *Import) writeDefendant(ctx context.Context, caseID int64, r casework.OutcomeRow) error {
	var id int64
	var offence, court, country, outcome string
	var finalised sql.NullTime
	err := im.stmts.findDefendant.QueryRowContext(ctx, caseID, r.DefendantRef).Scan(&id, &offence, &court, &country, &outcome, &finalised)
	day := dateOnly(r.FinalisedOn)
	values := []any{string(r.PrincipalOffence), string(r.Court), r.Country, string(r.Outcome), day, im.id}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := im.stmts.addDefendant.ExecContext(ctx, append([]any{caseID, r.DefendantRef}, values...)...); err != nil {
			return fmt.Errorf("add defendant %s: %w", r.DefendantRef, im.tx.dialect.translate(err))
		}
		im.Added++
	case err != nil:
		return err
	case offence == string(r.PrincipalOffence) && court == string(r.Court) && country == r.Country &&
		outcome == string(r.Outcome) && finalised.Valid && finalised.Time.UTC().Equal(day):
		im.Unchanged++
	default:
		if _, err := im.stmts.changeDefendant.ExecContext(ctx, append(values, id)...); err != nil {
			return err
		}
		im.Changed++
	}
	return nil
}

// SetSHA256 records the file's digest, known once it has all been read.
func (im *Import) SetSHA256(sum string) { im.meta.SHA256 = sum }

// Commit records the import's counts as one audit entry and commits.
func (im *Import) Commit(ctx context.Context, read, rejected int) (ImportSummary, error) {
	sum := ImportSummary{ID: im.id, Read: read, Added: im.Added, Changed: im.Changed, Unchanged: im.Unchanged, Rejected: rejected}
	defer im.closeStatements()
	if _, err := im.tx.exec(ctx, `UPDATE imports SET sha256 = ?, rows_read = ?, rows_added = ?, rows_changed = ?, rows_rejected = ?, finished_at = ? WHERE id = ?`,
		im.meta.SHA256, read, sum.Added, sum.Changed, rejected, im.db.Now(), im.id); err != nil {
		im.tx.tx.Rollback()
		return sum, err
	}
	if err := im.tx.record(ctx, audit.Import, "import", im.id, audit.Fields(map[string]any{
		"kind": im.meta.Kind, "file": im.meta.FileName, "sha256": im.meta.SHA256,
		"read": read, "added": sum.Added, "changed": sum.Changed, "unchanged": sum.Unchanged, "rejected": rejected,
	})); err != nil {
		im.tx.tx.Rollback()
		return sum, err
	}
	if err := im.tx.commit(ctx); err != nil {
		return sum, err
	}
	if read >= bulkRows {
		return sum, im.db.RefreshStatistics(ctx)
	}
	return sum, nil
}

// bulkRows is the size of import after which the planner's statistics are
// refreshed at once rather than left to the database's upkeep.
const bulkRows = 1000

// Rollback abandons the import: nothing it wrote remains.
func (im *Import) Rollback() {
	im.closeStatements()
	im.tx.tx.Rollback()
}

func (im *Import) closeStatements() {
	for _, st := range []*sql.Stmt{im.stmts.findCase, im.stmts.addCase, im.stmts.findDefendant, im.stmts.addDefendant, im.stmts.changeDefendant} {
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
// may see, by unit, court and outcome, within the filter's dates.
func (db *DB) CountOutcomes(ctx context.Context, p *access.Principal, f OutcomeFilter) ([]measure.OutcomeCount, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	where := visible + " AND d.outcome <> ''"
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
