package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestReportOutcomes(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, d)}
			out := run(t, env, "demo").stdout
			hod := strings.TrimSpace(out[strings.LastIndex(out, " is ")+4:])
			r := run(t, env, "report", "outcomes", "--as", hod, "--unit", "extradition", "--from", "2017-04-01", "--to", "2018-03-31", "--format", "json")
			var ex map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &ex); err != nil || r.code != 0 {
				t.Fatalf("%+v %v", r, err)
			}
			// Annex A's 2017-18 extradition rows, which the demo follows.
			if ex["total"] != 2086.0 || ex["conviction_rate"] != nil || ex["outcomes"].(map[string]any)["export_extradition_ordered"] != 1121.0 {
				t.Fatalf("extradition 2017-18: %v", r.stdout)
			}
			r = run(t, env, "report", "outcomes", "--as", hod, "--from", "2017-04-01", "--to", "2018-03-31", "--format", "json")
			var oc map[string]any
			json.Unmarshal([]byte(r.stdout), &oc)
			byCourt, _ := oc["by_court"].(map[string]any)
			cc, _ := byCourt["CC"].(map[string]any)
			if oc["total"] != 655.0 || cc == nil || cc["conviction_rate"].(float64) < 0.8 || cc["guilty_plea_rate"].(float64) > 0.9 {
				t.Fatalf("organised crime 2017-18: %s", r.stdout)
			}
			if total := cc["total"].(float64) + byCourt["MC"].(map[string]any)["total"].(float64); total != 655 {
				t.Fatalf("courts add to %v, not the total", total)
			}
			r = run(t, env, "report", "outcomes", "--as", hod, "--from", "2017-04-01", "--to", "2018-03-31", "--court", "MC", "--format", "table")
			if r.code != 0 || !strings.Contains(r.stdout, "conviction_rate") || strings.Contains(r.stdout, " CC ") {
				t.Fatalf("table: %+v", r)
			}
		})
	}
}

func TestReportErrors(t *testing.T) {
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	run(t, env, "migrate")
	for _, args := range [][]string{
		{"report", "outcomes", "--from", "2018-04-01", "--to", "2017-04-01"},
		{"report", "outcomes", "--court", "YC"},
		{"report", "outcomes", "--unit", "international"},
		{"report", "outcomes", "--unit", "extradition", "--court", "CC"},
		{"report", "outcomes", "--format", "pdf"},
		{"report", "outcomes", "--from", "2018-13-01"},
		{"report", "risks"},
	} {
		if r := run(t, env, args...); r.code != 2 {
			t.Errorf("%v: exit %d (%s)", args, r.code, r.stderr)
		}
	}
}
