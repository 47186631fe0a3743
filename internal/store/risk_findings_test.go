package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// addRecommendation records an inspection with one recommendation.
func addRecommendation(t *testing.T, db *store.DB, hod *access.Principal, number int) plan.Finding {
	t.Helper()
	ctx := context.Background()
	in := plan.Inspection{Body: "HMCPSI", Title: "Inspection " + strconv.Itoa(number), Type: "Division inspection",
		Organisation: "CPS IJOCD", PublishedOn: time.Date(2019, 1, 29, 0, 0, 0, 0, time.UTC)}
	if err := db.CreateInspection(ctx, hod, &in); err != nil {
		t.Fatal(err)
	}
	f := plan.Finding{InspectionID: in.ID, Kind: plan.Recommendation, Number: number, Paragraph: "3.7",
		Text: "The Division needs a comprehensive and coherent risk management strategy"}
	if err := db.AddFinding(ctx, hod, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRiskFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2019, 3, 10, 9, 0, 0, 0, time.UTC))
		w := newCaseWorld(t, db)
		hod := hodOf(t, db)
		rec3, rec4 := addRecommendation(t, db, hod, 3), addRecommendation(t, db, hod, 4)

		r := newRisk(w, "No divisional risk strategy")
		r.FindingIDs = []int64{rec3.ID, rec3.ID}
		t.Run("CreateLinked", func(t *testing.T) {
			if err := db.CreateRisk(ctx, w.manager, &r); err != nil {
				t.Fatal(err)
			}
			got, err := db.Risk(ctx, w.inspector, r.ID)
			if err != nil || !slices.Equal(got.FindingIDs, []int64{rec3.ID}) {
				t.Fatalf("finding ids = %v (%v), want [%d]", got.FindingIDs, err, rec3.ID)
			}
			linked, err := db.RisksForFinding(ctx, w.inspector, rec3.ID)
			if err != nil || len(linked) != 1 || linked[0].ID != r.ID {
				t.Fatalf("risks for finding = %+v, %v", linked, err)
			}
		})
		t.Run("LinkAndUnlinkAudited", func(t *testing.T) {
			got, _ := db.Risk(ctx, w.lawyer, r.ID)
			got.FindingIDs = []int64{rec4.ID}
			if err := db.UpdateRisk(ctx, w.lawyer, &got, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			after, _ := db.Risk(ctx, hod, r.ID)
			if !slices.Equal(after.FindingIDs, []int64{rec4.ID}) {
				t.Fatalf("finding ids = %v", after.FindingIDs)
			}
			if linked, _ := db.RisksForFinding(ctx, hod, rec3.ID); len(linked) != 0 {
				t.Fatalf("rec 3 still linked to %d risks", len(linked))
			}
			entries, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "risk", RecordID: strconv.FormatInt(r.ID, 10), Limit: 50})
			if err != nil || len(entries) < 2 {
				t.Fatalf("%d entries: %v", len(entries), err)
			}
			last := entries[len(entries)-1].Changes
			if !strings.Contains(last, "finding_ids") || !strings.Contains(last, strconv.FormatInt(rec4.ID, 10)) {
				t.Fatalf("audit changes %s do not show the link", last)
			}
		})
		t.Run("ErrNoSuchFinding", func(t *testing.T) {
			got, _ := db.Risk(ctx, w.manager, r.ID)
			got.FindingIDs = []int64{rec4.ID, 99999}
			err := db.UpdateRisk(ctx, w.manager, &got, store.RiskUpdate{})
			if codeOf(err) != fault.Invalid || !strings.Contains(err.Error(), "99999") {
				t.Fatalf("err = %v, want invalid naming 99999", err)
			}
			var fe *fault.Error
			if !errors.As(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != "finding_ids" {
				t.Fatalf("fields = %+v", fe)
			}
			after, _ := db.Risk(ctx, hod, r.ID)
			if !slices.Equal(after.FindingIDs, []int64{rec4.ID}) || after.Version != got.Version {
				t.Fatalf("stored risk changed: %v version %d", after.FindingIDs, after.Version)
			}
		})
		t.Run("ErrCannotChangeRisk", func(t *testing.T) {
			got, _ := db.Risk(ctx, w.otherLawyer, r.ID)
			got.FindingIDs = []int64{rec3.ID}
			if err := db.UpdateRisk(ctx, w.otherLawyer, &got, store.RiskUpdate{}); codeOf(err) != fault.Forbidden {
				t.Fatalf("err = %v, want forbidden", err)
			}
			if after, _ := db.Risk(ctx, hod, r.ID); !slices.Equal(after.FindingIDs, []int64{rec4.ID}) {
				t.Fatalf("finding ids = %v", after.FindingIDs)
			}
		})
		t.Run("SetOneLink", func(t *testing.T) {
			before, _ := db.Risk(ctx, hod, r.ID)
			if err := db.SetRiskFinding(ctx, w.lawyer, r.ID, rec3.ID, true); err != nil {
				t.Fatal(err)
			}
			after, _ := db.Risk(ctx, hod, r.ID)
			if !slices.Equal(after.FindingIDs, []int64{rec3.ID, rec4.ID}) || after.Version != before.Version+1 {
				t.Fatalf("after linking: %v version %d", after.FindingIDs, after.Version)
			}
			if err := db.SetRiskFinding(ctx, w.lawyer, r.ID, 99999, true); codeOf(err) != fault.NotFound {
				t.Fatalf("unknown finding: %v", err)
			}
			if err := db.SetRiskFinding(ctx, w.otherLawyer, r.ID, rec3.ID, false); codeOf(err) != fault.Forbidden {
				t.Fatalf("another unit's lawyer unlinks: %v", err)
			}
			if err := db.SetRiskFinding(ctx, w.lawyer, r.ID, rec3.ID, false); err != nil {
				t.Fatal(err)
			}
			list, err := db.RiskFindings(ctx, w.inspector, r.ID)
			if err != nil || len(list) != 1 || list[0].ID != rec4.ID || list[0].Number != 4 {
				t.Fatalf("links after unlinking: %+v %v", list, err)
			}
		})
		t.Run("OnlyRisksTheReaderMaySee", func(t *testing.T) {
			otherUnit := w.unitID + 1
			limited := *hod
			limited.Token = &access.TokenScope{ID: 1, ReadOnly: true, UnitID: &otherUnit}
			if linked, err := db.RisksForFinding(ctx, &limited, rec4.ID); err != nil || len(linked) != 0 {
				t.Fatalf("a token limited to unit %d sees %d linked risks (%v)", otherUnit, len(linked), err)
			}
			if linked, _ := db.RisksForFinding(ctx, hod, rec4.ID); len(linked) != 1 {
				t.Fatalf("head of division sees %d linked risks, want 1", len(linked))
			}
		})
	})
}
