package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
)

// Overseas posts' monthly returns. Staff read them (partners do not, by
// the route's permission). A return is prepared by someone who records
// casework and works at the post or in the International unit; it is
// decided by someone who line-manages its preparer, or by the head of
// division.

const postReturnColumns = `r.id, r.location_id, r.month, r.narrative, r.casework_interactions, r.training_delivered, r.capacity_building,
	r.status, r.prepared_by, r.submitted_at, r.decided_by, r.decided_at, r.sent_back_reason, r.version, l.code, l.name, COALESCE(pe.name, '')`

const postReturnFrom = ` FROM post_returns r JOIN locations l ON l.id = r.location_id LEFT JOIN people pe ON pe.id = r.prepared_by`

func scanPostReturn(row interface{ Scan(...any) error }) (casework.PostReturn, error) {
	var r casework.PostReturn
	var decidedBy sql.NullInt64
	err := row.Scan(&r.ID, &r.LocationID, &r.Month, &r.Narrative, &r.CaseworkInteractions, &r.TrainingDelivered, &r.CapacityBuilding,
		&r.Status, &r.PreparedBy, &r.SubmittedAt, &decidedBy, &r.DecidedAt, &r.SentBackReason, &r.Version, &r.LocationCode, &r.LocationName, &r.PreparedByName)
	r.DecidedBy = nullableID(decidedBy)
	return r, err
}

// PostReturnFilter narrows a list of returns.
type PostReturnFilter struct {
	Location string // location code
	From, To string // months, YYYY-MM, inclusive; empty is open
	Status   casework.ReturnStatus
}

// PostReturns lists returns, newest month first, then by post.
func (db *DB) PostReturns(ctx context.Context, f PostReturnFilter) ([]casework.PostReturn, error) {
	where, args := "1 = 1", []any{}
	for _, c := range []struct {
		sql, value string
	}{{" AND l.code = ?", f.Location}, {" AND r.month >= ?", f.From}, {" AND r.month <= ?", f.To}, {" AND r.status = ?", string(f.Status)}} {
		if c.value != "" {
			where += c.sql
			args = append(args, c.value)
		}
	}
	rows, err := db.query(ctx, `SELECT `+postReturnColumns+postReturnFrom+` WHERE `+where+` ORDER BY r.month DESC, l.name LIMIT 2000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.PostReturn
	for rows.Next() {
		r, err := scanPostReturn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PostReturn reads one return. Errors: NotFound.
func (db *DB) PostReturn(ctx context.Context, id int64) (casework.PostReturn, error) {
	r, err := scanPostReturn(db.queryRow(ctx, `SELECT `+postReturnColumns+postReturnFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.Errorf(fault.NotFound, "There is no monthly return %d", id)
	}
	return r, err
}

// postReturnIn reads a return in a transaction, locked against a second
// writer on PostgreSQL (SQLite has one writer at a time already).
func postReturnIn(ctx context.Context, tx *Tx, id int64) (casework.PostReturn, error) {
	lock := ""
	if tx.dialect == Postgres {
		lock = " FOR UPDATE OF r"
	}
	r, err := scanPostReturn(tx.queryRow(ctx, `SELECT `+postReturnColumns+postReturnFrom+` WHERE r.id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.Errorf(fault.NotFound, "There is no monthly return %d", id)
	}
	return r, err
}

// SavePostReturn drafts a return, or changes one still with the post (a
// draft, or one sent back); a change needs the version that was read.
// Errors: Invalid, Forbidden, Conflict (a return of that post and month
// exists, the return was changed since it was read, or it has been
// submitted), NotFound.
func (db *DB) SavePostReturn(ctx context.Context, p *access.Principal, r *casework.PostReturn) error {
	if err := r.Validate(casework.MonthOf(db.Now())); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := mayPrepareReturn(ctx, tx, p, r.LocationID); err != nil {
			return err
		}
		if r.ID == 0 {
			r.Status, r.PreparedBy, r.Version = casework.ReturnDraft, p.PersonID, 1
			id, err := tx.insert(ctx, `INSERT INTO post_returns (location_id, month, narrative, casework_interactions, training_delivered, capacity_building,
				status, prepared_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.LocationID, r.Month, r.Narrative, r.CaseworkInteractions,
				r.TrainingDelivered, r.CapacityBuilding, string(r.Status), r.PreparedBy, r.Version)
			if err != nil {
				return returnWriteError(tx, err, r.Month)
			}
			r.ID = id
			return tx.record(ctx, audit.Create, "post_return", id, audit.Diff(nil, r))
		}
		before, err := postReturnIn(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if err := checkReturnChange(before, r.Version); err != nil {
			return err
		}
		r.Status, r.PreparedBy, r.Version = before.Status, p.PersonID, before.Version+1
		if _, err := tx.exec(ctx, `UPDATE post_returns SET location_id = ?, month = ?, narrative = ?, casework_interactions = ?, training_delivered = ?,
			capacity_building = ?, prepared_by = ?, version = ? WHERE id = ?`, r.LocationID, r.Month, r.Narrative, r.CaseworkInteractions,
			r.TrainingDelivered, r.CapacityBuilding, r.PreparedBy, r.Version, r.ID); err != nil {
			return returnWriteError(tx, err, r.Month)
		}
		return tx.record(ctx, audit.Update, "post_return", r.ID, audit.Diff(before, r))
	})
}

func checkReturnChange(before casework.PostReturn, version int64) error {
	switch {
	case !before.Status.Editable():
		return fault.Errorf(fault.Conflict, "The return for %s has been %s and can no longer be changed", before.Month, before.Status)
	case before.Version != version:
		return fault.Errorf(fault.Conflict, "The return has changed since you opened it. Reload it to see the changes, then make yours again.")
	}
	return nil
}

func returnWriteError(tx *Tx, err error, month string) error {
	err = tx.dialect.translate(err)
	if fault.CodeOf(err) == fault.Conflict {
		return fault.Errorf(fault.Conflict, "The post already has a return for %s: open it to change it", month)
	}
	return fmt.Errorf("save monthly return: %w", err)
}

// SubmitPostReturn sends a return with the post to its validator.
// Errors: Invalid (no narrative), Forbidden, Conflict, NotFound.
func (db *DB) SubmitPostReturn(ctx context.Context, p *access.Principal, id, version int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		r, err := postReturnIn(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayPrepareReturn(ctx, tx, p, r.LocationID); err != nil {
			return err
		}
		if err := checkReturnChange(r, version); err != nil {
			return err
		}
		if err := r.CheckSubmittable(); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE post_returns SET status = 'submitted', submitted_at = ?, sent_back_reason = '', version = version + 1
			WHERE id = ?`, tx.now, id); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "post_return", id, audit.Fields(map[string]any{"status": casework.ReturnSubmitted}))
	})
}

// DecidePostReturn validates a submitted return, or sends it back to the
// post with a reason. The decider must line-manage whoever prepared it, or
// be the head of division, and may not have prepared it.
// Errors: Invalid, Forbidden, Conflict, NotFound.
func (db *DB) DecidePostReturn(ctx context.Context, p *access.Principal, id int64, validate bool, reason string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		r, err := postReturnIn(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.CheckDecision(p.PersonID, validate, reason); err != nil {
			return err
		}
		if !slices.Contains(p.Reports, r.PreparedBy) && !p.Has(access.HeadOfDivision) {
			return fault.Errorf(fault.Forbidden, "A return is validated by the regional legal manager of the person who prepared it")
		}
		status := casework.ReturnValidated
		if !validate {
			status = casework.ReturnSentBack
		}
		if _, err := tx.exec(ctx, `UPDATE post_returns SET status = ?, decided_by = ?, decided_at = ?, sent_back_reason = ?, version = version + 1
			WHERE id = ?`, string(status), p.PersonID, tx.now, reason, id); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "post_return", id, audit.Fields(map[string]any{"status": status, "reason": reason}))
	})
}

// mayPrepareReturn allows those who record casework and work at the post
// or in the International unit, and the head of division.
func mayPrepareReturn(ctx context.Context, tx *Tx, p *access.Principal, locationID int64) error {
	if !access.Allows(p, access.WriteCases) {
		return fault.Errorf(fault.Forbidden, "Your roles do not include recording casework")
	}
	var kind string
	var atPost, inInternational int
	err := tx.queryRow(ctx, `SELECT l.kind,
		(SELECT COUNT(*) FROM people WHERE id = ? AND location_id = l.id),
		(SELECT COUNT(*) FROM units u WHERE u.code = 'international' AND (u.id IN (SELECT unit_id FROM people WHERE id = ?)
			OR u.id IN (SELECT unit_id FROM person_units WHERE person_id = ?)))
		FROM locations l WHERE l.id = ?`, p.PersonID, p.PersonID, p.PersonID, locationID).Scan(&kind, &atPost, &inInternational)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &fault.Error{Code: fault.Invalid, Message: "The return could not be saved",
			Fields: []fault.FieldError{{Field: "location_id", Message: "Choose one of the division's overseas posts"}}}
	case err != nil:
		return err
	case kind != "overseas_post":
		return &fault.Error{Code: fault.Invalid, Message: "The return could not be saved",
			Fields: []fault.FieldError{{Field: "location_id", Message: "Monthly returns are made by overseas posts"}}}
	case atPost == 0 && inInternational == 0 && !p.Has(access.HeadOfDivision):
		return fault.Errorf(fault.Forbidden, "Returns are prepared at the post or in the International unit")
	}
	return nil
}
