package exchange_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"caseboard/internal/access"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// someLawyer is the email of a specialist prosecutor of organised crime.
func someLawyer(t *testing.T, db *store.DB) string {
	t.Helper()
	page, err := db.People(context.Background(), store.PeopleFilter{Unit: "organised_crime", Grade: "specialist_prosecutor", Limit: 1})
	if err != nil || len(page.People) == 0 {
		t.Fatalf("no lawyer: %v", err)
	}
	return page.People[0].Email
}

func casesCSV(lawyer string) string {
	return "Reference,Kind,Unit,Location,Status,Opened On,Title,Sensitivity,Lawyer,Agency,Court,Court Centre,Pre Charge Decision,Pre Charge Decided On,Country,Direction,Warrant Type,Spare\n" +
		"01PF1234518,organised_crime,organised_crime,petty_france,charged,2018-01-15,Operation Kestrel,official_sensitive," + strings.ToUpper(lawyer) + ",NCA,cc,Southwark,charge,20/02/2018,,,,x\n" +
		"EX/2018/00077,extradition,extradition,petty_france,arrested,2018-03-01,Requested person 77,,,,,,,,ro,export,eaw_conviction,\n"
}

func importCases(t *testing.T, db *store.DB, p *access.Principal, body, name string, opts exchange.Options) (exchange.Result, error) {
	t.Helper()
	return exchange.ImportCases(context.Background(), db, p, strings.NewReader(body), name, opts)
}

func TestImportCases(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, hod := world(t, d)
			lawyer := someLawyer(t, db)
			res, err := importCases(t, db, hod, casesCSV(lawyer), "cases.csv", exchange.Options{})
			if err != nil || !res.Committed || res.Summary.Added != 2 || len(res.Ignored) != 1 || res.Ignored[0] != "Spare" {
				t.Fatalf("import: %+v %v", res, err)
			}
			page, err := db.Cases(ctx, hod, store.CaseFilter{Query: "01PF1234518", Limit: 5})
			if err != nil || len(page.Cases) != 1 {
				t.Fatalf("imported case: %+v %v", page, err)
			}
			c := page.Cases[0]
			if c.Title != "Operation Kestrel" || c.Court != "CC" || c.Sensitivity != access.OfficialSensitive || c.LawyerID == nil ||
				c.PreChargeDecidedOn == nil || c.PreChargeDecidedOn.Format("2006-01-02") != "2018-02-20" || c.Version != 1 {
				t.Fatalf("case as imported: %+v", c)
			}

			t.Run("AgainChangesNothing", func(t *testing.T) {
				res, err := importCases(t, db, hod, casesCSV(lawyer), "cases.csv", exchange.Options{})
				if err != nil || res.Summary.Unchanged != 2 || res.Summary.Added != 0 || res.Summary.Changed != 0 {
					t.Fatalf("second import: %+v %v", res.Summary, err)
				}
			})

			t.Run("ExportImportsBackUnchanged", func(t *testing.T) {
				for _, format := range []string{"csv", "xlsx"} {
					var buf bytes.Buffer
					n, err := exchange.ExportCases(ctx, db, hod, &buf, format)
					if err != nil || n != 2 {
						t.Fatalf("%s export: %d %v", format, n, err)
					}
					res, err := exchange.ImportCases(ctx, db, hod, bytes.NewReader(buf.Bytes()), "cases."+format, exchange.Options{})
					if err != nil || res.Summary.Unchanged != 2 || res.Summary.Changed != 0 {
						t.Fatalf("%s round trip: %+v %v\n%s", format, res.Summary, err, buf.String())
					}
				}
			})

			t.Run("AChangedRowMovesTheVersion", func(t *testing.T) {
				changed := strings.Replace(casesCSV(lawyer), ",charged,", ",trial,", 1)
				res, err := importCases(t, db, hod, changed, "cases.csv", exchange.Options{})
				if err != nil || res.Summary.Changed != 1 || res.Summary.Unchanged != 1 {
					t.Fatalf("changed import: %+v %v", res.Summary, err)
				}
				page, _ := db.Cases(ctx, hod, store.CaseFilter{Query: "01PF1234518", Limit: 5})
				if page.Cases[0].Status != "trial" || page.Cases[0].Version != 2 {
					t.Fatalf("after change: %+v", page.Cases[0])
				}
			})

			t.Run("ErrBadRowsWriteNothing", func(t *testing.T) {
				before, _ := db.Cases(ctx, hod, store.CaseFilter{Limit: 500})
				bad := "reference,kind,unit,location,status,opened_on,lawyer\n" +
					"NEW/1,organised_crime,organised_crime,petty_france,charged,2018-01-01,\n" + // good
					"NEW/2,organised_crime,organised_crime,nowhere,charged,2018-01-01,\n" +
					"NEW/3,organised_crime,organised_crime,petty_france,sailing,2018-01-01,\n" +
					"NEW/4,organised_crime,organised_crime,petty_france,charged,1900-01-01,\n" +
					"NEW/5,organised_crime,organised_crime,petty_france,charged,2018-01-01,nobody@caseboard.example\n" +
					"NEW/1,organised_crime,organised_crime,petty_france,charged,2018-01-01,\n"
				res, err := importCases(t, db, hod, bad, "bad.csv", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || res.Committed {
					t.Fatalf("bad import: %+v %v", res, err)
				}
				var got []string
				for _, p := range res.Problems.List() {
					got = append(got, p.Column)
				}
				if strings.Join(got, ",") != "location,status,opened_on,lawyer,reference" {
					t.Fatalf("problems %v: %v", got, res.Problems.List())
				}
				after, _ := db.Cases(ctx, hod, store.CaseFilter{Limit: 500})
				if len(after.Cases) != len(before.Cases) {
					t.Fatalf("a refused import wrote cases: %d -> %d", len(before.Cases), len(after.Cases))
				}
			})

			t.Run("ErrOtherUnitsCases", func(t *testing.T) {
				a, _ := db.AccountByEmail(ctx, lawyer)
				p, _ := db.Principal(ctx, a.PersonID)
				res, err := importCases(t, db, p, "reference,kind,unit,location,status,opened_on\nEX/9,extradition,extradition,petty_france,received,2018-01-01\n",
					"other.csv", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || len(res.Problems.List()) != 1 || res.Problems.List()[0].Column != "unit" {
					t.Fatalf("another unit's case: %+v %v", res.Problems, err)
				}
			})
		})
	}
}
