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
	"caseboard/internal/risk"
)

// Business continuity plans and their exercises. Staff read them (the
// route's ReadRisks); writing follows the risk register's rules: anyone
// who may raise risks in the plan's unit adds a plan, and its owner, their
// line management, the unit's managers and the division-wide roles change
// it and record its exercises.

const planColumns = `cp.id, cp.title, cp.unit_id, cp.location_id, cp.owner_id, cp.contacts, cp.reviewed_on, cp.version,
	(SELECT MAX(e.held_on) FROM continuity_exercises e WHERE e.plan_id = cp.id), u.name, COALESCE(l.name, ''), COALESCE(pe.name, '')`

const planFrom = ` FROM continuity_plans cp JOIN units u ON u.id = cp.unit_id LEFT JOIN locations l ON l.id = cp.location_id
	LEFT JOIN people pe ON pe.id = cp.owner_id`

func scanPlan(row interface{ Scan(...any) error }) (risk.ContinuityPlan, error) {
	var p risk.ContinuityPlan
	var location sql.NullInt64
	var exercised sql.NullString // MAX over a date column: SQLite gives it back as text
	err := row.Scan(&p.ID, &p.Title, &p.UnitID, &location, &p.OwnerID, &p.Contacts, &p.ReviewedOn, &p.Version,
		&exercised, &p.UnitName, &p.LocationName, &p.OwnerName)
	if err != nil {
		return p, err
	}
	p.LocationID, p.ReviewedOn = nullableID(location), p.ReviewedOn.UTC()
	if exercised.Valid && len(exercised.String) >= 10 {
		day, err := time.Parse(time.DateOnly, exercised.String[:10])
		if err != nil {
			return p, fmt.Errorf("plan %d: last exercise %q: %w", p.ID, exercised.String, err)
		}
		p.Exercised = &day
	}
	return p, nil
}

// ContinuityPlans lists every plan by unit and title, with when each was
// last exercised.
func (db *DB) ContinuityPlans(ctx context.Context) ([]risk.ContinuityPlan, error) {
	rows, err := db.query(ctx, `SELECT `+planColumns+planFrom+` ORDER BY u.name, cp.title`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []risk.ContinuityPlan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Activities, err = db.planActivities(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ContinuityPlan reads a plan with its activities and exercises, newest
// exercise first. Errors: NotFound.
func (db *DB) ContinuityPlan(ctx context.Context, id int64) (risk.ContinuityPlan, []risk.Exercise, error) {
	p, err := scanPlan(db.queryRow(ctx, `SELECT `+planColumns+planFrom+` WHERE cp.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil, fault.Errorf(fault.NotFound, "There is no business continuity plan %d", id)
	}
	if err != nil {
		return p, nil, err
	}
	if p.Activities, err = db.planActivities(ctx, id); err != nil {
		return p, nil, err
	}
	rows, err := db.query(ctx, `SELECT id, plan_id, held_on, scenario, participants, findings, actions, recorded_by
		FROM continuity_exercises WHERE plan_id = ? ORDER BY held_on DESC, id DESC`, id)
	if err != nil {
		return p, nil, err
	}
	defer rows.Close()
	var exercises []risk.Exercise
	for rows.Next() {
		var e risk.Exercise
		if err := rows.Scan(&e.ID, &e.PlanID, &e.HeldOn, &e.Scenario, &e.Participants, &e.Findings, &e.Actions, &e.RecordedBy); err != nil {
			return p, nil, err
		}
		e.HeldOn = e.HeldOn.UTC()
		exercises = append(exercises, e)
	}
	return p, exercises, rows.Err()
}

func (db *DB) planActivities(ctx context.Context, planID int64) ([]risk.CriticalActivity, error) {
	rows, err := db.query(ctx, `SELECT name, rto_hours FROM continuity_activities WHERE plan_id = ? ORDER BY position`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []risk.CriticalActivity{}
	for rows.Next() {
		var a risk.CriticalActivity
		if err := rows.Scan(&a.Name, &a.RTOHours); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SaveContinuityPlan adds a plan, or changes one when its ID is set; a
// change needs the version that was read.
// Errors: Invalid, Forbidden, Conflict, NotFound.
func (db *DB) SaveContinuityPlan(ctx context.Context, p *access.Principal, plan *risk.ContinuityPlan) error {
	plan.ReviewedOn = dateOnly(plan.ReviewedOn)
	if err := plan.Validate(db.Now()); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if plan.ID == 0 {
			if !access.CanCreateRisk(p, plan.UnitID) {
				return fault.Errorf(fault.Forbidden, "You may add business continuity plans only for your own units")
			}
			plan.Version = 1
			id, err := tx.insert(ctx, `INSERT INTO continuity_plans (title, unit_id, location_id, owner_id, contacts, reviewed_on, version)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, plan.Title, plan.UnitID, plan.LocationID, plan.OwnerID, plan.Contacts, plan.ReviewedOn, plan.Version)
			if err != nil {
				return fmt.Errorf("add continuity plan: %w", tx.dialect.translate(err))
			}
			plan.ID = id
			if err := writeActivities(ctx, tx, plan); err != nil {
				return err
			}
			return tx.record(ctx, audit.Create, "continuity_plan", id, audit.Diff(nil, plan))
		}
		before, err := planForWrite(ctx, tx, p, plan.ID)
		if err != nil {
			return err
		}
		if before.Version != plan.Version {
			return fault.Errorf(fault.Conflict, "The plan has changed since you opened it. Reload it to see the changes, then make yours again.")
		}
		plan.Version = before.Version + 1
		if _, err := tx.exec(ctx, `UPDATE continuity_plans SET title = ?, unit_id = ?, location_id = ?, owner_id = ?, contacts = ?, reviewed_on = ?, version = ?
			WHERE id = ?`, plan.Title, plan.UnitID, plan.LocationID, plan.OwnerID, plan.Contacts, plan.ReviewedOn, plan.Version, plan.ID); err != nil {
			return fmt.Errorf("change continuity plan: %w", tx.dialect.translate(err))
		}
		if err := writeActivities(ctx, tx, plan); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "continuity_plan", plan.ID, audit.Diff(before, plan))
	})
}

func writeActivities(ctx context.Context, tx *Tx, plan *risk.ContinuityPlan) error {
	if _, err := tx.exec(ctx, `DELETE FROM continuity_activities WHERE plan_id = ?`, plan.ID); err != nil {
		return err
	}
	for i, a := range plan.Activities {
		if _, err := tx.exec(ctx, `INSERT INTO continuity_activities (plan_id, position, name, rto_hours) VALUES (?, ?, ?, ?)`,
			plan.ID, i+1, a.Name, a.RTOHours); err != nil {
			return fmt.Errorf("save critical activity: %w", tx.dialect.translate(err))
		}
	}
	return nil
}

// planForWrite reads a plan the principal may change.
func planForWrite(ctx context.Context, tx *Tx, p *access.Principal, id int64) (risk.ContinuityPlan, error) {
	plan, err := scanPlan(tx.queryRow(ctx, `SELECT `+planColumns+planFrom+` WHERE cp.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return plan, fault.Errorf(fault.NotFound, "There is no business continuity plan %d", id)
	}
	if err != nil {
		return plan, err
	}
	if !access.CanWriteRisk(p, access.RiskRecord{UnitID: plan.UnitID, OwnerID: plan.OwnerID}) {
		return plan, fault.Errorf(fault.Forbidden, "Only the plan's owner, their line management and the unit's managers change it")
	}
	return plan, nil
}

// RecordExercise records an exercise of a plan the principal may change.
// Errors: Invalid, Forbidden, NotFound.
func (db *DB) RecordExercise(ctx context.Context, p *access.Principal, e *risk.Exercise) error {
	e.HeldOn = dateOnly(e.HeldOn)
	if err := e.Validate(db.Now()); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := planForWrite(ctx, tx, p, e.PlanID); err != nil {
			return err
		}
		e.RecordedBy = p.PersonID
		id, err := tx.insert(ctx, `INSERT INTO continuity_exercises (plan_id, held_on, scenario, participants, findings, actions, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.PlanID, e.HeldOn, e.Scenario, e.Participants, e.Findings, e.Actions, e.RecordedBy, tx.now)
		if err != nil {
			return fmt.Errorf("record exercise: %w", tx.dialect.translate(err))
		}
		e.ID = id
		return tx.record(ctx, audit.Create, "continuity_exercise", id, audit.Diff(nil, e))
	})
}
