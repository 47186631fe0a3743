package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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

// FindingImport is one row of a findings spreadsheet: a recommendation,
// aspect for improvement or good practice of an inspection named by its
// title, with its paragraph, criteria and, optionally, the accountable
// owner and the organisation's response.
type FindingImport struct {
	Row             int
	InspectionTitle string
	Kind            plan.Kind
	Number          int
	Paragraph, Text string
	Criteria        []string
	OwnerEmail      string
	Response        *plan.Response
}

// FindingsImported counts what an import of findings did.
type FindingsImported struct {
	Added     int // new findings
	Changed   int // findings recorded before that took a response or owner they lacked
	Unchanged int
}

// importedInspection is what an import needs of an inspection it names.
type importedInspection struct {
	id        int64
	published time.Time
	framework sql.NullInt64
}

// ImportFindings records the findings of a spreadsheet, all or nothing: if
// any row is wrong, nothing is written and every problem is returned with
// its row and column. A row naming a finding not yet recorded adds it, by
// the rules of adding one on its inspection's page; a row naming one
// recorded before must carry the same words (corrections are made on its
// page, where the audit trail shows them), and may give the response or
// accountable owner it lacks. Errors: Invalid (with the problems),
// Forbidden.
func (db *DB) ImportFindings(ctx context.Context, p *access.Principal, file string, rows []FindingImport) (done FindingsImported, problems []RowProblem, err error) {
	if !access.CanManagePlans(p) {
		return done, nil, errPlanManagers()
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		inspections := map[string]importedInspection{}
		owners := map[string]int64{}
		seen := map[string]int{}
		problem := func(row int, column, reason string) { problems = append(problems, RowProblem{row, column, reason}) }
		for _, r := range rows {
			in, ok := inspections[r.InspectionTitle]
			if !ok {
				err := tx.queryRow(ctx, `SELECT id, published_on, framework_id FROM inspections WHERE title = ? ORDER BY published_on DESC LIMIT 1`,
					r.InspectionTitle).Scan(&in.id, &in.published, &in.framework)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
				in.published = in.published.UTC()
				inspections[r.InspectionTitle] = in
			}
			if in.id == 0 {
				problem(r.Row, "inspection", fmt.Sprintf("There is no inspection titled %q: record it first", r.InspectionTitle))
				continue
			}
			f := plan.Finding{InspectionID: in.id, Kind: r.Kind, Number: r.Number, Text: r.Text, Paragraph: r.Paragraph, Criteria: r.Criteria, Response: r.Response}
			key := fmt.Sprintf("%d %s %d", in.id, r.Kind, r.Number)
			if first, ok := seen[key]; ok {
				problem(r.Row, "finding", fmt.Sprintf("%s of this inspection is on row %d too", f.Name(), first))
				continue
			}
			seen[key] = r.Row
			if r.OwnerEmail != "" {
				owner, ok := owners[strings.ToLower(r.OwnerEmail)]
				if !ok {
					err := tx.queryRow(ctx, `SELECT id FROM people WHERE LOWER(email) = ? AND active AND partner_id IS NULL`, strings.ToLower(r.OwnerEmail)).Scan(&owner)
					if err != nil && !errors.Is(err, sql.ErrNoRows) {
						return err
					}
					owners[strings.ToLower(r.OwnerEmail)] = owner
				}
				if owner == 0 {
					problem(r.Row, "accountable_owner_email", fmt.Sprintf("There is no current member of staff with the email %q", r.OwnerEmail))
					continue
				}
				f.OwnerID = &owner
			}
			if !r.Kind.Acted() && (f.OwnerID != nil || f.Response != nil) {
				problem(r.Row, "finding", "Good practice is recorded, not acted on: it takes no response or accountable owner")
				continue
			}
			rowProblems, err := importFinding(ctx, tx, in, &f, &done)
			if err != nil {
				return fmt.Errorf("import finding, row %d: %w", r.Row, err)
			}
			for _, pr := range rowProblems {
				problem(r.Row, pr.Column, pr.Reason)
			}
		}
		if len(problems) > 0 {
			return fault.Errorf(fault.Invalid, "Nothing was imported: %d %s", len(problems), map[bool]string{true: "problem", false: "problems"}[len(problems) == 1])
		}
		return tx.recordRef(ctx, audit.Import, "findings", file, audit.Fields(map[string]any{"rows": len(rows), "added": done.Added,
			"changed": done.Changed, "unchanged": done.Unchanged}))
	})
	if err != nil {
		return FindingsImported{}, problems, err
	}
	return done, nil, nil
}

// findingColumn is the column of a findings spreadsheet that carries a
// field of a finding or its response.
var findingColumn = map[string]string{"kind": "finding", "number": "finding", "status": "finding", "text": "text", "paragraph": "paragraph",
	"criteria": "criteria", "owner_id": "accountable_owner_email", "decision": "response", "on": "response_on"}

// rowProblems turns a rule's error into problems with a row's columns.
func rowProblems(err error, fields map[string]string, fallback string) []RowProblem {
	fe := fault.As(err)
	if fe == nil || len(fe.Fields) == 0 {
		return []RowProblem{{Column: fallback, Reason: err.Error()}}
	}
	var out []RowProblem
	for _, f := range fe.Fields {
		out = append(out, RowProblem{Column: cmp.Or(fields[f.Field], fallback), Reason: f.Message})
	}
	return out
}

// importFinding adds one finding of an import, or checks it against the
// one recorded before and fills in the response or owner it lacks. A
// problem with the row is returned as problems; err is for the database.
func importFinding(ctx context.Context, tx *Tx, in importedInspection, f *plan.Finding, done *FindingsImported) ([]RowProblem, error) {
	if err := f.Validate(); err != nil {
		return rowProblems(err, findingColumn, "finding"), nil
	}
	if f.Response != nil {
		if err := f.Response.Validate(in.published); err != nil {
			return rowProblems(err, map[string]string{"decision": "response", "text": "response_text", "on": "response_on"}, "response"), nil
		}
		f.Response.On = dateOnly(f.Response.On)
	}
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM findings WHERE inspection_id = ? AND kind = ? AND number = ?`, in.id, string(f.Kind), f.Number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if err := checkCriteria(ctx, tx, in.framework, f.Criteria); err != nil {
			if fault.As(err) != nil {
				return rowProblems(err, findingColumn, "criteria"), nil
			}
			return nil, err
		}
		if err := insertFinding(ctx, tx, f); err != nil {
			return nil, err
		}
		done.Added++
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return importedAgain(ctx, tx, id, f, done)
}

// importedAgain checks a row against the finding recorded before: its
// words must be the same, and it may give a response or owner the finding
// lacks.
func importedAgain(ctx context.Context, tx *Tx, id int64, row *plan.Finding, done *FindingsImported) ([]RowProblem, error) {
	f, err := findingFor(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if f.Criteria, err = criteriaOf(ctx, tx, id); err != nil {
		return nil, err
	}
	differs := func(column string) []RowProblem {
		return []RowProblem{{Column: column, Reason: fmt.Sprintf("%s is recorded with a different %s: correct it on its page, where the audit trail shows the change",
			f.Name(), strings.ReplaceAll(column, "_", " "))}}
	}
	criteria := slices.Clone(row.Criteria)
	slices.Sort(criteria)
	switch {
	case f.Text != row.Text:
		return differs("text"), nil
	case f.Paragraph != row.Paragraph:
		return differs("paragraph"), nil
	case !slices.Equal(f.Criteria, criteria):
		return differs("criteria"), nil
	case row.OwnerID != nil && f.OwnerID != nil && *row.OwnerID != *f.OwnerID:
		return differs("accountable_owner_email"), nil
	case row.Response != nil && f.Response != nil && !sameResponse(*row.Response, *f.Response):
		return []RowProblem{{Column: "response", Reason: fmt.Sprintf("%s has a different response recorded: record a new one on its page", f.Name())}}, nil
	}
	before, after := map[string]any{}, map[string]any{}
	if row.OwnerID != nil && f.OwnerID == nil {
		if _, err := tx.exec(ctx, `UPDATE findings SET owner_id = ?, updated_at = ? WHERE id = ?`, *row.OwnerID, tx.now, id); err != nil {
			return nil, tx.dialect.translate(err)
		}
		before["owner_id"], after["owner_id"] = nil, *row.OwnerID
	}
	if row.Response != nil && f.Response == nil {
		decision, text, on := responseValues(row.Response)
		if _, err := tx.exec(ctx, `UPDATE findings SET response = ?, response_text = ?, response_on = ?, updated_at = ? WHERE id = ?`,
			decision, text, on, tx.now, id); err != nil {
			return nil, tx.dialect.translate(err)
		}
		before["response"], after["response"] = nil, row.Response
	}
	if len(after) == 0 {
		done.Unchanged++
		return nil, nil
	}
	done.Changed++
	return nil, tx.record(ctx, audit.Update, "finding", id, audit.Diff(before, after))
}

func sameResponse(a, b plan.Response) bool {
	return a.Decision == b.Decision && a.Text == b.Text && a.On.Equal(b.On)
}
