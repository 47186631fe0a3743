// Package jobs runs caseboard's scheduled work (reminders, digests,
// escalations, quarterly snapshots, integrity checks) exactly once per
// period, however many instances of caseboard share the database.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"caseboard/internal/store"
)

// Job is a piece of scheduled work.
type Job struct {
	Name string
	// Period names the period that a moment falls in, e.g. "2026-11-22" for
	// a daily job. The job runs once per period.
	Period func(now time.Time) string
	Run    func(ctx context.Context) (outcome string, err error)
}

// Daily is the period of a job that runs once a day (UTC).
func Daily(now time.Time) string { return now.UTC().Format("2006-01-02") }

// Hourly is the period of a job that runs once an hour (UTC).
func Hourly(now time.Time) string { return now.UTC().Format("2006-01-02T15") }

// Scheduler runs jobs on a tick.
type Scheduler struct {
	db       *store.DB
	log      *slog.Logger
	instance string
	jobs     []Job
	tasks    []Task
	Tick     time.Duration
	Now      func() time.Time
}

// NewScheduler returns a scheduler with caseboard's standard jobs.
func NewScheduler(db *store.DB, log *slog.Logger, instance string) *Scheduler {
	s := &Scheduler{db: db, log: log, instance: instance, Tick: time.Minute, Now: time.Now}
	s.Add(auditCheck(db))
	s.Add(riskAcceptanceExpiry(db))
	s.Add(riskTrendsKeep(db))
	s.Add(evidenceChecks(db)) // after the audit check, whose run one of them reads
	return s
}

// Add registers a job.
func (s *Scheduler) Add(j Job) { s.jobs = append(s.jobs, j) }

// Task is work done on every tick by every instance, such as sending
// queued mail: it claims its own rows, so running it twice is harmless,
// and it keeps no record of a run in the jobs table.
type Task struct {
	Name string
	Run  func(ctx context.Context) (done int, err error)
}

// AddTask registers a task.
func (s *Scheduler) AddTask(t Task) { s.tasks = append(s.tasks, t) }

// Run checks the jobs now and then on every tick until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	ticker := time.NewTicker(s.Tick)
	defer ticker.Stop()
	for {
		s.RunDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// RunDue runs every job whose current period no instance has claimed, and
// every task, and returns the names of the jobs this instance ran.
func (s *Scheduler) RunDue(ctx context.Context) []string {
	s.runTasks(ctx)
	var ran []string
	for _, j := range s.jobs {
		period := j.Period(s.Now())
		claimed, err := s.db.ClaimJob(ctx, j.Name, period, s.instance)
		if err != nil {
			s.log.WarnContext(ctx, "job claim failed", "job", j.Name, "period", period, "err", err)
			continue
		}
		if !claimed {
			continue
		}
		ran = append(ran, j.Name)
		outcome, err := survive(ctx, j.Run)
		if err != nil {
			outcome = "failed: " + err.Error()
			s.log.ErrorContext(ctx, "job failed", "job", j.Name, "period", period, "err", err)
		} else {
			s.log.InfoContext(ctx, "job done", "job", j.Name, "period", period, "outcome", outcome)
		}
		if err := s.db.FinishJob(ctx, j.Name, period, outcome); err != nil {
			s.log.WarnContext(ctx, "job finish not recorded", "job", j.Name, "err", err)
		}
	}
	return ran
}

func (s *Scheduler) runTasks(ctx context.Context) {
	for _, t := range s.tasks {
		done, err := survive(ctx, t.Run)
		if err != nil {
			s.log.ErrorContext(ctx, "task failed", "task", t.Name, "done", done, "err", err)
		} else if done > 0 {
			s.log.InfoContext(ctx, "task done", "task", t.Name, "done", done)
		}
	}
}

// survive runs a job's or a task's work, turning a panic into a failure so
// one bad piece of work cannot stop the others.
func survive[T any](ctx context.Context, run func(context.Context) (T, error)) (result T, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return run(ctx)
}

// auditCheck verifies the audit trail's hash chain every day, so tampering
// is noticed without anyone having to ask.
func auditCheck(db *store.DB) Job {
	return Job{Name: "audit_chain_check", Period: Daily, Run: func(ctx context.Context) (string, error) {
		n, brk, err := db.VerifyAudit(ctx)
		if err != nil {
			return "", err
		}
		if brk != nil {
			return "", fmt.Errorf("audit trail broken at entry %d: %s", brk.Seq, brk.Reason)
		}
		return fmt.Sprintf("intact: %d entries", n), nil
	}}
}

// riskAcceptanceExpiry returns accepted risks whose acceptance has expired
// to open, due for review that day: acceptance is for a time, then back
// for review.
func riskAcceptanceExpiry(db *store.DB) Job {
	return Job{Name: "risk_acceptance_expiry", Period: Daily, Run: func(ctx context.Context) (string, error) {
		n, err := db.ExpireAcceptances(ctx)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d acceptances expired", n), nil
	}}
}

// riskTrendsKeep computes the themes-and-trends figures of a quarter that
// has just begun (and of any of the last three years not kept), so that
// its first reader does not wait for them.
func riskTrendsKeep(db *store.DB) Job {
	return Job{Name: "risk_trends_keep", Period: Daily, Run: func(ctx context.Context) (string, error) {
		if err := db.KeepRiskTrends(ctx, db.Now().AddDate(-3, 0, 0)); err != nil {
			return "", err
		}
		return "the last three years' quarters are kept", nil
	}}
}

// evidenceChecks evaluates every evidence check once a day and keeps the
// results, so each check has a history and a failing check on a closed
// action is noticed without anyone asking.
func evidenceChecks(db *store.DB) Job {
	return Job{Name: "evidence_checks", Period: Daily, Run: func(ctx context.Context) (string, error) {
		results, err := db.EvaluateChecks(ctx)
		if err != nil {
			return "", err
		}
		counts := map[string]int{}
		for _, r := range results {
			counts[string(r.Outcome)]++
		}
		return fmt.Sprintf("%d checks: %d pass, %d fail, %d could not evaluate", len(results), counts["pass"], counts["fail"], counts["could_not_evaluate"]), nil
	}}
}
