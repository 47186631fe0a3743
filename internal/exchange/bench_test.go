package exchange_test

// The outcomes import at a scale a unit test would not use. It runs only
// with -bench (scripts/bench.sh, make bench); bench/import.sh measures the
// whole command on 1.2 million rows.

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"caseboard/internal/exchange"
	"caseboard/internal/store/storetest"
)

// outcomesCSV is rows of the shape bench/import.sh writes: organised crime
// cases of two finalised defendants each, spread over 2018.
func outcomesCSV(rows, firstCase int) []byte {
	var b bytes.Buffer
	b.WriteString("case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n")
	locations := []string{"petty_france", "birmingham", "warrington", "calder"}
	outcomes := []string{"guilty_plea", "guilty_plea", "guilty_plea", "conviction_after_trial", "acquitted", "discontinued"}
	offences := []string{"drugs_offences", "fraud_and_forgery", "homicide", "robbery", "all_other"}
	for i := 0; i < rows; i++ {
		c := firstCase + i/2
		court := "CC"
		if c%10 == 0 {
			court = "MC"
		}
		fmt.Fprintf(&b, "%02dXX%07d18,organised_crime,%s,%s,%d,%s,2018-%02d-%02d,%s\n", 10+c%80, c, locations[c%4], court,
			1+i%2, offences[c%5], 1+c%12, 1+c%28, outcomes[i%6])
	}
	return b.Bytes()
}

// BenchmarkImportOutcomes imports 50,000 new rows into a database that
// already holds the demo division; it reports rows a second.
func BenchmarkImportOutcomes(b *testing.B) {
	const rows = 50000
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db, hod := world(b, d)
			for i := 0; i < b.N; i++ {
				file := outcomesCSV(rows, (i+1)*rows)
				b.StartTimer()
				res, err := exchange.ImportOutcomes(context.Background(), db, hod, bytes.NewReader(file), "outcomes.csv", exchange.Options{})
				b.StopTimer()
				if err != nil || res.Summary.Added != rows {
					b.Fatalf("import: %+v %v", res.Summary, err)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
