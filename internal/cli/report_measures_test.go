package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestReportMeasures(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, d)}
			out := run(t, env, "demo").stdout
			hod := strings.TrimSpace(out[strings.LastIndex(out, " is ")+4:])
			r := run(t, env, "report", "measures", "--as", hod, "--period", "2017-18", "--unit", "extradition", "--format", "json")
			var got struct {
				Period   string `json:"period"`
				Measures []struct {
					Code        string   `json:"code"`
					Value       *float64 `json:"value"`
					Denominator *int     `json:"denominator"`
				} `json:"measures"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 || got.Period != "2017-18" {
				t.Fatalf("%+v %v", r, err)
			}
			values := map[string]float64{}
			for _, m := range got.Measures {
				if m.Code == "conviction_rate_cc" {
					t.Errorf("extradition has no conviction rate")
				}
				if m.Value != nil {
					values[m.Code] = *m.Value
				}
			}
			// Annex A's 2017-18 extradition rows, which the demo follows.
			if values["finalised_defendants"] != 2086 || values["extradition_export_extradition_ordered"] != 1121 {
				t.Fatalf("extradition 2017-18: %v", values)
			}
			r = run(t, env, "report", "measures", "--as", hod, "--period", "12 months to March 2018", "--unit", "organised_crime")
			if r.code != 0 || !strings.Contains(r.stdout, "12 months to March 2018") || !strings.Contains(r.stdout, "conviction_rate_cc") ||
				strings.Contains(r.stdout, "extradition_withdrawn") {
				t.Fatalf("table: %+v", r)
			}
			file := filepath.Join(t.TempDir(), "measures.xlsx")
			r = run(t, env, "report", "measures", "--as", hod, "--period", "2017-18-Q4", "--format", "xlsx", "--output", file)
			if raw, err := os.ReadFile(file); r.code != 0 || err != nil || !strings.HasPrefix(string(raw), "PK") {
				t.Fatalf("xlsx: %+v %v", r, err)
			}
			if r := run(t, env, "report", "measures", "--as", hod, "--period", "2017-18", "--unit", "nowhere"); r.code != 2 || !strings.Contains(r.stderr, "no unit") {
				t.Fatalf("unknown unit: %+v", r)
			}
			// The demo's partner sees the four measures shared with it, with
			// the division's figures.
			r = run(t, env, "report", "measures", "--as", "partner@caseboard.example", "--period", "2017-18", "--format", "json")
			got.Measures = nil
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
				t.Fatalf("partner: %+v %v", r, err)
			}
			var shared []string
			for _, m := range got.Measures {
				shared = append(shared, m.Code)
				if m.Code == "finalised_defendants" && (m.Value == nil || *m.Value < 2086) {
					t.Errorf("the partner's finalised defendants %v, want the division's", m.Value)
				}
			}
			if strings.Join(shared, ",") != "caseload,finalised_defendants,conviction_rate_cc,ctl_failures" {
				t.Errorf("the partner sees %v", shared)
			}
			r = run(t, env, "report", "measures", "--as", hod, "--period", "2017-18", "--format", "csv")
			if r.code != 0 || !strings.Contains(r.stdout, "code,measure,value,numerator,denominator,target,status") || !strings.Contains(r.stdout, "caseload,Caseload,") {
				t.Fatalf("csv: %+v", r)
			}
		})
	}
}

func TestReportMeasuresErrors(t *testing.T) {
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	run(t, env, "migrate")
	for args, want := range map[string]string{
		"--period 2017-19":              "the year after 2017 ends in 18",
		"--period 2018-19-Q5":           "Q1 to Q4",
		"":                              "give a period",
		"--period 2017-18 --format pdf": "--format is table",
	} {
		r := run(t, env, append([]string{"report", "measures", "--as", "admin@caseboard.example"}, strings.Fields(args)...)...)
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d (%s), want %q", args, r.code, r.stderr, want)
		}
	}
}
