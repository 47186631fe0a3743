package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func hodOf(t *testing.T, db *store.DB) *access.Principal {
	t.Helper()
	ctx := context.Background()
	page, err := db.People(ctx, store.PeopleFilter{Grade: "head_of_division", Limit: 1})
	if err != nil || len(page.People) == 0 {
		t.Fatal("no head of division", err)
	}
	p, err := db.Principal(ctx, page.People[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func clock(db *store.DB, at time.Time) { db.Now = func() time.Time { return at } }

func newRisk(w caseWorld, title string) risk.Risk {
	now := w.db.Now()
	return risk.Risk{Title: title, Cause: "custody time limits are tracked on paper", Event: "a limit expires unnoticed",
		Consequence: "a defendant is released on bail", Category: risk.Operational, UnitID: w.unitID, LocationID: &w.locationID,
		OwnerID: w.lawyer.PersonID, Themes: []string{"Custody time limits"}, Inherent: risk.Rating{Likelihood: 4, Impact: 5},
		Current: risk.Rating{Likelihood: 3, Impact: 5}, Target: risk.Rating{Likelihood: 2, Impact: 4}, ReviewMonths: 3,
		NextReview: now.AddDate(0, 3, 0)}
}

func codeOf(err error) fault.Code {
	if err == nil {
		return ""
	}
	return fault.CodeOf(err)
}

func TestRisks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2018, 1, 10, 9, 0, 0, 0, time.UTC))
		w := newCaseWorld(t, db)
		hod := hodOf(t, db)

		r := newRisk(w, "Custody time limits missed")
		t.Run("CreateOK", func(t *testing.T) {
			if err := db.CreateRisk(ctx, w.manager, &r); err != nil {
				t.Fatal(err)
			}
			if r.Reference != "RSK-00001" || r.ScaleVersion != 1 || r.Version != 1 || r.Escalated {
				t.Fatalf("%+v", r)
			}
			got, err := db.Risk(ctx, w.inspector, r.ID)
			if err != nil || got.Title != r.Title || got.Current.Score() != 15 || strings.Join(got.Themes, ",") != "custody time limits" {
				t.Fatalf("%+v %v", got, err)
			}
		})
		t.Run("ErrCreateOtherUnit", func(t *testing.T) {
			x := newRisk(w, "Not mine")
			if err := db.CreateRisk(ctx, w.otherLawyer, &x); codeOf(err) != fault.Forbidden {
				t.Fatalf("err = %v", err)
			}
			if err := db.CreateRisk(ctx, w.inspector, &x); codeOf(err) != fault.Forbidden {
				t.Fatalf("inspector: err = %v", err)
			}
		})
		t.Run("ErrBadInputWritesNothing", func(t *testing.T) {
			for name, change := range map[string]func(*risk.Risk){
				"target above inherent": func(x *risk.Risk) { x.Target = risk.Rating{Likelihood: 5, Impact: 5} },
				"review in the past":    func(x *risk.Risk) { x.NextReview = db.Now().AddDate(0, 0, -2) },
				"score of six":          func(x *risk.Risk) { x.Current.Impact = 6 },
				"no such parent":        func(x *risk.Risk) { id := int64(999); x.ParentID = &id },
			} {
				x := newRisk(w, "Bad "+name)
				change(&x)
				if err := db.CreateRisk(ctx, w.manager, &x); codeOf(err) != fault.Invalid {
					t.Errorf("%s: err = %v, want invalid", name, err)
				}
			}
			page, _ := db.Risks(ctx, hod, store.RiskFilter{Status: "all"})
			if len(page.Risks) != 1 {
				t.Fatalf("%d risks stored, want 1", len(page.Risks))
			}
		})
		t.Run("ErrCycle", func(t *testing.T) {
			parent := newRisk(w, "Casework quality across Organised Crime")
			parent.Category = risk.Strategic
			if err := db.CreateRisk(ctx, hod, &parent); err != nil {
				t.Fatal(err)
			}
			child, _ := db.Risk(ctx, hod, r.ID)
			child.ParentID = &parent.ID
			if err := db.UpdateRisk(ctx, w.manager, &child, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			top, _ := db.Risk(ctx, hod, parent.ID)
			top.ParentID = &child.ID
			err := db.UpdateRisk(ctx, hod, &top, store.RiskUpdate{})
			if codeOf(err) != fault.Invalid || !strings.Contains(err.Error(), "loop") {
				t.Fatalf("err = %v", err)
			}
			r, _ = db.Risk(ctx, hod, r.ID)
		})
		t.Run("ErrConcurrentEdit", func(t *testing.T) {
			first, _ := db.Risk(ctx, w.manager, r.ID)
			second, _ := db.Risk(ctx, w.lawyer, r.ID)
			first.Title = "Custody time limits missed at Birmingham"
			if err := db.UpdateRisk(ctx, w.manager, &first, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			second.Title = "Something else"
			err := db.UpdateRisk(ctx, w.lawyer, &second, store.RiskUpdate{})
			if codeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "changed since you opened it") {
				t.Fatalf("err = %v", err)
			}
			got, _ := db.Risk(ctx, hod, r.ID)
			if got.Title != first.Title {
				t.Fatalf("title %q: the first save was lost", got.Title)
			}
		})
		t.Run("ErrWriteNotOwnerNorManager", func(t *testing.T) {
			x, _ := db.Risk(ctx, w.otherLawyer, r.ID)
			x.Title = "Hijacked"
			if err := db.UpdateRisk(ctx, w.otherLawyer, &x, store.RiskUpdate{}); codeOf(err) != fault.Forbidden {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("ErrAcceptDirectly", func(t *testing.T) {
			x, _ := db.Risk(ctx, w.manager, r.ID)
			x.Status = risk.Accepted
			if err := db.UpdateRisk(ctx, w.manager, &x, store.RiskUpdate{}); codeOf(err) != fault.Invalid {
				t.Fatalf("err = %v", err)
			}
		})

		// Six months on, the risk is rescored: the register as at the end
		// of March still shows the old score.
		clock(db, time.Date(2018, 7, 2, 9, 0, 0, 0, time.UTC))
		t.Run("HistoryAndAsAt", func(t *testing.T) {
			x, _ := db.Risk(ctx, w.manager, r.ID)
			x.Current = risk.Rating{Likelihood: 5, Impact: 5}
			if err := db.UpdateRisk(ctx, w.manager, &x, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			if !x.Escalated {
				t.Fatal("a score of 25 is escalated")
			}
			history, err := db.RiskHistory(ctx, r.ID)
			if err != nil || len(history) != 2 || history[0].Current.Score() != 15 || history[1].Current.Score() != 25 {
				t.Fatalf("%+v %v", history, err)
			}
			march := time.Date(2018, 3, 31, 0, 0, 0, 0, time.UTC)
			page, err := db.Risks(ctx, hod, store.RiskFilter{AsAt: &march, Unit: "organised_crime"})
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, got := range page.Risks {
				if got.ID == r.ID {
					found = true
					if got.Current.Score() != 15 {
						t.Fatalf("as at March the score was 15, got %d", got.Current.Score())
					}
				}
			}
			if !found {
				t.Fatal("the risk is missing from the register as at March")
			}
			before := time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC)
			if page, _ := db.Risks(ctx, hod, store.RiskFilter{AsAt: &before}); len(page.Risks) != 0 {
				t.Fatalf("%d risks before any was raised", len(page.Risks))
			}
			band, _ := db.Risks(ctx, hod, store.RiskFilter{Band: "Very high"})
			if len(band.Risks) != 1 || band.Risks[0].ID != r.ID {
				t.Fatalf("very high band: %+v", band.Risks)
			}
			hm, err := db.RiskHeatMap(ctx, hod, store.RiskFilter{}, "current")
			if err != nil || hm.Cells[4][4] != 1 || hm.Total != 2 {
				t.Fatalf("%+v %v", hm.Cells, err)
			}
		})
		t.Run("MeasuresAndClose", func(t *testing.T) {
			m := risk.CounterMeasure{RiskID: r.ID, Description: "Diary every limit in caseboard", OwnerID: w.lawyer.PersonID, Due: db.Now().AddDate(0, 0, -3)}
			if err := db.SaveCounterMeasure(ctx, w.manager, &m); err != nil {
				t.Fatal(err)
			}
			work, err := db.RiskWork(ctx, w.lawyer, []int64{w.lawyer.PersonID}, db.Now(), 50)
			// Both risks' reviews fell due in April, and the action is overdue.
			if err != nil || len(work) != 3 || work[2].Kind != "counter_measure" || work[0].Kind != "risk_review" {
				t.Fatalf("%+v %v", work, err)
			}
			x, _ := db.Risk(ctx, w.manager, r.ID)
			x.Status = risk.Closed
			err = db.UpdateRisk(ctx, w.manager, &x, store.RiskUpdate{})
			if codeOf(err) != fault.Invalid || fault.As(err).FieldMessage("close_measures") == "" {
				t.Fatalf("err = %v", err)
			}
			if got, _ := db.Risk(ctx, hod, r.ID); got.Status != risk.Open {
				t.Fatal("refused close changed the status")
			}
			x, _ = db.Risk(ctx, w.manager, r.ID)
			x.Status = risk.Closed
			if err := db.UpdateRisk(ctx, w.manager, &x, store.RiskUpdate{CloseMeasures: true}); err != nil {
				t.Fatal(err)
			}
			ms, _ := db.CounterMeasures(ctx, r.ID)
			if len(ms) != 1 || ms[0].Status != risk.Cancelled {
				t.Fatalf("%+v", ms)
			}
			x, _ = db.Risk(ctx, w.manager, r.ID)
			x.Status = risk.Open
			if err := db.UpdateRisk(ctx, w.manager, &x, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("Review", func(t *testing.T) {
			x, _ := db.Risk(ctx, w.lawyer, r.ID)
			rv := risk.Review{RiskID: r.ID, Justification: "Limits now diarised", Current: risk.Rating{Likelihood: 2, Impact: 5}, NextReview: db.Now().AddDate(0, 3, 0)}
			if err := db.AddReview(ctx, w.lawyer, &rv, x.Version); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Risk(ctx, w.lawyer, r.ID)
			if got.Current.Score() != 10 || !got.NextReview.Equal(store.DateOnly(rv.NextReview)) || got.Escalated {
				t.Fatalf("%+v", got)
			}
			reviews, _ := db.Reviews(ctx, r.ID)
			if len(reviews) != 1 || reviews[0].ReviewerName == "" {
				t.Fatalf("%+v", reviews)
			}
			if err := db.AddReview(ctx, w.lawyer, &rv, x.Version); codeOf(err) != fault.Conflict {
				t.Fatalf("stale review: err = %v", err)
			}
		})
		t.Run("Acceptance", func(t *testing.T) {
			expires := db.Now().AddDate(0, 6, 0)
			bad := risk.Acceptance{RiskID: r.ID, Justification: "Cost of further action exceeds the harm", ApproverID: w.otherLawyer.PersonID, Expires: &expires}
			if err := db.ProposeAcceptance(ctx, w.lawyer, &bad); codeOf(err) != fault.Invalid {
				t.Fatalf("approver not above the owner: err = %v", err)
			}
			noExpiry := risk.Acceptance{RiskID: r.ID, Justification: "x", ApproverID: w.manager.PersonID}
			if err := db.ProposeAcceptance(ctx, w.lawyer, &noExpiry); codeOf(err) != fault.Invalid {
				t.Fatalf("no expiry: err = %v", err)
			}
			a := risk.Acceptance{RiskID: r.ID, Justification: "Cost of further action exceeds the harm", ApproverID: w.manager.PersonID, Expires: &expires}
			if err := db.ProposeAcceptance(ctx, w.lawyer, &a); err != nil {
				t.Fatal(err)
			}
			if err := db.DecideAcceptance(ctx, w.lawyer, r.ID, a.ID, true, ""); codeOf(err) != fault.Forbidden {
				t.Fatalf("owner approving own acceptance: err = %v", err)
			}
			pending, _ := db.PendingAcceptances(ctx, w.manager.PersonID)
			if len(pending) != 1 {
				t.Fatalf("%+v", pending)
			}
			if err := db.DecideAcceptance(ctx, w.manager, r.ID, a.ID, true, "Agreed"); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Risk(ctx, hod, r.ID)
			if got.Status != risk.Accepted || got.AcceptedUntil == nil || !got.AcceptedUntil.Equal(store.DateOnly(expires)) {
				t.Fatalf("%+v", got)
			}
			// On expiry the risk is back for review.
			clock(db, expires.AddDate(0, 0, 1))
			n, err := db.ExpireAcceptances(ctx)
			if err != nil || n != 1 {
				t.Fatalf("expired %d, %v", n, err)
			}
			got, _ = db.Risk(ctx, hod, r.ID)
			if got.Status != risk.Open || got.AcceptedUntil != nil {
				t.Fatalf("%+v", got)
			}
		})
		t.Run("Appetite", func(t *testing.T) {
			apps := []risk.Appetite{{Category: risk.Casework, Level: risk.Averse}}
			if err := db.SetRiskAppetite(ctx, w.manager, apps); codeOf(err) != fault.Forbidden {
				t.Fatalf("err = %v", err)
			}
			if err := db.SetRiskAppetite(ctx, hod, apps); err != nil {
				t.Fatal(err)
			}
			got, _ := db.RiskAppetites(ctx)
			for _, a := range got {
				if a.Category == risk.Casework && (a.Level != risk.Averse || a.MaxScore != 4) {
					t.Fatalf("%+v", a)
				}
			}
		})
		t.Run("Scale", func(t *testing.T) {
			s := risk.DefaultScale
			s.Impact = append([]risk.Level{}, s.Impact...)
			s.Impact[4].Label = "Critical"
			if err := db.SetRiskScale(ctx, hod, &s); err != nil {
				t.Fatal(err)
			}
			got, _ := db.RiskScale(ctx)
			if got.Version != 2 || got.ImpactLabel(5) != "Critical" {
				t.Fatalf("%+v", got)
			}
			old, _ := db.Risk(ctx, hod, r.ID)
			if old.ScaleVersion != 1 {
				t.Fatalf("an old score moved to scale %d", old.ScaleVersion)
			}
		})
		t.Run("Trends", func(t *testing.T) {
			tr, err := db.RiskTrends(ctx, hod, time.Date(2017, 10, 1, 0, 0, 0, 0, time.UTC), db.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Quarters) < 4 || tr.Quarters[0].Quarter.Label != "2017-18 Q3" || tr.Quarters[1].Raised != 2 {
				t.Fatalf("%+v", tr.Quarters)
			}
		})
		t.Run("PartnerSeesNothing", func(t *testing.T) {
			p := &access.Principal{PersonID: 1, Roles: []access.Role{access.Partner}}
			if _, err := db.Risk(ctx, p, r.ID); codeOf(err) != fault.NotFound {
				t.Fatalf("err = %v", err)
			}
			page, err := db.Risks(ctx, p, store.RiskFilter{})
			if err != nil || len(page.Risks) != 0 {
				t.Fatal(page, err)
			}
		})
	})
}
