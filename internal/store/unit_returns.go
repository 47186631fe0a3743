package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
)

// Units' monthly returns of staffing, absence and advocacy. Staff read
// them (partners do not, by the route's permission and by the measures
// withholding them). A return is entered by the head of division, a
// business manager or the Business Operations Centre for any unit, or by
// a unit head or legal manager for their own units. A unit has one
// current return a month: entering it again is a correction, a new
// version that supersedes the old, which is kept.

const unitReturnColumns = `r.id, r.unit_id, u.code, r.month, r.working_days_lost, r.sessions_in_house, r.sessions_counsel,
	r.crown_advocate_hours, r.crown_advocate_available, r.version, r.entered_by, COALESCE(pe.name, ''), r.entered_at`

const unitReturnFrom = ` FROM unit_returns r JOIN units u ON u.id = r.unit_id LEFT JOIN people pe ON pe.id = r.entered_by`

func scanUnitReturn(row interface{ Scan(...any) error }) (measure.UnitReturn, error) {
	var r measure.UnitReturn
	err := row.Scan(&r.ID, &r.UnitID, &r.UnitCode, &r.Month, &r.WorkingDaysLost, &r.SessionsInHouse, &r.SessionsCounsel,
		&r.CrownAdvocateHours, &r.CrownAdvocateAvailable, &r.Version, &r.EnteredBy, &r.EnteredByName, &r.EnteredAt)
	r.EnteredAt = r.EnteredAt.UTC()
	return r, err
}

// UnitReturnFilter narrows a list of returns.
type UnitReturnFilter struct {
	Unit     string // unit code
	From, To string // months, YYYY-MM, inclusive; empty is open
	// AllVersions lists superseded versions too, newest first.
	AllVersions bool
}

// UnitReturns lists returns, newest month first, then by unit (and newest
// version first).
func (db *DB) UnitReturns(ctx context.Context, f UnitReturnFilter) ([]measure.UnitReturn, error) {
	where, args := "1 = 1", []any{}
	if !f.AllVersions {
		where += " AND r.superseded_at IS NULL"
	}
	for _, c := range []struct{ sql, value string }{{" AND u.code = ?", f.Unit}, {" AND r.month >= ?", f.From}, {" AND r.month <= ?", f.To}} {
		if c.value != "" {
			where += c.sql
			args = append(args, c.value)
		}
	}
	return db.unitReturns(ctx, `SELECT `+unitReturnColumns+unitReturnFrom+` WHERE `+where+` ORDER BY r.month DESC, u.code, r.version DESC LIMIT 5000`, args...)
}

// UnitReturn reads one version of a return. Errors: NotFound.
func (db *DB) UnitReturn(ctx context.Context, id int64) (measure.UnitReturn, error) {
	out, err := db.unitReturns(ctx, `SELECT `+unitReturnColumns+unitReturnFrom+` WHERE r.id = ?`, id)
	if err != nil {
		return measure.UnitReturn{}, err
	}
	if len(out) == 0 {
		return measure.UnitReturn{}, fault.Errorf(fault.NotFound, "There is no unit return %d", id)
	}
	return out[0], nil
}

// unitReturns runs a query of returns and reads their FTE lines.
func (db *DB) unitReturns(ctx context.Context, query string, args ...any) ([]measure.UnitReturn, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []measure.UnitReturn
	for rows.Next() {
		r, err := scanUnitReturn(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.readFTE(ctx, out)
}

// readFTE fills in the returns' FTE by grade, most senior grade first.
func (db *DB) readFTE(ctx context.Context, returns []measure.UnitReturn) error {
	at := map[int64]int{}
	ids := make([]int64, len(returns))
	for i, r := range returns {
		at[r.ID], ids[i] = i, r.ID
	}
	for chunk := range slices.Chunk(ids, 500) {
		rows, err := db.query(ctx, `SELECT return_id, grade, fte FROM unit_return_fte WHERE return_id IN (`+placeholders(len(chunk))+`)`, idArgs(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var g measure.GradeFTE
			if err := rows.Scan(&id, &g.Grade, &g.FTE); err != nil {
				rows.Close()
				return err
			}
			returns[at[id]].FTE = append(returns[at[id]].FTE, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	rank := func(g org.Grade) int {
		return slices.IndexFunc(org.Grades, func(gi org.GradeInfo) bool { return gi.Code == g })
	}
	for i := range returns {
		slices.SortFunc(returns[i].FTE, func(a, b measure.GradeFTE) int { return rank(a.Grade) - rank(b.Grade) })
	}
	return nil
}

// SaveUnitReturn enters a unit's return for a month. Where the unit has
// one for the month already it is a correction: the caller sends the
// version it read, and the new return supersedes that one (which is
// kept). r.UnitCode or r.UnitID names the unit.
// Errors: Invalid, Forbidden, Conflict (a return exists and no version, or
// an older one, was sent).
func (db *DB) SaveUnitReturn(ctx context.Context, p *access.Principal, r *measure.UnitReturn) error {
	if err := r.Validate(casework.MonthOf(db.Now())); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := resolveReturnUnit(ctx, tx, r); err != nil {
			return err
		}
		if err := mayEnterUnitReturn(p, r.UnitID); err != nil {
			return err
		}
		before, err := currentUnitReturn(ctx, tx, r.UnitID, r.Month)
		if err != nil {
			return err
		}
		switch {
		case before != nil && r.Version == 0:
			return fault.Errorf(fault.Conflict, "The unit already has a return for %s: open it to correct it", r.Month)
		case before != nil && r.Version != before.Version:
			return fault.Errorf(fault.Conflict, "The return for %s has been corrected since you opened it. Reload it to see the changes, then make yours again.", r.Month)
		case before == nil && r.Version != 0:
			return fault.Errorf(fault.Conflict, "The unit has no return for %s to correct: enter it without a version", r.Month)
		}
		return writeUnitReturn(ctx, tx, p, r, before)
	})
}

// resolveReturnUnit sets the return's unit id from its code, or its code
// from its id.
func resolveReturnUnit(ctx context.Context, tx *Tx, r *measure.UnitReturn) error {
	query, arg := "SELECT id, code FROM units WHERE code = ?", any(r.UnitCode)
	if r.UnitCode == "" {
		query, arg = "SELECT id, code FROM units WHERE id = ?", r.UnitID
	}
	err := tx.queryRow(ctx, query, arg).Scan(&r.UnitID, &r.UnitCode)
	if errors.Is(err, sql.ErrNoRows) {
		return &fault.Error{Code: fault.Invalid, Message: "The monthly return could not be saved",
			Fields: []fault.FieldError{{Field: "unit", Message: "Choose one of the division's units"}}}
	}
	return err
}

// mayEnterUnitReturn allows the head of division, business managers and
// the Business Operations Centre for any unit, and unit heads and legal
// managers for their own.
func mayEnterUnitReturn(p *access.Principal, unitID int64) error {
	switch {
	case !access.Allows(p, access.WriteCases) || p.IsPartner():
		return fault.Errorf(fault.Forbidden, "You may not enter units' monthly returns")
	case p.HasAny(access.HeadOfDivision, access.BusinessManager, access.BOC):
		return nil
	case p.HasAny(access.UnitHead, access.LegalManager) && slices.Contains(p.Units, unitID):
		return nil
	}
	return fault.Errorf(fault.Forbidden, "A unit's return is entered by its head or legal managers, a business manager or the head of division")
}

// currentUnitReturn is the unit's current return for the month, or nil.
func currentUnitReturn(ctx context.Context, tx *Tx, unitID int64, month string) (*measure.UnitReturn, error) {
	lock := ""
	if tx.dialect == Postgres {
		lock = " FOR UPDATE OF r"
	}
	r, err := scanUnitReturn(tx.queryRow(ctx, `SELECT `+unitReturnColumns+unitReturnFrom+
		` WHERE r.unit_id = ? AND r.month = ? AND r.superseded_at IS NULL`+lock, unitID, month))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT grade, fte FROM unit_return_fte WHERE return_id = ?`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g measure.GradeFTE
		if err := rows.Scan(&g.Grade, &g.FTE); err != nil {
			return nil, err
		}
		r.FTE = append(r.FTE, g)
	}
	return &r, rows.Err()
}

// writeUnitReturn stores r as the unit's current return for its month,
// superseding before (if any), and audits it.
func writeUnitReturn(ctx context.Context, tx *Tx, p *access.Principal, r *measure.UnitReturn, before *measure.UnitReturn) error {
	r.Version, r.EnteredBy, r.EnteredByName, r.EnteredAt = 1, p.PersonID, p.Name, tx.now.UTC()
	action := audit.Create
	if before != nil {
		if _, err := tx.exec(ctx, `UPDATE unit_returns SET superseded_at = ? WHERE id = ?`, tx.now, before.ID); err != nil {
			return fmt.Errorf("supersede unit return: %w", tx.dialect.translate(err))
		}
		r.Version, action = before.Version+1, audit.Update
	}
	id, err := tx.insert(ctx, `INSERT INTO unit_returns (unit_id, month, version, working_days_lost, sessions_in_house, sessions_counsel,
		crown_advocate_hours, crown_advocate_available, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.UnitID, r.Month, r.Version, r.WorkingDaysLost, r.SessionsInHouse, r.SessionsCounsel, r.CrownAdvocateHours, r.CrownAdvocateAvailable,
		r.EnteredBy, tx.now)
	if err != nil {
		err = tx.dialect.translate(err)
		if fault.CodeOf(err) == fault.Conflict {
			return fault.Errorf(fault.Conflict, "The unit's return for %s was entered by someone else at the same time: reload it", r.Month)
		}
		return fmt.Errorf("save unit return: %w", err)
	}
	r.ID = id
	for _, g := range r.FTE {
		if _, err := tx.exec(ctx, `INSERT INTO unit_return_fte (return_id, grade, fte) VALUES (?, ?, ?)`, id, string(g.Grade), g.FTE); err != nil {
			return fmt.Errorf("save unit return FTE: %w", tx.dialect.translate(err))
		}
	}
	var was any
	if before != nil {
		was = before
	}
	return tx.record(ctx, action, "unit_return", id, audit.Diff(was, r))
}

// sameFigures reports whether two returns state the same figures.
func sameFigures(a, b measure.UnitReturn) bool {
	return a.WorkingDaysLost == b.WorkingDaysLost && a.SessionsInHouse == b.SessionsInHouse && a.SessionsCounsel == b.SessionsCounsel &&
		a.CrownAdvocateHours == b.CrownAdvocateHours && a.CrownAdvocateAvailable == b.CrownAdvocateAvailable && slices.Equal(a.FTE, b.FTE)
}

// UnitReturnImport is one row of a returns spreadsheet.
type UnitReturnImport struct {
	Row    int
	Return measure.UnitReturn
}

// ImportUnitReturns enters the returns of a spreadsheet, all or nothing:
// a row for a month the unit has a return for already corrects it (a new
// version), unless its figures are the same; two rows for one unit and
// month, a unit that does not exist or that the importer may not enter
// returns for are problems, and then nothing is written. Returns how many
// returns were added, corrected and unchanged. Errors: Invalid (with the
// problems), Forbidden.
func (db *DB) ImportUnitReturns(ctx context.Context, p *access.Principal, file string, rows []UnitReturnImport) (added, corrected, unchanged int, problems []RowProblem, err error) {
	if !access.Allows(p, access.WriteCases) || p.IsPartner() {
		return 0, 0, 0, nil, fault.Errorf(fault.Forbidden, "You may not enter units' monthly returns")
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		problem := func(row int, column, reason string) { problems = append(problems, RowProblem{row, column, reason}) }
		firstRow := map[string]int{}
		for i := range rows {
			r := &rows[i].Return
			if fe := fault.As(r.Validate(casework.MonthOf(tx.now))); fe != nil {
				for _, f := range fe.Fields {
					problem(rows[i].Row, strings.Replace(f.Field, "fte.", "fte_", 1), f.Message)
				}
				continue
			}
			if err := resolveReturnUnit(ctx, tx, r); err != nil {
				if fault.CodeOf(err) != fault.Invalid {
					return err
				}
				problem(rows[i].Row, "unit", fmt.Sprintf("There is no unit %q", r.UnitCode))
				continue
			}
			if err := mayEnterUnitReturn(p, r.UnitID); err != nil {
				problem(rows[i].Row, "unit", fault.As(err).Message)
				continue
			}
			key := r.UnitCode + " " + r.Month
			if first, ok := firstRow[key]; ok {
				problem(rows[i].Row, "month", fmt.Sprintf("Row %d is already %s's return for %s: give each unit's month once", first, r.UnitCode, r.Month))
				continue
			}
			firstRow[key] = rows[i].Row
			before, err := currentUnitReturn(ctx, tx, r.UnitID, r.Month)
			if err != nil {
				return err
			}
			switch {
			case before != nil && sameFigures(*before, *r):
				unchanged++
				continue
			case before != nil:
				corrected++
			default:
				added++
			}
			if err := writeUnitReturn(ctx, tx, p, r, before); err != nil {
				return fmt.Errorf("row %d: %w", rows[i].Row, err)
			}
		}
		if len(problems) > 0 {
			return fault.Errorf(fault.Invalid, "Nothing was imported: %d %s", len(problems), map[bool]string{true: "problem", false: "problems"}[len(problems) == 1])
		}
		return tx.recordRef(ctx, audit.Import, "unit_returns", file, audit.Fields(map[string]any{"rows": len(rows), "added": added,
			"corrected": corrected, "unchanged": unchanged}))
	})
	if err != nil {
		return 0, 0, 0, problems, err
	}
	return added, corrected, unchanged, nil, nil
}

// unitReturnsIn lists the current returns for the months of a period, of
// one unit if one is given: what the measures on returns count.
func (db *DB) unitReturnsIn(ctx context.Context, period measure.Period, unit string) ([]measure.UnitReturn, error) {
	return db.UnitReturns(ctx, UnitReturnFilter{Unit: unit, From: period.Start.Format("2006-01"), To: period.End.Format("2006-01")})
}

// unitReturnRecords are the returns behind a figure, as records.
func (db *DB) unitReturnRecords(ctx context.Context, period measure.Period, unit string) ([]measure.Record, error) {
	returns, err := db.unitReturnsIn(ctx, period, unit)
	if err != nil {
		return nil, err
	}
	var out []measure.Record
	for i := len(returns) - 1; i >= 0; i-- { // oldest month first
		r := returns[i]
		var parts []string
		for _, g := range r.FTE {
			parts = append(parts, fmt.Sprintf("%s %.2f", g.Grade.Label(), g.FTE))
		}
		var month *time.Time
		if t, err := time.Parse("2006-01", r.Month); err == nil {
			month = &t
		}
		out = append(out, measure.Record{Source: measure.UnitReturns, ID: r.ID, Reference: r.UnitCode + " " + r.Month, Unit: r.UnitCode, Date: month,
			Detail: fmt.Sprintf("FTE %.2f (%s); %.1f working days lost; advocacy sessions %d in-house, %d counsel; crown advocates %d of %d hours; version %d entered by %s",
				r.TotalFTE(), strings.Join(parts, ", "), r.WorkingDaysLost, r.SessionsInHouse, r.SessionsCounsel, r.CrownAdvocateHours,
				r.CrownAdvocateAvailable, r.Version, r.EnteredByName)})
	}
	return out, nil
}
