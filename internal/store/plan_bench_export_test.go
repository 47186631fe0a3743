package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// BenchPlans is the size of the action plans SeedPlansForBench writes.
type BenchPlans struct {
	Seed                     uint64
	Inspections              int
	RecommendationsPerReport int
	ActionsPerRecommendation int
	Owners                   []int64 // people who own findings and actions
	Today                    time.Time
}

// SeedPlansForBench writes inspections, recommendations and their actions
// straight into the tables, in one transaction and in batches, for the
// Board benchmark: going through AddAction would spend the benchmark's
// setup on fifty thousand audit entries. The mix is fixed by the seed:
// three quarters of the recommendations closed, their actions done; the
// open ones' actions in every status, some late, a tenth re-dated with the
// change recorded; closed actions cite a document, and some an evidence
// check.
func SeedPlansForBench(ctx context.Context, db *DB, spec BenchPlans) error {
	rng := rand.New(rand.NewPCG(spec.Seed, spec.Seed))
	today := dateOnly(spec.Today)
	owner := func() int64 { return spec.Owners[rng.IntN(len(spec.Owners))] }
	return db.inTx(ctx, func(tx *Tx) error {
		var rows [][]any
		for i := range spec.Inspections {
			published := today.AddDate(0, 0, -60-rng.IntN(3650))
			rows = append(rows, []any{"HMCPSI", fmt.Sprintf("Benchmark inspection %d", i+1), "Thematic review", "", "CPS", published, "", tx.now, tx.now})
		}
		if err := bulkInsert(ctx, tx, "inspections (body, title, kind, reference, organisation, published_on, summary, created_at, updated_at)", rows); err != nil {
			return err
		}
		type report struct {
			id        int64
			published time.Time
		}
		var reports []report
		err := tx.each(ctx, `SELECT id, published_on FROM inspections WHERE title LIKE 'Benchmark inspection %' ORDER BY id`, nil, func(r scanner) error {
			var rp report
			err := r.Scan(&rp.id, &rp.published)
			rp.published = rp.published.UTC()
			reports = append(reports, rp)
			return err
		})
		if err != nil {
			return err
		}
		rows = rows[:0]
		published := map[int64]time.Time{}
		for _, rp := range reports {
			published[rp.id] = rp.published
			for n := 1; n <= spec.RecommendationsPerReport; n++ {
				status, closedOn, closedBy, note := "open", any(nil), any(nil), ""
				switch x := rng.IntN(100); {
				case x < 70:
					status, closedOn, closedBy = "closed_implemented", minDate(rp.published.AddDate(0, 0, 400+rng.IntN(400)), today), owner()
				case x < 75:
					status, closedOn, closedBy, note = "closed_not_implemented", minDate(rp.published.AddDate(0, 0, 200+rng.IntN(400)), today), owner(), "Superseded"
				}
				rows = append(rows, []any{rp.id, "recommendation", n, fmt.Sprintf("Recommendation %d of inspection %d", n, rp.id), fmt.Sprintf("%d.%d", 2+n/5, n),
					status, owner(), "accepted", "The CPS accept this recommendation", rp.published, closedOn, closedBy, note, tx.now, tx.now})
			}
		}
		if err := bulkInsert(ctx, tx, `findings (inspection_id, kind, number, text, paragraph, status, owner_id, response, response_text, response_on,
			closed_on, closed_by, closure_note, created_at, updated_at)`, rows); err != nil {
			return err
		}
		type finding struct {
			id, inspection int64
			status         string
			closedOn       *time.Time
		}
		var findings []finding
		err = tx.each(ctx, `SELECT f.id, f.inspection_id, f.status, f.closed_on FROM findings f JOIN inspections i ON i.id = f.inspection_id
			WHERE i.title LIKE 'Benchmark inspection %' ORDER BY f.id`, nil, func(r scanner) error {
			var f finding
			err := r.Scan(&f.id, &f.inspection, &f.status, &f.closedOn)
			findings = append(findings, f)
			return err
		})
		if err != nil {
			return err
		}
		rows = rows[:0]
		slipped := map[int]bool{}
		for _, f := range findings {
			start := published[f.inspection]
			for range spec.ActionsPerRecommendation {
				due := start.AddDate(0, 0, 30+rng.IntN(700))
				original := due
				status, closedOn, closedBy := "done", any(nil), any(nil)
				if f.status == "open" {
					status = []string{"not_started", "on_track", "on_track", "at_risk", "late", "done", "done"}[rng.IntN(7)]
					if status != "done" && rng.IntN(10) == 0 {
						original = maxDate(start, due.AddDate(0, 0, -30-rng.IntN(120)))
						slipped[len(rows)] = original.Before(due)
					}
				}
				if status == "done" {
					on := minDate(due, today)
					if f.closedOn != nil {
						on = minDate(on, f.closedOn.UTC())
					}
					closedOn, closedBy = on, owner()
				}
				rows = append(rows, []any{f.id, fmt.Sprintf("Action for finding %d", f.id), "", owner(), due, original, status, closedOn, closedBy, "", tx.now, tx.now})
			}
		}
		if err := bulkInsert(ctx, tx, `plan_actions (finding_id, title, detail, owner_id, due_on, original_due_on, status, closed_on, closed_by, closure_note,
			created_at, updated_at)`, rows); err != nil {
			return err
		}
		var actionIDs []int64
		err = tx.each(ctx, `SELECT a.id FROM plan_actions a JOIN findings f ON f.id = a.finding_id JOIN inspections i ON i.id = f.inspection_id
			WHERE i.title LIKE 'Benchmark inspection %' ORDER BY a.id`, nil, func(r scanner) error {
			var id int64
			err := r.Scan(&id)
			actionIDs = append(actionIDs, id)
			return err
		})
		if err != nil {
			return err
		}
		var changes, evidence [][]any
		for i, a := range rows {
			id := actionIDs[i]
			if slipped[i] {
				changes = append(changes, []any{id, a[5], a[4], "Waiting for the national policy", owner(), owner(), tx.now})
			}
			if a[6] == "done" {
				evidence = append(evidence, []any{id, "document", fmt.Sprintf("Evidence of action %d", id), "Shows it done", owner(), tx.now})
				if rng.IntN(50) == 0 {
					code := evidenceChecks[rng.IntN(len(evidenceChecks))].Code
					evidence = append(evidence, []any{id, "check", code, "The check passes", owner(), tx.now})
				}
			}
		}
		if err := bulkInsert(ctx, tx, "plan_target_changes (action_id, from_on, to_on, reason, approved_by, recorded_by, recorded_at)", changes); err != nil {
			return err
		}
		return bulkInsert(ctx, tx, "plan_evidence (action_id, kind, ref, note, added_by, added_at)", evidence)
	})
}

func (tx *Tx) each(ctx context.Context, query string, args []any, fn func(scanner) error) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// bulkInsert writes rows into table (with its column list) in batches of
// several hundred rows a statement.
func bulkInsert(ctx context.Context, tx *Tx, table string, rows [][]any) error {
	const batch = 400
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk[0])), ", ") + ")"
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", len(chunk)), ", ")
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("bulk insert into %s: %w", strings.Fields(table)[0], err)
		}
	}
	return nil
}

func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
