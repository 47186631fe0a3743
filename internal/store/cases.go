package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

const caseColumns = `c.id, c.reference, c.kind, c.title, c.unit_id, c.location_id, c.status, c.sensitivity, c.lawyer_id, c.manager_id,
	c.opened_on, c.agency, c.counsel, c.complexity, c.pre_charge_decision, c.pre_charge_decided_on, c.court, c.court_centre,
	c.direction, c.country, c.warrant_type, c.requesting_authority, c.request_type, c.sensitive_reason,
	c.version, c.created_at, c.updated_at, c.next_deadline, u.code, l.code, COALESCE(p.name, ''),
	(SELECT COUNT(*) FROM defendants d WHERE d.case_id = c.id)`

const caseFrom = ` FROM cases c JOIN units u ON u.id = c.unit_id JOIN locations l ON l.id = c.location_id
	LEFT JOIN people p ON p.id = c.lawyer_id`

func scanCase(row interface{ Scan(...any) error }) (casework.Case, error) {
	return newCaseScanner().scan(row)
}

// caseScanner holds the destinations of one case row, made once per query and
// reused for each row (see personScanner).
type caseScanner struct {
	c                                casework.Case
	kind, status, sensitivity, court string
	lawyer, manager                  sql.NullInt64
	dest                             []any
}

func newCaseScanner() *caseScanner {
	r := &caseScanner{}
	c := &r.c
	r.dest = []any{&c.ID, &c.Reference, &r.kind, &c.Title, &c.UnitID, &c.LocationID, &r.status, &r.sensitivity, &r.lawyer, &r.manager,
		&c.OpenedOn, &c.Agency, &c.Counsel, &c.Complexity, &c.PreChargeDecision, &c.PreChargeDecidedOn, &r.court, &c.CourtCentre,
		&c.Direction, &c.Country, &c.WarrantType, &c.RequestingAuthority, &c.RequestType, &c.SensitiveReason,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &c.NextDeadline, &c.UnitCode, &c.LocationCode, &c.LawyerName, &c.Defendants}
	return r
}

// scan reads a row. The pre-charge decision date, the case's own pointer
// field, needs no clearing between rows: both drivers set it to nil for a
// NULL and to a new time for a date, never reusing the last row's.
func (r *caseScanner) scan(row interface{ Scan(...any) error }) (casework.Case, error) {
	err := row.Scan(r.dest...)
	c := r.c
	c.Kind, c.Status, c.Sensitivity, c.Court = casework.Kind(r.kind), casework.Status(r.status), access.Sensitivity(r.sensitivity), casework.Court(r.court)
	c.LawyerID, c.ManagerID = nullableID(r.lawyer), nullableID(r.manager)
	c.OpenedOn, c.NextDeadline = c.OpenedOn.UTC(), c.NextDeadline.UTC()
	return c, err
}

// CreateCase adds a case for the principal, who must be allowed to write
// such a case (their own unit, a sensitivity they are cleared for), and
// puts its lawyer and manager on its case team.
// Errors: Invalid, Forbidden, Conflict (the reference is taken).
func (db *DB) CreateCase(ctx context.Context, p *access.Principal, c *casework.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	team := []int64{p.PersonID} // whoever opens a case may work on it
	if c.LawyerID != nil {
		team = append(team, *c.LawyerID)
	}
	if !db.Clearances.Can(p, access.Write, access.Record{UnitID: c.UnitID, Sensitivity: c.Sensitivity, Team: team}) {
		return fault.Errorf(fault.Forbidden, "You may open cases only in your own units, at a sensitivity you are cleared for")
	}
	c.OpenedOn = dateOnly(c.OpenedOn)
	if c.PreChargeDecidedOn != nil {
		day := dateOnly(*c.PreChargeDecidedOn)
		c.PreChargeDecidedOn = &day
	}
	return db.inTx(ctx, func(tx *Tx) error {
		c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
		id, err := tx.insert(ctx, `INSERT INTO cases (reference, kind, title, unit_id, location_id, status, sensitivity, lawyer_id, manager_id,
			opened_on, agency, counsel, complexity, pre_charge_decision, pre_charge_decided_on, court, court_centre,
			direction, country, warrant_type, requesting_authority, request_type, sensitive_reason, version, created_at, updated_at, next_deadline)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(caseValues(c), noDeadline)...)
		if err != nil {
			return fmt.Errorf("create case %s: %w", c.Reference, tx.dialect.translate(err))
		}
		c.ID = id
		if err := syncCaseTeam(ctx, tx, c); err != nil {
			return err
		}
		return tx.record(ctx, audit.Create, "case", id, audit.Diff(nil, storedCase(*c)))
	})
}

func caseValues(c *casework.Case) []any {
	return []any{c.Reference, string(c.Kind), c.Title, c.UnitID, c.LocationID, string(c.Status), string(c.Sensitivity), c.LawyerID, c.ManagerID,
		dateOnly(c.OpenedOn), c.Agency, c.Counsel, c.Complexity, c.PreChargeDecision, dateOrNil(c.PreChargeDecidedOn), string(c.Court), c.CourtCentre,
		c.Direction, c.Country, c.WarrantType, c.RequestingAuthority, c.RequestType, c.SensitiveReason, c.Version, c.CreatedAt, c.UpdatedAt}
}

// dateOnly stores a civil date as midnight UTC, so dates compare and group
// the same way on both databases.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dateOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return dateOnly(*t)
}

// storedCase drops what is resolved for display.
func storedCase(c casework.Case) casework.Case {
	c.UnitCode, c.LocationCode, c.LawyerName, c.Defendants, c.NextDeadline = "", "", "", 0, time.Time{}
	return c
}

// syncCaseTeam keeps the case's lawyer and manager on its case team, which
// is who sees a restricted case.
func syncCaseTeam(ctx context.Context, tx *Tx, c *casework.Case) error {
	if _, err := tx.exec(ctx, `DELETE FROM record_team WHERE record_type = 'case' AND record_id = ?`, c.ID); err != nil {
		return err
	}
	for _, member := range []*int64{c.LawyerID, c.ManagerID} {
		if member == nil {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO record_team (record_type, record_id, person_id) VALUES ('case', ?, ?) ON CONFLICT DO NOTHING`, c.ID, *member); err != nil {
			return tx.dialect.translate(err)
		}
	}
	return nil
}

// UpdateCase saves a case if nobody has changed it since the version the
// caller read; otherwise it refuses, so no change is silently lost.
// Errors: NotFound, Invalid, Conflict (changed since read, or reference taken).
func (db *DB) UpdateCase(ctx context.Context, p *access.Principal, c *casework.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := db.caseFor(ctx, tx, p, c.ID, access.Write)
		if err != nil {
			return err
		}
		c.OpenedOn = dateOnly(c.OpenedOn)
		if before.Version != c.Version {
			return fault.Errorf(fault.Conflict, "The case has changed since you opened it (by someone else, or in another tab). Reload it to see the changes, then make yours again.")
		}
		c.Version, c.CreatedAt, c.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		args := append(caseValues(c)[:23], c.Version, c.UpdatedAt, c.ID, before.Version)
		update := func() error {
			res, err := tx.exec(ctx, `UPDATE cases SET reference = ?, kind = ?, title = ?, unit_id = ?, location_id = ?, status = ?, sensitivity = ?,
			lawyer_id = ?, manager_id = ?, opened_on = ?, agency = ?, counsel = ?, complexity = ?, pre_charge_decision = ?,
			pre_charge_decided_on = ?, court = ?, court_centre = ?, direction = ?, country = ?, warrant_type = ?,
			requesting_authority = ?, request_type = ?, sensitive_reason = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, args...)
			if err != nil {
				return fmt.Errorf("update case %d: %w", c.ID, tx.dialect.translate(err))
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fault.Errorf(fault.Conflict, "The case has changed since you opened it. Reload it and make your change again.")
			}
			return nil
		}
		if movesOutcomes(before, *c) {
			err = tx.rerollCase(ctx, c.ID, update)
		} else {
			err = update()
		}
		if err != nil {
			return err
		}
		if err := syncCaseTeam(ctx, tx, c); err != nil {
			return err
		}
		if err := tx.record(ctx, audit.Update, "case", c.ID, audit.Diff(storedCase(before), storedCase(*c))); err != nil {
			return err
		}
		if c.Status == casework.Finalised && before.Status != casework.Finalised {
			return startDebriefOnFinalise(ctx, tx, p, *c)
		}
		return nil
	})
}

// caseFor reads a case the principal may act on. A case they may not see
// is not found, so its existence does not leak.
func (db *DB) caseFor(ctx context.Context, tx *Tx, p *access.Principal, id int64, action access.Action) (casework.Case, error) {
	c, err := scanCase(tx.queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, id))
	c.ID = id
	return db.allowCase(ctx, p, c, err, action)
}

// allowCase decides whether the principal may act on a case just read. A
// case they may not see is not found, so its existence does not leak.
func (db *DB) allowCase(ctx context.Context, p *access.Principal, c casework.Case, readErr error, action access.Action) (casework.Case, error) {
	if errors.Is(readErr, sql.ErrNoRows) {
		return casework.Case{}, errCaseNotFound(c.ID)
	} else if readErr != nil {
		return casework.Case{}, readErr
	}
	rec, err := db.caseRecord(ctx, c)
	if err != nil {
		return casework.Case{}, err
	}
	if !db.Clearances.Can(p, access.Read, rec) {
		return casework.Case{}, errCaseNotFound(c.ID)
	}
	if action == access.Write && !db.Clearances.Can(p, access.Write, rec) {
		return casework.Case{}, fault.Errorf(fault.Forbidden, "You may read this case but not change it")
	}
	return c, nil
}

func errCaseNotFound(id int64) error { return fault.Errorf(fault.NotFound, "There is no case %d", id) }

// caseRecord is what the access policy needs to know of a case.
func (db *DB) caseRecord(ctx context.Context, c casework.Case) (access.Record, error) {
	rec := access.Record{UnitID: c.UnitID, Sensitivity: c.Sensitivity}
	rows, err := db.query(ctx, `SELECT 'team', person_id, NULL FROM record_team WHERE record_type = 'case' AND record_id = ?
		UNION ALL SELECT 'share', person_id, partner_id FROM record_shares WHERE record_type = 'case' AND record_id = ?`, c.ID, c.ID)
	if err != nil {
		return rec, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var person, partner sql.NullInt64
		if err := rows.Scan(&kind, &person, &partner); err != nil {
			return rec, err
		}
		switch {
		case kind == "team" && person.Valid:
			rec.Team = append(rec.Team, person.Int64)
		case person.Valid:
			rec.SharedPeople = append(rec.SharedPeople, person.Int64)
		case partner.Valid:
			rec.SharedPartners = append(rec.SharedPartners, partner.Int64)
		}
	}
	return rec, rows.Err()
}

// Case returns a case the principal may see, recording the view in the
// audit trail when the case is restricted. Errors: NotFound.
func (db *DB) Case(ctx context.Context, p *access.Principal, id int64) (casework.Case, error) {
	c, err := scanCase(db.queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, id))
	c.ID = id
	if c, err = db.allowCase(ctx, p, c, err, access.Read); err != nil {
		return c, err
	}
	if c.Sensitivity == access.Restricted {
		if err := db.RecordView(ctx, "case", id); err != nil {
			return c, err
		}
	}
	return c, nil
}

// CaseFilter selects cases for the caseload list.
type CaseFilter struct {
	Unit      string // unit code
	Location  string // location code
	LawyerID  *int64
	Status    string
	Kind      casework.Kind
	Sensitive bool // only cases on the sensitive case log
	// CTLWithin keeps cases whose next custody time limit expires within
	// this many days from Today (0: no limit).
	CTLWithin int
	Today     time.Time
	// Sort is "deadline" (soonest next deadline first, the default) or
	// "opened" (newest first).
	Sort   string
	Query  string
	Cursor string
	Limit  int
}

// CasePage is one page of the caseload.
type CasePage struct {
	Cases []casework.Case `json:"cases"`
	Next  string          `json:"next_cursor,omitempty"`
}

// Cases lists the cases the principal may see, newest opened first,
// filtered in SQL by the access policy.
func (db *DB) Cases(ctx context.Context, p *access.Principal, f CaseFilter) (CasePage, error) {
	after, err := decodeCursor(f.Cursor)
	if err != nil {
		return CasePage{}, err
	}
	limit := clampLimit(f.Limit)
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	where := []string{visible}
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.Unit != "" {
		add("u.code = ?", f.Unit)
	}
	if f.Location != "" {
		add("l.code = ?", f.Location)
	}
	if f.LawyerID != nil {
		add("c.lawyer_id = ?", *f.LawyerID)
	}
	if f.Status != "" {
		add("c.status = ?", f.Status)
	}
	if f.Kind != "" {
		add("c.kind = ?", string(f.Kind))
	}
	if f.Sensitive {
		where = append(where, "c.sensitive_reason <> ''")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := db.dialect.caseInsensitiveLike()
		pattern := "%" + escapeLike(q) + "%"
		where = append(where, "(c.reference "+like+" ? ESCAPE '\\' OR c.title "+like+" ? ESCAPE '\\')")
		args = append(args, pattern, pattern)
	}
	if f.CTLWithin > 0 {
		add("c.next_deadline <= ?", dateOnly(f.Today).AddDate(0, 0, f.CTLWithin))
	}
	column, cmp, order := "c.next_deadline", ">", "ASC"
	switch f.Sort {
	case "", "deadline":
	case "opened":
		column, cmp, order = "c.opened_on", "<", "DESC"
	default:
		return CasePage{}, &fault.Error{Code: fault.Invalid, Message: "The caseload cannot be sorted that way",
			Fields: []fault.FieldError{{Field: "sort", Message: "Sort by deadline or opened"}}}
	}
	if after.ID != 0 {
		// Resume after the last row's (date, id).
		key, _ := time.Parse("2006-01-02", after.Key)
		where = append(where, "("+column+", c.id) "+cmp+" (?, ?)")
		args = append(args, key, after.ID)
	}
	page := CasePage{Cases: make([]casework.Case, 0, limit+1)}
	rowOf := newCaseScanner()
	err = db.eachRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY %s %s, c.id %s LIMIT %d`, column, order, order, limit+1), args, func(row scanner) error {
		c, err := rowOf.scan(row)
		page.Cases = append(page.Cases, c)
		return err
	})
	if err != nil {
		return CasePage{}, err
	}
	if len(page.Cases) > limit {
		page.Cases = page.Cases[:limit]
		last := page.Cases[limit-1]
		key := last.NextDeadline
		if f.Sort == "opened" {
			key = last.OpenedOn
		}
		page.Next = cursor{Key: key.Format("2006-01-02"), ID: last.ID}.encode()
	}
	return page, nil
}

const defendantColumns = `id, case_id, ref, name, custody_status, principal_offence, court, country, outcome, finalised_on, extradition_input`

// scanDefendant reads a defendant, with a requested person's extradition
// time limits computed again from the dates recorded, so the working
// shown is always the calendar's current answer.
func scanDefendant(row interface{ Scan(...any) error }, cal *deadline.Calendar) (casework.Defendant, error) {
	var d casework.Defendant
	var offence, court, outcome, extradition string
	err := row.Scan(&d.ID, &d.CaseID, &d.Ref, &d.Name, &d.CustodyStatus, &offence, &court, &d.Country, &outcome, &d.FinalisedOn, &extradition)
	if err != nil {
		return d, err
	}
	d.PrincipalOffence, d.Court, d.Outcome = casework.OffenceCategory(offence), casework.Court(court), casework.Outcome(outcome)
	if extradition == "" || extradition == "null" {
		return d, nil
	}
	d.Extradition = &deadline.ExtraditionInput{}
	if err := json.Unmarshal([]byte(extradition), d.Extradition); err != nil {
		return d, fmt.Errorf("defendant %d: stored extradition dates: %w", d.ID, err)
	}
	*d.Extradition = inEngland(*d.Extradition)
	if limits, err := deadline.ComputeExtradition(*d.Extradition, cal); err == nil {
		d.ExtraditionLimits = limits
	}
	return d, nil
}

func (db *DB) defendantIn(ctx context.Context, tx *Tx, caseID, id int64) (casework.Defendant, error) {
	d, err := scanDefendant(tx.queryRow(ctx, `SELECT `+defendantColumns+` FROM defendants WHERE id = ? AND case_id = ?`, id, caseID), db.Calendar)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fault.Errorf(fault.NotFound, "There is no defendant %d on case %d", id, caseID)
	}
	return d, err
}

// Defendants lists a case's defendants; the caller has already been
// allowed to see the case.
func (db *DB) Defendants(ctx context.Context, caseID int64) ([]casework.Defendant, error) {
	rows, err := db.query(ctx, `SELECT `+defendantColumns+` FROM defendants WHERE case_id = ? ORDER BY ref`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Defendant
	for rows.Next() {
		d, err := scanDefendant(rows, db.Calendar)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveDefendant adds a defendant to a case the principal may change, or
// updates one. Errors: NotFound, Forbidden, Invalid, Conflict.
func (db *DB) SaveDefendant(ctx context.Context, p *access.Principal, d *casework.Defendant) error {
	return db.inTx(ctx, func(tx *Tx) error {
		c, err := db.caseFor(ctx, tx, p, d.CaseID, access.Write)
		if err != nil {
			return err
		}
		if err := d.Validate(c.Kind, c.OpenedOn); err != nil {
			return err
		}
		values := []any{d.Name, d.CustodyStatus, string(d.PrincipalOffence), string(d.Court), d.Country, string(d.Outcome), dateOrNil(d.FinalisedOn)}
		if err := tx.rerollCase(ctx, d.CaseID, func() error { return db.writeDefendant(ctx, tx, d, values) }); err != nil {
			return err
		}
		return debriefIfAllFinalised(ctx, tx, p, c, d)
	})
}

// writeDefendant adds or changes a defendant of a case already checked.
func (db *DB) writeDefendant(ctx context.Context, tx *Tx, d *casework.Defendant, values []any) error {
	if d.ID == 0 {
		id, err := tx.insert(ctx, `INSERT INTO defendants (name, custody_status, principal_offence, court, country, outcome, finalised_on, case_id, ref)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(values, d.CaseID, d.Ref)...)
		if err != nil {
			return fmt.Errorf("add defendant %s: %w", d.Ref, tx.dialect.translate(err))
		}
		d.ID = id
		return tx.record(ctx, audit.Create, "defendant", id, audit.Diff(nil, d))
	}
	before, err := db.defendantIn(ctx, tx, d.CaseID, d.ID)
	if err != nil {
		return err
	}
	d.Ref = before.Ref // the id within the case names the defendant in files: it does not change
	if _, err := tx.exec(ctx, `UPDATE defendants SET name = ?, custody_status = ?, principal_offence = ?, court = ?, country = ?, outcome = ?, finalised_on = ?
		WHERE id = ? AND case_id = ?`, append(values, d.ID, d.CaseID)...); err != nil {
		return tx.dialect.translate(err)
	}
	return tx.record(ctx, audit.Update, "defendant", d.ID, audit.Diff(before, d))
}

// debriefIfAllFinalised starts the case's de-brief when the defendant
// just saved was the last without an outcome.
func debriefIfAllFinalised(ctx context.Context, tx *Tx, p *access.Principal, c casework.Case, d *casework.Defendant) error {
	if !d.Finalised() {
		return nil
	}
	var pending int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM defendants WHERE case_id = ? AND outcome = ''`, c.ID).Scan(&pending); err != nil {
		return err
	}
	if pending > 0 {
		return nil
	}
	return startDebriefOnFinalise(ctx, tx, p, c)
}
