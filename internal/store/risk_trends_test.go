package store_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/risk"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// sameTrends fails unless two views of themes and trends agree: the same
// quarters with the same counts, themes in the same order with the same
// counts and averages, and the same risks above appetite since the same
// days.
func sameTrends(t *testing.T, who string, kept, fresh store.Trends) {
	t.Helper()
	if len(kept.Quarters) != len(fresh.Quarters) {
		t.Fatalf("%s: %d quarters kept, %d afresh", who, len(kept.Quarters), len(fresh.Quarters))
	}
	for i, k := range kept.Quarters {
		f := fresh.Quarters[i]
		if k.Quarter.Label != f.Quarter.Label || k.Raised != f.Raised || k.Closed != f.Closed || k.Live != f.Live || len(k.Themes) != len(f.Themes) {
			t.Fatalf("%s: quarter %s kept %+v, afresh %+v", who, f.Quarter.Label, k, f)
		}
		for j, kt := range k.Themes {
			ft := f.Themes[j]
			if kt.Theme != ft.Theme || kt.Risks != ft.Risks || math.Abs(kt.Average-ft.Average) > 1e-9 {
				t.Fatalf("%s: quarter %s theme %d kept %+v, afresh %+v", who, f.Quarter.Label, j, kt, ft)
			}
		}
	}
	if len(kept.AboveAppetite) != len(fresh.AboveAppetite) {
		t.Fatalf("%s: %d above appetite kept, %d afresh:\n%+v\n%+v", who, len(kept.AboveAppetite), len(fresh.AboveAppetite), kept.AboveAppetite, fresh.AboveAppetite)
	}
	for i, k := range kept.AboveAppetite {
		f := fresh.AboveAppetite[i]
		if k.ID != f.ID || !k.Since.Equal(f.Since) || k.Days != f.Days || k.Score != f.Score || k.MaxScore != f.MaxScore {
			t.Fatalf("%s: above appetite %d kept %+v, afresh %+v", who, i, k, f)
		}
	}
}

// sameHeatMaps fails unless the heat map from the kept counts is the heat
// map counted from the risks, for each reader, rating and filter the
// counts answer.
func sameHeatMaps(t *testing.T, db *store.DB, when string, readers map[string]*access.Principal, units []org.Unit) {
	t.Helper()
	ctx := context.Background()
	filters := []store.RiskFilter{{}, {Status: "all"}, {Status: "closed"}, {Status: "accepted"}, {Category: risk.Operational},
		{Unit: units[0].Code}, {Unit: units[1].Code, Category: risk.Casework, Status: "all"}, {Location: "nowhere"}}
	for who, p := range readers {
		for _, rating := range []string{"current", "inherent", "target"} {
			for _, f := range filters {
				kept, err := db.RiskHeatMap(ctx, p, f, rating)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := db.RiskHeatMapAfresh(ctx, p, f, rating)
				if err != nil {
					t.Fatal(err)
				}
				if kept.Cells != fresh.Cells || kept.Total != fresh.Total {
					t.Fatalf("%s, %s, %s, %+v: heat map kept %v (%d), counted %v (%d)", when, who, rating, f, kept.Cells, kept.Total, fresh.Cells, fresh.Total)
				}
			}
		}
	}
}

func TestRiskTrendsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC)
		w := newAssuranceWorld(t, db, today)
		from := time.Date(2015, 10, 1, 0, 0, 0, 0, time.UTC)
		// Readers who see different parts of the register: the whole
		// division, a token limited to each unit, and an inspector.
		readers := map[string]*access.Principal{"head of division": w.hod, "inspector": w.inspector}
		for _, u := range w.units {
			scoped := *w.hod
			scoped.Token = &access.TokenScope{UnitID: &u.ID}
			readers["token for "+u.Code] = &scoped
		}
		check := func(t *testing.T, when string) store.Trends {
			t.Helper()
			var hod store.Trends
			for who, p := range readers {
				kept, err := db.RiskTrends(ctx, p, from, db.Now())
				if err != nil {
					t.Fatal(who, err)
				}
				fresh, err := db.RiskTrendsAfresh(ctx, p, from, db.Now())
				if err != nil {
					t.Fatal(who, err)
				}
				sameTrends(t, when+", "+who, kept, fresh)
				if p == w.hod {
					hod = kept
				}
			}
			sameHeatMaps(t, db, when, readers, w.units)
			diffs, err := db.VerifyRiskTrends(ctx)
			if err != nil || len(diffs) != 0 {
				t.Fatalf("%s: verify: %v %v", when, diffs, err)
			}
			return hod
		}
		first := check(t, "as loaded")
		if len(first.Quarters) != 13 || first.Quarters[12].Live == 0 || len(first.AboveAppetite) == 0 {
			t.Fatalf("the demo register gives no trends to compare: %+v", first)
		}
		var keptQuarters int
		if err := store.QueryRowForTest(ctx, db, `SELECT COUNT(*) FROM risk_trend_quarters`).Scan(&keptQuarters); err != nil || keptQuarters != 13 {
			t.Fatalf("%d quarters kept, %v", keptQuarters, err)
		}

		page, err := db.Risks(ctx, w.hod, store.RiskFilter{Limit: 50, Today: today})
		if err != nil || len(page.Risks) < 3 {
			t.Fatal(page, err)
		}
		target := page.Risks[0]
		otherUnit := w.units[0].ID
		if otherUnit == target.UnitID {
			otherUnit = w.units[1].ID
		}

		t.Run("BackDatedImport", func(t *testing.T) {
			// A register brought in with history reaching back into kept
			// quarters: raised in 2016, rescored in 2017, closed in 2018.
			r := risk.Risk{Title: "Paper files lost in transit", Cause: "files travel by courier", Event: "a file is lost",
				Consequence: "a case cannot proceed", Category: risk.Operational, Themes: []string{"disclosure", "security"},
				Inherent: risk.Rating{Likelihood: 4, Impact: 4}, Current: risk.Rating{Likelihood: 4, Impact: 4},
				Target: risk.Rating{Likelihood: 1, Impact: 2}, ReviewMonths: 3, NextReview: today.AddDate(0, 1, 0), Status: risk.Closed}
			seed := risk.Seed{Risk: r, Unit: w.units[1].Code, OwnerEmail: "admin@caseboard.example",
				Raised: time.Date(2016, 2, 10, 0, 0, 0, 0, time.UTC),
				Rescores: []risk.ScorePoint{
					{At: time.Date(2017, 5, 3, 0, 0, 0, 0, time.UTC), Current: risk.Rating{Likelihood: 3, Impact: 4}, Status: risk.Open, Note: "courier changed"},
					{At: time.Date(2018, 1, 15, 0, 0, 0, 0, time.UTC), Current: risk.Rating{Likelihood: 2, Impact: 4}, Status: risk.Closed, Note: "files scanned"},
				}}
			if _, err := db.LoadRisks(ctx, w.hod, []risk.Seed{seed}, "back-dated test"); err != nil {
				t.Fatal(err)
			}
			after := check(t, "after a back-dated import")
			if after.Quarters[1].Raised != first.Quarters[1].Raised+1 {
				t.Fatalf("2015-16 Q4 raised %d, was %d", after.Quarters[1].Raised, first.Quarters[1].Raised)
			}
		})

		t.Run("ChangeThemesUnitAndClose", func(t *testing.T) {
			r, err := db.Risk(ctx, w.hod, target.ID)
			if err != nil {
				t.Fatal(err)
			}
			r.Themes = []string{"resilience"}
			r.UnitID, r.LocationID = otherUnit, nil
			if err := db.UpdateRisk(ctx, w.hod, &r, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			check(t, "after a change of themes and unit")
			r.Status = risk.Closed
			if err := db.UpdateRisk(ctx, w.hod, &r, store.RiskUpdate{CloseMeasures: true}); err != nil {
				t.Fatal(err)
			}
			check(t, "after closing")
			// Reopened next quarter: its closing date goes, so the quarter
			// it was closed in counts one fewer closed.
			clock(db, time.Date(2019, 1, 8, 9, 0, 0, 0, time.UTC))
			r, _ = db.Risk(ctx, w.hod, target.ID)
			r.Status = risk.Open
			if err := db.UpdateRisk(ctx, w.hod, &r, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			check(t, "after reopening in the next quarter")
		})

		t.Run("Review", func(t *testing.T) {
			r, _ := db.Risk(ctx, w.hod, page.Risks[1].ID)
			rv := risk.Review{RiskID: r.ID, Justification: "looked at again", Current: risk.Rating{Likelihood: 1, Impact: 1}, NextReview: db.Now().AddDate(0, 2, 0)}
			if err := db.AddReview(ctx, w.hod, &rv, r.Version); err != nil {
				t.Fatal(err)
			}
			check(t, "after a review")
		})

		t.Run("Appetite", func(t *testing.T) {
			if err := db.SetRiskAppetite(ctx, w.hod, []risk.Appetite{{Category: risk.Operational, Level: risk.Averse}, {Category: risk.Project, Level: risk.Minimal}}); err != nil {
				t.Fatal(err)
			}
			check(t, "after a change of appetite")
		})

		t.Run("ErrRefusedWritesLeaveFiguresAlone", func(t *testing.T) {
			before, _ := db.RiskTrends(ctx, w.hod, from, db.Now())
			r, _ := db.Risk(ctx, w.hod, page.Risks[2].ID)
			r.Themes = []string{"never stored"}
			r.Target = risk.Rating{Likelihood: 5, Impact: 5} // above the inherent score
			if err := db.UpdateRisk(ctx, w.hod, &r, store.RiskUpdate{}); fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("err = %v", err)
			}
			bad := risk.Seed{Risk: risk.Risk{Title: "No unit"}, Unit: "nowhere", Raised: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)}
			if _, err := db.LoadRisks(ctx, w.hod, []risk.Seed{bad}, "bad"); err == nil {
				t.Fatal("a bad load was taken")
			}
			after := check(t, "after refused writes")
			sameTrends(t, "refused writes", after, before)
		})

		t.Run("NewQuarterKeptOnFirstRead", func(t *testing.T) {
			clock(db, time.Date(2019, 4, 2, 9, 0, 0, 0, time.UTC))
			got := check(t, "in a new quarter")
			if last := got.Quarters[len(got.Quarters)-1].Quarter.Label; last != "2019-20 Q1" {
				t.Fatalf("last quarter %s", last)
			}
			if err := db.KeepRiskTrends(ctx, from); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := store.QueryRowForTest(ctx, db, `SELECT COUNT(*) FROM risk_trend_quarters`).Scan(&n); err != nil || n != 15 {
				t.Fatalf("%d quarters kept, %v", n, err)
			}
		})

		t.Run("VerifyFindsADifference", func(t *testing.T) {
			if err := store.ExecForTest(ctx, db, `UPDATE risk_trend_figures SET live = live + 1 WHERE quarter = 201807 AND theme = ''`); err != nil {
				t.Fatal(err)
			}
			diffs, err := db.VerifyRiskTrends(ctx)
			if err != nil || len(diffs) == 0 {
				t.Fatalf("verify found nothing: %v", err)
			}
			if s := fmt.Sprint(diffs[0]); !strings.Contains(s, "2018-19 Q2") || !strings.Contains(s, "live") {
				t.Fatalf("verify said %q", s)
			}
			if err := store.ExecForTest(ctx, db, `UPDATE risk_trend_figures SET live = live - 1 WHERE quarter = 201807 AND theme = ''`); err != nil {
				t.Fatal(err)
			}
			if err := store.ExecForTest(ctx, db, `UPDATE risks SET above_appetite_since = NULL`); err != nil {
				t.Fatal(err)
			}
			diffs, err = db.VerifyRiskTrends(ctx)
			if err != nil || len(diffs) == 0 || diffs[0].Figure != "above appetite since" {
				t.Fatalf("verify found %v, %v", diffs, err)
			}
		})
	})
}
