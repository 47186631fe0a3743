package cli_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestReportAnnexA(t *testing.T) {
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	out := run(t, env, "demo", "--seed", "3")
	if out.code != 0 {
		t.Fatalf("demo: %+v", out)
	}
	hod := strings.TrimSpace(out.stdout[strings.LastIndex(out.stdout, " is ")+4:])
	r := run(t, env, "report", "annex-a", "--as", hod, "--to", "2018-06")
	var annex measure.AnnexA
	if err := json.Unmarshal([]byte(r.stdout), &annex); err != nil || r.code != 0 {
		t.Fatalf("%+v %v", r, err)
	}
	if strings.Join(annex.Columns, "|") != "2016-17|2017-18|12 months to June 2018" {
		t.Fatalf("columns %v", annex.Columns)
	}
	row := func(section, label string) []*float64 {
		t.Helper()
		for _, s := range annex.Sections {
			for _, r := range s.Rows {
				if s.Title == section && r.Label == label {
					return r.Values
				}
			}
		}
		t.Fatalf("no %s row %q", section, label)
		return nil
	}
	// Every total is the sum of its rows, in every column.
	totals := 0
	for _, s := range annex.Sections {
		var sums []float64
		for _, r := range s.Rows {
			if r.Part {
				if sums == nil {
					sums = make([]float64, len(r.Values))
				}
				for i, v := range r.Values {
					if v != nil {
						sums[i] += *v
					}
				}
			}
			if r.Total {
				totals++
				for i, v := range r.Values {
					if v == nil || math.Abs(*v-sums[i]) > 0.011 {
						t.Errorf("%s %s %s: total %v, rows sum to %v", s.Title, r.Label, annex.Columns[i], v, sums[i])
					}
				}
				sums = nil
			}
		}
	}
	if totals != 4 {
		t.Errorf("%d total rows, want 4", totals)
	}
	// The demo follows Annex A's extradition rows; computed, 2016-17's
	// total is 2,976 where the report printed 2,978.
	total := row("Extradition", "Total")
	if *total[0] != 2976 || *total[1] != 2086 {
		t.Errorf("extradition totals %v %v", *total[0], *total[1])
	}
	if v := row("Extradition", "Export: extradition ordered"); *v[1] != 1121 {
		t.Errorf("2017-18 extradition ordered %v", *v[1])
	}
	if v := row("The division", "Legal"); v[1] == nil || *v[1] <= 0 {
		t.Errorf("staffing from the returns: %v", v[1])
	}
	file := filepath.Join(t.TempDir(), "annex.csv")
	if r := run(t, env, "report", "annex-a", "--as", hod, "--to", "2018-06", "--years", "1", "--format", "csv", "--output", file); r.code != 0 {
		t.Fatalf("csv: %+v", r)
	}
	raw, _ := os.ReadFile(file)
	if !strings.Contains(string(raw), "section,row,kind,2017-18,12 months to June 2018\r\n") && !strings.Contains(string(raw), "section,row,kind,2017-18,12 months to June 2018\n") || !strings.Contains(string(raw), "Extradition,Total,total,2086,") {
		t.Errorf("csv %s", raw)
	}
	for _, bad := range [][]string{{"--to", "2018-13"}, {"--to", "2017-18"}, {"--to", "2018-06", "--years", "9"}, {"--to", "2018-06", "--format", "pdf"}} {
		if r := run(t, env, append([]string{"report", "annex-a", "--as", hod}, bad...)...); r.code != 2 {
			t.Errorf("%v: %+v", bad, r)
		}
	}
}
