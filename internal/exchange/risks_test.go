package exchange_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"caseboard/internal/access"
	"caseboard/internal/demo"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
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
			t.Run("ErrAgainRefused", func(t *testing.T) {
				res, err := exchange.ImportRisks(ctx, db, hod, strings.NewReader(risksWith(owner)), "register.csv", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || !strings.Contains(res.Problems.Error(), "already in the register") || all() != 2 {
					t.Fatalf("%v %v", err, res.Problems.Error())
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
