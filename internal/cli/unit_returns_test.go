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

func TestImportUnitReturns(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	out := run(t, env, "demo", "--seed", "5")
	if out.code != 0 || !strings.Contains(out.stdout, "loaded the units' monthly returns of staffing, absence and advocacy: 108") {
		t.Fatalf("demo: %+v", out)
	}
	hod := strings.TrimSpace(out.stdout[strings.LastIndex(out.stdout, " is ")+4:])
	var lawyer string
	for _, line := range strings.Split(run(t, env, "user", "list").stdout, "\n") {
		if strings.Contains(line, "case_lawyer") && lawyer == "" {
			lawyer = strings.Fields(line)[0]
		}
	}
	figure := func(code, period string) *float64 {
		t.Helper()
		r := run(t, env, "report", "measures", "--as", hod, "--period", period, "--unit", "organised_crime", "--format", "json")
		var got struct {
			Measures []struct {
				Code  string   `json:"code"`
				Value *float64 `json:"value"`
			} `json:"measures"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%+v %v", r, err)
		}
		for _, m := range got.Measures {
			if m.Code == code {
				return m.Value
			}
		}
		t.Fatalf("no %s in %s", code, r.stdout)
		return nil
	}
	// The demo's returns give figures.
	if v := figure("in_house_advocacy", "2017-18"); v == nil || *v < 0.5 || *v > 0.8 {
		t.Fatalf("demo in-house advocacy %v", v)
	}
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o600)
		return path
	}
	const header = "unit,month,fte_crown_advocate,fte_paralegal_officer,working_days_lost,advocacy_sessions_in_house,advocacy_sessions_counsel,crown_advocate_hours,crown_advocate_hours_available\n"
	// The file's own problems are found first; then those against the
	// records (a unit that does not exist, a month given twice).
	bad := write("bad.csv", header+
		"organised_crime,2018-07,4,6,2,10,10,100,200\n"+
		"organised_crime,2018-13,4,6,2,10,10,100,200\n"+
		"organised_crime,2018-08,4,6,2,10,x,100,200\n")
	r := run(t, env, "import", "unit-returns", bad, "--as", hod)
	for _, want := range []string{"row 3, column month", "row 4, column advocacy_sessions_counsel", "Nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("bad import does not say %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 {
		t.Fatalf("bad import: %+v", r)
	}
	bad = write("bad1.csv", header+
		"organised_crime,2018-07,4,6,2,10,10,100,200\n"+
		"nowhere,2018-07,4,6,2,10,10,100,200\n"+
		"organised_crime,2018-07,4,6,2,10,10,100,200\n")
	r = run(t, env, "import", "unit-returns", bad, "--as", hod)
	for _, want := range []string{"row 3, column unit", `no unit "nowhere"`, "row 4, column month", "Row 2 is already", "Nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("bad import does not say %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 {
		t.Fatalf("bad import: %+v", r)
	}
	if v := figure("in_house_advocacy", "2018-07"); v != nil {
		t.Fatalf("a refused import left a July figure %v", *v)
	}
	bad2 := write("bad2.csv", header+"organised_crime,2018-08,-4,6,2.25,10,10,300,200\n")
	r = run(t, env, "import", "unit-returns", bad2, "--as", hod)
	for _, want := range []string{"column fte_crown_advocate", "column working_days_lost", "column crown_advocate_hours"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("bad import does not say %q:\n%s", want, r.stderr)
		}
	}
	good := write("good.csv", header+"organised_crime,2018-07,4,6,2,30,10,100,200\norganised_crime,2018-06,4,6,2,10,30,100,200\n")
	if r := run(t, env, "import", "unit-returns", good, "--as", lawyer); r.code != 1 || !strings.Contains(r.stderr, "entered by its head") {
		t.Fatalf("a lawyer enters returns: %+v", r)
	}
	r = run(t, env, "import", "unit-returns", good, "--as", hod)
	if r.code != 0 || !strings.Contains(r.stdout, "2 rows read, 1 returns added, 1 corrected, 0 unchanged") {
		t.Fatalf("good import: %+v", r)
	}
	if v := figure("in_house_advocacy", "2018-07"); v == nil || *v != 0.75 {
		t.Fatalf("July in-house advocacy %v, want 0.75", v)
	}
	if v := figure("in_house_advocacy", "2018-06"); v == nil || *v != 0.25 {
		t.Fatalf("corrected June in-house advocacy %v, want 0.25", v)
	}
	if r := run(t, env, "import", "unit-returns", good, "--as", hod); r.code != 0 || !strings.Contains(r.stdout, "2 unchanged") {
		t.Fatalf("same file again: %+v", r)
	}
}
