package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/risk"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestContinuityPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 6, 10, 9, 0, 0, 0, time.UTC) }
		plan := risk.ContinuityPlan{Title: "Organised Crime, Petty France", UnitID: w.unitID, LocationID: &w.locationID, OwnerID: w.lawyer.PersonID,
			Contacts: "Duty legal manager, then the Head of Unit", ReviewedOn: time.Date(2018, 4, 1, 0, 0, 0, 0, time.UTC),
			Activities: []risk.CriticalActivity{{Name: "Custody time limit applications", RTOHours: 4}, {Name: "Charging advice to the NCA", RTOHours: 24}}}
		if err := db.SaveContinuityPlan(ctx, w.lawyer, &plan); err != nil || plan.ID == 0 {
			t.Fatalf("plan %+v: %v", plan, err)
		}
		plans, err := db.ContinuityPlans(ctx)
		if err != nil || len(plans) != 1 || len(plans[0].Activities) != 2 || plans[0].Exercised != nil || !plans[0].Untested(db.Now()) {
			t.Fatalf("plans %+v: %v", plans, err)
		}

		t.Run("ErrRefusals", func(t *testing.T) {
			e := risk.Exercise{PlanID: plan.ID, HeldOn: time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC), Scenario: "Building lost", Findings: "x"}
			if err := db.RecordExercise(ctx, w.otherLawyer, &e); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("a lawyer of another unit recorded an exercise: %v", err)
			}
			stale := plan
			stale.Version = 7
			if err := db.SaveContinuityPlan(ctx, w.lawyer, &stale); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("a stale save: %v", err)
			}
			other := risk.ContinuityPlan{Title: "x", UnitID: w.unitID + 100, OwnerID: w.lawyer.PersonID, Contacts: "x", ReviewedOn: plan.ReviewedOn,
				Activities: plan.Activities}
			if err := db.SaveContinuityPlan(ctx, w.lawyer, &other); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("a plan for another unit: %v", err)
			}
		})

		t.Run("ExercisedPlanIsTested", func(t *testing.T) {
			e := risk.Exercise{PlanID: plan.ID, HeldOn: time.Date(2018, 5, 14, 0, 0, 0, 0, time.UTC), Scenario: "Loss of the Petty France building",
				Participants: "Legal managers", Findings: "Remote access worked; the custody list was not held offline", Actions: "Print the custody list weekly"}
			if err := db.RecordExercise(ctx, w.manager, &e); err != nil {
				t.Fatal(err)
			}
			got, exercises, err := db.ContinuityPlan(ctx, plan.ID)
			if err != nil || len(exercises) != 1 || got.Exercised == nil || got.Exercised.Format(time.DateOnly) != "2018-05-14" || got.Untested(db.Now()) {
				t.Fatalf("plan %+v exercises %+v: %v", got, exercises, err)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "continuity_exercise", Limit: 5})
			if len(entries) != 1 {
				t.Fatalf("%d audit entries for the exercise", len(entries))
			}
		})
	})
}
