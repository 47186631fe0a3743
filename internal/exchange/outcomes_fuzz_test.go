package exchange_test

import (
	"context"
	"strings"
	"testing"

	"caseboard/internal/exchange"
	"caseboard/internal/store"
)

// FuzzImportOutcomes imports arbitrary outcomes files, one after another,
// into one database: whatever a file holds, an import either commits or
// leaves the register as it was, and the outcome rollups always agree with
// the records.
func FuzzImportOutcomes(f *testing.F) {
	f.Add(goodCSV, false)
	f.Add(goodCSV, true)
	f.Add(strings.Replace(goodCSV, "guilty_plea", "acquitted", 1), false)
	f.Add("case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n"+
		"01PF0000118,extradition,petty_france,,1,,2018-05-02,withdrawn\n"+
		"01PF0000318,organised_crime,calder,MC,1,robbery,31/01/2016,discontinued\n", true)
	db, hod := world(f, store.SQLite)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, file string, skipInvalid bool) {
		before, _ := countExported(t, db, hod)
		res, err := exchange.ImportOutcomes(ctx, db, hod, strings.NewReader(file), "outcomes.csv", exchange.Options{SkipInvalid: skipInvalid})
		after, _ := countExported(t, db, hod)
		if (err != nil || !res.Committed) && after != before {
			t.Fatalf("a refused import changed the register: %d outcomes before, %d after (%v)", before, after, err)
		}
		diffs, verr := db.VerifyRollups(ctx)
		if verr != nil || len(diffs) > 0 {
			t.Fatalf("rollups differ from the records after importing %q: %v %v", file, diffs, verr)
		}
	})
}
