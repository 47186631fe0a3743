package exchange_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/store/storetest"
)

// TestLateBadRowWritesNothing refuses a file whose last row is bad after
// several batches of its cases and defendants have been written (with COPY
// on PostgreSQL): the import still writes nothing, reports the row, and
// gives its connection back, so the next import runs.
func TestLateBadRowWritesNothing(t *testing.T) {
	const rows, firstCase = 3000, 1000 // 1,500 cases: three batches of cases, six of defendants
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, hod := world(t, d)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			before, _ := countExported(t, db, hod)

			// The file's first case was opened on its first row's date,
			// 2018-05-21; a defendant finalised before that is refused when
			// the case is read back from the database.
			urn := fmt.Sprintf("%02dXX%07d18", 10+firstCase%80, firstCase)
			file := string(outcomesCSV(rows, firstCase)) + urn + ",organised_crime,petty_france,CC,3,drugs_offences,2017-01-01,guilty_plea\n"
			res, err := exchange.ImportOutcomes(ctx, db, hod, strings.NewReader(file), "late.csv", exchange.Options{})
			if fault.CodeOf(err) != fault.Invalid || res.Committed {
				t.Fatalf("import of a file with a bad last row: %+v %v", res.Summary, err)
			}
			list := res.Problems.List()
			if len(list) != 1 || list[0].Row != rows+2 || !strings.Contains(list[0].Why, "opened on 2018-05-21") {
				t.Fatalf("problems %+v, want one at row %d", list, rows+2)
			}
			if after, _ := countExported(t, db, hod); after != before {
				t.Fatalf("%d outcomes before, %d after a refused import", before, after)
			}
			if diff, err := db.VerifyRollups(ctx); err != nil || len(diff) != 0 {
				t.Fatalf("rollups after a refused import: %+v %v", diff, err)
			}

			res, err = exchange.ImportOutcomes(ctx, db, hod, strings.NewReader(string(outcomesCSV(rows, firstCase))), "good.csv", exchange.Options{})
			if err != nil || res.Summary.Added != rows {
				t.Fatalf("the same file without its bad row: %+v %v", res.Summary, err)
			}
			if after, _ := countExported(t, db, hod); after != before+rows {
				t.Fatalf("%d outcomes after importing %d to %d", after, rows, before)
			}
			if diff, err := db.VerifyRollups(ctx); err != nil || len(diff) != 0 {
				t.Fatalf("rollups after the import: %+v %v", diff, err)
			}
		})
	}
}

// TestStoppedImportWritesNothing cancels an import part way through, as a
// client going away does: the error is not put on a row (that once
// panicked) but ends the import, which writes nothing and gives its
// connection back.
func TestStoppedImportWritesNothing(t *testing.T) {
	const rows = 20000
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, hod := world(t, d)
			before, _ := countExported(t, db, hod)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stopAt := func(read int) {
				if read == 5000 {
					cancel()
				}
			}
			res, err := exchange.ImportOutcomes(ctx, db, hod, strings.NewReader(string(outcomesCSV(rows, 1000))), "stopped.csv",
				exchange.Options{Progress: stopAt})
			if !errors.Is(err, context.Canceled) || res.Committed {
				t.Fatalf("cancelled import: %+v %v", res.Summary, err)
			}
			if after, _ := countExported(t, db, hod); after != before {
				t.Fatalf("%d outcomes before, %d after a cancelled import", before, after)
			}
			ctx, cancelNext := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancelNext()
			res, err = exchange.ImportOutcomes(ctx, db, hod, strings.NewReader(string(outcomesCSV(10, 1000))), "next.csv", exchange.Options{})
			if err != nil || res.Summary.Added != 10 {
				t.Fatalf("the next import: %+v %v", res.Summary, err)
			}
		})
	}
}
