package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

// Inspection frameworks, inspections and their findings. Everyone who may
// read plans reads all of them (they are official, not case records);
// writes are the plan managers', and closing is the accountable owner's.

func errPlanManagers() error {
	return fault.Errorf(fault.Forbidden, "Only the head of division and the business managers record inspections, findings, responses and action plans")
}

// ImportFramework stores a parsed framework with its criteria.
// Errors: Forbidden, Invalid, Conflict (a framework with the code exists).
func (db *DB) ImportFramework(ctx context.Context, p *access.Principal, f *plan.Framework) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var exists int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM frameworks WHERE code = ?`, f.Code).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return fault.Errorf(fault.Conflict, "A framework with the code %s is already loaded; give this one another code", f.Code)
		}
		id, err := tx.insert(ctx, `INSERT INTO frameworks (code, title, body, description, source, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.Code, f.Title, f.Body, f.Description, f.Source, tx.now)
		if err != nil {
			return fmt.Errorf("import framework %s: %w", f.Code, tx.dialect.translate(err))
		}
		f.ID = id
		for i, c := range f.Criteria {
			if _, err := tx.exec(ctx, `INSERT INTO framework_criteria (framework_id, criterion, parent, text, position) VALUES (?, ?, ?, ?, ?)`,
				id, c.ID, c.Parent, c.Text, i); err != nil {
				return fmt.Errorf("import framework %s, criterion %s: %w", f.Code, c.ID, tx.dialect.translate(err))
			}
		}
		return tx.record(ctx, audit.Create, "framework", id, audit.Fields(map[string]any{
			"code": f.Code, "title": f.Title, "body": f.Body, "criteria": len(f.Criteria)}))
	})
}

// Frameworks lists the frameworks loaded, without their criteria.
func (db *DB) Frameworks(ctx context.Context) ([]plan.Framework, error) {
	rows, err := db.query(ctx, `SELECT id, code, title, body, description, source FROM frameworks ORDER BY title, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.Framework
	for rows.Next() {
		var f plan.Framework
		if err := rows.Scan(&f.ID, &f.Code, &f.Title, &f.Body, &f.Description, &f.Source); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Framework returns a framework with its criteria in file order.
// Errors: NotFound.
func (db *DB) Framework(ctx context.Context, id int64) (plan.Framework, error) {
	var f plan.Framework
	err := db.queryRow(ctx, `SELECT id, code, title, body, description, source FROM frameworks WHERE id = ?`, id).
		Scan(&f.ID, &f.Code, &f.Title, &f.Body, &f.Description, &f.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fault.Errorf(fault.NotFound, "There is no framework %d", id)
	} else if err != nil {
		return f, db.unavailable("read framework", err)
	}
	rows, err := db.query(ctx, `SELECT criterion, parent, text FROM framework_criteria WHERE framework_id = ? ORDER BY position`, id)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var c plan.Criterion
		if err := rows.Scan(&c.ID, &c.Parent, &c.Text); err != nil {
			return f, err
		}
		f.Criteria = append(f.Criteria, c)
	}
	return f, rows.Err()
}

// FrameworkByCode returns the id of the framework with the code.
// Errors: NotFound.
func (db *DB) FrameworkByCode(ctx context.Context, code string) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT id FROM frameworks WHERE code = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fault.Errorf(fault.NotFound, "There is no framework with the code %q", code)
	}
	return id, err
}

const inspectionColumns = `i.id, i.body, i.title, i.kind, i.reference, i.organisation, i.published_on, i.fieldwork_from, i.fieldwork_to,
	i.framework_id, i.summary, i.created_at, i.updated_at, COALESCE(fw.code, ''),
	(SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id AND f.kind = 'recommendation'),
	(SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id AND f.kind = 'aspect_for_improvement'),
	(SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id AND f.kind = 'good_practice'),
	(SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id AND f.status = 'open'),
	(SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id AND f.status IN ('closed_implemented', 'closed_not_implemented'))`

const inspectionFrom = ` FROM inspections i LEFT JOIN frameworks fw ON fw.id = i.framework_id`

func scanInspection(row interface{ Scan(...any) error }) (plan.Inspection, error) {
	var in plan.Inspection
	var framework sql.NullInt64
	err := row.Scan(&in.ID, &in.Body, &in.Title, &in.Type, &in.Reference, &in.Organisation, &in.PublishedOn, &in.FieldworkFrom, &in.FieldworkTo,
		&framework, &in.Summary, &in.CreatedAt, &in.UpdatedAt, &in.FrameworkCode,
		&in.Counts.Recommendations, &in.Counts.Aspects, &in.Counts.GoodPractice, &in.Counts.Open, &in.Counts.Closed)
	in.FrameworkID = nullableID(framework)
	in.PublishedOn = in.PublishedOn.UTC()
	in.FieldworkFrom, in.FieldworkTo = utcPtr(in.FieldworkFrom), utcPtr(in.FieldworkTo)
	return in, err
}

// CreateInspection records an inspection and its report.
// Errors: Forbidden, Invalid.
func (db *DB) CreateInspection(ctx context.Context, p *access.Principal, in *plan.Inspection) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	if err := in.Validate(); err != nil {
		return err
	}
	in.PublishedOn = dateOnly(in.PublishedOn)
	return db.inTx(ctx, func(tx *Tx) error {
		if in.FrameworkID != nil {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM frameworks WHERE id = ?`, *in.FrameworkID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return &fault.Error{Code: fault.Invalid, Message: "The inspection could not be saved",
					Fields: []fault.FieldError{{Field: "framework_id", Message: fmt.Sprintf("There is no framework %d", *in.FrameworkID)}}}
			}
		}
		in.CreatedAt, in.UpdatedAt = tx.now, tx.now
		id, err := tx.insert(ctx, `INSERT INTO inspections (body, title, kind, reference, organisation, published_on, fieldwork_from, fieldwork_to,
			framework_id, summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.Body, in.Title, in.Type, in.Reference, in.Organisation, in.PublishedOn, dateOrNil(in.FieldworkFrom), dateOrNil(in.FieldworkTo),
			in.FrameworkID, in.Summary, in.CreatedAt, in.UpdatedAt)
		if err != nil {
			return fmt.Errorf("create inspection: %w", tx.dialect.translate(err))
		}
		in.ID = id
		return tx.record(ctx, audit.Create, "inspection", id, audit.Diff(nil, *in))
	})
}

// Inspections lists every inspection, newest report first, with counts of
// its findings.
func (db *DB) Inspections(ctx context.Context) ([]plan.Inspection, error) {
	rows, err := db.query(ctx, `SELECT `+inspectionColumns+inspectionFrom+` ORDER BY i.published_on DESC, i.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Inspection returns one inspection. Errors: NotFound.
func (db *DB) Inspection(ctx context.Context, id int64) (plan.Inspection, error) {
	in, err := scanInspection(db.queryRow(ctx, `SELECT `+inspectionColumns+inspectionFrom+` WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, fault.Errorf(fault.NotFound, "There is no inspection %d", id)
	} else if err != nil {
		return in, db.unavailable("read inspection", err)
	}
	return in, nil
}

const findingColumns = `f.id, f.inspection_id, f.kind, f.number, f.text, f.paragraph, f.status, f.owner_id, f.response, f.response_text, f.response_on,
	f.closed_on, f.closed_by, f.closure_note, f.created_at, f.updated_at, COALESCE(o.name, ''), COALESCE(cb.name, ''), i.title, i.body, i.published_on`

const findingFrom = ` FROM findings f JOIN inspections i ON i.id = f.inspection_id
	LEFT JOIN people o ON o.id = f.owner_id LEFT JOIN people cb ON cb.id = f.closed_by`

// findingOrder lists findings as a report does: recommendations, then
// aspects for improvement, then good practice, each by number.
const findingOrder = ` ORDER BY CASE f.kind WHEN 'recommendation' THEN 1 WHEN 'aspect_for_improvement' THEN 2 ELSE 3 END, f.number`

func scanFinding(row interface{ Scan(...any) error }) (plan.Finding, error) {
	var f plan.Finding
	var kind, status, decision, responseText string
	var owner, closedBy sql.NullInt64
	var responseOn *time.Time
	err := row.Scan(&f.ID, &f.InspectionID, &kind, &f.Number, &f.Text, &f.Paragraph, &status, &owner, &decision, &responseText, &responseOn,
		&f.ClosedOn, &closedBy, &f.ClosureNote, &f.CreatedAt, &f.UpdatedAt, &f.OwnerName, &f.ClosedByName, &f.InspectionTitle, &f.InspectionBody, &f.PublishedOn)
	f.Kind, f.Status = plan.Kind(kind), plan.Status(status)
	f.OwnerID, f.ClosedByID = nullableID(owner), nullableID(closedBy)
	f.PublishedOn, f.ClosedOn = f.PublishedOn.UTC(), utcPtr(f.ClosedOn)
	if decision != "" {
		f.Response = &plan.Response{Decision: plan.Decision(decision), Text: responseText}
		if responseOn != nil {
			f.Response.On = responseOn.UTC()
		}
	}
	f.Criteria = []string{}
	return f, err
}

// AddFinding records a recommendation, aspect for improvement or good
// practice of an inspection. Its criteria must be in the inspection's
// framework. Errors: Forbidden, Invalid, NotFound, Conflict (the number is
// taken).
func (db *DB) AddFinding(ctx context.Context, p *access.Principal, f *plan.Finding) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var published time.Time
		var framework sql.NullInt64
		err := tx.queryRow(ctx, `SELECT published_on, framework_id FROM inspections WHERE id = ?`, f.InspectionID).Scan(&published, &framework)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "There is no inspection %d", f.InspectionID)
		} else if err != nil {
			return err
		}
		if err := checkCriteria(ctx, tx, framework, f.Criteria); err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, "owner_id", f.OwnerID); err != nil {
			return err
		}
		if f.Response != nil {
			if err := f.Response.Validate(published.UTC()); err != nil {
				return err
			}
		}
		return insertFinding(ctx, tx, f)
	})
}

// insertFinding writes a finding checked against its inspection, with its
// criteria, and its audit entry.
func insertFinding(ctx context.Context, tx *Tx, f *plan.Finding) error {
	f.CreatedAt, f.UpdatedAt = tx.now, tx.now
	decision, text, on := responseValues(f.Response)
	id, err := tx.insert(ctx, `INSERT INTO findings (inspection_id, kind, number, text, paragraph, status, owner_id, response, response_text, response_on,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.InspectionID, string(f.Kind), f.Number, f.Text, f.Paragraph, string(f.Status), f.OwnerID, decision, text, on, f.CreatedAt, f.UpdatedAt)
	if err != nil {
		err = tx.dialect.translate(err)
		if fault.CodeOf(err) == fault.Conflict {
			return fault.Errorf(fault.Conflict, "The inspection already has %s", f.Name())
		}
		return fmt.Errorf("add finding: %w", err)
	}
	f.ID = id
	for _, c := range f.Criteria {
		if _, err := tx.exec(ctx, `INSERT INTO finding_criteria (finding_id, criterion) VALUES (?, ?)`, id, c); err != nil {
			return tx.dialect.translate(err)
		}
	}
	return tx.record(ctx, audit.Create, "finding", id, audit.Diff(nil, *f))
}

func responseValues(r *plan.Response) (string, string, any) {
	if r == nil {
		return "", "", nil
	}
	return string(r.Decision), r.Text, dateOnly(r.On)
}

func checkCriteria(ctx context.Context, tx *Tx, framework sql.NullInt64, criteria []string) error {
	if len(criteria) == 0 {
		return nil
	}
	if !framework.Valid {
		return &fault.Error{Code: fault.Invalid, Message: "The finding could not be saved",
			Fields: []fault.FieldError{{Field: "criteria", Message: "The inspection has no framework, so its findings cannot name criteria"}}}
	}
	for _, c := range criteria {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM framework_criteria WHERE framework_id = ? AND criterion = ?`, framework.Int64, c).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &fault.Error{Code: fault.Invalid, Message: "The finding could not be saved",
				Fields: []fault.FieldError{{Field: "criteria", Message: fmt.Sprintf("The inspection's framework has no criterion %s", c)}}}
		}
	}
	return nil
}

func checkPerson(ctx context.Context, tx *Tx, field string, id *int64) error {
	if id == nil {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ? AND active AND partner_id IS NULL`, *id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &fault.Error{Code: fault.Invalid, Message: "There is no such member of staff",
			Fields: []fault.FieldError{{Field: field, Message: fmt.Sprintf("There is no current member of staff %d", *id)}}}
	}
	return nil
}

// Findings lists an inspection's findings in the report's order, with
// their criteria.
func (db *DB) Findings(ctx context.Context, inspectionID int64) ([]plan.Finding, error) {
	return db.findings(ctx, ` WHERE f.inspection_id = ?`, inspectionID)
}

func (db *DB) findings(ctx context.Context, where string, args ...any) ([]plan.Finding, error) {
	rows, err := db.query(ctx, `SELECT `+findingColumns+findingFrom+where+findingOrder, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plan.Finding
	index := map[int64]int{}
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, err
		}
		index[f.ID] = len(out)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	crit, err := db.query(ctx, `SELECT fc.finding_id, fc.criterion FROM finding_criteria fc JOIN findings f ON f.id = fc.finding_id
		JOIN inspections i ON i.id = f.inspection_id`+where+` ORDER BY fc.criterion`, args...)
	if err != nil {
		return nil, err
	}
	defer crit.Close()
	for crit.Next() {
		var id int64
		var c string
		if err := crit.Scan(&id, &c); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Criteria = append(out[i].Criteria, c)
		}
	}
	return out, crit.Err()
}

// Finding returns one finding with its criteria. Errors: NotFound.
func (db *DB) Finding(ctx context.Context, id int64) (plan.Finding, error) {
	list, err := db.findings(ctx, ` WHERE f.id = ?`, id)
	if err != nil {
		return plan.Finding{}, err
	}
	if len(list) == 0 {
		return plan.Finding{}, errFindingNotFound(id)
	}
	return list[0], nil
}

func errFindingNotFound(id int64) error {
	return fault.Errorf(fault.NotFound, "There is no recommendation, aspect for improvement or good practice %d", id)
}

func findingFor(ctx context.Context, tx *Tx, id int64) (plan.Finding, error) {
	f, err := scanFinding(tx.queryRow(ctx, `SELECT `+findingColumns+findingFrom+` WHERE f.id = ?`+tx.dialect.forUpdateOf("f"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, errFindingNotFound(id)
	}
	return f, err
}

// RecordResponse records the organisation's response to a recommendation
// or aspect for improvement, replacing any before it (the audit trail
// keeps the old). Errors: Forbidden, NotFound, Invalid.
func (db *DB) RecordResponse(ctx context.Context, p *access.Principal, findingID int64, r plan.Response) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	r.On = dateOnly(r.On)
	return db.inTx(ctx, func(tx *Tx) error {
		f, err := findingFor(ctx, tx, findingID)
		if err != nil {
			return err
		}
		if !f.Kind.Acted() {
			return fault.Errorf(fault.Invalid, "Good practice takes no response")
		}
		if err := r.Validate(f.PublishedOn); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE findings SET response = ?, response_text = ?, response_on = ?, updated_at = ? WHERE id = ?`,
			string(r.Decision), r.Text, r.On, tx.now, findingID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "finding", findingID, audit.Diff(map[string]any{"response": f.Response}, map[string]any{"response": r}))
	})
}

// SetAccountableOwner names who is accountable for a finding and signs off
// its closure. Errors: Forbidden, NotFound, Invalid.
func (db *DB) SetAccountableOwner(ctx context.Context, p *access.Principal, findingID, ownerID int64) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	return db.inTx(ctx, func(tx *Tx) error {
		f, err := findingFor(ctx, tx, findingID)
		if err != nil {
			return err
		}
		if !f.Kind.Acted() {
			return fault.Errorf(fault.Invalid, "Good practice has no accountable owner")
		}
		if err := checkPerson(ctx, tx, "owner_id", &ownerID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE findings SET owner_id = ?, updated_at = ? WHERE id = ?`, ownerID, tx.now, findingID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "finding", findingID, audit.Diff(map[string]any{"owner_id": f.OwnerID}, map[string]any{"owner_id": ownerID}))
	})
}

// CloseFinding closes a recommendation or aspect for improvement, signed
// off by its accountable owner: as implemented when every action is done,
// or as not implemented with the reason. Errors: Forbidden, NotFound,
// Invalid, Conflict.
func (db *DB) CloseFinding(ctx context.Context, p *access.Principal, findingID int64, c plan.Closure) error {
	c.On = dateOnly(c.On)
	return db.inTx(ctx, func(tx *Tx) error {
		f, err := findingFor(ctx, tx, findingID)
		if err != nil {
			return err
		}
		if !access.CanSignOff(p, f.OwnerID) {
			return errSignOff(f)
		}
		actions, err := actionsOf(ctx, tx, findingID)
		if err != nil {
			return err
		}
		if err := plan.ValidateClosure(f, actions, &c); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE findings SET status = ?, closed_on = ?, closed_by = ?, closure_note = ?, updated_at = ? WHERE id = ?`,
			string(c.Status), c.On, p.PersonID, c.Note, tx.now, findingID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "finding", findingID, audit.Diff(
			map[string]any{"status": f.Status}, map[string]any{"status": c.Status, "closed_on": c.On, "closed_by": p.PersonID, "closure_note": c.Note}))
	})
}

func errSignOff(f plan.Finding) error {
	if f.OwnerID == nil {
		return fault.Errorf(fault.Forbidden, "%s has no accountable owner to sign it off: the head of division names one first", f.Name())
	}
	return fault.Errorf(fault.Forbidden, "Only the accountable owner of %s, %s, may sign off its closure", f.Name(), f.OwnerName)
}
