package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// randomOutcomes is n cases of one to three finalised defendants each, of
// both units, over 2016 to 2019, in the order a file would have them.
func randomOutcomes(rng *rand.Rand, n int, prefix string) []casework.OutcomeRow {
	locations := []string{"petty_france", "birmingham", "warrington", "calder"}
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	var rows []casework.OutcomeRow
	for i := range n {
		unit, kind := "organised_crime", casework.Prosecution
		if rng.IntN(3) == 0 {
			unit, kind = "extradition", casework.Extradition
		}
		outcomes := casework.OutcomesFor(kind)
		day := start.AddDate(0, 0, rng.IntN(4*365))
		for d := range 1 + rng.IntN(3) {
			day = day.AddDate(0, 0, rng.IntN(45)) // a new case opens on its first row's date
			r := casework.OutcomeRow{CaseURN: fmt.Sprintf("%s%05d", prefix, i), Unit: unit, Location: locations[rng.IntN(len(locations))],
				DefendantRef: fmt.Sprint(d + 1), FinalisedOn: day, Outcome: outcomes[rng.IntN(len(outcomes))].Code}
			if kind == casework.Prosecution {
				r.Court, r.PrincipalOffence = []casework.Court{casework.MagistratesCourt, casework.CrownCourt}[rng.IntN(2)], "drugs_offences"
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// randomFilter is dates that begin and end on a month's edge or inside a
// month, or are open, with or without a unit and a court.
func randomFilter(rng *rand.Rand) store.OutcomeFilter {
	var f store.OutcomeFilter
	date := func() time.Time {
		switch rng.IntN(5) {
		case 0:
			return time.Time{}
		case 1: // the first of a month
			return time.Date(2015+rng.IntN(6), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		case 2: // the last of a month
			return time.Date(2015+rng.IntN(6), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
		}
		return time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(5*365))
	}
	f.From, f.To = date(), date()
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		f.From, f.To = f.To, f.From
	}
	f.Unit = []string{"", "organised_crime", "extradition"}[rng.IntN(3)]
	if f.Unit != "extradition" {
		f.Court = []casework.Court{"", "", casework.MagistratesCourt, casework.CrownCourt}[rng.IntN(4)]
	}
	return f
}

func sortedCounts(c []measure.OutcomeCount) []measure.OutcomeCount {
	c = slices.Clone(c)
	slices.SortFunc(c, func(a, b measure.OutcomeCount) int {
		return strings.Compare(fmt.Sprint(a.Unit, a.Court, a.Outcome), fmt.Sprint(b.Unit, b.Court, b.Outcome))
	})
	return c
}

// TestOutcomeRollups writes finalised outcomes by every path that can
// (imports that add and change them, the case page's defendants, a case
// moved to another location and sensitivity), then checks that the
// rollups agree with the records row by row, and that the outcome figures
// read through them equal a plain count of the records for random
// filters and readers.
func TestOutcomeRollups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		rng := rand.New(rand.NewPCG(2019, 7))
		rows := randomOutcomes(rng, 300, "RU")
		if _, problems := importRows(t, w, rows); problems != nil {
			t.Fatalf("import: %v", problems)
		}
		// The file again, some rows changed and some added.
		changed := 0
		for i := range rows {
			if rng.IntN(4) == 0 {
				kind, _ := casework.KindOfUnit(rows[i].Unit)
				outcomes := casework.OutcomesFor(kind)
				rows[i].Outcome = outcomes[rng.IntN(len(outcomes))].Code
				rows[i].FinalisedOn = rows[i].FinalisedOn.AddDate(0, 1, 0)
				changed++
			}
		}
		sum, problems := importRows(t, w, append(rows, randomOutcomes(rng, 50, "RV")...))
		if problems != nil || sum.Changed == 0 || sum.Changed > changed || sum.Added == 0 {
			t.Fatalf("second import: %+v %v (%d rows changed)", sum, problems, changed)
		}
		// Cases of each sensitivity, their defendants recorded and changed
		// on the case page, and one moved to another location and made
		// restricted.
		day := func(s string) *time.Time {
			d, _ := time.Parse("2006-01-02", s)
			return &d
		}
		cases := map[access.Sensitivity]casework.Case{}
		for i, s := range []access.Sensitivity{access.Official, access.OfficialSensitive, access.Restricted} {
			c := w.newCase(t, fmt.Sprintf("01PF%07d18", 9100+i), s)
			cases[s] = c
			for _, d := range []casework.Defendant{
				{CaseID: c.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-05-02")},
				{CaseID: c.ID, Ref: "D2", Court: casework.MagistratesCourt, Outcome: "acquitted", FinalisedOn: day("2018-05-31")},
				{CaseID: c.ID, Ref: "D3", CustodyStatus: "in_custody"},
			} {
				d.PrincipalOffence = "drugs_offences"
				if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
					t.Fatal(err)
				}
				if d.Ref == "D2" {
					d.Outcome, d.FinalisedOn = "conviction_after_trial", day("2018-06-01")
					if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		moved := cases[access.OfficialSensitive]
		var locations []int64
		locations, err := store.QueryIDs(ctx, db, `SELECT id FROM locations WHERE id <> ? ORDER BY id`, moved.LocationID)
		if err != nil || len(locations) == 0 {
			t.Fatal(err)
		}
		moved.LocationID, moved.Sensitivity = locations[0], access.Restricted
		if err := db.UpdateCase(ctx, w.lawyer, &moved); err != nil {
			t.Fatal(err)
		}
		// A restricted case shared with a lawyer of another unit, who sees
		// it by the share alone.
		if err := store.ExecArgs(ctx, db, `INSERT INTO record_shares (record_type, record_id, person_id) VALUES ('case', ?, ?)`,
			cases[access.Restricted].ID, w.otherLawyer.PersonID); err != nil {
			t.Fatal(err)
		}

		diffs, err := db.VerifyRollups(ctx)
		if err != nil || len(diffs) != 0 {
			t.Fatalf("rollups differ from the records: %v %v", diffs, err)
		}
		total := 0
		for _, p := range []*access.Principal{w.lawyer, w.manager, w.otherLawyer, w.admin, w.inspector} {
			for range 60 {
				f := randomFilter(rng)
				got, err := db.CountOutcomes(ctx, p, f)
				if err != nil {
					t.Fatal(err)
				}
				want, err := db.CountOutcomesFromRecords(ctx, p, f)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := sortedCounts(got), sortedCounts(want); fmt.Sprint(g) != fmt.Sprint(w) {
					t.Fatalf("person %d, %+v: rollups %v, records %v", p.PersonID, f, g, w)
				}
				for _, c := range want {
					total += c.Count
				}
			}
		}
		if total == 0 {
			t.Fatal("the filters counted nothing: the test proves nothing")
		}
		// What only a share or the case team shows counts too.
		may, _ := db.CountOutcomes(ctx, w.otherLawyer, store.OutcomeFilter{Unit: "organised_crime", From: *day("2018-05-01"), To: *day("2018-06-30")})
		n := 0
		for _, c := range may {
			n += c.Count
		}
		if n < 2 {
			t.Errorf("the shared restricted case's outcomes are not counted for the person it is shared with: %v", may)
		}
	})
}

// TestVerifyRollupsFindsDifferences corrupts the rollups behind the
// store's back: a count changed, a row added, a row removed. Verify finds
// each, and finds nothing in the clean database.
func TestVerifyRollupsFindsDifferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		if _, problems := importRows(t, w, randomOutcomes(rand.New(rand.NewPCG(1, 2)), 40, "VR")); problems != nil {
			t.Fatal(problems)
		}
		if diffs, err := db.VerifyRollups(ctx); err != nil || len(diffs) != 0 {
			t.Fatalf("clean database: %v %v", diffs, err)
		}
		for _, corrupt := range []string{
			`UPDATE outcome_rollups SET defendants = defendants + 1 WHERE month = (SELECT MIN(month) FROM outcome_rollups)`,
			`INSERT INTO outcome_rollups (month, unit_id, location_id, court, outcome, sensitivity, defendants)
				SELECT 203001, unit_id, location_id, court, outcome, sensitivity, 3 FROM outcome_rollups WHERE month = (SELECT MAX(month) FROM outcome_rollups)`,
		} {
			if err := store.ExecForTest(ctx, db, corrupt); err != nil {
				t.Fatal(err)
			}
		}
		diffs, err := db.VerifyRollups(ctx)
		if err != nil || len(diffs) < 2 {
			t.Fatalf("after corruption: %v %v", diffs, err)
		}
		for _, d := range diffs {
			if d.Month == 203001 && (d.Records != 0 || d.Rollup != 3) || d.Month != 203001 && d.Rollup != d.Records+1 {
				t.Errorf("difference %+v", d)
			}
			if d.Unit == "" || d.Location == "" {
				t.Errorf("difference without its unit or location: %+v", d)
			}
		}
	})
}
