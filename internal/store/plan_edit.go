package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

// Corrections after the event: an inspection's details and a finding's
// words as they were transcribed, and the reopening of a closed finding.
// Each keeps its before and after in the audit trail.

// UpdateInspection changes an inspection's details. A new publication
// date may not fall after a response, first target date, milestone or
// closure already recorded against it, and a new framework must hold every criterion its
// findings name. Errors: Forbidden, NotFound, Invalid.
func (db *DB) UpdateInspection(ctx context.Context, p *access.Principal, in *plan.Inspection) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	if err := in.Validate(); err != nil {
		return err
	}
	in.PublishedOn = dateOnly(in.PublishedOn)
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := scanInspection(tx.queryRow(ctx, `SELECT `+inspectionColumns+inspectionFrom+` WHERE i.id = ?`, in.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "There is no inspection %d", in.ID)
		} else if err != nil {
			return err
		}
		if err := checkInspectionEdit(ctx, tx, before, *in); err != nil {
			return err
		}
		in.CreatedAt, in.UpdatedAt = before.CreatedAt, tx.now
		if _, err := tx.exec(ctx, `UPDATE inspections SET body = ?, title = ?, kind = ?, reference = ?, organisation = ?, published_on = ?,
			fieldwork_from = ?, fieldwork_to = ?, framework_id = ?, summary = ?, updated_at = ? WHERE id = ?`,
			in.Body, in.Title, in.Type, in.Reference, in.Organisation, in.PublishedOn, dateOrNil(in.FieldworkFrom), dateOrNil(in.FieldworkTo),
			in.FrameworkID, in.Summary, in.UpdatedAt, in.ID); err != nil {
			return fmt.Errorf("update inspection: %w", tx.dialect.translate(err))
		}
		return tx.record(ctx, audit.Update, "inspection", in.ID, audit.Diff(inspectionFields(before), inspectionFields(*in)))
	})
}

// inspectionFields are an inspection's own fields, without what is
// resolved for display, for the audit trail's before and after.
func inspectionFields(in plan.Inspection) plan.Inspection {
	in.FrameworkCode, in.Counts = "", plan.Counts{}
	return in
}

func checkInspectionEdit(ctx context.Context, tx *Tx, before, after plan.Inspection) error {
	invalid := func(field, msg string) error {
		return &fault.Error{Code: fault.Invalid, Message: "The inspection could not be saved", Fields: []fault.FieldError{{Field: field, Message: msg}}}
	}
	if after.PublishedOn.After(before.PublishedOn) {
		for _, q := range []string{
			`SELECT response_on FROM findings WHERE inspection_id = ? AND response_on IS NOT NULL ORDER BY response_on LIMIT 1`,
			`SELECT a.original_due_on FROM plan_actions a JOIN findings f ON f.id = a.finding_id WHERE f.inspection_id = ? ORDER BY a.original_due_on LIMIT 1`,
			`SELECT closed_on FROM findings WHERE inspection_id = ? AND closed_on IS NOT NULL ORDER BY closed_on LIMIT 1`,
			`SELECT a.closed_on FROM plan_actions a JOIN findings f ON f.id = a.finding_id WHERE f.inspection_id = ? AND a.closed_on IS NOT NULL
				ORDER BY a.closed_on LIMIT 1`,
			`SELECT m.due_on FROM plan_milestones m JOIN plan_actions a ON a.id = m.action_id JOIN findings f ON f.id = a.finding_id
				WHERE f.inspection_id = ? ORDER BY m.due_on LIMIT 1`,
		} {
			var earliest time.Time
			err := tx.queryRow(ctx, q, after.ID).Scan(&earliest)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			if dateOnly(earliest).Before(after.PublishedOn) {
				return invalid("published_on", fmt.Sprintf("A response, target date, milestone or closure is already recorded on %s: the report cannot be published after it",
					earliest.UTC().Format("2 January 2006")))
			}
		}
	}
	if sameID(before.FrameworkID, after.FrameworkID) {
		return nil
	}
	var named int
	var missing sql.NullString
	err := tx.queryRow(ctx, `SELECT COUNT(*), MIN(fc.criterion) FROM finding_criteria fc JOIN findings f ON f.id = fc.finding_id
		WHERE f.inspection_id = ? AND NOT EXISTS (SELECT 1 FROM framework_criteria c WHERE c.framework_id = ? AND c.criterion = fc.criterion)`,
		after.ID, after.FrameworkID).Scan(&named, &missing)
	if err != nil {
		return err
	}
	if named > 0 {
		if after.FrameworkID == nil {
			return invalid("framework_id", "Its findings name criteria of its framework: remove them from the findings first")
		}
		return invalid("framework_id", fmt.Sprintf("Its findings name criteria the new framework does not have, such as %s", missing.String))
	}
	if after.FrameworkID != nil {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM frameworks WHERE id = ?`, *after.FrameworkID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalid("framework_id", fmt.Sprintf("There is no framework %d", *after.FrameworkID))
		}
	}
	return nil
}

// findingWords are the fields of a finding an edit may change, for the
// audit trail's before and after.
func findingWords(f plan.Finding) map[string]any {
	return map[string]any{"number": f.Number, "text": f.Text, "paragraph": f.Paragraph, "criteria": f.Criteria}
}

// EditFinding corrects a finding's number, text, paragraph and criteria as
// the report gives them; what has been done about it stays. Errors:
// Forbidden, NotFound, Invalid, Conflict (the number is taken).
func (db *DB) EditFinding(ctx context.Context, p *access.Principal, edit plan.Finding) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := findingFor(ctx, tx, edit.ID)
		if err != nil {
			return err
		}
		if before.Criteria, err = criteriaOf(ctx, tx, before.ID); err != nil {
			return err
		}
		after := before.ApplyEdit(edit)
		if err := after.Validate(); err != nil {
			return err
		}
		var framework sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT framework_id FROM inspections WHERE id = ?`, after.InspectionID).Scan(&framework); err != nil {
			return err
		}
		if err := checkCriteria(ctx, tx, framework, after.Criteria); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE findings SET number = ?, text = ?, paragraph = ?, updated_at = ? WHERE id = ?`,
			after.Number, after.Text, after.Paragraph, tx.now, after.ID); err != nil {
			err = tx.dialect.translate(err)
			if fault.CodeOf(err) == fault.Conflict {
				return fault.Errorf(fault.Conflict, "The inspection already has %s", after.Name())
			}
			return fmt.Errorf("edit finding: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM finding_criteria WHERE finding_id = ?`, after.ID); err != nil {
			return err
		}
		for _, c := range after.Criteria {
			if _, err := tx.exec(ctx, `INSERT INTO finding_criteria (finding_id, criterion) VALUES (?, ?)`, after.ID, c); err != nil {
				return tx.dialect.translate(err)
			}
		}
		return tx.record(ctx, audit.Update, "finding", after.ID, audit.Diff(findingWords(before), findingWords(after)))
	})
}

func criteriaOf(ctx context.Context, tx *Tx, findingID int64) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT criterion FROM finding_criteria WHERE finding_id = ? ORDER BY criterion`, findingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReopenFinding reopens a closed recommendation or aspect for improvement
// for the reason given: its closure (date, sign-off and note) goes to the
// audit trail with the reason, and it takes actions again. Errors:
// Forbidden, NotFound, Invalid, Conflict (it is open).
func (db *DB) ReopenFinding(ctx context.Context, p *access.Principal, findingID int64, reason string) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	return db.inTx(ctx, func(tx *Tx) error {
		f, err := findingFor(ctx, tx, findingID)
		if err != nil {
			return err
		}
		if reason, err = plan.ValidateReopen(f, reason); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE findings SET status = ?, closed_on = NULL, closed_by = NULL, closure_note = '', updated_at = ? WHERE id = ?`,
			string(plan.Open), tx.now, findingID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "finding", findingID, audit.Diff(
			map[string]any{"status": f.Status, "closed_on": f.ClosedOn, "closed_by": f.ClosedByID, "closure_note": f.ClosureNote},
			map[string]any{"status": plan.Open, "closed_on": nil, "closed_by": nil, "closure_note": "", "reopen_reason": reason}))
	})
}

// reopenings reads a finding's reopenings from the audit trail, oldest
// first: the reason is kept there with the closure it undid.
func (db *DB) reopenings(ctx context.Context, findingID int64) ([]plan.Reopening, error) {
	out := []plan.Reopening{}
	err := db.each(ctx, `SELECT at_us, actor, changes FROM audit_entries WHERE record_type = 'finding' AND record_id = ? AND action = ?
		AND changes LIKE ? ORDER BY seq`, []any{strconv.FormatInt(findingID, 10), audit.Update, `%"reopen_reason"%`}, func(r *sql.Rows) error {
		var ro plan.Reopening
		var changes string
		var atMicros int64
		if err := r.Scan(&atMicros, &ro.By, &changes); err != nil {
			return err
		}
		var c map[string]audit.Change
		if err := json.Unmarshal([]byte(changes), &c); err != nil {
			return fmt.Errorf("reopening of finding %d: %w", findingID, err)
		}
		ro.At = time.UnixMicro(atMicros).UTC()
		ro.Reason, _ = c["reopen_reason"].To.(string)
		status, _ := c["status"].From.(string)
		ro.ClosedAs = plan.Status(status)
		ro.ClosureNote, _ = c["closure_note"].From.(string)
		out = append(out, ro)
		return nil
	})
	return out, err
}
