package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"
)

// JobRun is one run of a scheduled job for one period.
type JobRun struct {
	Job, Period, Instance, Outcome string
	StartedAt                      time.Time
	FinishedAt                     *time.Time
}

// ClaimJob records that instance is running job for period, and reports
// whether it won the claim. The row's primary key makes the claim exactly
// once across every instance on the database; on PostgreSQL a
// transaction-scoped advisory lock per job also keeps two instances from
// racing for the same insert.
func (db *DB) ClaimJob(ctx context.Context, job, period, instance string) (bool, error) {
	claimed := false
	err := db.inTx(ctx, func(tx *Tx) error {
		if lock := tx.dialect.tryAdvisoryLockSQL(); lock != "" {
			var got bool
			if err := tx.queryRow(ctx, lock, jobLockKey(job)).Scan(&got); err != nil {
				return fmt.Errorf("job %s: lock: %w", job, err)
			}
			if !got {
				return nil
			}
		}
		res, err := tx.exec(ctx, `INSERT INTO job_runs (job, period, started_at, instance) VALUES (?, ?, ?, ?)
			ON CONFLICT (job, period) DO NOTHING`, job, period, tx.now, instance)
		if err != nil {
			return fmt.Errorf("job %s: claim %s: %w", job, period, err)
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

func jobLockKey(job string) int64 {
	h := fnv.New64a()
	h.Write([]byte("caseboard-job:" + job))
	return int64(h.Sum64() >> 1)
}

// FinishJob records how a claimed run ended.
func (db *DB) FinishJob(ctx context.Context, job, period, outcome string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE job_runs SET finished_at = ?, outcome = ? WHERE job = ? AND period = ?`,
			tx.now, outcome, job, period)
		return err
	})
}

// JobRuns lists the runs of a job, newest period first.
func (db *DB) JobRuns(ctx context.Context, job string) ([]JobRun, error) {
	rows, err := db.query(ctx, `SELECT job, period, instance, outcome, started_at, finished_at FROM job_runs WHERE job = ? ORDER BY period DESC`, job)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var r JobRun
		if err := rows.Scan(&r.Job, &r.Period, &r.Instance, &r.Outcome, &r.StartedAt, &r.FinishedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
