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
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/quality"
)

const assessmentColumns = `a.id, a.kind, a.remark_of, a.assessed_id, a.assessor_id, a.case_id, a.unit_id, a.activity, a.template_version,
	a.assessed_on, a.feedback, a.acknowledged_at, a.version, a.created_at, a.updated_at, pd.name, pr.name, c.reference`

const assessmentFrom = ` FROM assessments a JOIN people pd ON pd.id = a.assessed_id JOIN people pr ON pr.id = a.assessor_id
	JOIN cases c ON c.id = a.case_id`

func scanAssessment(row interface{ Scan(...any) error }) (quality.Assessment, error) {
	var a quality.Assessment
	var kind, activity string
	var remarkOf sql.NullInt64
	var acknowledged sql.NullTime
	err := row.Scan(&a.ID, &kind, &remarkOf, &a.AssessedID, &a.AssessorID, &a.CaseID, &a.UnitID, &activity, &a.TemplateVersion,
		&a.AssessedOn, &a.Feedback, &acknowledged, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.AssessedName, &a.AssessorName, &a.CaseReference)
	a.Kind, a.Activity, a.RemarkOf = quality.Kind(kind), quality.Activity(activity), nullableID(remarkOf)
	a.AssessedOn = a.AssessedOn.UTC()
	if acknowledged.Valid {
		at := acknowledged.Time.UTC()
		a.AcknowledgedAt = &at
	}
	return a, err
}

func policyAssessment(a quality.Assessment) access.Assessment {
	return access.Assessment{Remark: a.Kind == quality.Remark, AssessorID: a.AssessorID, AssessedID: a.AssessedID, UnitID: a.UnitID}
}

func errAssessmentNotFound(id int64) error {
	return fault.Errorf(fault.NotFound, "There is no assessment %d", id)
}

// assessmentFor reads an assessment the principal may read, with its
// marks: the policy must allow it and its case must be visible to them.
// One they may not read is not found, so its existence does not leak.
func (db *DB) assessmentFor(ctx context.Context, tx *Tx, p *access.Principal, id int64) (quality.Assessment, error) {
	row := db.queryRow
	if tx != nil {
		row = tx.queryRow
	}
	a, err := scanAssessment(row(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errAssessmentNotFound(id)
	} else if err != nil {
		return a, err
	}
	if !access.CanReadAssessment(p, policyAssessment(a)) {
		return a, errAssessmentNotFound(id)
	}
	var pending int
	if err := row(ctx, `SELECT COUNT(*) FROM dip_sample_items i JOIN dip_samples s ON s.id = i.sample_id
		WHERE i.assessment_id = ? AND s.remarker_id = ? AND i.remark_id IS NULL`, id, p.PersonID).Scan(&pending); err != nil {
		return a, err
	}
	if pending > 0 {
		// Re-marking is blind: the re-marker reads the marks after theirs.
		return a, fault.Errorf(fault.Forbidden, "Assessment %d is in a dip sample for you to re-mark: re-mark it before you read it", id)
	}
	if tx != nil {
		_, err = db.caseFor(ctx, tx, p, a.CaseID, access.Read)
	} else {
		c, readErr := scanCase(db.queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, a.CaseID))
		c.ID = a.CaseID
		_, err = db.allowCase(ctx, p, c, readErr, access.Read)
	}
	if fault.CodeOf(err) == fault.NotFound {
		return a, errAssessmentNotFound(id)
	} else if err != nil {
		return a, err
	}
	marks, err := db.marksOf(ctx, tx, []int64{id})
	a.Marks = marks[id]
	a.OrderMarks()
	return a, err
}

// marksOf reads the marks of the assessments, in each template's order.
func (db *DB) marksOf(ctx context.Context, tx *Tx, ids []int64) (map[int64][]quality.Mark, error) {
	out := map[int64][]quality.Mark{}
	if len(ids) == 0 {
		return out, nil
	}
	args := idArgs(ids)
	q := `SELECT assessment_id, question, answer, comment FROM assessment_marks WHERE assessment_id IN (` + placeholders(len(ids)) + `)`
	var rows *sql.Rows
	var err error
	if tx != nil {
		rows, err = tx.query(ctx, q, args...)
	} else {
		rows, err = db.query(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m quality.Mark
		var answer string
		if err := rows.Scan(&id, &m.Question, &answer, &m.Comment); err != nil {
			return nil, err
		}
		m.Answer = quality.Answer(answer)
		out[id] = append(out[id], m)
	}
	return out, rows.Err()
}

// personForQuality reads what the rules need of a person.
func personForQuality(ctx context.Context, tx *Tx, id int64) (quality.Person, error) {
	var p quality.Person
	var grade string
	var manager, team sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, name, grade, line_manager_id, unit_id, team_id FROM people WHERE id = ? AND active`, id).
		Scan(&p.ID, &p.Name, &grade, &manager, &p.UnitID, &team)
	if errors.Is(err, sql.ErrNoRows) {
		return p, &fault.Error{Code: fault.Invalid, Message: "There is no such member of staff",
			Fields: []fault.FieldError{{Field: "assessed_id", Message: "Choose someone you line-manage"}}}
	}
	p.Profession, p.LineManagerID, p.TeamID = string(org.Grade(grade).Profession()), nullableID(manager), nullableID(team)
	return p, err
}

// CreateAssessment records an IQA by the principal of one of the people
// they line-manage, on a case the principal may see, with the current
// template version unless another is given.
// Errors: Invalid (bad marks, oneself, wrong activity), Forbidden (not
// their report, or they may not write), NotFound (the case).
func (db *DB) CreateAssessment(ctx context.Context, p *access.Principal, a *quality.Assessment) error {
	if !access.Allows(p, access.WriteQuality) {
		return fault.Errorf(fault.Forbidden, "You may not record quality assessments")
	}
	a.Kind, a.RemarkOf, a.AssessorID = quality.IQA, nil, p.PersonID
	a.AssessedOn = dateOnly(a.AssessedOn)
	if a.TemplateVersion == 0 && a.Activity.Valid() {
		current, _ := quality.Current(a.Activity, a.AssessedOn.Format("2006-01-02"))
		a.TemplateVersion = current.Version
	}
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		assessed, err := personForQuality(ctx, tx, a.AssessedID)
		if err != nil {
			return err
		}
		if err := quality.CheckAssessor(quality.Assessor{PersonID: p.PersonID, Reports: p.Reports},
			quality.Assessed{PersonID: assessed.ID, Profession: assessed.Profession}, a.Activity); err != nil {
			return err
		}
		if _, err := db.caseFor(ctx, tx, p, a.CaseID, access.Read); err != nil {
			if fault.CodeOf(err) == fault.NotFound {
				return &fault.Error{Code: fault.NotFound, Message: fmt.Sprintf("There is no case %d that you may see", a.CaseID),
					Fields: []fault.FieldError{{Field: "case_id", Message: "Choose a case from the register that you may see"}}}
			}
			return err
		}
		a.UnitID = assessed.UnitID
		return db.insertAssessment(ctx, tx, a)
	})
}

func (db *DB) insertAssessment(ctx context.Context, tx *Tx, a *quality.Assessment) error {
	a.Version, a.CreatedAt, a.UpdatedAt = 1, tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO assessments (kind, remark_of, assessed_id, assessor_id, case_id, unit_id, activity, template_version,
		assessed_on, feedback, acknowledged_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?)`,
		string(a.Kind), a.RemarkOf, a.AssessedID, a.AssessorID, a.CaseID, a.UnitID, string(a.Activity), a.TemplateVersion,
		a.AssessedOn, a.Feedback, tx.now, tx.now)
	if err != nil {
		return fmt.Errorf("create assessment: %w", tx.dialect.translate(err))
	}
	a.ID = id
	if err := insertMarks(ctx, tx, a); err != nil {
		return err
	}
	return tx.record(ctx, audit.Create, "assessment", id, audit.Diff(nil, storedAssessment(*a)))
}

func insertMarks(ctx context.Context, tx *Tx, a *quality.Assessment) error {
	for _, m := range a.Marks {
		if _, err := tx.exec(ctx, `INSERT INTO assessment_marks (assessment_id, question, answer, comment) VALUES (?, ?, ?, ?)`,
			a.ID, m.Question, string(m.Answer), strings.TrimSpace(m.Comment)); err != nil {
			return fmt.Errorf("assessment %d: mark %s: %w", a.ID, m.Question, tx.dialect.translate(err))
		}
	}
	return nil
}

// storedAssessment drops what is resolved for display.
func storedAssessment(a quality.Assessment) quality.Assessment {
	a.AssessedName, a.AssessorName, a.CaseReference = "", "", ""
	return a
}

// Assessment returns an assessment the principal may read, with its
// earlier versions. Errors: NotFound.
func (db *DB) Assessment(ctx context.Context, p *access.Principal, id int64) (quality.Assessment, []quality.Revision, error) {
	a, err := db.assessmentFor(ctx, nil, p, id)
	if err != nil {
		return a, nil, err
	}
	rows, err := db.query(ctx, `SELECT version, marks, feedback, reason, revised_by, revised_at FROM assessment_revisions
		WHERE assessment_id = ? ORDER BY version DESC`, id)
	if err != nil {
		return a, nil, err
	}
	defer rows.Close()
	var revisions []quality.Revision
	for rows.Next() {
		var r quality.Revision
		var marks string
		if err := rows.Scan(&r.Version, &marks, &r.Feedback, &r.Reason, &r.RevisedBy, &r.RevisedAt); err != nil {
			return a, nil, err
		}
		if err := json.Unmarshal([]byte(marks), &r.Marks); err != nil {
			return a, nil, fmt.Errorf("assessment %d version %d: %w", id, r.Version, err)
		}
		r.RevisedAt = r.RevisedAt.UTC()
		revisions = append(revisions, r)
	}
	return a, revisions, rows.Err()
}

// AssessmentChange is a revision of an assessment's marks and feedback.
type AssessmentChange struct {
	Version  int            `json:"version"` // the version the change was made to
	Marks    []quality.Mark `json:"marks"`
	Feedback string         `json:"feedback"`
	Reason   string         `json:"reason"`
}

// ReviseAssessment changes an assessment's marks and feedback. The old
// version is kept with the reason; an acknowledged assessment needs a
// reason and must be acknowledged again.
// Errors: NotFound, Forbidden (not the assessor), Invalid, Conflict
// (changed since the version read).
func (db *DB) ReviseAssessment(ctx context.Context, p *access.Principal, id int64, ch AssessmentChange) (quality.Assessment, error) {
	if !access.Allows(p, access.WriteQuality) {
		return quality.Assessment{}, fault.Errorf(fault.Forbidden, "You may not change quality assessments")
	}
	var after quality.Assessment
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := db.assessmentFor(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := quality.CheckRevision(before, p.PersonID, ch.Reason); err != nil {
			return err
		}
		if ch.Version != before.Version {
			return fault.Errorf(fault.Conflict, "The assessment has changed since you opened it. Reload it and make your change again.")
		}
		after = before
		after.Marks, after.Feedback = ch.Marks, ch.Feedback
		if err := after.Validate(); err != nil {
			return err
		}
		old, _ := json.Marshal(before.Marks)
		if _, err := tx.exec(ctx, `INSERT INTO assessment_revisions (assessment_id, version, marks, feedback, acknowledged_at, reason, revised_by, revised_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, before.Version, string(old), before.Feedback, before.AcknowledgedAt,
			strings.TrimSpace(ch.Reason), p.PersonID, tx.now); err != nil {
			return tx.dialect.translate(err)
		}
		after.Version, after.UpdatedAt, after.AcknowledgedAt = before.Version+1, tx.now, nil
		res, err := tx.exec(ctx, `UPDATE assessments SET feedback = ?, acknowledged_at = NULL, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			after.Feedback, after.Version, tx.now, id, before.Version)
		if err != nil {
			return tx.dialect.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.Errorf(fault.Conflict, "The assessment has changed since you opened it. Reload it and make your change again.")
		}
		if _, err := tx.exec(ctx, `DELETE FROM assessment_marks WHERE assessment_id = ?`, id); err != nil {
			return err
		}
		if err := insertMarks(ctx, tx, &after); err != nil {
			return err
		}
		changes := map[string]any{"version": map[string]any{"from": before.Version, "to": after.Version}, "reason": strings.TrimSpace(ch.Reason)}
		var diff map[string]any
		json.Unmarshal([]byte(audit.Diff(storedAssessment(before), storedAssessment(after))), &diff)
		for k, v := range diff {
			changes[k] = v
		}
		return tx.record(ctx, audit.Update, "assessment", id, audit.Fields(changes))
	})
	return after, err
}

// AcknowledgeAssessment records that the person assessed has read the
// current version of their assessment. Errors: NotFound, Forbidden, Conflict.
func (db *DB) AcknowledgeAssessment(ctx context.Context, p *access.Principal, id int64) (quality.Assessment, error) {
	if !access.Allows(p, access.WriteQuality) {
		return quality.Assessment{}, fault.Errorf(fault.Forbidden, "You may not acknowledge assessments")
	}
	var a quality.Assessment
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if a, err = db.assessmentFor(ctx, tx, p, id); err != nil {
			return err
		}
		if err := quality.CheckAcknowledgement(a, p.PersonID); err != nil {
			return err
		}
		now := tx.now
		a.AcknowledgedAt = &now
		if _, err := tx.exec(ctx, `UPDATE assessments SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL`, now, id); err != nil {
			return err
		}
		return tx.record(ctx, audit.Update, "assessment", id, audit.Fields(map[string]any{"acknowledged_at": now, "version": a.Version}))
	})
	return a, err
}

// AssessmentList is the assessments a person gave and received, and the
// re-marks they have been asked for.
type AssessmentList struct {
	Given    []quality.Assessment `json:"given"`
	Received []quality.Assessment `json:"received"`
	ToRemark []quality.Assessment `json:"to_remark"`
}

// MyAssessments lists the principal's IQAs given and received, newest
// first, and the sampled IQAs they are to re-mark (without their marks:
// re-marking is blind), among those whose cases they may see.
func (db *DB) MyAssessments(ctx context.Context, p *access.Principal, limit int) (AssessmentList, error) {
	var out AssessmentList
	var err error
	if out.Given, err = db.assessmentList(ctx, p, `a.kind = 'iqa' AND a.assessor_id = ?`, limit, p.PersonID); err != nil {
		return out, err
	}
	if out.Received, err = db.assessmentList(ctx, p, `a.kind = 'iqa' AND a.assessed_id = ?`, limit, p.PersonID); err != nil {
		return out, err
	}
	out.ToRemark, err = db.assessmentList(ctx, p, `EXISTS (SELECT 1 FROM dip_sample_items i JOIN dip_samples s ON s.id = i.sample_id
		WHERE i.assessment_id = a.id AND i.remark_id IS NULL AND s.remarker_id = ?)`, limit, p.PersonID)
	return out, err
}

func (db *DB) assessmentList(ctx context.Context, p *access.Principal, where string, limit int, args ...any) ([]quality.Assessment, error) {
	visible, vargs := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	rows, err := db.query(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE `+where+` AND `+visible+
		fmt.Sprintf(` ORDER BY a.assessed_on DESC, a.id DESC LIMIT %d`, clampLimit(limit)), append(args, vargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.Assessment
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		// The SQL chose by the principal's own part in it; the policy has
		// the last word on every row.
		if access.CanReadAssessment(p, policyAssessment(a)) {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}

// QualityRules returns the IQA schedule.
func (db *DB) QualityRules(ctx context.Context) ([]quality.Rule, error) {
	rows, err := db.query(ctx, `SELECT activity, profession, period_months, required FROM quality_schedule_rules ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.Rule
	for rows.Next() {
		var r quality.Rule
		var activity string
		if err := rows.Scan(&activity, &r.Profession, &r.PeriodMonths, &r.Count); err != nil {
			return nil, err
		}
		r.Activity = quality.Activity(activity)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetQualityRule changes or adds the schedule's rule for an activity.
// Errors: Invalid, Forbidden (only the head of division).
func (db *DB) SetQualityRule(ctx context.Context, p *access.Principal, r quality.Rule) error {
	if !p.Has(access.HeadOfDivision) || !access.Allows(p, access.WriteQuality) {
		return fault.Errorf(fault.Forbidden, "Only the head of division sets the IQA schedule")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var before quality.Rule
		var activity string
		err := tx.queryRow(ctx, `SELECT activity, profession, period_months, required FROM quality_schedule_rules WHERE activity = ?`, string(r.Activity)).
			Scan(&activity, &before.Profession, &before.PeriodMonths, &before.Count)
		before.Activity = quality.Activity(activity)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.exec(ctx, `INSERT INTO quality_schedule_rules (activity, profession, period_months, required) VALUES (?, ?, ?, ?)`,
				string(r.Activity), r.Profession, r.PeriodMonths, r.Count)
			if err != nil {
				return tx.dialect.translate(err)
			}
			return tx.recordRef(ctx, audit.Create, "quality_schedule_rule", string(r.Activity), audit.Diff(nil, r))
		case err != nil:
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE quality_schedule_rules SET period_months = ?, required = ? WHERE activity = ?`,
			r.PeriodMonths, r.Count, string(r.Activity)); err != nil {
			return tx.dialect.translate(err)
		}
		return tx.recordRef(ctx, audit.Update, "quality_schedule_rule", string(r.Activity), audit.Diff(before, r))
	})
}

// QualityObligations computes every manager's IQA obligations for the
// periods overlapping [from, to] from the line-management chart and the
// schedule, with the IQAs made towards each. It holds names but no marks:
// callers show a person only their own, and everyone else aggregates.
func (db *DB) QualityObligations(ctx context.Context, from, to time.Time) ([]quality.Obligation, error) {
	return db.qualityObligations(ctx, from, to, nil)
}

// ObligationsOf is QualityObligations for one manager's direct reports
// only: what "My work" shows them, without computing the division's.
func (db *DB) ObligationsOf(ctx context.Context, managerID int64, from, to time.Time) ([]quality.Obligation, error) {
	return db.qualityObligations(ctx, from, to, &managerID)
}

func (db *DB) qualityObligations(ctx context.Context, from, to time.Time, managerID *int64) ([]quality.Obligation, error) {
	rules, err := db.QualityRules(ctx)
	if err != nil {
		return nil, err
	}
	where, args := "", []any{}
	if managerID != nil {
		where, args = " AND line_manager_id = ?", []any{*managerID}
	}
	rows, err := db.query(ctx, `SELECT id, name, grade, line_manager_id, unit_id, team_id FROM people WHERE active AND partner_id IS NULL`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var people []quality.Person
	for rows.Next() {
		var p quality.Person
		var grade string
		var manager, team sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Name, &grade, &manager, &p.UnitID, &team); err != nil {
			return nil, err
		}
		p.Profession, p.LineManagerID, p.TeamID = string(org.Grade(grade).Profession()), nullableID(manager), nullableID(team)
		people = append(people, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	start := dateOnly(from).AddDate(-1, 0, 0) // periods of up to a year start before from
	var done []quality.Assessment
	if managerID == nil {
		done, err = db.assessmentsBetween(ctx, nil, start, dateOnly(to), false)
	} else {
		done, err = db.assessmentsOfPeople(ctx, people, start, dateOnly(to))
	}
	if err != nil {
		return nil, err
	}
	return quality.Obligations(people, rules, done, dateOnly(from), dateOnly(to)), nil
}

// assessmentsOfPeople loads the IQAs of some people made in [from, to],
// without marks.
func (db *DB) assessmentsOfPeople(ctx context.Context, people []quality.Person, from, to time.Time) ([]quality.Assessment, error) {
	if len(people) == 0 {
		return nil, nil
	}
	args := []any{from, to}
	for _, p := range people {
		args = append(args, p.ID)
	}
	rows, err := db.query(ctx, `SELECT assessed_id, activity, assessed_on FROM assessments
		WHERE kind = 'iqa' AND assessed_on >= ? AND assessed_on <= ? AND assessed_id IN (`+placeholders(len(people))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.Assessment
	for rows.Next() {
		a := quality.Assessment{Kind: quality.IQA}
		var activity string
		if err := rows.Scan(&a.AssessedID, &activity, &a.AssessedOn); err != nil {
			return nil, err
		}
		a.Activity, a.AssessedOn = quality.Activity(activity), a.AssessedOn.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// assessmentsBetween loads the assessments made in [from, to], of one
// unit or all, with their marks when withMarks is set.
func (db *DB) assessmentsBetween(ctx context.Context, unitID *int64, from, to time.Time, withMarks bool) ([]quality.Assessment, error) {
	where, args := `a.assessed_on >= ? AND a.assessed_on <= ?`, []any{from, to}
	if unitID != nil {
		where += ` AND a.unit_id = ?`
		args = append(args, *unitID)
	}
	rows, err := db.query(ctx, `SELECT a.id, a.kind, a.remark_of, a.assessed_id, a.assessor_id, a.unit_id, a.activity, a.assessed_on
		FROM assessments a WHERE `+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.Assessment
	index := map[int64]int{}
	for rows.Next() {
		var a quality.Assessment
		var kind, activity string
		var remarkOf sql.NullInt64
		if err := rows.Scan(&a.ID, &kind, &remarkOf, &a.AssessedID, &a.AssessorID, &a.UnitID, &activity, &a.AssessedOn); err != nil {
			return nil, err
		}
		a.Kind, a.Activity, a.RemarkOf, a.AssessedOn = quality.Kind(kind), quality.Activity(activity), nullableID(remarkOf), a.AssessedOn.UTC()
		index[a.ID] = len(out)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil || !withMarks {
		return out, err
	}
	mrows, err := db.query(ctx, `SELECT m.assessment_id, m.question, m.answer FROM assessment_marks m JOIN assessments a ON a.id = m.assessment_id
		WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var id int64
		var m quality.Mark
		var answer string
		if err := mrows.Scan(&id, &m.Question, &answer); err != nil {
			return nil, err
		}
		m.Answer = quality.Answer(answer)
		if i, ok := index[id]; ok {
			out[i].Marks = append(out[i].Marks, m)
		}
	}
	return out, mrows.Err()
}

// Calibration compares a unit's assessors over [from, to]: their share of
// top marks against their peers' and their agreement with blind re-marks.
// Errors: Forbidden (not the head of that unit or of the division).
func (db *DB) Calibration(ctx context.Context, p *access.Principal, unitID int64, from, to time.Time) ([]quality.AssessorCalibration, error) {
	if !access.CanCalibrate(p, unitID) {
		return nil, fault.Errorf(fault.Forbidden, "A unit's calibration is for the head of that unit and the head of division")
	}
	loaded, err := db.assessmentsBetween(ctx, &unitID, dateOnly(from), farFuture, true)
	if err != nil {
		return nil, err
	}
	// The IQAs made in the window, and their re-marks whenever made: a
	// quarter's sample is re-marked after the quarter ends.
	inWindow := map[int64]bool{}
	var all []quality.Assessment
	for _, a := range loaded {
		if a.Kind == quality.IQA && !a.AssessedOn.After(dateOnly(to)) {
			inWindow[a.ID] = true
			all = append(all, a)
		}
	}
	for _, a := range loaded {
		if a.Kind == quality.Remark && inWindow[*a.RemarkOf] {
			all = append(all, a)
		}
	}
	names, err := db.personNames(ctx, all)
	if err != nil {
		return nil, err
	}
	return quality.Calibrate(all, names), nil
}

var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func (db *DB) personNames(ctx context.Context, all []quality.Assessment) (map[int64]string, error) {
	names := map[int64]string{}
	seen := map[int64]bool{}
	var ids []any
	for _, a := range all {
		if !seen[a.AssessorID] {
			seen[a.AssessorID] = true
			ids = append(ids, a.AssessorID)
		}
	}
	if len(ids) == 0 {
		return names, nil
	}
	rows, err := db.query(ctx, `SELECT id, name FROM people WHERE id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}

// QualityTrends ranks the questions most often not met in the IQAs of a
// unit (or, with unitID nil, the division) made in [from, to]. The
// figures are counts, with no person or case in them.
func (db *DB) QualityTrends(ctx context.Context, unitID *int64, from, to time.Time) ([]quality.QuestionTrend, error) {
	all, err := db.assessmentsBetween(ctx, unitID, dateOnly(from), dateOnly(to), true)
	if err != nil {
		return nil, err
	}
	return quality.Trends(all), nil
}

// ReportsOf lists the active people the principal line-manages, directly
// or through others, by name: whom they may assess.
func (db *DB) ReportsOf(ctx context.Context, p *access.Principal) ([]quality.Person, error) {
	rows, err := db.query(ctx, `SELECT pe.id, pe.name, pe.grade, pe.line_manager_id, pe.unit_id, pe.team_id FROM line_reports lr
		JOIN people pe ON pe.id = lr.person_id WHERE lr.manager_id = ? AND pe.active ORDER BY pe.name, pe.id`, p.PersonID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.Person
	for rows.Next() {
		var q quality.Person
		var grade string
		var manager, team sql.NullInt64
		if err := rows.Scan(&q.ID, &q.Name, &grade, &manager, &q.UnitID, &team); err != nil {
			return nil, err
		}
		q.Profession, q.LineManagerID, q.TeamID = string(org.Grade(grade).Profession()), nullableID(manager), nullableID(team)
		out = append(out, q)
	}
	return out, rows.Err()
}

// CaseIDsByReference maps every case's reference to its id, for loading
// records that name cases by reference.
func (db *DB) CaseIDsByReference(ctx context.Context) (map[string]int64, error) {
	rows, err := db.query(ctx, `SELECT reference, id FROM cases`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var ref string
		var id int64
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, err
		}
		out[ref] = id
	}
	return out, rows.Err()
}

// ExportAssessments lists, with their marks, the assessments made in
// [from, to] that the principal may read: their own given and received,
// their reports', and for heads their units' (re-marks included), among
// cases they may see, oldest first; not those waiting for the principal's
// blind re-mark.
func (db *DB) ExportAssessments(ctx context.Context, p *access.Principal, from, to time.Time) ([]quality.Assessment, error) {
	visible, vargs := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	rows, err := db.query(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.assessed_on >= ? AND a.assessed_on <= ?
		AND NOT EXISTS (SELECT 1 FROM dip_sample_items i JOIN dip_samples s ON s.id = i.sample_id
			WHERE i.assessment_id = a.id AND s.remarker_id = ? AND i.remark_id IS NULL) AND `+visible+
		` ORDER BY a.assessed_on, a.id`, append([]any{dateOnly(from), dateOnly(to), p.PersonID}, vargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []quality.Assessment
	var ids []int64
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		if access.CanReadAssessment(p, policyAssessment(a)) {
			out = append(out, a)
			ids = append(ids, a.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for start := 0; start < len(ids); start += 500 {
		marks, err := db.marksOf(ctx, nil, ids[start:min(start+500, len(ids))])
		if err != nil {
			return nil, err
		}
		for i := start; i < min(start+500, len(out)); i++ {
			out[i].Marks = marks[out[i].ID]
			out[i].OrderMarks()
		}
	}
	return out, nil
}
