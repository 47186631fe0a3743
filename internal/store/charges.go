package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// noDeadline is the next deadline of a case with no running time limit.
// Every write of next_deadline goes through a time.Time, never the
// column's SQL default, so SQLite stores every value in the one text form
// and orders them correctly.
var noDeadline = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// SaveCharge adds or changes a charge of a defendant on a case the
// principal may change, computes its custody time limit, and moves the
// case's next deadline to match.
// Errors: NotFound, Forbidden, Invalid.
func (db *DB) SaveCharge(ctx context.Context, p *access.Principal, caseID int64, c *casework.Charge) error {
	if err := c.Validate(db.Calendar); err != nil {
		return err
	}
	input, err := json.Marshal(c.Custody)
	if err != nil {
		return err
	}
	if c.Custody == nil {
		input = nil
	}
	var expiry any
	if c.CTL != nil {
		expiry = c.CTL.Expiry.Time(time.UTC)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.caseFor(ctx, tx, p, caseID, access.Write); err != nil {
			return err
		}
		if _, err := db.defendantIn(ctx, tx, caseID, c.DefendantID); err != nil {
			return err
		}
		values := []any{c.Description, string(c.PrincipalOffence), string(input), expiry, c.Running()}
		action := audit.Update
		if c.ID == 0 {
			action = audit.Create
			c.ID, err = tx.insert(ctx, `INSERT INTO charges (description, principal_offence, ctl_input, ctl_expiry, ctl_running, defendant_id)
				VALUES (?, ?, ?, ?, ?, ?)`, append(values, c.DefendantID)...)
		} else {
			var res sql.Result
			res, err = tx.exec(ctx, `UPDATE charges SET description = ?, principal_offence = ?, ctl_input = ?, ctl_expiry = ?, ctl_running = ?
				WHERE id = ? AND defendant_id = ?`, append(values, c.ID, c.DefendantID)...)
			if n, _ := res.RowsAffected(); err == nil && n == 0 {
				return fault.Errorf(fault.NotFound, "There is no charge %d of defendant %d", c.ID, c.DefendantID)
			}
		}
		if err != nil {
			return fmt.Errorf("save charge: %w", tx.dialect.translate(err))
		}
		if err := updateNextDeadline(ctx, tx, caseID); err != nil {
			return err
		}
		return tx.record(ctx, action, "charge", c.ID, audit.Fields(map[string]any{"case_id": caseID, "description": c.Description, "custody": c.Custody}))
	})
}

// updateNextDeadline keeps the case's next deadline in step with its
// charges and requested persons: the earliest of its running custody time
// limits and its open extradition time limits.
func updateNextDeadline(ctx context.Context, tx *Tx, caseID int64) error {
	day := noDeadline
	for _, query := range []string{
		`SELECT ch.ctl_expiry FROM charges ch JOIN defendants d ON d.id = ch.defendant_id
			WHERE d.case_id = ? AND ch.ctl_running ORDER BY ch.ctl_expiry LIMIT 1`,
		`SELECT extradition_due FROM defendants WHERE case_id = ? AND extradition_due IS NOT NULL ORDER BY extradition_due LIMIT 1`,
	} {
		var next sql.NullTime
		err := tx.queryRow(ctx, query, caseID).Scan(&next)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if next.Valid && next.Time.UTC().Before(day) {
			day = next.Time.UTC()
		}
	}
	_, err := tx.exec(ctx, `UPDATE cases SET next_deadline = ? WHERE id = ?`, day, caseID)
	return err
}

// SaveExtraditionDates records the dates a requested person's extradition
// time limits are computed from, on an extradition case the principal may
// change, and moves the case's next deadline to match. Dates that make no
// sense are refused with a message per field, and nothing is stored.
// Errors: NotFound, Forbidden, Invalid.
func (db *DB) SaveExtraditionDates(ctx context.Context, p *access.Principal, caseID, defendantID int64, in deadline.ExtraditionInput) error {
	in = inEngland(in)
	limits, err := deadline.ComputeExtradition(in, db.Calendar)
	if err != nil {
		return err
	}
	input, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var due any
	if last := casework.ExtraditionDue(limits); !last.IsZero() {
		due = last.Time(time.UTC)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		c, err := db.caseFor(ctx, tx, p, caseID, access.Write)
		if err != nil {
			return err
		}
		if c.Kind != casework.Extradition {
			return fault.Errorf(fault.Invalid, "Case %s is not an extradition case: it has no extradition time limits", c.Reference)
		}
		if _, err := db.defendantIn(ctx, tx, caseID, defendantID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE defendants SET extradition_input = ?, extradition_due = ? WHERE id = ? AND case_id = ?`,
			string(input), due, defendantID, caseID); err != nil {
			return fmt.Errorf("save extradition dates: %w", tx.dialect.translate(err))
		}
		if err := updateNextDeadline(ctx, tx, caseID); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "defendant", defendantID, audit.Fields(map[string]any{"case_id": caseID, "extradition": in}))
	})
}

// Charges lists the charges of a case's defendants, with their custody time
// limits computed again from the dates recorded, so the working shown is
// always the calendar's current answer. The caller has already been
// allowed to see the case.
func (db *DB) Charges(ctx context.Context, caseID int64) ([]casework.Charge, error) {
	rows, err := db.query(ctx, `SELECT ch.id, ch.defendant_id, ch.description, ch.principal_offence, ch.ctl_input
		FROM charges ch JOIN defendants d ON d.id = ch.defendant_id WHERE d.case_id = ? ORDER BY d.ref, ch.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Charge
	for rows.Next() {
		var c casework.Charge
		var offence, input string
		if err := rows.Scan(&c.ID, &c.DefendantID, &c.Description, &offence, &input); err != nil {
			return nil, err
		}
		c.PrincipalOffence = casework.OffenceCategory(offence)
		if input != "" && input != "null" {
			c.Custody = &deadline.CTLInput{}
			if err := json.Unmarshal([]byte(input), c.Custody); err != nil {
				return nil, fmt.Errorf("charge %d: stored custody dates: %w", c.ID, err)
			}
			if ctl, err := deadline.ComputeCTL(*c.Custody, db.Calendar); err == nil {
				c.CTL = &ctl
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// inEngland reads the recorded moments in England's time: the Act's days
// are days in England, and JSON keeps only a moment's offset, not the
// clock changes s.6's 48 hours may span.
func inEngland(in deadline.ExtraditionInput) deadline.ExtraditionInput {
	if !in.Arrested.IsZero() {
		in.Arrested = in.Arrested.In(deadline.England)
	}
	if !in.BroughtBefore.IsZero() {
		in.BroughtBefore = in.BroughtBefore.In(deadline.England)
	}
	return in
}
