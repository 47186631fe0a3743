package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// newExtraditionCase opens an extradition case of the lawyer's unit with
// one requested person.
func (w caseWorld) newExtraditionCase(t *testing.T, ref string) (casework.Case, casework.Defendant) {
	t.Helper()
	ctx := context.Background()
	c := casework.Case{Reference: ref, Kind: casework.Extradition, Title: "Requested person", UnitID: w.unitID, LocationID: w.locationID,
		Status: casework.Statuses[casework.Extradition][0], Sensitivity: access.Official, LawyerID: &w.lawyer.PersonID,
		OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC), Country: "PL"}
	if err := w.db.CreateCase(ctx, w.lawyer, &c); err != nil {
		t.Fatal(err)
	}
	d := casework.Defendant{CaseID: c.ID, Ref: "1", Name: "Requested Person", CustodyStatus: "in_custody", Country: "PL"}
	if err := w.db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
		t.Fatal(err)
	}
	return c, d
}

func TestExtraditionDates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		c, person := w.newExtraditionCase(t, "EX/2018/00001")
		nextDeadline := func() string {
			t.Helper()
			got, err := db.Case(ctx, w.lawyer, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.NextDeadline.UTC().Format("2006-01-02")
		}
		// Arrested under the warrant on Monday 4 June 2018: the extradition
		// hearing must be fixed within 21 days starting that day, by
		// Sunday 24 June.
		arrested := time.Date(2018, 6, 4, 9, 30, 0, 0, deadline.England)
		in := deadline.ExtraditionInput{Arrested: arrested}

		t.Run("Stored", func(t *testing.T) {
			if err := db.SaveExtraditionDates(ctx, w.lawyer, c.ID, person.ID, in); err != nil {
				t.Fatal(err)
			}
			ds, err := db.Defendants(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := ds[0]
			if got.Extradition == nil || !got.Extradition.Arrested.Equal(arrested) {
				t.Fatalf("stored dates %+v", got.Extradition)
			}
			var hearing *deadline.Limit
			for i, l := range got.ExtraditionLimits {
				if l.Key == "extradition_hearing" {
					hearing = &got.ExtraditionLimits[i]
				}
			}
			if hearing == nil || hearing.Due.String() != "2018-06-24" || len(hearing.Working) == 0 {
				t.Fatalf("limits %+v", got.ExtraditionLimits)
			}
			if got := nextDeadline(); got != "2018-06-24" {
				t.Fatalf("next deadline %s, want 2018-06-24", got)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "defendant", RecordID: itoa(person.ID)})
			audited := false
			for _, e := range entries {
				audited = audited || strings.Contains(e.Changes, `"extradition"`)
			}
			if !audited {
				t.Fatalf("audit %+v", entries)
			}
		})
		t.Run("NextDeadlineMoves", func(t *testing.T) {
			// The hearing fixed for 20 June meets s.8; the order on 25 June
			// starts the 7 days for notice of appeal, to 1 July.
			moved := in
			moved.HearingFixedFor = deadline.NewDate(2018, 6, 20)
			moved.Ordered = deadline.NewDate(2018, 6, 25)
			if err := db.SaveExtraditionDates(ctx, w.lawyer, c.ID, person.ID, moved); err != nil {
				t.Fatal(err)
			}
			if got := nextDeadline(); got != "2018-07-01" {
				t.Fatalf("next deadline %s, want 2018-07-01", got)
			}
			// Removed on 28 June: nothing is left to do.
			moved.Removed = deadline.NewDate(2018, 6, 28)
			moved.Consented = true
			if err := db.SaveExtraditionDates(ctx, w.lawyer, c.ID, person.ID, moved); err != nil {
				t.Fatal(err)
			}
			if got := nextDeadline(); got != "9999-12-31" {
				t.Fatalf("next deadline %s, want none", got)
			}
			if err := db.SaveExtraditionDates(ctx, w.lawyer, c.ID, person.ID, in); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrBadDatesNothingStored", func(t *testing.T) {
			bad := in
			bad.AppealNotice = deadline.NewDate(2018, 6, 10) // before any order
			bad.BroughtBefore = arrested.Add(-time.Hour)
			fe := fault.As(db.SaveExtraditionDates(ctx, w.lawyer, c.ID, person.ID, bad))
			if fe == nil || fe.Code != fault.Invalid || fe.FieldMessage("appeal_notice") == "" || fe.FieldMessage("brought_before") == "" {
				t.Fatalf("bad dates: %v", fe)
			}
			ds, _ := db.Defendants(ctx, c.ID)
			if !ds[0].Extradition.AppealNotice.IsZero() || !ds[0].Extradition.BroughtBefore.IsZero() || nextDeadline() != "2018-06-24" {
				t.Fatalf("a refused save changed %+v", ds[0].Extradition)
			}
		})
		t.Run("ErrNotExtradition", func(t *testing.T) {
			pros := w.newCase(t, "01AA3000318", access.Official)
			d := casework.Defendant{CaseID: pros.ID, Ref: "1", Name: "Defendant"}
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
			err := db.SaveExtraditionDates(ctx, w.lawyer, pros.ID, d.ID, in)
			if fault.CodeOf(err) != fault.Invalid || !strings.Contains(err.Error(), "not an extradition case") {
				t.Fatalf("prosecution case: %v", err)
			}
			ds, _ := db.Defendants(ctx, pros.ID)
			if ds[0].Extradition != nil {
				t.Fatalf("stored on a prosecution case: %+v", ds[0].Extradition)
			}
		})
		t.Run("ErrReaderRefused", func(t *testing.T) {
			later := in
			later.HearingFixedFor = deadline.NewDate(2018, 6, 20)
			err := db.SaveExtraditionDates(ctx, w.inspector, c.ID, person.ID, later)
			if code := fault.CodeOf(err); code != fault.Forbidden && code != fault.NotFound {
				t.Fatalf("inspector: %v", err)
			}
			ds, _ := db.Defendants(ctx, c.ID)
			if !ds[0].Extradition.HearingFixedFor.IsZero() {
				t.Fatal("a refused save was stored")
			}
		})
		t.Run("WorkList", func(t *testing.T) {
			items, err := db.Deadlines(ctx, w.lawyer, []int64{w.lawyer.PersonID}, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.Kind == "extradition_limit" && it.CaseID == c.ID {
					if it.Due.Format("2006-01-02") != "2018-06-24" || !strings.Contains(it.What, "Extradition time limit: 1") {
						t.Fatalf("work item %+v", it)
					}
					return
				}
			}
			t.Fatalf("no extradition limit in %+v", items)
		})
	})
}
