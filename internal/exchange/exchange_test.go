package exchange_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"caseboard/internal/access"
	"caseboard/internal/demo"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// world is a database with the demo division and the head of division's
// principal, who may import casework for any unit.
func world(t testing.TB, d store.Dialect) (*store.DB, *access.Principal) {
	t.Helper()
	db := storetest.Open(t, d)
	ctx := context.Background()
	db.SeedOrganisation(ctx)
	chart := demo.Division(1)
	if _, err := db.LoadChart(ctx, chart, "test"); err != nil {
		t.Fatal(err)
	}
	for _, p := range chart.People {
		if p.Grade == "head_of_division" {
			a, _ := db.AccountByEmail(ctx, p.Email)
			hod, err := db.Principal(ctx, a.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			return db, hod
		}
	}
	t.Fatal("no head of division")
	return nil, nil
}

const goodCSV = "Case URN,Unit,Location,Court,Defendant ID,Principal Offence,Finalised On,Outcome,Country,Notes\n" +
	"01PF0000118,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea,,first\n" +
	"01PF0000118,organised_crime,petty_france,cc,2,drugs_offences,02/05/2018,acquitted,,\n" +
	"EX/2018/1,extradition,petty_france,,1,,2018-06-30,export_extradition_ordered,pl,\n"

func importCSV(t *testing.T, db *store.DB, p *access.Principal, body string, opts exchange.Options) (exchange.Result, error) {
	t.Helper()
	return exchange.ImportOutcomes(context.Background(), db, p, strings.NewReader(body), "outcomes.csv", opts)
}

func countExported(t *testing.T, db *store.DB, p *access.Principal) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	n, err := exchange.ExportOutcomes(context.Background(), db, p, &buf, "csv", store.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n, buf.String()
}

func TestImportAndExport(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, hod := world(t, d)
			res, err := importCSV(t, db, hod, goodCSV, exchange.Options{})
			if err != nil || !res.Committed || res.Summary.Added != 3 || len(res.Ignored) != 1 || res.Ignored[0] != "Notes" {
				t.Fatalf("import: %+v %v", res, err)
			}
			t.Run("AgainChangesNothing", func(t *testing.T) {
				res, err := importCSV(t, db, hod, goodCSV, exchange.Options{})
				if err != nil || res.Summary.Unchanged != 3 || res.Summary.Added != 0 {
					t.Fatalf("%+v %v", res.Summary, err)
				}
			})
			t.Run("ErrBadRowsWriteNothing", func(t *testing.T) {
				bad := "case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n" +
					"01PF0000218,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n" +
					"01PF0000218,organised_crime,petty_france,CC,2,drugs_offences,31/02/2018,guilty_plea\n" +
					"01PF0000218,organised_crime,petty_france,CC,3,drugs_offences,2018-05-02,guilty\n" +
					"01PF0000218,finance,petty_france,CC,4,drugs_offences,2018-05-02,guilty_plea\n" +
					"01PF0000218,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n"
				before, _ := countExported(t, db, hod)
				res, err := importCSV(t, db, hod, bad, exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid || res.Committed || !strings.Contains(err.Error(), "Nothing was imported") {
					t.Fatalf("%+v %v", res, err)
				}
				list := res.Problems.List()
				wantRows := []int{3, 4, 5, 6}
				if len(list) != len(wantRows) {
					t.Fatalf("problems %+v", list)
				}
				for i, p := range list {
					if p.Row != wantRows[i] {
						t.Errorf("problem %d at row %d, want %d: %+v", i, p.Row, wantRows[i], p)
					}
				}
				if after, _ := countExported(t, db, hod); after != before {
					t.Fatalf("%d rows before, %d after a refused import", before, after)
				}
			})
			t.Run("SkipInvalid", func(t *testing.T) {
				mixed := "case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n" +
					"01PF0000318,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n" +
					"01PF0000318,organised_crime,nowhere,CC,2,drugs_offences,2018-05-02,guilty_plea\n"
				var rejects bytes.Buffer
				res, err := importCSV(t, db, hod, mixed, exchange.Options{SkipInvalid: true, Rejects: &rejects})
				if err != nil || res.Summary.Added != 1 || res.Summary.Rejected != 1 {
					t.Fatalf("%+v %v", res.Summary, err)
				}
				if !strings.Contains(rejects.String(), "3,01PF0000318,organised_crime,nowhere") || !strings.Contains(rejects.String(), "There is no location nowhere") {
					t.Fatalf("rejects:\n%s", rejects.String())
				}
			})
			t.Run("XLSXRoundTrip", func(t *testing.T) {
				var xlsx bytes.Buffer
				n, err := exchange.ExportOutcomes(context.Background(), db, hod, &xlsx, "xlsx", store.OutcomeFilter{})
				if err != nil || n != 4 {
					t.Fatalf("export %d: %v", n, err)
				}
				res, err := exchange.ImportOutcomes(context.Background(), db, hod, &xlsx, "export.xlsx", exchange.Options{})
				if err != nil || res.Summary.Unchanged != 4 || res.Summary.Added+res.Summary.Changed != 0 {
					t.Fatalf("re-import of the export: %+v %v", res.Summary, err)
				}
			})
			t.Run("ErrNotASpreadsheet", func(t *testing.T) {
				_, err := exchange.ImportOutcomes(context.Background(), db, hod, strings.NewReader("PK\x03\x04garbage"), "outcomes.xlsx", exchange.Options{})
				if fault.CodeOf(err) != fault.Invalid {
					t.Fatalf("err = %v", err)
				}
			})
			t.Run("ErrMissingColumns", func(t *testing.T) {
				_, err := importCSV(t, db, hod, "case_urn,outcome\nX,guilty_plea\n", exchange.Options{})
				if err == nil || !strings.Contains(err.Error(), "finalised_on") {
					t.Fatalf("err = %v", err)
				}
			})
		})
	}
}
