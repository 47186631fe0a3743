package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/plan"
)

// SaveAssessment records the division's self-assessment against one
// criterion of a framework, replacing the one before (the audit trail
// keeps it). Errors: Forbidden, NotFound, Invalid.
func (db *DB) SaveAssessment(ctx context.Context, p *access.Principal, a *plan.Assessment) error {
	if !access.CanManagePlans(p) {
		return errPlanManagers()
	}
	fw, err := db.Framework(ctx, a.FrameworkID)
	if err != nil {
		return err
	}
	if err := a.Validate(&fw); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		a.AssessedByID, a.AssessedBy, a.AssessedAt = &p.PersonID, p.Name, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO self_assessments (framework_id, criterion, rating, commentary, assessed_by, assessed_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (framework_id, criterion) DO UPDATE SET rating = excluded.rating, commentary = excluded.commentary,
				assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at`,
			a.FrameworkID, a.Criterion, string(a.Rating), a.Commentary, p.PersonID, a.AssessedAt); err != nil {
			return fmt.Errorf("save assessment: %w", tx.dialect.translate(err))
		}
		return tx.recordRef(ctx, audit.Update, "self_assessment", fmt.Sprintf("%d/%s", a.FrameworkID, a.Criterion),
			audit.Fields(map[string]any{"rating": a.Rating, "commentary": a.Commentary}))
	})
}

// Readiness is a framework with, for each criterion, the division's
// self-assessment and the evidence it has: the findings that name the
// criterion and their plans, the evidence those plans cite, and the
// latest results of the evidence checks that bear on it.
type Readiness struct {
	Framework plan.Framework      `json:"framework"`
	AsOf      time.Time           `json:"as_of"`
	Ratings   map[plan.Rating]int `json:"ratings"`
	Rows      []ReadinessRow      `json:"criteria"`
}

// ReadinessRow is one criterion's line of the readiness report.
type ReadinessRow struct {
	plan.Criterion
	Level       int              `json:"level"`
	Assessment  *plan.Assessment `json:"assessment,omitempty"`
	Findings    []plan.Finding   `json:"findings"`
	Actions     int              `json:"actions"`
	ActionsDone int              `json:"actions_done"`
	ActionsLate int              `json:"actions_late"`
	Evidence    []string         `json:"evidence"`
	Checks      []plan.Result    `json:"checks"`
}

// Readiness computes the readiness report of a framework as of today.
// Errors: NotFound.
func (db *DB) Readiness(ctx context.Context, frameworkID int64, today time.Time) (Readiness, error) {
	fw, err := db.Framework(ctx, frameworkID)
	if err != nil {
		return Readiness{}, err
	}
	today = dateOnly(today)
	r := Readiness{Framework: fw, AsOf: today, Ratings: map[plan.Rating]int{}}
	index := map[string]int{}
	var walk func(ns []*plan.Node)
	walk = func(ns []*plan.Node) {
		for _, n := range ns {
			index[n.ID] = len(r.Rows)
			r.Rows = append(r.Rows, ReadinessRow{Criterion: n.Criterion, Level: n.Level, Findings: []plan.Finding{}, Evidence: []string{}, Checks: []plan.Result{}})
			walk(n.Children)
		}
	}
	walk(fw.Tree())
	r.Framework.Criteria = nil
	row := func(criterion string) *ReadinessRow {
		if i, ok := index[criterion]; ok {
			return &r.Rows[i]
		}
		return nil
	}

	err = db.each(ctx, `SELECT criterion, rating, commentary, assessed_by, assessed_at, COALESCE(p.name, '')
		FROM self_assessments s LEFT JOIN people p ON p.id = s.assessed_by WHERE framework_id = ?`, []any{frameworkID}, func(rows *sql.Rows) error {
		a := plan.Assessment{FrameworkID: frameworkID}
		var rating string
		var by sql.NullInt64
		if err := rows.Scan(&a.Criterion, &rating, &a.Commentary, &by, &a.AssessedAt, &a.AssessedBy); err != nil {
			return err
		}
		a.Rating, a.AssessedByID = plan.Rating(rating), nullableID(by)
		if rw := row(a.Criterion); rw != nil {
			rw.Assessment = &a
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, rw := range r.Rows {
		rating := plan.NotAssessed
		if rw.Assessment != nil {
			rating = rw.Assessment.Rating
		}
		r.Ratings[rating]++
	}

	// The findings of inspections under this framework, with their plans'
	// counts, by the criteria they name.
	findings, err := db.findings(ctx, ` WHERE i.framework_id = ?`, frameworkID)
	if err != nil {
		return r, err
	}
	type counts struct{ n, done, late int }
	byFinding := map[int64]counts{}
	err = db.each(ctx, `SELECT a.finding_id, COUNT(*), COUNT(CASE WHEN a.status = 'done' THEN 1 END),
			COUNT(CASE WHEN a.status <> 'done' AND a.due_on < ? THEN 1 END)
		FROM plan_actions a JOIN findings f ON f.id = a.finding_id JOIN inspections i ON i.id = f.inspection_id
		WHERE i.framework_id = ? GROUP BY a.finding_id`, []any{today, frameworkID}, func(rows *sql.Rows) error {
		var id int64
		var c counts
		if err := rows.Scan(&id, &c.n, &c.done, &c.late); err != nil {
			return err
		}
		byFinding[id] = c
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, f := range findings {
		for _, c := range f.Criteria {
			if rw := row(c); rw != nil {
				rw.Findings = append(rw.Findings, f)
				n := byFinding[f.ID]
				rw.Actions, rw.ActionsDone, rw.ActionsLate = rw.Actions+n.n, rw.ActionsDone+n.done, rw.ActionsLate+n.late
			}
		}
	}
	err = db.each(ctx, `SELECT DISTINCT fc.criterion, e.kind, e.ref, e.note FROM finding_criteria fc
		JOIN findings f ON f.id = fc.finding_id JOIN inspections i ON i.id = f.inspection_id
		JOIN plan_actions a ON a.finding_id = f.id JOIN plan_evidence e ON e.action_id = a.id
		WHERE i.framework_id = ? ORDER BY fc.criterion, e.kind, e.ref`, []any{frameworkID}, func(rows *sql.Rows) error {
		var criterion, kind string
		var e plan.Evidence
		if err := rows.Scan(&criterion, &kind, &e.Ref, &e.Note); err != nil {
			return err
		}
		e.Kind = plan.EvidenceKind(kind)
		if rw := row(criterion); rw != nil {
			label, _ := evidenceLabel(e)
			rw.Evidence = append(rw.Evidence, label)
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	latest, err := db.latestResults(ctx)
	if err != nil {
		return r, err
	}
	for _, c := range evidenceChecks {
		res, ok := latest[c.Code]
		if !ok {
			res = plan.Result{Code: c.Code}
		}
		for _, criterion := range c.Criteria {
			if rw := row(criterion); rw != nil {
				rw.Checks = append(rw.Checks, res)
			}
		}
	}
	return r, nil
}

// Rating is the criterion's rating: not assessed until someone rates it.
func (r ReadinessRow) Rating() plan.Rating {
	if r.Assessment == nil {
		return plan.NotAssessed
	}
	return r.Assessment.Rating
}
