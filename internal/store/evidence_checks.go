package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/plan"
)

// evidenceCheck is a statement about the division tested against the
// records: what it says, in plain English, and how it is evaluated.
type evidenceCheck struct {
	plan.CheckInfo
	evaluate func(ctx context.Context, db *DB, now time.Time) (plan.Result, error)
}

// evidenceChecks is the one place every evidence check is declared. A
// check returns a pass or a fail with what it found; an error (a query
// that fails, a table that is not there) is recorded as "could not
// evaluate" with the reason, never as a pass. The risk, knowledge and
// quality capabilities add their checks here as entries of the same shape.
var evidenceChecks = []evidenceCheck{
	{
		CheckInfo: plan.CheckInfo{
			Code:  "ctl_none_expired",
			Title: "No custody time limit has expired without an outcome",
			Description: "Every running custody time limit on a charge of a defendant who has no outcome yet is still in the future: " +
				"no one is held past their limit without the court having extended it.",
			Criteria: []string{"B1.4", "C1.5"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			var n int
			err := db.queryRow(ctx, `SELECT COUNT(*) FROM charges ch JOIN defendants d ON d.id = ch.defendant_id
				WHERE ch.ctl_running AND ch.ctl_expiry < ? AND d.outcome = ''`, dateOnly(now)).Scan(&n)
			if err != nil {
				return plan.Result{}, err
			}
			if n > 0 {
				return plan.Fails("%d running custody time %s expired before today on defendants without an outcome", n, plural(n, "limit has", "limits have")), nil
			}
			return plan.Passes("No running custody time limit has expired"), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "audit_verified_daily",
			Title: "The audit trail was verified intact in the last day",
			Description: "The daily job that walks the audit trail's hash chain ran in the last 26 hours and found it intact, " +
				"so every change to the records is known to be recorded and unaltered.",
			Criteria: []string{"B2.1", "C2.4"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			var finished *time.Time
			var outcome string
			err := db.queryRow(ctx, `SELECT finished_at, outcome FROM job_runs WHERE job = 'audit_chain_check' AND finished_at IS NOT NULL
				ORDER BY finished_at DESC LIMIT 1`).Scan(&finished, &outcome)
			if errors.Is(err, sql.ErrNoRows) {
				return plan.Fails("The audit trail has never been verified by the daily job"), nil
			} else if err != nil {
				return plan.Result{}, err
			}
			age := now.Sub(*finished)
			switch {
			case !strings.HasPrefix(outcome, "intact"):
				return plan.Fails("The last verification, %s, found: %s", finished.UTC().Format("2 January 2006 15:04"), outcome), nil
			case age > 26*time.Hour:
				return plan.Fails("The last verification was %s, more than a day ago", finished.UTC().Format("2 January 2006 15:04")), nil
			}
			return plan.Passes("Verified %s: %s", finished.UTC().Format("2 January 2006 15:04"), outcome), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "units_record_casework",
			Title: "Every casework unit records its live cases",
			Description: "Organised Crime, Extradition and International each have at least one live case in the register, " +
				"so the division's performance and risk are read from records rather than from spreadsheets kept elsewhere.",
			Criteria: []string{"C1.1", "B1.2"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			rows, err := db.query(ctx, `SELECT u.name, (SELECT COUNT(*) FROM cases c WHERE c.unit_id = u.id
					AND c.status NOT IN ('finalised', 'completed', 'closed'))
				FROM units u WHERE u.code IN ('organised_crime', 'extradition', 'international') ORDER BY u.name`)
			if err != nil {
				return plan.Result{}, err
			}
			defer rows.Close()
			var empty, counts []string
			units := 0
			for rows.Next() {
				var name string
				var n int
				if err := rows.Scan(&name, &n); err != nil {
					return plan.Result{}, err
				}
				units++
				counts = append(counts, fmt.Sprintf("%s %d", name, n))
				if n == 0 {
					empty = append(empty, name)
				}
			}
			if err := rows.Err(); err != nil {
				return plan.Result{}, err
			}
			if units == 0 {
				return plan.Result{}, errors.New("the division has none of the casework units (organised_crime, extradition, international)")
			}
			if len(empty) > 0 {
				return plan.Fails("No live cases recorded in %s", strings.Join(empty, ", ")), nil
			}
			return plan.Passes("Live cases: %s", strings.Join(counts, ", ")), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "live_cases_allocated",
			Title: "Every live case has a lawyer",
			Description: "No live case in the register is without an allocated lawyer, so continuity of casework does not " +
				"depend on someone remembering who has it.",
			Criteria: []string{"B1.6"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			var unallocated, live int
			err := db.queryRow(ctx, `SELECT COUNT(CASE WHEN lawyer_id IS NULL THEN 1 END), COUNT(*) FROM cases
				WHERE status NOT IN ('finalised', 'completed', 'closed')`).Scan(&unallocated, &live)
			if err != nil {
				return plan.Result{}, err
			}
			if unallocated > 0 {
				return plan.Fails("%d of %d live cases have no lawyer allocated", unallocated, live), nil
			}
			return plan.Passes("All %d live cases have a lawyer", live), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "risk_registers_reviewed",
			Title: "Every unit's risk register was reviewed in the last quarter",
			Description: "Each unit has at least one open or accepted risk on the register reviewed or rescored in the last 92 days, " +
				"so no unit's register has been left to go stale (recommendation three).",
			Criteria: []string{"B2.2"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			rows, err := db.query(ctx, `SELECT u.name, COUNT(DISTINCT r.id) FROM units u
				LEFT JOIN risks r ON r.unit_id = u.id AND r.status <> 'closed'
					AND (EXISTS (SELECT 1 FROM risk_reviews rv WHERE rv.risk_id = r.id AND rv.reviewed_at >= ?)
						OR EXISTS (SELECT 1 FROM risk_scores rs WHERE rs.risk_id = r.id AND rs.at >= ?))
				GROUP BY u.id, u.name ORDER BY u.name`, now.AddDate(0, 0, -92), now.AddDate(0, 0, -92))
			if err != nil {
				return plan.Result{}, err
			}
			defer rows.Close()
			var stale, fresh []string
			for rows.Next() {
				var unit string
				var n int
				if err := rows.Scan(&unit, &n); err != nil {
					return plan.Result{}, err
				}
				if n == 0 {
					stale = append(stale, unit)
				} else {
					fresh = append(fresh, fmt.Sprintf("%s %d", unit, n))
				}
			}
			if err := rows.Err(); err != nil {
				return plan.Result{}, err
			}
			if len(stale) > 0 {
				return plan.Fails("No risk reviewed in the last quarter in %s", strings.Join(stale, ", ")), nil
			}
			return plan.Passes("Risks reviewed in the last quarter: %s", strings.Join(fresh, ", ")), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "iqa_completion",
			Title: "Individual quality assessments were 95% complete last quarter",
			Description: "Of the IQAs that fell due in the last full quarter under the schedule, at least 95% were done " +
				"(report 4.8: the IQA process must mean something).",
			Criteria: []string{"C1.3"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			start := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -3, 0)
			end := start.AddDate(0, 3, -1)
			obligations, err := db.QualityObligations(ctx, start, end)
			if err != nil {
				return plan.Result{}, err
			}
			due, met := 0, 0
			for _, o := range obligations {
				if o.Status(now) == "open" {
					continue
				}
				due++
				if o.Status(now) == "met" {
					met++
				}
			}
			quarter := start.Format("Jan") + " to " + end.Format("Jan 2006")
			switch {
			case due == 0:
				return plan.Result{}, fmt.Errorf("no IQA fell due in %s: the schedule or the line management is not set up", quarter)
			case met*100 < due*95:
				return plan.Fails("%d of %d IQAs due in %s were done (%.0f%%)", met, due, quarter, 100*float64(met)/float64(due)), nil
			}
			return plan.Passes("%d of %d IQAs due in %s were done", met, due, quarter), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "case_progression_compliance",
			Title: "Nine in ten cases meet every case progression rule",
			Description: "Of the cases that one or more of the case progression rules applies to today, at least 90% meet every rule " +
				"that applies (the Complex Casework Units review, recommendation 1: assurance of case progression before and after charge).",
			Criteria: []string{"C1.5"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			checked, meeting, err := db.ComplianceStanding(ctx, nil, nil, nil)
			switch {
			case err != nil:
				return plan.Result{}, err
			case checked == 0:
				return plan.Result{}, fmt.Errorf("no case in the register is one that a case progression rule applies to")
			case meeting*10 < checked*9:
				return plan.Fails("%d of %d cases meet every case progression rule (%.0f%%)", meeting, checked, 100*float64(meeting)/float64(checked)), nil
			}
			return plan.Passes("%d of %d cases meet every case progression rule", meeting, checked), nil
		},
	},
	{
		CheckInfo: plan.CheckInfo{
			Code:  "continuity_exercised",
			Title: "Every business continuity plan was exercised in the last 12 months",
			Description: "Each unit has a business continuity plan, and every plan has been exercised in the last twelve months " +
				"(report 3.13: a plan nobody has tested may not work when it is needed).",
			Criteria: []string{"B2.2"},
		},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			plans, err := db.ContinuityPlans(ctx)
			if err != nil {
				return plan.Result{}, err
			}
			var without []string
			rows, err := db.query(ctx, `SELECT u.name FROM units u WHERE NOT EXISTS (SELECT 1 FROM continuity_plans cp WHERE cp.unit_id = u.id) ORDER BY u.name`)
			if err != nil {
				return plan.Result{}, err
			}
			defer rows.Close()
			for rows.Next() {
				var name string
				if err := rows.Scan(&name); err != nil {
					return plan.Result{}, err
				}
				without = append(without, name)
			}
			if err := rows.Err(); err != nil {
				return plan.Result{}, err
			}
			var untested []string
			for _, p := range plans {
				if p.Untested(now) {
					untested = append(untested, p.Title)
				}
			}
			var problems []string
			if len(without) > 0 {
				problems = append(problems, "no plan for "+strings.Join(without, ", "))
			}
			if len(untested) > 0 {
				problems = append(problems, "not exercised in 12 months: "+strings.Join(untested, ", "))
			}
			if len(problems) > 0 {
				return plan.Fails("%s", strings.Join(problems, "; ")), nil
			}
			return plan.Passes("All %d plans exercised in the last 12 months", len(plans)), nil
		},
	},
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func checkByCode(code string) (evidenceCheck, bool) {
	for _, c := range evidenceChecks {
		if c.Code == code {
			return c, true
		}
	}
	return evidenceCheck{}, false
}

// EvidenceChecks describes every evidence check.
func EvidenceChecks() []plan.CheckInfo {
	out := make([]plan.CheckInfo, len(evidenceChecks))
	for i, c := range evidenceChecks {
		out[i] = c.CheckInfo
	}
	return out
}

// checkTimeout bounds one check's evaluation.
const checkTimeout = 20 * time.Second

// EvaluateChecks evaluates every evidence check now and keeps the results
// as their history.
func (db *DB) EvaluateChecks(ctx context.Context) ([]plan.Result, error) {
	return db.evaluateChecks(ctx, evidenceChecks)
}

func (db *DB) evaluateChecks(ctx context.Context, checks []evidenceCheck) ([]plan.Result, error) {
	now := db.Now()
	results := make([]plan.Result, 0, len(checks))
	for _, c := range checks {
		r, err := runCheck(ctx, db, c, now)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		results = append(results, plan.Judge(c.Code, r, err, now))
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		for _, r := range results {
			if _, err := tx.exec(ctx, `INSERT INTO evidence_check_runs (check_code, evaluated_at, outcome, detail, reason) VALUES (?, ?, ?, ?, ?)`,
				r.Code, r.EvaluatedAt, string(r.Outcome), r.Detail, r.Reason); err != nil {
				return tx.dialect.translate(err)
			}
		}
		return nil
	})
	return results, err
}

// runCheck evaluates one check with a time limit, turning a panic into an
// error so that one broken check cannot pass, nor stop the others.
func runCheck(ctx context.Context, db *DB, c evidenceCheck, now time.Time) (r plan.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			r, err = plan.Result{}, fmt.Errorf("the check failed unexpectedly: %v", v)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	r, err = c.evaluate(ctx, db, now)
	if err != nil {
		err = fmt.Errorf("the records could not be read: %w", unwrapUnavailable(err))
	}
	return r, err
}

// unwrapUnavailable gives the cause of a database error for the reason a
// check could not be evaluated.
func unwrapUnavailable(err error) error {
	if u := errors.Unwrap(err); u != nil {
		if inner := errors.Unwrap(u); inner != nil {
			return inner
		}
		return u
	}
	return err
}

// latestResults returns each check's most recent result, by code.
func (db *DB) latestResults(ctx context.Context) (map[string]plan.Result, error) {
	rows, err := db.query(ctx, `SELECT r.check_code, r.evaluated_at, r.outcome, r.detail, r.reason FROM evidence_check_runs r
		JOIN (SELECT check_code, MAX(id) AS id FROM evidence_check_runs GROUP BY check_code) m ON m.id = r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]plan.Result{}
	for rows.Next() {
		var r plan.Result
		var outcome string
		if err := rows.Scan(&r.Code, &r.EvaluatedAt, &outcome, &r.Detail, &r.Reason); err != nil {
			return nil, err
		}
		r.Outcome = plan.Outcome(outcome)
		out[r.Code] = r
	}
	return out, rows.Err()
}

// CheckStatuses returns every check with its latest result and up to
// history of its results, newest first.
func (db *DB) CheckStatuses(ctx context.Context, history int) ([]plan.CheckStatus, error) {
	out := make([]plan.CheckStatus, 0, len(evidenceChecks))
	for _, c := range evidenceChecks {
		st := plan.CheckStatus{CheckInfo: c.CheckInfo, History: []plan.Result{}}
		err := db.each(ctx, `SELECT check_code, evaluated_at, outcome, detail, reason FROM evidence_check_runs WHERE check_code = ?
			ORDER BY evaluated_at DESC, id DESC LIMIT ?`, []any{c.Code, history}, func(r *sql.Rows) error {
			var res plan.Result
			var outcome string
			if err := r.Scan(&res.Code, &res.EvaluatedAt, &outcome, &res.Detail, &res.Reason); err != nil {
				return err
			}
			res.Outcome = plan.Outcome(outcome)
			st.History = append(st.History, res)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(st.History) > 0 {
			st.Latest = &st.History[0]
		}
		out = append(out, st)
	}
	return out, nil
}
