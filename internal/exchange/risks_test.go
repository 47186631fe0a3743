package exchange_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/demo"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func risksCSV(owner string) string {
	return "Reference,Title,Cause,Event,Consequence,Category,Unit,Location,Owner,Themes,Inherent Likelihood,Inherent Impact," +
		"Current Likelihood,Current Impact,Target Likelihood,Target Impact,Review Months,Next Review,Parent,Related,Raised On,Spare\n" +
		"OC-1,Custody time limits missed,paper diaries,a limit expires,a defendant is released,operational,organised_crime,,OWNER,custody time limits; disclosure,4,5,3,5,2,4,3,2031-01-31,,OC-2,2018-04-02,x\n" +
		"OC-2,Disclosure failures,volume of digital material,disclosure is late,a trial collapses,casework,organised_crime,petty_france,OWNER,disclosure,4,4,3,4,2,3,1,31/01/2031,OC-1,,,\n"
}

func risksWith(owner string) string { return strings.ReplaceAll(risksCSV(owner), "OWNER", owner) }

func countRisks(t *testing.T, db *store.DB, p *access.Principal) int {
	t.Helper()
	page, err := db.Risks(context.Background(), p, store.RiskFilter{Status: "all", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Risks)
}

func TestImportRisks(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, hod := world(t, d)
			owner := someLawyer(t, db)
			all := func() int {
				page, err := db.Risks(ctx, hod, store.RiskFilter{Status: "all", Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				return len(page.Risks)
			}

			t.Run("ErrBadRowsWriteNothing", func(t *testing.T) {
				bad := risksWith(owner)
				bad = strings.Replace(bad, "4,5,3,5,2,4,3,2031-01-31", "4,5,3,7,5,5,3,2031-01-31", 1)                        // current impact 7, target above inherent
				bad = strings.Replace(bad, "casework,organised_crime,petty_france", "casework,no_such_unit,petty_france", 1) // unknown unit
				bad += "OC-1,Again,c,e,q,strategic,organised_crime,,nobody@example.org,,1,1,1,1,1,1,5,2031-01-31,,,,\n"      // duplicate, unknown owner, bad interval
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(bad), "register.csv", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || res.Committed {
					t.Fatalf("err = %v, committed %v", err, res.Committed)
				}
				got := map[string]bool{}
				for _, p := range res.Problems.List() {
					got[fmt.Sprintf("%d %s", p.Row, p.Column)] = true
				}
				for _, want := range []string{"2 Current Impact", "2 Target Likelihood", "3 Unit", "4 Reference", "4 Owner", "4 Review Months"} {
					if !got[want] {
						t.Errorf("no problem at %s: %+v", want, res.Problems.List())
					}
				}
				if all() != 0 {
					t.Fatal("a refused import wrote risks")
				}
			})
			t.Run("Import", func(t *testing.T) {
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(risksWith(strings.ToUpper(owner))), "register.csv", exchange.Options{})
				if err != nil || !res.Committed || res.Summary.Added != 2 || res.Summary.ID == 0 || len(res.Ignored) != 1 {
					t.Fatalf("%+v %v", res, err)
				}
				page, _ := db.Risks(ctx, hod, store.RiskFilter{Status: "all", Limit: 10})
				byRef := map[string]int{}
				for i, r := range page.Risks {
					byRef[r.Reference] = i
				}
				oc1, oc2 := page.Risks[byRef["OC-1"]], page.Risks[byRef["OC-2"]]
				if oc1.Current.Score() != 15 || strings.Join(oc1.Themes, ",") != "custody time limits,disclosure" || oc1.CreatedAt.Format("2006-01-02") != "2018-04-02" {
					t.Fatalf("OC-1: %+v", oc1)
				}
				if oc2.ParentID == nil || *oc2.ParentID != oc1.ID || oc2.LocationCode != "petty_france" || oc2.NextReview.Format("2006-01-02") != "2031-01-31" {
					t.Fatalf("OC-2: %+v", oc2)
				}
				full, _ := db.Risk(ctx, hod, oc1.ID)
				if len(full.Related) != 1 || full.Related[0] != oc2.ID {
					t.Fatalf("related: %v", full.Related)
				}
				entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "risk_register"})
				if len(entries) != 1 {
					t.Fatalf("%d audit entries, want the one import", len(entries))
				}
			})
			t.Run("AgainChangesNothing", func(t *testing.T) {
				before := registerState(t, db, hod)
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(risksWith(owner)), "register.csv", exchange.Options{})
				if err != nil || !res.Committed || res.Summary.Added != 0 || res.Summary.Changed != 0 || res.Summary.Unchanged != 2 {
					t.Fatalf("%+v %v\n%s", res.Summary, err, res.Problems.Error())
				}
				if after := registerState(t, db, hod); after != before {
					t.Fatalf("a second import of the same file changed the register:\n%s\n---\n%s", before, after)
				}
			})
		})
	}
}

// TestExportRisksImportsBack exports the demo register and imports it into
// a second database of the same division: the same risks come back.
func TestExportRisksImportsBack(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			from, hod := world(t, d)
			if _, err := from.LoadRisks(ctx, hod, demo.Risks(demo.Division(1), from.Now()), "demo"); err != nil {
				t.Fatal(err)
			}
			var file bytes.Buffer
			n, err := exchange.ExportRisks(ctx, from, hod, &file, "xlsx", store.RiskFilter{Status: "all"})
			if err != nil || n != countRisks(t, from, hod) {
				t.Fatalf("exported %d of %d: %v", n, countRisks(t, from, hod), err)
			}
			to, hod2 := world(t, d)
			res, err := exchange.ImportRisks(ctx, to, hod2, bytes.NewReader(file.Bytes()), "register.xlsx", exchange.Options{})
			if err != nil || res.Summary.Added != n {
				t.Fatalf("import back: %+v %v\n%s", res.Summary, err, res.Problems.Error())
			}
			a, _ := from.Risks(ctx, hod, store.RiskFilter{Status: "all", Limit: 500})
			b, _ := to.Risks(ctx, hod2, store.RiskFilter{Status: "all", Limit: 500})
			describe := func(p store.RiskPage) string {
				var out []string
				for _, r := range p.Risks {
					parent := ""
					if r.ParentID != nil {
						parent = "child"
					}
					out = append(out, fmt.Sprintf("%s %s %d/%d/%d %s %s %s %s %s", r.Reference, r.Title, r.Inherent.Score(), r.Current.Score(), r.Target.Score(),
						r.Status, r.UnitCode, r.OwnerName, strings.Join(r.Themes, ","), parent))
				}
				slices.Sort(out) // ties of score are in id order, which the import need not keep
				return strings.Join(out, "\n")
			}
			if describe(a) != describe(b) {
				t.Fatalf("register changed on the way back:\n%s\n---\n%s", describe(a), describe(b))
			}
		})
	}
}

// registerState describes every risk with its version and score history,
// so a test can tell whether anything was written.
func registerState(t *testing.T, db *store.DB, p *access.Principal) string {
	t.Helper()
	ctx := context.Background()
	page, err := db.Risks(ctx, p, store.RiskFilter{Status: "all", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range page.Risks {
		full, err := db.Risk(ctx, p, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		history, err := db.RiskHistory(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s v%d %q %d/%d/%d %s %s related %v parent %v history %d",
			r.Reference, r.Version, r.Title, r.Inherent.Score(), r.Current.Score(), r.Target.Score(), r.Status, r.OwnerName, full.Related, r.ParentID != nil, len(history)))
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

func riskByRef(t *testing.T, db *store.DB, p *access.Principal, ref string) risk.Risk {
	t.Helper()
	id, err := db.RiskIDByReference(context.Background(), ref)
	if err != nil {
		t.Fatalf("%s: %v", ref, err)
	}
	r, err := db.Risk(context.Background(), p, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestImportRisksUpdates: a row naming a risk already in the register
// brings it up to date, as a change through its page would: audited field
// by field, rescored with a score history point, the kept trend figures
// and heat map counts still agreeing with the records.
func TestImportRisksUpdates(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, hod := world(t, d)
			owner := someLawyer(t, db)
			if _, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(risksWith(owner)), "register.csv", exchange.Options{}); err != nil {
				t.Fatal(err)
			}
			// Keep the quarters from the first risk's raising on, so the
			// updates must move the kept figures.
			if err := db.KeepRiskTrends(ctx, time.Date(2018, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			verify := func(t *testing.T) {
				t.Helper()
				diffs, err := db.VerifyRiskTrends(ctx)
				if err != nil || len(diffs) != 0 {
					t.Fatalf("report verify disagrees: %v %v", diffs, err)
				}
			}
			oc1 := riskByRef(t, db, hod, "OC-1")
			historyBefore, _ := db.RiskHistory(ctx, oc1.ID)

			t.Run("ErrBadRowWritesNothing", func(t *testing.T) {
				before := registerState(t, db, hod)
				bad := strings.Replace(risksWith(owner), "Custody time limits missed,", "Custody time limits missed at Petty France,", 1)
				bad = strings.Replace(bad, "4,5,3,5,2,4,3,2031-01-31", "4,5,1,1,1,1,3,2031-01-31", 1)
				bad += "OC-3,New risk,c,e,q,operational,organised_crime,,nobody@example.org,,2,2,2,2,1,1,3,2031-01-31,OC-1,,,\n"
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(bad), "register.csv", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || res.Committed || !strings.Contains(res.Problems.Error(), "nobody@example.org") {
					t.Fatalf("err = %v, committed %v\n%s", err, res.Committed, res.Problems.Error())
				}
				if after := registerState(t, db, hod); after != before {
					t.Fatalf("a refused import changed the register:\n%s\n---\n%s", before, after)
				}
				verify(t)
			})
			t.Run("ErrRulesOfAChange", func(t *testing.T) {
				before := registerState(t, db, hod)
				bad := strings.Replace(risksWith(owner), "OC-1,Custody", "OC-1,Custody", 1)
				// Accepting a risk is a workflow, not a cell of a file.
				bad = strings.Replace(bad, "Raised On,Spare", "Raised On,Status,Accepted Until", 1)
				bad = strings.Replace(bad, "2018-04-02,x", "2018-04-02,accepted,2031-01-01", 1)
				bad = strings.Replace(bad, "OC-1,,,\n", "OC-1,,,,\n", 1)
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(bad), "register.csv", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || !strings.Contains(res.Problems.Error(), "proposing acceptance") {
					t.Fatalf("err = %v\n%s", err, res.Problems.Error())
				}
				// Someone who may not change the risks is told so by row.
				other, err := db.People(ctx, store.PeopleFilter{Unit: "international", Grade: "specialist_prosecutor", Limit: 1})
				if err != nil || len(other.People) == 0 {
					t.Fatal("no lawyer in International", err)
				}
				p, err := db.Principal(ctx, other.People[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				res, err = exchange.ImportRisks(ctx, db, p, strings.NewReader(risksWith(owner)), "register.csv", exchange.Options{})
				if err == nil || res.Committed || !strings.Contains(res.Problems.Error(), "you may not change it") {
					t.Fatalf("err = %v\n%s", err, res.Problems.Error())
				}
				if after := registerState(t, db, hod); after != before {
					t.Fatalf("a refused import changed the register:\n%s\n---\n%s", before, after)
				}
			})
			t.Run("UpdateAndAdd", func(t *testing.T) {
				file := strings.Replace(risksWith(owner), "Custody time limits missed,", "Custody time limits missed at Petty France,", 1)
				file = strings.Replace(file, "4,5,3,5,2,4,3,2031-01-31", "4,5,2,5,2,4,3,2031-01-31", 1) // current likelihood 3 -> 2
				file += "OC-3,Witness care,no witness care unit,witnesses withdraw,a trial fails,operational,organised_crime,,OWNER_,witnesses,3,3,3,3,2,2,3,2031-01-31,OC-1,OC-2,,\n"
				file = strings.Replace(file, "OWNER_", owner, 1)
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(file), "register-2.csv", exchange.Options{})
				// OC-2 changes too: OC-3 names it as related, and a relation
				// belongs to both risks.
				if err != nil || res.Summary.Added != 1 || res.Summary.Changed != 2 || res.Summary.Unchanged != 0 {
					t.Fatalf("%+v %v\n%s", res.Summary, err, res.Problems.Error())
				}
				got := riskByRef(t, db, hod, "OC-1")
				if got.Title != "Custody time limits missed at Petty France" || got.Current.Score() != 10 || got.Version != oc1.Version+1 ||
					!got.CreatedAt.Equal(oc1.CreatedAt) {
					t.Fatalf("OC-1 after: %+v", got)
				}
				history, _ := db.RiskHistory(ctx, oc1.ID)
				if len(history) != len(historyBefore)+1 || history[len(history)-1].Current.Score() != 10 || !strings.Contains(history[len(history)-1].Note, "register-2.csv") {
					t.Fatalf("history %+v", history)
				}
				oc2 := riskByRef(t, db, hod, "OC-2")
				oc2Audit, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "risk", RecordID: fmt.Sprint(oc2.ID)})
				if oc2.Version != 2 || len(oc2Audit) == 0 || !strings.HasPrefix(oc2Audit[len(oc2Audit)-1].Changes, `{"related":`) {
					t.Fatalf("OC-2 version %d, audit %+v", oc2.Version, oc2Audit)
				}
				oc3 := riskByRef(t, db, hod, "OC-3")
				if oc3.ParentID == nil || *oc3.ParentID != oc1.ID || !slices.Equal(oc3.Related, []int64{riskByRef(t, db, hod, "OC-2").ID}) {
					t.Fatalf("OC-3: %+v", oc3)
				}
				entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "risk", RecordID: fmt.Sprint(oc1.ID)})
				if len(entries) == 0 {
					t.Fatal("no audit entry for the updated risk")
				}
				last := entries[len(entries)-1].Changes
				for _, want := range []string{`"title":{"from":"Custody time limits missed","to":"Custody time limits missed at Petty France"}`, `"current":{"from":{"impact":5,"likelihood":3},"to":{"impact":5,"likelihood":2}}`} {
					if !strings.Contains(last, want) {
						t.Errorf("audit changes %s lack %s", last, want)
					}
				}
				if !strings.Contains(last, `"version":{"from":1,"to":2}`) {
					t.Errorf("audit changes %s lack the version", last)
				}
				verify(t)
				heat, err := db.RiskHeatMap(ctx, hod, store.RiskFilter{}, "current")
				if err != nil {
					t.Fatal(err)
				}
				if n := heat.Cells[2-1][5-1]; n != 1 {
					t.Errorf("heat map cell 2x5 has %d risks, want 1", n)
				}
			})
			t.Run("FewColumnsKeepTheRest", func(t *testing.T) {
				before := riskByRef(t, db, hod, "OC-2")
				file := "reference,title,cause,event,consequence,category,unit,owner,inherent_likelihood,inherent_impact,current_likelihood,current_impact,target_likelihood,target_impact,review_months,next_review\n" +
					"oc-2,Disclosure failures,volume of digital material,disclosure is late,a trial collapses,casework,organised_crime," + owner + ",4,4,4,4,2,3,1,2031-01-31\n"
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(file), "few.csv", exchange.Options{})
				if err != nil || res.Summary.Changed != 1 {
					t.Fatalf("%+v %v\n%s", res.Summary, err, res.Problems.Error())
				}
				got := riskByRef(t, db, hod, "OC-2")
				if got.Current.Score() != 16 || got.LocationID == nil || *got.LocationID != *before.LocationID || got.ParentID == nil ||
					*got.ParentID != *before.ParentID || !slices.Equal(got.Themes, before.Themes) || !slices.Equal(got.Related, before.Related) ||
					got.Reference != "OC-2" || got.Status != before.Status {
					t.Fatalf("before %+v\nafter %+v", before, got)
				}
				verify(t)
			})
		})
	}
}
