package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
)

// Hearings, directions and key documents of a case. The readers take a
// case id the caller has already been allowed to read (as the case page
// and API do, by reading the case first); the writers check the principal
// may change the case, in the same transaction as the write.

// Hearings lists a case's hearings, earliest first.
func (db *DB) Hearings(ctx context.Context, caseID int64) ([]casework.Hearing, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, kind, court, centre, held_on, note FROM hearings WHERE case_id = ? ORDER BY held_on, id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Hearing
	for rows.Next() {
		var h casework.Hearing
		var on time.Time
		if err := rows.Scan(&h.ID, &h.CaseID, &h.Kind, &h.Court, &h.Centre, &on, &h.Note); err != nil {
			return nil, err
		}
		h.On = deadline.DateOf(on.UTC())
		out = append(out, h)
	}
	return out, rows.Err()
}

// SaveHearing adds a hearing to a case the principal may change, or
// changes one. Errors: NotFound, Forbidden, Invalid.
func (db *DB) SaveHearing(ctx context.Context, p *access.Principal, h *casework.Hearing) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.caseFor(ctx, tx, p, h.CaseID, access.Write); err != nil {
			return err
		}
		values := []any{string(h.Kind), string(h.Court), h.Centre, h.On.Time(time.UTC), h.Note}
		if h.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO hearings (kind, court, centre, held_on, note, case_id) VALUES (?, ?, ?, ?, ?, ?)`, append(values, h.CaseID)...)
			if err != nil {
				return fmt.Errorf("add hearing: %w", tx.dialect.translate(err))
			}
			h.ID = id
			return tx.record(ctx, audit.Create, "hearing", id, audit.Diff(nil, h))
		}
		if err := updateOne(ctx, tx, `UPDATE hearings SET kind = ?, court = ?, centre = ?, held_on = ?, note = ? WHERE id = ? AND case_id = ?`,
			append(values, h.ID, h.CaseID), "There is no hearing %d on case %d", h.ID, h.CaseID); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "hearing", h.ID, audit.Diff(nil, h))
	})
}

// Directions lists a case's directions, soonest due first.
func (db *DB) Directions(ctx context.Context, caseID int64) ([]casework.Direction, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, hearing_id, court, description, due_on, completed_on
		FROM directions WHERE case_id = ? ORDER BY due_on, id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Direction
	for rows.Next() {
		d, err := scanDirection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func scanDirection(row interface{ Scan(...any) error }) (casework.Direction, error) {
	var d casework.Direction
	var hearing sql.NullInt64
	var due time.Time
	var completed sql.NullTime
	if err := row.Scan(&d.ID, &d.CaseID, &hearing, &d.Court, &d.Description, &due, &completed); err != nil {
		return d, err
	}
	d.HearingID, d.Due, d.CompletedOn = nullableID(hearing), deadline.DateOf(due.UTC()), nullableDate(completed)
	return d, nil
}

// SaveDirection adds a direction to a case the principal may change, or
// changes one (recording that it was complied with is a change). A
// direction's hearing must be one of the same case.
// Errors: NotFound, Forbidden, Invalid.
func (db *DB) SaveDirection(ctx context.Context, p *access.Principal, d *casework.Direction) error {
	if err := d.Validate(deadline.Today(db.Now())); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.caseFor(ctx, tx, p, d.CaseID, access.Write); err != nil {
			return err
		}
		if d.HearingID != nil {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM hearings WHERE id = ? AND case_id = ?`, *d.HearingID, d.CaseID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return &fault.Error{Code: fault.Invalid, Message: "The direction could not be saved",
					Fields: []fault.FieldError{{Field: "hearing_id", Message: "Choose a hearing of this case"}}}
			}
		}
		values := []any{d.HearingID, string(d.Court), d.Description, d.Due.Time(time.UTC), dayOrNil(d.CompletedOn)}
		if d.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO directions (hearing_id, court, description, due_on, completed_on, case_id)
				VALUES (?, ?, ?, ?, ?, ?)`, append(values, d.CaseID)...)
			if err != nil {
				return fmt.Errorf("add direction: %w", tx.dialect.translate(err))
			}
			d.ID = id
			return tx.record(ctx, audit.Create, "direction", id, audit.Diff(nil, d))
		}
		before, err := scanDirection(tx.queryRow(ctx, `SELECT id, case_id, hearing_id, court, description, due_on, completed_on
			FROM directions WHERE id = ? AND case_id = ?`, d.ID, d.CaseID))
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "There is no direction %d on case %d", d.ID, d.CaseID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE directions SET hearing_id = ?, court = ?, description = ?, due_on = ?, completed_on = ?
			WHERE id = ? AND case_id = ?`, append(values, d.ID, d.CaseID)...); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "direction", d.ID, audit.Diff(before, d))
	})
}

// Direction reads one direction of a case.
func (db *DB) Direction(ctx context.Context, caseID, id int64) (casework.Direction, error) {
	d, err := scanDirection(db.queryRow(ctx, `SELECT id, case_id, hearing_id, court, description, due_on, completed_on
		FROM directions WHERE id = ? AND case_id = ?`, id, caseID))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fault.Errorf(fault.NotFound, "There is no direction %d on case %d", id, caseID)
	}
	return d, err
}

// KeyDocuments returns the state of every key document of a case, in the
// order of casework.DocumentKinds, with those nothing is recorded about
// as missing.
func (db *DB) KeyDocuments(ctx context.Context, caseID int64) ([]casework.KeyDocument, error) {
	rows, err := db.query(ctx, `SELECT kind, updated_on, note FROM case_documents WHERE case_id = ?`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	recorded := map[casework.DocumentKind]casework.KeyDocument{}
	for rows.Next() {
		k := casework.KeyDocument{CaseID: caseID}
		var updated sql.NullTime
		if err := rows.Scan(&k.Kind, &updated, &k.Note); err != nil {
			return nil, err
		}
		k.UpdatedOn = nullableDate(updated)
		recorded[k.Kind] = k
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]casework.KeyDocument, 0, len(casework.DocumentKinds))
	for _, info := range casework.DocumentKinds {
		k, ok := recorded[info.Code]
		if !ok {
			k = casework.KeyDocument{CaseID: caseID, Kind: info.Code}
		}
		out = append(out, k)
	}
	return out, nil
}

// SaveKeyDocument records when a key document of a case the principal
// may change was last brought up to date. Errors: NotFound, Forbidden,
// Invalid.
func (db *DB) SaveKeyDocument(ctx context.Context, p *access.Principal, k *casework.KeyDocument) error {
	if err := k.Validate(deadline.Today(db.Now())); err != nil {
		return err
	}
	var review any
	if next := k.NextReview(); !next.IsZero() {
		review = next.Time(time.UTC)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.caseFor(ctx, tx, p, k.CaseID, access.Write); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO case_documents (case_id, kind, updated_on, review_due, note) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (case_id, kind) DO UPDATE SET updated_on = excluded.updated_on, review_due = excluded.review_due, note = excluded.note`,
			k.CaseID, string(k.Kind), dayOrNil(k.UpdatedOn), review, k.Note)
		if err != nil {
			return fmt.Errorf("save key document: %w", tx.dialect.translate(err))
		}
		return tx.record(ctx, audit.Update, "case_document", k.CaseID, audit.Fields(map[string]any{
			"kind": k.Kind, "updated_on": k.UpdatedOn, "note": k.Note}))
	})
}

// updateOne runs an UPDATE that must change exactly one row, and reports
// NotFound with the message otherwise.
func updateOne(ctx context.Context, tx *Tx, query string, args []any, notFound string, ids ...any) error {
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return tx.dialect.translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.Errorf(fault.NotFound, notFound, ids...)
	}
	return nil
}

func nullableDate(t sql.NullTime) *deadline.Date {
	if !t.Valid {
		return nil
	}
	d := deadline.DateOf(t.Time.UTC())
	return &d
}

func dayOrNil(d *deadline.Date) any {
	if d == nil {
		return nil
	}
	return d.Time(time.UTC)
}

// DirectionFilter narrows the directions counted for timeliness.
type DirectionFilter struct {
	Unit     string    // unit code; empty for all
	From, To time.Time // due dates, inclusive; zero is open
}

// CountDirections counts the directions of the cases the principal may
// see by court and by how they stand today (see measure.Directions).
func (db *DB) CountDirections(ctx context.Context, p *access.Principal, f DirectionFilter) ([]measure.DirectionCount, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	today := db.today()
	query := `SELECT di.court, CASE
			WHEN di.completed_on IS NOT NULL AND di.completed_on <= di.due_on THEN 'on_time'
			WHEN di.completed_on IS NOT NULL THEN 'late'
			WHEN di.due_on < ? THEN 'outstanding'
			ELSE 'pending' END AS state, COUNT(*)
		FROM directions di JOIN cases c ON c.id = di.case_id JOIN units u ON u.id = c.unit_id
		WHERE ` + visible
	args = append([]any{today}, args...)
	if f.Unit != "" {
		query += " AND u.code = ?"
		args = append(args, f.Unit)
	}
	if !f.From.IsZero() {
		query += " AND di.due_on >= ?"
		args = append(args, dateOnly(f.From))
	}
	if !f.To.IsZero() {
		query += " AND di.due_on <= ?"
		args = append(args, dateOnly(f.To))
	}
	rows, err := db.query(ctx, query+" GROUP BY di.court, state ORDER BY di.court, state", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []measure.DirectionCount
	for rows.Next() {
		var c measure.DirectionCount
		var court, state string
		if err := rows.Scan(&court, &state, &c.Count); err != nil {
			return nil, err
		}
		c.Court, c.State = casework.Court(court), measure.DirectionState(state)
		out = append(out, c)
	}
	return out, rows.Err()
}
