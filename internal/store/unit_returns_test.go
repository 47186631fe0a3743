package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestUnitReturns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 6, 10, 9, 0, 0, 0, time.UTC) }
		page, err := db.People(ctx, store.PeopleFilter{Grade: "head_of_division", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		hod, err := db.Principal(ctx, page.People[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		april := measure.UnitReturn{UnitCode: "organised_crime", Month: "2018-04", FTE: []measure.GradeFTE{{Grade: "crown_advocate", FTE: 4},
			{Grade: "paralegal_officer", FTE: 6}}, WorkingDaysLost: 5, SessionsInHouse: 30, SessionsCounsel: 10, CrownAdvocateHours: 300, CrownAdvocateAvailable: 400}
		if err := db.SaveUnitReturn(ctx, hod, &april); err != nil {
			t.Fatal(err)
		}
		if april.ID == 0 || april.Version != 1 || april.EnteredBy != hod.PersonID {
			t.Fatalf("saved %+v", april)
		}
		// The unit's legal manager may enter its returns; a lawyer may not,
		// nor the legal manager another unit's.
		may := measure.UnitReturn{UnitCode: "organised_crime", Month: "2018-05", FTE: []measure.GradeFTE{{Grade: "crown_advocate", FTE: 5},
			{Grade: "paralegal_officer", FTE: 5}}, WorkingDaysLost: 2.5, SessionsInHouse: 20, SessionsCounsel: 20, CrownAdvocateHours: 250, CrownAdvocateAvailable: 400}
		if err := db.SaveUnitReturn(ctx, w.manager, &may); err != nil {
			t.Fatal(err)
		}
		entries := func() int {
			all, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "unit_return", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return len(all)
		}
		before := entries()
		for name, c := range map[string]struct {
			as   *access.Principal
			r    measure.UnitReturn
			code fault.Code
		}{
			"Lawyer":       {w.lawyer, measure.UnitReturn{UnitCode: "organised_crime", Month: "2018-03"}, fault.Forbidden},
			"OtherUnit":    {w.manager, measure.UnitReturn{UnitCode: "extradition", Month: "2018-03"}, fault.Forbidden},
			"NoUnit":       {hod, measure.UnitReturn{UnitCode: "nowhere", Month: "2018-03"}, fault.Invalid},
			"Future":       {hod, measure.UnitReturn{UnitCode: "extradition", Month: "2018-07"}, fault.Invalid},
			"Again":        {hod, measure.UnitReturn{UnitCode: "organised_crime", Month: "2018-04"}, fault.Conflict},
			"StaleVersion": {hod, measure.UnitReturn{UnitCode: "organised_crime", Month: "2018-04", Version: 2}, fault.Conflict},
			"NothingToFix": {hod, measure.UnitReturn{UnitCode: "extradition", Month: "2018-04", Version: 1}, fault.Conflict},
		} {
			if err := db.SaveUnitReturn(ctx, c.as, &c.r); fault.CodeOf(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if got := entries(); got != before {
			t.Errorf("refused returns wrote %d audit entries", got-before)
		}
		// A correction supersedes the return, keeping the old version.
		fix := april
		fix.ID, fix.FTE, fix.WorkingDaysLost = 0, []measure.GradeFTE{{Grade: "crown_advocate", FTE: 4}, {Grade: "paralegal_officer", FTE: 5}}, 6
		if err := db.SaveUnitReturn(ctx, hod, &fix); err != nil {
			t.Fatal(err)
		}
		if fix.Version != 2 || fix.ID == april.ID {
			t.Fatalf("correction %+v", fix)
		}
		current, err := db.UnitReturns(ctx, store.UnitReturnFilter{Unit: "organised_crime"})
		if err != nil {
			t.Fatal(err)
		}
		if len(current) != 2 || current[0].Month != "2018-05" || current[1].Version != 2 || current[1].WorkingDaysLost != 6 ||
			len(current[1].FTE) != 2 || current[1].FTE[1].FTE != 5 || current[1].EnteredByName == "" {
			t.Errorf("current returns %+v", current)
		}
		history, err := db.UnitReturns(ctx, store.UnitReturnFilter{Unit: "organised_crime", From: "2018-04", To: "2018-04", AllVersions: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 2 || history[0].Version != 2 || history[1].Version != 1 || history[1].WorkingDaysLost != 5 {
			t.Errorf("history %+v", history)
		}
		if got := entries(); got != before+1 {
			t.Errorf("correction wrote %d audit entries", got-before)
		}

		// The measures count the current versions: 8.5 days lost over 19
		// FTE-months (9 in April as corrected, 10 in May), times twelve.
		q1, _ := measure.ParsePeriod("2018-19-Q1")
		counts, err := db.MeasureCounts(ctx, hod, q1, "organised_crime")
		if err != nil {
			t.Fatal(err)
		}
		lost, _ := measure.Lookup("working_days_lost")
		if v := lost.Compute(counts); v.Value == nil || *v.Value != 5.37 {
			t.Errorf("working days lost %+v, want 5.37", v)
		}
		records, err := db.MeasureRecords(ctx, hod, "in_house_advocacy", q1, "")
		if err != nil || len(records) != 2 || records[0].Reference != "organised_crime 2018-04" {
			t.Errorf("records %+v %v", records, err)
		}
		partner := &access.Principal{PersonID: w.lawyer.PersonID, PartnerID: ptr(int64(1)), Roles: []access.Role{access.Partner}}
		if _, err := db.MeasureRecords(ctx, partner, "in_house_advocacy", q1, ""); fault.CodeOf(err) != fault.NotFound {
			t.Errorf("partner records: %v", err)
		}
		if c, _ := db.MeasureCounts(ctx, partner, q1, ""); lost.Compute(c).Value != nil {
			t.Error("a partner sees the returns' figures")
		}
	})
}
