package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
)

// Case checks one row of a cases file and writes it: a reference not yet
// in the register is a new case, one already there is brought up to date
// (its version moves on), and an identical one is left alone, so
// importing the same file twice changes nothing. The principal must be
// allowed to write the case as it was and as the row makes it.
func (im *Import) Case(ctx context.Context, row int, r casework.CaseRow) error {
	c := r.Case
	if err := im.resolveCase(ctx, r, &c); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return fault.RenameFields(err, casework.CaseField)
	}
	if first, dup := im.firstSeenReference(c.Reference, row); dup {
		return fieldError("reference", fmt.Sprintf("Case %s is already on row %d of this file", c.Reference, first))
	}
	if !im.db.Clearances.Can(im.p, access.Write, caseRecord(&c)) {
		return fieldError("unit", "You may import cases only of your own units, at a sensitivity you are cleared for")
	}
	c.OpenedOn = dateOnly(c.OpenedOn)
	if c.PreChargeDecidedOn != nil {
		day := dateOnly(*c.PreChargeDecidedOn)
		c.PreChargeDecidedOn = &day
	}
	before, err := scanCase(im.tx.queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.reference = ?`, c.Reference))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return im.addCase(ctx, &c)
	case err != nil:
		return err
	}
	if !im.db.Clearances.Can(im.p, access.Write, caseRecord(&before)) {
		return fieldError("reference", fmt.Sprintf("Case %s is one you may not change", c.Reference))
	}
	if sameCase(before, c) {
		im.Unchanged++
		return nil
	}
	return im.changeCase(ctx, before, &c)
}

// resolveCase turns the row's codes and emails into ids.
func (im *Import) resolveCase(ctx context.Context, r casework.CaseRow, c *casework.Case) error {
	var v fault.Validation
	var ok bool
	if c.UnitID, ok = im.units[r.Unit]; !ok {
		v.Add("unit", "Enter the code of one of the division's units, for example organised_crime")
	}
	if c.LocationID, ok = im.locations[r.Location]; !ok {
		v.Add("location", "Enter the code of one of the division's locations, for example petty_france")
	}
	var err error
	if c.LawyerID, err = im.personByEmail(ctx, r.LawyerEmail); err != nil {
		v.Add("lawyer", err.Error())
	}
	if c.ManagerID, err = im.personByEmail(ctx, r.ManagerEmail); err != nil {
		v.Add("legal_manager", err.Error())
	}
	return v.Err("The row could not be imported")
}

// personByEmail finds a member of staff by email, nil for an empty one.
func (im *Import) personByEmail(ctx context.Context, email string) (*int64, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, nil
	}
	if id, ok := im.people[email]; ok {
		return &id, nil
	}
	var id int64
	err := im.tx.queryRow(ctx, `SELECT id FROM people WHERE LOWER(email) = ? AND active`, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s is not the email of anyone on the staff list", email)
	}
	if err != nil {
		return nil, err
	}
	if im.people == nil {
		im.people = map[string]int64{}
	}
	im.people[email] = id
	return &id, nil
}

func (im *Import) firstSeenReference(ref string, row int) (int, bool) {
	h := fnv.New64a()
	h.Write([]byte("case\x00" + ref))
	key := h.Sum64()
	if first, ok := im.seen[key]; ok {
		return first, true
	}
	im.seen[key] = row
	return 0, false
}

func (im *Import) addCase(ctx context.Context, c *casework.Case) error {
	c.Version, c.CreatedAt, c.UpdatedAt = 1, im.tx.now, im.tx.now
	id, err := im.tx.insert(ctx, `INSERT INTO cases (reference, kind, title, unit_id, location_id, status, sensitivity, lawyer_id, manager_id,
		opened_on, agency, counsel, complexity, pre_charge_decision, pre_charge_decided_on, court, court_centre,
		direction, country, warrant_type, requesting_authority, request_type, sensitive_reason, version, created_at, updated_at, next_deadline, import_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(caseValues(c), noDeadline, im.id)...)
	if err != nil {
		return fmt.Errorf("create case %s: %w", c.Reference, im.tx.dialect.translate(err))
	}
	c.ID = id
	im.Added++
	return syncCaseTeam(ctx, im.tx, c)
}

func (im *Import) changeCase(ctx context.Context, before casework.Case, c *casework.Case) error {
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = before.ID, before.Version+1, before.CreatedAt, im.tx.now
	args := append(caseValues(c)[:23], c.Version, c.UpdatedAt, im.id, c.ID)
	update := func() error {
		if _, err := im.tx.exec(ctx, `UPDATE cases SET reference = ?, kind = ?, title = ?, unit_id = ?, location_id = ?, status = ?, sensitivity = ?,
		lawyer_id = ?, manager_id = ?, opened_on = ?, agency = ?, counsel = ?, complexity = ?, pre_charge_decision = ?,
		pre_charge_decided_on = ?, court = ?, court_centre = ?, direction = ?, country = ?, warrant_type = ?,
		requesting_authority = ?, request_type = ?, sensitive_reason = ?, version = ?, updated_at = ?, import_id = ?
		WHERE id = ?`, args...); err != nil {
			return fmt.Errorf("update case %s: %w", c.Reference, im.tx.dialect.translate(err))
		}
		return nil
	}
	var err error
	if movesOutcomes(before, *c) {
		err = im.tx.rerollCase(ctx, c.ID, update)
	} else {
		err = update()
	}
	if err != nil {
		return err
	}
	im.Changed++
	return syncCaseTeam(ctx, im.tx, c)
}

// sameCase reports whether a row would leave a stored case as it is.
func sameCase(stored, row casework.Case) bool {
	a, b := caseValues(&stored)[:23], caseValues(&row)[:23]
	for i := range a {
		if comparableValue(a[i]) != comparableValue(b[i]) {
			return false
		}
	}
	return true
}

// comparableValue is a stored value as text: ids by value, not by
// pointer, and dates by day.
func comparableValue(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case *int64:
		if t == nil {
			return ""
		}
		return strconv.FormatInt(*t, 10)
	case time.Time:
		return t.Format(time.DateOnly)
	}
	return fmt.Sprint(v)
}

func caseRecord(c *casework.Case) access.Record {
	var team []int64
	for _, id := range []*int64{c.LawyerID, c.ManagerID} {
		if id != nil {
			team = append(team, *id)
		}
	}
	return access.Record{UnitID: c.UnitID, Sensitivity: c.Sensitivity, Team: team}
}

// ExportCases calls fn for every case the principal may see, in reference
// order, streaming from the database.
func (db *DB) ExportCases(ctx context.Context, p *access.Principal, fn func(casework.CaseRow) error) error {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	rows, err := db.query(ctx, `SELECT `+caseColumns+`, COALESCE(p.email, ''), COALESCE(m.email, '')`+caseFrom+`
		LEFT JOIN people m ON m.id = c.manager_id WHERE `+visible+` ORDER BY c.reference`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r casework.CaseRow
		c, err := scanCase(scanWith{rows, []any{&r.LawyerEmail, &r.ManagerEmail}})
		if err != nil {
			return err
		}
		r.Case, r.Unit, r.Location = c, c.UnitCode, c.LocationCode
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanWith scans a row whose columns go on after those a scanner reads,
// into more.
type scanWith struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (s scanWith) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more...)...) }
