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
)

// CaseReviews lists a case's panels, gateway reviews, handovers, adverse
// outcome reports and de-briefs, newest first, each with its actions. The
// caller has already been allowed to read the case.
func (db *DB) CaseReviews(ctx context.Context, caseID int64) ([]casework.CaseReview, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, kind, held_on, members, summary, learning, from_lawyer_id, to_lawyer_id,
		share_with_agency, recorded_by, recorded_at FROM case_reviews WHERE case_id = ? ORDER BY held_on DESC, id DESC`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.CaseReview
	index := map[int64]int{}
	for rows.Next() {
		var r casework.CaseReview
		var held time.Time
		var from, to sql.NullInt64
		if err := rows.Scan(&r.ID, &r.CaseID, &r.Kind, &held, &r.Members, &r.Summary, &r.Learning, &from, &to,
			&r.ShareWithAgency, &r.RecordedBy, &r.RecordedAt); err != nil {
			return nil, err
		}
		r.Held, r.FromLawyerID, r.ToLawyerID = deadline.DateOf(held.UTC()), nullableID(from), nullableID(to)
		r.Actions = []casework.ReviewAction{}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	actions, err := db.query(ctx, `SELECT a.id, a.review_id, a.description, a.owner_id, a.due_on, a.done_on
		FROM review_actions a JOIN case_reviews r ON r.id = a.review_id WHERE r.case_id = ? ORDER BY a.due_on, a.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer actions.Close()
	for actions.Next() {
		a, err := scanReviewAction(actions)
		if err != nil {
			return nil, err
		}
		if i, ok := index[a.ReviewID]; ok {
			out[i].Actions = append(out[i].Actions, a)
		}
	}
	return out, actions.Err()
}

func scanReviewAction(row interface{ Scan(...any) error }) (casework.ReviewAction, error) {
	var a casework.ReviewAction
	var owner sql.NullInt64
	var due time.Time
	var done sql.NullTime
	if err := row.Scan(&a.ID, &a.ReviewID, &a.Description, &owner, &due, &done); err != nil {
		return a, err
	}
	a.OwnerID, a.Due, a.DoneOn = nullableID(owner), deadline.DateOf(due.UTC()), nullableDate(done)
	return a, nil
}

// AddCaseReview records a review of a case the principal may change, with
// its actions. An action that names no owner is the case lawyer's. A
// handover also makes the new lawyer the case's lawyer, in the same
// transaction, and its checklist items are the new lawyer's to tick off
// unless they name another owner.
// Errors: NotFound, Forbidden, Invalid.
func (db *DB) AddCaseReview(ctx context.Context, p *access.Principal, r *casework.CaseReview) error {
	return db.inTx(ctx, func(tx *Tx) error {
		c, err := db.caseFor(ctx, tx, p, r.CaseID, access.Write)
		if err != nil {
			return err
		}
		if r.Kind == casework.Handover && r.FromLawyerID == nil {
			r.FromLawyerID = c.LawyerID
		}
		if err := r.Validate(deadline.Today(tx.now)); err != nil {
			return err
		}
		if err := checkReviewPeople(ctx, tx, r); err != nil {
			return err
		}
		r.RecordedBy, r.RecordedAt = p.PersonID, tx.now
		r.ID, err = tx.insert(ctx, `INSERT INTO case_reviews (case_id, kind, held_on, members, summary, learning, from_lawyer_id, to_lawyer_id,
			share_with_agency, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.CaseID, string(r.Kind), r.Held.Time(time.UTC), r.Members, r.Summary, r.Learning, r.FromLawyerID, r.ToLawyerID,
			r.ShareWithAgency, r.RecordedBy, r.RecordedAt)
		if err != nil {
			return fmt.Errorf("record review: %w", tx.dialect.translate(err))
		}
		for i := range r.Actions {
			a := &r.Actions[i]
			a.ReviewID = r.ID
			if a.OwnerID == nil {
				a.OwnerID = c.LawyerID
				if r.Kind == casework.Handover {
					a.OwnerID = r.ToLawyerID
				}
			}
			a.ID, err = tx.insert(ctx, `INSERT INTO review_actions (review_id, description, owner_id, due_on, done_on) VALUES (?, ?, ?, ?, ?)`,
				a.ReviewID, a.Description, a.OwnerID, a.Due.Time(time.UTC), dayOrNil(a.DoneOn))
			if err != nil {
				return fmt.Errorf("record review: %w", tx.dialect.translate(err))
			}
		}
		if err := tx.record(ctx, audit.Create, "case_review", r.ID, audit.Diff(nil, r)); err != nil {
			return err
		}
		if r.Kind == casework.Handover {
			return handOver(ctx, tx, c, *r.ToLawyerID, r.ID)
		}
		return nil
	})
}

// handOver makes the case's lawyer the one taking it over, as a change of
// the case with its own version and audit entry.
func handOver(ctx context.Context, tx *Tx, c casework.Case, to, reviewID int64) error {
	if _, err := tx.exec(ctx, `UPDATE cases SET lawyer_id = ?, version = version + 1, updated_at = ? WHERE id = ?`, to, tx.now, c.ID); err != nil {
		return fmt.Errorf("record review: %w", tx.dialect.translate(err))
	}
	return tx.record(ctx, audit.Update, "case", c.ID, audit.Fields(map[string]any{"lawyer_id": to, "handover": reviewID}))
}

// checkReviewPeople refuses a review naming, as the new lawyer or as an
// action's owner, someone who is not on the staff list.
func checkReviewPeople(ctx context.Context, tx *Tx, r *casework.CaseReview) error {
	var v fault.Validation
	type personRef struct {
		id             *int64
		field, message string
	}
	named := []personRef{{r.ToLawyerID, "to_lawyer_id", "Choose a lawyer who is on the staff list"}}
	for _, a := range r.Actions {
		named = append(named, personRef{a.OwnerID, "actions", "Give every action an owner who is on the staff list"})
	}
	for _, n := range named {
		if n.id == nil {
			continue
		}
		var count int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ? AND active`, *n.id).Scan(&count); err != nil {
			return err
		}
		if count == 0 {
			v.Add(n.field, n.message)
		}
	}
	return v.Err("The review could not be recorded")
}

// CompleteReviewAction records the day an action of a review of a case
// the principal may change was done. Errors: NotFound, Forbidden, Invalid.
func (db *DB) CompleteReviewAction(ctx context.Context, p *access.Principal, caseID, actionID int64, done deadline.Date) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := db.caseFor(ctx, tx, p, caseID, access.Write); err != nil {
			return err
		}
		a, err := scanReviewAction(tx.queryRow(ctx, `SELECT a.id, a.review_id, a.description, a.owner_id, a.due_on, a.done_on
			FROM review_actions a JOIN case_reviews r ON r.id = a.review_id WHERE a.id = ? AND r.case_id = ?`, actionID, caseID))
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Errorf(fault.NotFound, "There is no action %d on case %d", actionID, caseID)
		}
		if err != nil {
			return err
		}
		var v fault.Validation
		checkDone(&v, done, deadline.Today(tx.now))
		if err := v.Err("The action could not be marked done"); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE review_actions SET done_on = ? WHERE id = ?`, done.Time(time.UTC), a.ID); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.record(ctx, audit.Update, "review_action", a.ID, audit.Fields(map[string]any{"case_id": caseID, "done_on": done}))
	})
}

func checkDone(v *fault.Validation, done, today deadline.Date) {
	switch {
	case done.IsZero():
		v.Add("done_on", "Enter the date the action was done")
	case done.After(today):
		v.Add("done_on", "The date it was done cannot be in the future")
	case done.Year() < 1990:
		v.Add("done_on", "Enter a date from 1990")
	}
}
