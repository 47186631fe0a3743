package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"caseboard/internal/jobs"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// TestEachPeriodRunsOnceAcrossInstances runs two schedulers, each with its
// own connection pool to one database as two servers would have, ticking at
// the same moments, and checks every job ran exactly once per period.
func TestEachPeriodRunsOnceAcrossInstances(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			var runs atomic.Int64
			var clock atomic.Int64
			base := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
			scheduler := func(name string) *jobs.Scheduler {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				s := jobs.NewScheduler(db, slog.New(slog.NewTextHandler(io.Discard, nil)), name)
				s.Now = func() time.Time { return base.Add(time.Duration(clock.Load()) * time.Hour) }
				s.Add(jobs.Job{Name: "count", Period: jobs.Hourly, Run: func(context.Context) (string, error) {
					runs.Add(1)
					time.Sleep(5 * time.Millisecond) // hold the claim while the other instance tries
					return "counted", nil
				}})
				return s
			}
			a, b := scheduler("a"), scheduler("b")
			const hours = 6
			for h := 0; h < hours; h++ {
				clock.Store(int64(h))
				var wg sync.WaitGroup
				for _, s := range []*jobs.Scheduler{a, b} {
					for i := 0; i < 3; i++ {
						wg.Add(1)
						go func() { defer wg.Done(); s.RunDue(ctx) }()
					}
				}
				wg.Wait()
			}
			if got := runs.Load(); got != hours {
				t.Fatalf("job ran %d times over %d periods, want once each", got, hours)
			}
			db, _ := store.Open(ctx, dsn)
			defer db.Close()
			recorded, err := db.JobRuns(ctx, "count")
			if err != nil || len(recorded) != hours {
				t.Fatalf("%d runs recorded (err %v), want %d", len(recorded), err, hours)
			}
			for _, r := range recorded {
				if r.Outcome != "counted" || r.FinishedAt == nil {
					t.Fatalf("run %+v not finished", r)
				}
			}
			audits, _ := db.JobRuns(ctx, "audit_chain_check")
			if len(audits) != 1 || audits[0].Outcome == "" || audits[0].Outcome[:6] != "intact" {
				t.Fatalf("daily audit check runs: %+v", audits)
			}
			trends, _ := db.JobRuns(ctx, "risk_trends_keep")
			if len(trends) != 1 || !strings.HasPrefix(trends[0].Outcome, "the last three years") {
				t.Fatalf("daily risk trends: %+v", trends)
			}
			checks, _ := db.JobRuns(ctx, "evidence_checks")
			if len(checks) != 1 || !strings.HasPrefix(checks[0].Outcome, fmt.Sprintf("%d checks", len(store.EvidenceChecks()))) {
				t.Fatalf("daily evidence checks: %+v", checks)
			}
		})
	}
}

func TestFailingJobIsRecordedAndOthersRun(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := jobs.NewScheduler(db, slog.New(slog.NewTextHandler(io.Discard, nil)), "x")
	s.Add(jobs.Job{Name: "explodes", Period: jobs.Daily, Run: func(context.Context) (string, error) { panic("bad job") }})
	ran := s.RunDue(context.Background())
	if len(ran) != 5 || ran[len(ran)-1] != "explodes" {
		t.Fatalf("ran %v, want the standard jobs and the one that explodes", ran)
	}
	recorded, _ := db.JobRuns(context.Background(), "explodes")
	if len(recorded) != 1 || recorded[0].Outcome != "failed: panic: bad job" {
		t.Fatalf("recorded %+v", recorded)
	}
}

// TestAbandonedClaimIsTakenOver: an instance stopped mid-run leaves its
// claim unfinished; another instance takes it over once it is an hour old,
// not before, and a finished run is never run again in its period.
func TestAbandonedClaimIsTakenOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		at := func(d time.Duration) { db.Now = func() time.Time { return start.Add(d) } }
		claim := func(instance string) bool {
			t.Helper()
			ok, err := db.ClaimJob(ctx, "evidence_checks", "2026-11-23", instance)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		at(0)
		if !claim("a") {
			t.Fatal("the first claim was refused")
		}
		at(59 * time.Minute)
		if claim("b") {
			t.Fatal("a claim 59 minutes old, perhaps still running, was taken over")
		}
		at(61 * time.Minute)
		if !claim("b") {
			t.Fatal("a claim abandoned for 61 minutes was not taken over")
		}
		if err := db.FinishJob(ctx, "evidence_checks", "2026-11-23", "done"); err != nil {
			t.Fatal(err)
		}
		runs, err := db.JobRuns(ctx, "evidence_checks")
		if err != nil || len(runs) != 1 || runs[0].Instance != "b" || runs[0].FinishedAt == nil {
			t.Fatalf("runs: %+v %v", runs, err)
		}
		at(5 * time.Hour)
		if claim("c") {
			t.Fatal("a finished run was claimed again in its period")
		}
	})
}
