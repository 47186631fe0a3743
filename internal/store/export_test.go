package store

import (
	"context"
	"io/fs"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/knowledge"
	"caseboard/internal/plan"
)

// Hooks that let the external tests reach unexported behaviour.

func MigrateWith(ctx context.Context, db *DB, list []Migration) ([]int, error) {
	return db.migrate(ctx, list)
}

func ReadMigrations(fsys fs.FS) ([]Migration, error) { return readMigrations(fsys) }

func ExecForTest(ctx context.Context, db *DB, sql string) error {
	_, err := db.write.ExecContext(ctx, sql)
	return err
}

func TableExists(ctx context.Context, db *DB, name string) bool {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if db.dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	db.queryRow(ctx, q, name).Scan(&n)
	return n > 0
}

// VisibleTo exposes the visibility condition to the external tests.
func VisibleTo(f access.Filter, recordType, alias string) (string, []any) {
	return visibleTo(f, recordType, alias)
}

// ExecArgs runs a statement written with ? placeholders.
func ExecArgs(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.dialect.rebind(q), args...)
	return err
}

// QueryIDs runs a query returning one integer column.
func QueryIDs(ctx context.Context, db *DB, q string, args ...any) ([]int64, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// AppendViews appends n audit entries in one transaction, to build a long
// chain quickly for benchmarks.
func AppendViews(ctx context.Context, db *DB, n int) error {
	return db.inTx(ctx, func(tx *Tx) error {
		for i := 0; i < n; i++ {
			if err := tx.record(ctx, "view", "case", int64(i), "{}"); err != nil {
				return err
			}
		}
		return nil
	})
}

// DateOnly is dateOnly, for tests comparing stored dates.
func DateOnly(t time.Time) time.Time { return dateOnly(t) }

// EvaluateChecksWith evaluates checks given as functions (an error is
// returned as err, a panic panics), for the tests of how failures are
// recorded.
func EvaluateChecksWith(ctx context.Context, db *DB, checks map[string]func() (plan.Result, error)) ([]plan.Result, error) {
	var list []evidenceCheck
	for code, fn := range checks {
		list = append(list, evidenceCheck{CheckInfo: plan.CheckInfo{Code: code},
			evaluate: func(context.Context, *DB, time.Time) (plan.Result, error) { return fn() }})
	}
	return db.evaluateChecks(ctx, list)
}

// EvaluateBrokenQuery evaluates one check whose query names a table that
// does not exist.
func EvaluateBrokenQuery(ctx context.Context, db *DB) ([]plan.Result, error) {
	return db.evaluateChecks(ctx, []evidenceCheck{{CheckInfo: plan.CheckInfo{Code: "risks_reviewed"},
		evaluate: func(ctx context.Context, db *DB, now time.Time) (plan.Result, error) {
			var n int
			if err := db.queryRow(ctx, `SELECT COUNT(*) FROM retired_register WHERE reviewed_on > ?`, now).Scan(&n); err != nil {
				return plan.Result{}, err
			}
			return plan.Passes("%d", n), nil
		}}})
}

// ImportWithoutRollups makes an import leave the outcome rollups as they
// are, so a benchmark can measure what keeping them in step costs.
func ImportWithoutRollups(im *Import) { im.withoutRollups = true }

// RebuildOutcomeRollups counts the outcome rollups afresh from the records,
// as migration 0020 does, after a benchmark's bulk load bypassed them.
func RebuildOutcomeRollups(ctx context.Context, db *DB) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM outcome_rollups`); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO outcome_rollups (month, unit_id, location_id, court, outcome, sensitivity, defendants)
		SELECT `+db.dialect.monthOfColumn("d.finalised_on")+`, c.unit_id, c.location_id, d.court, d.outcome, c.sensitivity, COUNT(*)
		FROM defendants d JOIN cases c ON c.id = d.case_id WHERE d.outcome <> '' GROUP BY 1, 2, 3, 4, 5, 6`)
	return err
}

// SetKeptRiskFiguresForTest sets every risk's above-appetite date and
// counts the heat map's cells afresh, after a bulk load that wrote the
// rows directly.
func SetKeptRiskFiguresForTest(ctx context.Context, db *DB) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.setAboveAppetiteSince(ctx, nil); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM risk_cell_counts`); err != nil {
			return err
		}
		for _, r := range cellRatings {
			if _, err := tx.exec(ctx, `INSERT INTO risk_cell_counts (unit_id, location_id, category, status, rating, likelihood, impact, risks)
				SELECT unit_id, COALESCE(location_id, 0), category, status, '`+r+`', `+r+`_likelihood, `+r+`_impact, COUNT(*) FROM risks
				GROUP BY unit_id, COALESCE(location_id, 0), category, status, `+r+`_likelihood, `+r+`_impact`); err != nil {
				return err
			}
		}
		return nil
	})
}

// SearchRankedInFull is a search that ranks every match with the filters,
// never a kept head: the reference the head's pages must equal.
func SearchRankedInFull(ctx context.Context, db *DB, p *access.Principal, f ArticleFilter) (ArticlePage, error) {
	q := knowledge.ParseQuery(f.Query)
	where, args, err := db.articleConditions(p, f)
	if err != nil {
		return ArticlePage{}, err
	}
	ranked, rankedArgs := db.filteredRanking(q, where, args, min(clampLimit(f.Limit), MaxSearchResults))
	return db.searchPage(ctx, q, ranked, rankedArgs)
}

// SearchFromHead is a search's page from the query's head, and whether the
// head held a whole page.
func SearchFromHead(ctx context.Context, db *DB, p *access.Principal, f ArticleFilter) (ArticlePage, bool, error) {
	q := knowledge.ParseQuery(f.Query)
	where, args, err := db.articleConditions(p, f)
	if err != nil {
		return ArticlePage{}, false, err
	}
	return db.searchFromHead(ctx, q, where, args, min(clampLimit(f.Limit), MaxSearchResults))
}
