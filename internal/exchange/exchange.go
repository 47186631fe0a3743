// Package exchange moves the register's records in and out of
// spreadsheets: the CSV and XLSX files a division lives in today. Imports
// are all or nothing: every bad row is reported with its row, column, value
// and reason, and unless the caller chooses to skip bad rows, nothing is
// written when any row is bad.
package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// Options shape an import.
type Options struct {
	// SkipInvalid writes the good rows and reports the bad ones, instead of
	// writing nothing when any row is bad.
	SkipInvalid bool
	// Rejects receives the bad rows, as a CSV with a "problem" column, when
	// SkipInvalid is set. May be nil.
	Rejects io.Writer
	// Limit is the largest file accepted, in bytes (spreadsheet.DefaultLimit
	// when zero).
	Limit int64
	// Progress is called every few thousand rows with the rows read so far.
	Progress func(rows int)
}

// Result is what an import did and found.
type Result struct {
	Summary   store.ImportSummary
	Problems  *spreadsheet.Problems
	Ignored   []string // columns in the file that were not used
	Committed bool
}

// ImportOutcomes reads an outcomes file (one row per finalised defendant
// or requested person) into the register as the principal.
func ImportOutcomes(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string, opts Options) (Result, error) {
	return importFile(ctx, db, p, file, name, opts, fileKind{"outcomes", casework.OutcomeColumns, casework.OutcomeOptionalColumns, importOutcome})
}

// ImportCases reads a cases file (one row per case) into the register as
// the principal: new references are opened, known ones brought up to date.
func ImportCases(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string, opts Options) (Result, error) {
	return importFile(ctx, db, p, file, name, opts, fileKind{"cases", casework.CaseColumns, casework.CaseOptionalColumns, importCase})
}

// fileKind is what an import needs to know of a kind of file: its
// columns and how to write one row, reporting whether the row was good,
// or an error that is not the row's and ends the import.
type fileKind struct {
	name               string
	required, optional []string
	write              func(context.Context, *store.Import, spreadsheet.Row) (bool, error)
}

// importFile streams a file's rows through one import transaction.
func importFile(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string, opts Options, kind fileKind) (Result, error) {
	hash := sha256.New()
	rd, err := spreadsheet.Open(io.TeeReader(file, hash), name, opts.Limit)
	if err != nil {
		return Result{}, err
	}
	defer rd.Close()
	cols, err := rd.Columns(kind.required, kind.optional)
	if err != nil {
		return Result{}, err
	}
	res := Result{Problems: rd.Problems(), Ignored: cols.Ignored()}
	im, err := db.BeginImport(ctx, p, store.ImportMeta{Kind: kind.name, FileName: baseName(name)})
	if err != nil {
		return res, err
	}
	rejects, err := newRejects(opts, append(slices.Clone(kind.required), kind.optional...))
	if err != nil {
		im.Rollback()
		return res, err
	}
	read, rejected := 0, 0
	for rd.Next() {
		read++
		row := rd.Row()
		good, err := kind.write(ctx, im, row)
		if err != nil {
			im.Rollback()
			return res, fmt.Errorf("import stopped at row %d: %w", row.Number(), err)
		}
		if !good {
			rejected++
			rejects.add(row)
		}
		if opts.Progress != nil && read%5000 == 0 {
			opts.Progress(read)
		}
	}
	if opts.Progress != nil {
		opts.Progress(read)
	}
	return finish(ctx, im, rd, rejects, hash, opts, res, read, rejected)
}

// importOutcome checks one row and writes it, recording its problems on
// the row; it reports whether the row was good.
func importOutcome(ctx context.Context, im *store.Import, row spreadsheet.Row) (bool, error) {
	r := casework.OutcomeRow{
		CaseURN: row.Get("case_urn"), Unit: row.Get("unit"), Location: row.Get("location"),
		Court: casework.Court(strings.ToUpper(row.Get("court"))), DefendantRef: row.Get("defendant_id"),
		PrincipalOffence: casework.OffenceCategory(row.Get("principal_offence")), Outcome: casework.Outcome(row.Get("outcome")),
		Country: strings.ToUpper(row.Get("country")),
	}
	r.FinalisedOn, _ = row.Date("finalised_on", true)
	if !row.OK() {
		return false, nil
	}
	if err := im.Outcome(ctx, row.Number(), r); err != nil {
		return false, recordProblem(row, err)
	}
	return true, nil
}

// importCase checks one row of a cases file and writes it.
func importCase(ctx context.Context, im *store.Import, row spreadsheet.Row) (bool, error) {
	upper := func(column string) string { return strings.ToUpper(row.Get(column)) }
	r := casework.CaseRow{Unit: row.Get("unit"), Location: row.Get("location"), LawyerEmail: row.Get("lawyer"), ManagerEmail: row.Get("legal_manager"),
		Case: casework.Case{Reference: row.Get("reference"), Kind: casework.Kind(row.Get("kind")), Title: row.Get("title"),
			Status: casework.Status(row.Get("status")), Sensitivity: access.Sensitivity(row.Get("sensitivity")),
			Agency: row.Get("agency"), Counsel: row.Get("counsel"), Complexity: row.Get("complexity"), PreChargeDecision: row.Get("pre_charge_decision"),
			Court: casework.Court(upper("court")), CourtCentre: row.Get("court_centre"), Direction: row.Get("direction"), Country: upper("country"),
			WarrantType: row.Get("warrant_type"), RequestingAuthority: row.Get("requesting_authority"), RequestType: row.Get("request_type"),
			SensitiveReason: row.Get("sensitive_reason")}}
	if r.Case.Sensitivity == "" {
		r.Case.Sensitivity = access.Official
	}
	r.Case.OpenedOn, _ = row.Date("opened_on", true)
	if decided, ok := row.Date("pre_charge_decided_on", false); ok && !decided.IsZero() {
		r.Case.PreChargeDecidedOn = &decided
	}
	if !row.OK() {
		return false, nil
	}
	if err := im.Case(ctx, row.Number(), r); err != nil {
		return false, recordProblem(row, err)
	}
	return true, nil
}

// recordProblem puts a row-level error on the row, one problem per field,
// and returns nil. Any other error (the database failing, the request
// cancelled) is not the row's: it is returned, to end the import, where it
// once was put on a column "" the row does not have, which panicked.
func recordProblem(row spreadsheet.Row, err error) error {
	fe := fault.As(err)
	if fe == nil || len(fe.Fields) == 0 {
		return err
	}
	for _, f := range fe.Fields {
		row.Problem(f.Field, f.Message)
	}
	return nil
}

// finish commits the import, or abandons it when there were bad rows and
// the caller did not choose to skip them.
func finish(ctx context.Context, im *store.Import, rd *spreadsheet.Reader, rejects *rejectFile, hash hash.Hash, opts Options,
	res Result, read, rejected int) (Result, error) {
	if err := rd.Err(); err != nil {
		im.Rollback()
		return res, err
	}
	if rejected > 0 && !opts.SkipInvalid {
		im.Rollback()
		return res, &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("Nothing was imported: %s", res.Problems.Error())}
	}
	if err := rejects.close(); err != nil {
		im.Rollback()
		return res, err
	}
	im.SetSHA256(hex.EncodeToString(hash.Sum(nil)))
	sum, err := im.Commit(ctx, read, rejected)
	if err != nil {
		return res, err
	}
	res.Summary, res.Committed = sum, true
	return res, nil
}

func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// rejectFile writes the rows an import skipped, with what was wrong.
type rejectFile struct {
	w       *spreadsheet.Writer
	columns []string
}

func newRejects(opts Options, columns []string) (*rejectFile, error) {
	if !opts.SkipInvalid || opts.Rejects == nil {
		return &rejectFile{}, nil
	}
	w, err := spreadsheet.NewWriter(opts.Rejects, "csv", "")
	if err != nil {
		return nil, err
	}
	if err := w.WriteHeader(append(append([]string{"row"}, columns...), "problem")); err != nil {
		return nil, err
	}
	return &rejectFile{w: w, columns: columns}, nil
}

func (f *rejectFile) add(row spreadsheet.Row) {
	if f.w == nil {
		return
	}
	cells := []string{fmt.Sprint(row.Number())}
	for _, c := range f.columns {
		cells = append(cells, row.Raw(c))
	}
	f.w.WriteRow(append(cells, row.Why()))
}

func (f *rejectFile) close() error {
	if f.w == nil {
		return nil
	}
	return f.w.Close()
}

// ExportOutcomes writes the finalised defendants the principal may see as
// a CSV or XLSX file in the import's own columns, so it imports back
// unchanged.
func ExportOutcomes(ctx context.Context, db *store.DB, p *access.Principal, w io.Writer, format string, f store.OutcomeFilter) (int, error) {
	out, err := spreadsheet.NewWriter(w, format, "Outcomes")
	if err != nil {
		return 0, err
	}
	if err := out.WriteHeader(append(casework.OutcomeColumns, casework.OutcomeOptionalColumns...)); err != nil {
		return 0, err
	}
	n := 0
	err = db.ExportOutcomes(ctx, p, f, func(r casework.OutcomeRow) error {
		n++
		return out.WriteCells([]spreadsheet.Cell{
			spreadsheet.Text(r.CaseURN), spreadsheet.Text(r.Unit), spreadsheet.Text(r.Location), spreadsheet.Text(string(r.Court)),
			spreadsheet.Text(r.DefendantRef), spreadsheet.Text(string(r.PrincipalOffence)), spreadsheet.Date(r.FinalisedOn),
			spreadsheet.Text(string(r.Outcome)), spreadsheet.Text(r.Country),
		})
	})
	if err != nil {
		return n, err
	}
	return n, out.Close()
}

// ExportCases writes the cases the principal may see as a CSV or XLSX file
// in the import's own columns, so it imports back unchanged.
func ExportCases(ctx context.Context, db *store.DB, p *access.Principal, w io.Writer, format string) (int, error) {
	out, err := spreadsheet.NewWriter(w, format, "Cases")
	if err != nil {
		return 0, err
	}
	if err := out.WriteHeader(append(slices.Clone(casework.CaseColumns), casework.CaseOptionalColumns...)); err != nil {
		return 0, err
	}
	n := 0
	err = db.ExportCases(ctx, p, func(r casework.CaseRow) error {
		n++
		c := r.Case
		decided := spreadsheet.Text("")
		if c.PreChargeDecidedOn != nil {
			decided = spreadsheet.Date(*c.PreChargeDecidedOn)
		}
		text := spreadsheet.Text
		return out.WriteCells([]spreadsheet.Cell{
			text(c.Reference), text(string(c.Kind)), text(r.Unit), text(r.Location), text(string(c.Status)), spreadsheet.Date(c.OpenedOn),
			text(c.Title), text(string(c.Sensitivity)), text(r.LawyerEmail), text(r.ManagerEmail), text(c.Agency), text(c.Counsel), text(c.Complexity),
			text(c.PreChargeDecision), decided, text(string(c.Court)), text(c.CourtCentre), text(c.Direction), text(c.Country), text(c.WarrantType),
			text(c.RequestingAuthority), text(c.RequestType), text(c.SensitiveReason),
		})
	})
	if err != nil {
		return n, err
	}
	return n, out.Close()
}
