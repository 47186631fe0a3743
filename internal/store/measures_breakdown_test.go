package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestMeasureBreakdown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 7, 10, 9, 0, 0, 0, time.UTC) }
		locations, err := db.Locations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var other int64
		var otherCode string
		for _, l := range locations {
			if l.ID != w.locationID && other == 0 && l.Kind == "office" {
				other, otherCode = l.ID, l.Code
			}
		}
		here := w.newCase(t, "01PF0071018", access.Official)
		there := casework.Case{Reference: "01BM0072018", Kind: casework.Prosecution, Title: "Operation There", UnitID: w.unitID, LocationID: other,
			Status: "charged", Sensitivity: access.Official, LawyerID: &w.lawyer.PersonID, OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC),
			Agency: "NCA", Court: casework.MagistratesCourt}
		if err := db.CreateCase(ctx, w.lawyer, &there); err != nil {
			t.Fatal(err)
		}
		on := time.Date(2018, 5, 2, 0, 0, 0, 0, time.UTC)
		for _, d := range []casework.Defendant{
			{CaseID: here.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: &on},
			{CaseID: here.ID, Ref: "D2", Court: casework.CrownCourt, Outcome: "acquitted", FinalisedOn: &on},
			{CaseID: there.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: &on},
			{CaseID: there.ID, Ref: "D2", Court: casework.MagistratesCourt, Outcome: "guilty_plea", FinalisedOn: &on},
		} {
			d.PrincipalOffence = "drugs_offences"
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
		}
		q1, _ := measure.ParsePeriod("2018-19-Q1")
		rate, _ := measure.Lookup("conviction_rate_cc")
		finalised, _ := measure.Lookup("finalised_defendants")
		byLocation, err := db.MeasureBreakdown(ctx, w.lawyer, q1, "organised_crime", store.ByLocation)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]float64{}
		for _, g := range byLocation {
			got[g.Key] = [2]float64{*rate.Compute(g.Counts).Value, *finalised.Compute(g.Counts).Value}
		}
		if len(got) != 2 || got[otherCode] != [2]float64{1, 2} {
			t.Errorf("by location %v", got)
		}
		for key, v := range got {
			if key != otherCode && v != [2]float64{0.5, 2} {
				t.Errorf("%s: %v", key, v)
			}
		}
		byCourt, err := db.MeasureBreakdown(ctx, w.lawyer, q1, "", store.ByCourt)
		if err != nil {
			t.Fatal(err)
		}
		if len(byCourt) != 2 || byCourt[0].Label != "Crown Court" || *finalised.Compute(byCourt[0].Counts).Value != 3 ||
			byCourt[1].Key != "MC" || *finalised.Compute(byCourt[1].Counts).Value != 1 {
			t.Errorf("by court %+v", byCourt)
		}
		// Live cases by the case's court.
		caseload, _ := measure.Lookup("caseload")
		if v := caseload.Compute(byCourt[1].Counts); *v.Value != 1 {
			t.Errorf("live cases in the magistrates' courts %v", *v.Value)
		}
		// By the team of the case's lawyer: a case with no lawyer has none.
		nobody := casework.Case{Reference: "01PF0073018", Kind: casework.Prosecution, Title: "Operation Nobody", UnitID: w.unitID, LocationID: w.locationID,
			Status: "charged", Sensitivity: access.Official, OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC), Agency: "NCA", Court: casework.CrownCourt}
		if err := db.CreateCase(ctx, w.lawyer, &nobody); err != nil {
			t.Fatal(err)
		}
		d := casework.Defendant{CaseID: nobody.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "acquitted", FinalisedOn: &on, PrincipalOffence: "drugs_offences"}
		if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
			t.Fatal(err)
		}
		lawyer, err := db.Person(ctx, w.lawyer.PersonID)
		if err != nil || lawyer.TeamID == nil {
			t.Fatalf("the lawyer's team: %+v %v", lawyer, err)
		}
		byTeam, err := db.MeasureBreakdown(ctx, w.lawyer, q1, "organised_crime", store.ByTeam)
		if err != nil {
			t.Fatal(err)
		}
		teams := map[string]string{}
		for _, g := range byTeam {
			teams[g.Key] = fmt.Sprintf("%s: %v of %v", g.Label, *rate.Compute(g.Counts).Value, *finalised.Compute(g.Counts).Value)
		}
		if want := fmt.Sprintf("%s (Organised Crime): %v of 4", lawyer.TeamName, 2.0/3); len(teams) != 2 || teams[fmt.Sprint(*lawyer.TeamID)] != want ||
			teams[store.NoTeam] != "No team recorded: 0 of 1" {
			t.Errorf("by team %v, want %q and no team 0 of 1", teams, want)
		}
		if _, err := db.MeasureBreakdown(ctx, w.lawyer, q1, "", "colour"); fault.CodeOf(err) != fault.Invalid {
			t.Errorf("by colour: %v", err)
		}

		// Each group's figure opens to the records it counts, and the
		// groups' records together are the unit's.
		groupRefs := func(by, group string) []string {
			t.Helper()
			records, err := db.MeasureGroupRecords(ctx, w.lawyer, "finalised_defendants", q1, "organised_crime", by, group)
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, r := range records {
				refs = append(refs, r.Reference+" "+r.Detail)
			}
			return refs
		}
		if got := groupRefs(store.ByLocation, otherCode); len(got) != 2 || !strings.HasPrefix(got[0], "01BM0072018 D1") || !strings.HasPrefix(got[1], "01BM0072018 D2") {
			t.Errorf("records of %s: %v", otherCode, got)
		}
		if got := groupRefs(store.ByCourt, "MC"); len(got) != 1 || got[0] != "01BM0072018 D2 MC guilty_plea" {
			t.Errorf("records of the magistrates' courts: %v", got)
		}
		if got := groupRefs(store.ByTeam, store.NoTeam); len(got) != 1 || !strings.HasPrefix(got[0], "01PF0073018 D1") {
			t.Errorf("records of no team: %v", got)
		}
		all, err := db.MeasureRecords(ctx, w.lawyer, "finalised_defendants", q1, "organised_crime")
		if err != nil {
			t.Fatal(err)
		}
		inGroups := 0
		for _, g := range byLocation {
			inGroups += len(groupRefs(store.ByLocation, g.Key))
		}
		if inGroups != len(all) || len(all) != 5 {
			t.Errorf("%d records in the location groups, %d in all", inGroups, len(all))
		}
		if _, err := db.MeasureGroupRecords(ctx, w.lawyer, "staffing", q1, "", store.ByLocation, otherCode); fault.CodeOf(err) != fault.Invalid {
			t.Errorf("staffing by location: %v", err)
		}
	})
}
