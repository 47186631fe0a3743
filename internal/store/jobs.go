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

// abandonedAfter is how long a job's claim may go without finishing before
// another instance may take it over: longer than any job runs (the longest,
// the evidence checks over a million cases, take seconds).
const abandonedAfter = time.Hour

// ClaimJob records that instance is running job for period, and reports
// whether it won the claim. The row's primary key makes the claim exactly
// once across every instance on the database (a claim abandoned for an hour
// unfinished, by an instance stopped mid-run, is taken over); on PostgreSQL a
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
		// A claim whose run never finished and is older than
		// abandonedAfter was left by an instance that stopped mid-run:
		// it is taken over, so the period's work is still done.
		res, err := tx.exec(ctx, `INSERT INTO job_runs (job, period, started_at, instance) VALUES (?, ?, ?, ?)
			ON CONFLICT (job, period) DO UPDATE SET started_at = excluded.started_at, instance = excluded.instance
			WHERE job_runs.finished_at IS NULL AND job_runs.started_at < ?`, job, period, tx.now, instance, tx.now.Add(-abandonedAfter))
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
