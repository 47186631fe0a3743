package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

// ActionImport is one row of an action-plan spreadsheet: the finding it
// answers, by its inspection's title and its name ("Recommendation 3"),
// and the action. ActionID is set for an action exported before, which
// must come back unchanged: a changed target date needs its reason and
// approver, and progress its commentary, which a spreadsheet row cannot
// carry.
type ActionImport struct {
	Row             int
	InspectionTitle string
	FindingKind     plan.Kind
	FindingNumber   int
	ActionID        int64
	Title, Detail   string
	OwnerEmail      string
	DueOn           time.Time
}

// RowProblem is what is wrong with one row of an import.
type RowProblem struct {
	Row            int
	Column, Reason string
}

// ImportActions adds the new actions of a spreadsheet, all or nothing: if
// any row is wrong, nothing is written and every problem is returned
// with its row. Returns how many actions were added and how many rows
// were existing actions, unchanged. Errors: Invalid (with the problems),
// Forbidden.
func (db *DB) ImportActions(ctx context.Context, p *access.Principal, file string, rows []ActionImport) (added, unchanged int, problems []RowProblem, err error) {
	if !access.Allows(p, access.WritePlans) {
		return 0, 0, nil, fault.Errorf(fault.Forbidden, "You may not write action plans")
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		inspections := map[string]int64{}
		owners := map[string]int64{}
		problem := func(row int, column, reason string) { problems = append(problems, RowProblem{row, column, reason}) }
		for _, r := range rows {
			id, ok := inspections[r.InspectionTitle]
			if !ok {
				err := tx.queryRow(ctx, `SELECT id FROM inspections WHERE title = ? ORDER BY published_on DESC LIMIT 1`, r.InspectionTitle).Scan(&id)
				if errors.Is(err, sql.ErrNoRows) {
					id = 0
				} else if err != nil {
					return err
				}
				inspections[r.InspectionTitle] = id
			}
			if id == 0 {
				problem(r.Row, "inspection", fmt.Sprintf("There is no inspection titled %q", r.InspectionTitle))
				continue
			}
			var findingID int64
			err := tx.queryRow(ctx, `SELECT id FROM findings WHERE inspection_id = ? AND kind = ? AND number = ?`, id, string(r.FindingKind), r.FindingNumber).Scan(&findingID)
			if errors.Is(err, sql.ErrNoRows) {
				problem(r.Row, "finding", fmt.Sprintf("The inspection has no %s", plan.Finding{Kind: r.FindingKind, Number: r.FindingNumber}.Name()))
				continue
			} else if err != nil {
				return err
			}
			f, err := findingFor(ctx, tx, findingID)
			if err != nil {
				return err
			}
			owner, ok := owners[strings.ToLower(r.OwnerEmail)]
			if !ok {
				err := tx.queryRow(ctx, `SELECT id FROM people WHERE LOWER(email) = ? AND active AND partner_id IS NULL`, strings.ToLower(r.OwnerEmail)).Scan(&owner)
				if errors.Is(err, sql.ErrNoRows) {
					owner = 0
				} else if err != nil {
					return err
				}
				owners[strings.ToLower(r.OwnerEmail)] = owner
			}
			if owner == 0 {
				problem(r.Row, "owner_email", fmt.Sprintf("There is no current member of staff with the email %q", r.OwnerEmail))
				continue
			}
			if r.ActionID != 0 {
				a, err := scanAction(tx.queryRow(ctx, `SELECT `+actionColumns+actionFrom+` WHERE a.id = ?`, r.ActionID))
				switch {
				case errors.Is(err, sql.ErrNoRows) || (err == nil && a.FindingID != findingID):
					problem(r.Row, "action_id", fmt.Sprintf("%s has no action %d: leave action_id empty for a new action", f.Name(), r.ActionID))
				case err != nil:
					return err
				case a.Title != strings.TrimSpace(r.Title) || a.OwnerID != owner || !a.DueOn.Equal(dateOnly(r.DueOn)):
					problem(r.Row, "action_id", fmt.Sprintf("Action %d differs from caseboard's: change an existing action on its page, where a new target date takes its reason and approver", r.ActionID))
				default:
					unchanged++
				}
				continue
			}
			if !access.CanManagePlans(p) && !access.CanSignOff(p, f.OwnerID) {
				problem(r.Row, "finding", fmt.Sprintf("Only the plan managers and the accountable owner set the actions of %s", f.Name()))
				continue
			}
			a := plan.Action{FindingID: findingID, Title: r.Title, Detail: r.Detail, OwnerID: owner, DueOn: dateOnly(r.DueOn)}
			if err := a.ValidateNew(f); err != nil {
				if fe := fault.As(err); fe != nil && len(fe.Fields) > 0 {
					for _, field := range fe.Fields {
						column := field.Field
						if column == "title" {
							column = "action"
						}
						problem(r.Row, column, field.Message)
					}
				} else {
					problem(r.Row, "finding", err.Error())
				}
				continue
			}
			a.CreatedAt, a.UpdatedAt = tx.now, tx.now
			a.ID, err = tx.insert(ctx, `INSERT INTO plan_actions (finding_id, title, detail, owner_id, due_on, original_due_on, status, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.FindingID, a.Title, a.Detail, a.OwnerID, a.DueOn, a.OriginalDueOn, string(a.Status), a.CreatedAt, a.UpdatedAt)
			if err != nil {
				return fmt.Errorf("import action, row %d: %w", r.Row, tx.dialect.translate(err))
			}
			if err := tx.record(ctx, audit.Create, "plan_action", a.ID, audit.Diff(nil, a)); err != nil {
				return err
			}
			added++
		}
		if len(problems) > 0 {
			return fault.Errorf(fault.Invalid, "Nothing was imported: %d %s", len(problems), map[bool]string{true: "problem", false: "problems"}[len(problems) == 1])
		}
		return tx.recordRef(ctx, audit.Import, "plan_actions", file, audit.Fields(map[string]any{"rows": len(rows), "added": added, "unchanged": unchanged}))
	})
	if err != nil {
		return 0, 0, problems, err
	}
	return added, unchanged, nil, nil
}
