package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/plan"
	"caseboard/internal/quality"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestComplianceFactsAndSamples(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		charged := w.newCase(t, "01CO0000118", access.OfficialSensitive)
		d := casework.Defendant{CaseID: charged.ID, Ref: "1", Name: "Remanded Example", CustodyStatus: "in_custody"}
		if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
			t.Fatal(err)
		}
		unallocated := casework.Case{Reference: "01CO0000218", Kind: casework.Prosecution, Title: "No lawyer", UnitID: w.unitID, LocationID: w.locationID,
			Status: "pre_charge", Sensitivity: access.Official, OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)}
		if err := db.CreateCase(ctx, w.manager, &unallocated); err != nil {
			t.Fatal(err)
		}
		facts, err := db.ComplianceFacts(ctx, w.manager, &w.unitID)
		if err != nil || len(facts) != 2 {
			t.Fatalf("%d facts, %v", len(facts), err)
		}
		if facts[0].Values.Get("defendants_in_custody") != 1 || facts[0].Values.Get("running_custody_limits") != 0 || facts[0].LawyerName == "" ||
			!facts[0].Values.Get("next_deadline").(time.Time).IsZero() {
			t.Fatalf("facts %+v", facts[0])
		}
		breaches, _ := quality.Evaluate(quality.ComplianceRules, facts, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), func(quality.CaseFacts) string { return "" })
		var got []string
		for _, b := range breaches {
			got = append(got, b.Rule+" "+b.Reference)
		}
		for _, want := range []string{"custody_limit_running 01CO0000118", "pre_charge_decision_recorded 01CO0000118", "lawyer_allocated 01CO0000218",
			"pre_charge_timely 01CO0000218", "crown_court_centre 01CO0000118"} {
			if !slices.Contains(got, want) {
				t.Errorf("missing %s in %v", want, got)
			}
		}
		// A person outside the unit sees neither official-sensitive case facts.
		other, err := db.ComplianceFacts(ctx, w.otherLawyer, &w.unitID)
		if err != nil || len(other) != 1 || other[0].Reference != "01CO0000218" {
			t.Fatalf("facts for another unit's lawyer: %+v %v", other, err)
		}

		t.Run("StandingFeedsTheMeasureAndTheCheck", func(t *testing.T) {
			var failing []string
			checked, meeting, err := db.ComplianceStanding(ctx, w.manager, &w.unitID, func(f *quality.CaseFacts, breaches []quality.Breach) {
				failing = append(failing, fmt.Sprintf("%s %d", f.Reference, len(breaches)))
			})
			if err != nil || checked != 2 || meeting != 0 || len(failing) != 2 || !strings.HasPrefix(failing[0], "01CO0000118 ") || strings.HasSuffix(failing[0], " 0") {
				t.Fatalf("standing: %d checked, %d meeting, failing %v, %v", checked, meeting, failing, err)
			}
			if checked, _, err := db.ComplianceStanding(ctx, w.otherLawyer, &w.unitID, nil); err != nil || checked != 1 {
				t.Fatalf("another unit's lawyer counts %d cases: %v", checked, err)
			}
			if checked, _, err := db.ComplianceStanding(ctx, nil, nil, nil); err != nil || checked != 2 {
				t.Fatalf("the whole division counts %d cases: %v", checked, err)
			}
			hod := hodOf(t, db)
			thisYear := measure.YearOf(db.Now())
			c, err := db.MeasureCounts(ctx, hod, thisYear, "")
			if err != nil || c.ComplianceChecked != 2 || c.ComplianceMet != 0 {
				t.Fatalf("this year's counts: %d checked, %d met, %v", c.ComplianceChecked, c.ComplianceMet, err)
			}
			m, _ := measure.Lookup("case_progression_compliance")
			if v := m.Compute(c); v.Value == nil || *v.Value != 0 || v.RAG != measure.Red {
				t.Fatalf("this year's value %+v", v)
			}
			past, err := db.MeasureCounts(ctx, hod, thisYear.Previous(), "")
			if err != nil || past.ComplianceChecked != 0 || m.Compute(past).Value != nil {
				t.Fatalf("a past year has compliance figures: %+v, %v", past, err)
			}
			records, err := db.MeasureRecords(ctx, hod, "case_progression_compliance", thisYear, "")
			if err != nil || len(records) != 2 || records[0].Reference != "01CO0000118" || !strings.Contains(records[0].Detail, "custody_limit_running") {
				t.Fatalf("records %+v, %v", records, err)
			}
			if _, err := db.MeasureRecords(ctx, hod, "case_progression_compliance", thisYear, "no_such_unit"); fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("an unknown unit: %v", err)
			}
			results, err := db.EvaluateChecks(ctx)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(results, func(r plan.Result) bool { return r.Code == "case_progression_compliance" })
			if i < 0 || results[i].Outcome != plan.Fail || results[i].Detail != "0 of 2 cases meet every case progression rule (0%)" {
				t.Fatalf("the evidence check, at %d of %+v", i, results)
			}
		})

		t.Run("OneCaseAgreesWithAll", func(t *testing.T) {
			// Progression records on both cases: a late direction, an old
			// and a current key document, a late panel action.
			old, recent := deadline.NewDate(2019, 1, 10), deadline.Today(db.Now())
			for _, c := range []int64{charged.ID, unallocated.ID} {
				dir := casework.Direction{CaseID: c, Court: casework.CrownCourt, Description: "Serve the evidence", Due: old}
				if err := db.SaveDirection(ctx, w.manager, &dir); err != nil {
					t.Fatal(err)
				}
			}
			for _, k := range []casework.KeyDocument{{CaseID: charged.ID, Kind: casework.ProsecutionStrategy, UpdatedOn: &old},
				{CaseID: charged.ID, Kind: casework.DisclosureManagement, UpdatedOn: &recent}, {CaseID: unallocated.ID, Kind: casework.DisclosureManagement, UpdatedOn: &old}} {
				if err := db.SaveKeyDocument(ctx, w.manager, &k); err != nil {
					t.Fatal(err)
				}
			}
			panel := casework.CaseReview{CaseID: unallocated.ID, Kind: casework.LocalPanel, Held: old, Summary: "Papers outstanding",
				Actions: []casework.ReviewAction{{Description: "Chase the papers", OwnerID: &w.manager.PersonID, Due: old}}}
			if err := db.AddCaseReview(ctx, w.manager, &panel); err != nil {
				t.Fatal(err)
			}
			facts, err := db.ComplianceFacts(ctx, w.manager, &w.unitID)
			if err != nil || facts[0].Values.Get("overdue_directions") != 1 || facts[0].Values.Get("overdue_document_reviews") != 1 ||
				facts[1].Values.Get("overdue_actions") != 1 || facts[0].Values.Get("prosecution_strategy_updated_on") != old.Time(time.UTC) {
				t.Fatalf("facts %+v %v", facts, err)
			}
			all, err := db.ComplianceFacts(ctx, w.manager, nil)
			if err != nil || len(all) != len(facts) || all[1].Values != facts[1].Values {
				t.Fatalf("facts of every unit: %+v %v", all, err)
			}
			today := deadline.Today(db.Now()).Time(time.UTC)
			breaches, _ := quality.Evaluate(quality.ComplianceRules, facts, today, func(quality.CaseFacts) string { return "" })
			for _, f := range facts {
				var want []quality.Breach
				for _, b := range breaches {
					if b.CaseID == f.CaseID {
						want = append(want, b)
					}
				}
				got, err := db.CaseCompliance(ctx, w.manager, f.CaseID)
				if err != nil || len(got) == 0 || !slices.Equal(got, want) {
					t.Fatalf("case %s: %+v, want %+v (%v)", f.Reference, got, want, err)
				}
			}
			if _, err := db.CaseCompliance(ctx, w.otherLawyer, charged.ID); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("a case the person may not see: %v", err)
			}
		})

		t.Run("Samples", func(t *testing.T) {
			wantFaultCode(t, db.DrawCaseSample(ctx, w.lawyer, &store.CaseSample{Size: 2, Seed: 3}), fault.Forbidden)
			wantFaultCode(t, db.DrawCaseSample(ctx, w.manager, &store.CaseSample{Size: 0, Seed: 3}), fault.Invalid)
			a, b := store.CaseSample{Size: 1, Seed: 3}, store.CaseSample{Size: 1, Seed: 3}
			if err := db.DrawCaseSample(ctx, w.manager, &a); err != nil {
				t.Fatal(err)
			}
			if err := db.DrawCaseSample(ctx, w.manager, &b); err != nil {
				t.Fatal(err)
			}
			if len(a.Cases) != 1 || a.Cases[0] != charged.ID || !slices.Equal(a.Cases, b.Cases) {
				t.Fatalf("samples %+v %+v", a, b)
			}
			list, err := db.CaseSamples(ctx, w.manager)
			if err != nil || len(list) != 2 || list[0].ID != b.ID || list[0].Seed != 3 || list[0].References[0] != "01CO0000118" {
				t.Fatalf("%+v %v", list, err)
			}
		})
	})
}
