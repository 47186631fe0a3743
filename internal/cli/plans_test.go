package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestImportFramework(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	if r := run(t, env, "demo", "--seed", "5"); r.code != 0 || !strings.Contains(r.stdout, "loaded the demo inspections: 14 findings") {
		t.Fatalf("demo: %+v", r)
	}
	var hod, lawyer string
	for _, line := range strings.Split(run(t, env, "user", "list").stdout, "\n") {
		switch {
		case strings.Contains(line, "head_of_division"):
			hod = strings.Fields(line)[0]
		case strings.Contains(line, "case_lawyer") && lawyer == "":
			lawyer = strings.Fields(line)[0]
		}
	}
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	t.Run("AnnexBIsLoadedAlready", func(t *testing.T) {
		r := run(t, env, "import", "framework", "../../docs/frameworks/hmcpsi-2019-annex-b.json", "--as", hod)
		if r.code != 1 || !strings.Contains(r.stderr, "already loaded") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("OKUnderAnotherCode", func(t *testing.T) {
		r := run(t, env, "import", "framework", "../../docs/frameworks/hmcpsi-2019-annex-b.json", "--as", hod, "--code", "annex-b-copy")
		if r.code != 0 || !strings.Contains(r.stdout, "70 criteria in 4 parts") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("OKCSV", func(t *testing.T) {
		path := write("ccu.csv", "id,parent,text\nA,,Casework\nA1,,Case progression\nA1.1,,Checks are in place\n")
		r := run(t, env, "import", "framework", path, "--as", hod, "--code", "ccu-2021", "--title", "CCU review")
		if r.code != 0 || !strings.Contains(r.stdout, "3 criteria in 1 parts") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("ErrDuplicatesAndCycles", func(t *testing.T) {
		path := write("bad.csv", "id,parent,text\nA,,a\nA1,,b\nA1,,c\nx,y,X\ny,x,Y\n")
		r := run(t, env, "import", "framework", path, "--as", hod, "--code", "bad", "--title", "Bad")
		if r.code != 1 || !strings.Contains(r.stderr, "line 4: The id A1 is used twice: first at line 3") ||
			!strings.Contains(r.stderr, "form a cycle") || !strings.Contains(r.stderr, "2 problems, nothing was loaded") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("ErrCSVWithoutCode", func(t *testing.T) {
		path := write("nocode.csv", "id,text\nA,a\n")
		r := run(t, env, "import", "framework", path, "--as", hod)
		if r.code != 1 || !strings.Contains(r.stderr, "--code") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("ErrNotAPlanManager", func(t *testing.T) {
		path := write("ok.csv", "id,text\nA,a\n")
		r := run(t, env, "import", "framework", path, "--as", lawyer, "--code", "mine", "--title", "Mine")
		if r.code != 1 || !strings.Contains(r.stderr, "head of division and the business managers") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		if r := run(t, env, "import", "framework", "--as", hod); r.code != 2 {
			t.Fatalf("%+v", r)
		}
	})
}

func TestExportPlans(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	if r := run(t, env, "demo", "--seed", "5"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	r := run(t, env, "export", "actions", "--as", "inspector@caseboard.example")
	if r.code != 0 || !strings.Contains(r.stdout, "inspection,published_on,finding") || strings.Count(r.stdout, "\n") != 17 {
		t.Fatalf("actions: %+v", r)
	}
	if !strings.Contains(r.stdout, "One risk register for every unit") {
		t.Errorf("the slipped action is not exported")
	}
	out := filepath.Join(dir, "readiness.xlsx")
	r = run(t, env, "export", "readiness", "--framework", "hmcpsi-2019-ijocd", "--as", "board@caseboard.example", "--format", "xlsx", "--output", out)
	if data, err := os.ReadFile(out); r.code != 0 || err != nil || len(data) < 1000 || string(data[:2]) != "PK" {
		t.Fatalf("readiness: %+v %v", r, err)
	}
	out = filepath.Join(dir, "readiness.pdf")
	r = run(t, env, "export", "readiness", "--framework", "hmcpsi-2019-ijocd", "--as", "board@caseboard.example", "--format", "pdf", "--output", out)
	if data, err := os.ReadFile(out); r.code != 0 || err != nil || len(data) < 5000 || string(data[:5]) != "%PDF-" {
		t.Fatalf("readiness as PDF: %+v %v", r, err)
	}
	if r := run(t, env, "export", "actions", "--as", "board@caseboard.example", "--format", "pdf"); r.code != 2 {
		t.Fatalf("actions as PDF: %+v", r)
	}
	if r := run(t, env, "export", "readiness", "--as", "board@caseboard.example"); r.code != 2 {
		t.Fatalf("readiness without a framework: %+v", r)
	}
	if r := run(t, env, "export", "actions", "--as", "partner@caseboard.example"); r.code != 1 {
		t.Fatalf("a partner exports actions: %+v", r)
	}
}

func TestImportActions(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	if r := run(t, env, "demo", "--seed", "5"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	var hod, lawyer string
	for _, line := range strings.Split(run(t, env, "user", "list").stdout, "\n") {
		switch {
		case strings.Contains(line, "head_of_division"):
			hod = strings.Fields(line)[0]
		case strings.Contains(line, "case_lawyer") && lawyer == "":
			lawyer = strings.Fields(line)[0]
		}
	}
	exported := filepath.Join(dir, "actions.xlsx")
	if r := run(t, env, "export", "actions", "--as", hod, "--format", "xlsx", "--output", exported); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	// What was exported imports back unchanged.
	if r := run(t, env, "import", "actions", exported, "--as", hod); r.code != 0 || !strings.Contains(r.stdout, "16 rows read, 0 actions added, 16 unchanged") {
		t.Fatalf("re-import: %+v", r)
	}
	const report = "The Inspection of CPS International Justice and Organised Crime Division"
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o600)
		return path
	}
	good := write("new.csv", "inspection,finding,action,owner_email,due_on,detail\n"+
		report+",Recommendation 4,Publish the directory of national leads on the intranet,"+lawyer+",2030-01-31,With named deputies\n"+
		report+",Aspect for improvement 1,De-brief template used at all four locations,"+lawyer+",2030-03-31,\n")
	bad := write("bad.csv", "inspection,finding,action,owner_email,due_on\n"+
		report+",Recommendation 4,Too early,"+lawyer+",2019-01-01\n"+
		report+",Recommendation 99,No such recommendation,"+lawyer+",2030-01-31\n"+
		report+",Recommendation 1,Recommendation 1 is closed,"+lawyer+",2030-01-31\n"+
		report+",Good practice 1,Good practice has no plan,"+lawyer+",2030-01-31\n"+
		report+",Recommendation 4,Nobody owns it,nobody@caseboard.example,2030-01-31\n"+
		report+",Recommendation 4,Good row,"+lawyer+",2030-01-31\n")
	r := run(t, env, "import", "actions", bad, "--as", hod)
	for _, want := range []string{"row 2, column due_on", "before the report was published", "row 3, column finding", "no Recommendation 99",
		"row 4", "is closed", "row 5", "no action plan", "row 6, column owner_email", "Nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("bad import does not say %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 {
		t.Fatalf("bad import: %+v", r)
	}
	if r := run(t, env, "import", "actions", good, "--as", lawyer); r.code != 1 || !strings.Contains(r.stderr, "Only the plan managers") {
		t.Fatalf("a lawyer sets actions: %+v", r)
	}
	if r := run(t, env, "import", "actions", good, "--as", hod); r.code != 0 || !strings.Contains(r.stdout, "2 actions added") {
		t.Fatalf("good import: %+v", r)
	}
	if r := run(t, env, "export", "actions", "--as", hod); !strings.Contains(r.stdout, "Publish the directory of national leads") {
		t.Fatalf("the imported action is not exported: %+v", r)
	}
}

func TestImportFindings(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	if r := run(t, env, "demo", "--seed", "5"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	r := run(t, env, "export", "findings", "--as", "inspector@caseboard.example")
	if r.code != 0 || !strings.Contains(r.stdout, "inspection,published_on,finding,paragraph,text,criteria") || strings.Count(r.stdout, "\nThe ") < 11 {
		t.Fatalf("findings: %+v", r)
	}
	var hod string
	for _, line := range strings.Split(run(t, env, "user", "list").stdout, "\n") {
		if strings.Contains(line, "head_of_division") {
			hod = strings.Fields(line)[0]
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		exported := filepath.Join(dir, "findings."+format)
		if r := run(t, env, "export", "findings", "--as", hod, "--format", format, "--output", exported); r.code != 0 {
			t.Fatalf("export: %+v", r)
		}
		// What was exported imports back unchanged.
		if r := run(t, env, "import", "findings", exported, "--as", hod); r.code != 0 || !strings.Contains(r.stdout, "14 rows read, 0 findings added, 0 given a response or owner, 14 unchanged") {
			t.Fatalf("re-import %s: %+v", format, r)
		}
	}
	const report = "The Inspection of CPS International Justice and Organised Crime Division"
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o600)
		return path
	}
	bad := write("bad.csv", "inspection,finding,paragraph,text,criteria,response,response_text,response_on\n"+
		report+",Recommendation 8,3.20,A new one,B1.1,Accepted,,2019-03-01\n"+
		report+",Recommendation 9,3.21,Another,Z9.9,,,\n"+
		report+",Recommendation one,3.22,x,,,,\n")
	r = run(t, env, "import", "findings", bad, "--as", hod)
	for _, want := range []string{"row 2, column response_text", "row 4, column finding", "Nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("bad import does not say %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 {
		t.Fatalf("bad import: %+v", r)
	}
	// Rows that read well are checked against the records, each problem
	// with its row and column.
	bad = write("bad-records.csv", "inspection,finding,paragraph,text,criteria,accountable_owner_email\n"+
		report+",Recommendation 8,3.20,A new one,B1.1,nobody@caseboard.example\n"+
		report+",Recommendation 9,3.21,Another,Z9.9,\n"+
		report+",Recommendation 3,3.7,Other words,,\n")
	r = run(t, env, "import", "findings", bad, "--as", hod)
	for _, want := range []string{"row 2, column accountable_owner_email", "row 3, column criteria", "no criterion Z9.9", "row 4, column text", "Nothing was imported"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("bad import does not say %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 {
		t.Fatalf("bad import: %+v", r)
	}
	good := write("good.csv", "inspection,finding,paragraph,text,criteria,response,response_text,response_on\n"+
		report+",Recommendation 8,3.20,A new one,B1.1; B1.2,Partially accepted,The CPS accept in part,2019-03-01\n")
	if r := run(t, env, "import", "findings", good, "--as", "inspector@caseboard.example"); r.code != 1 {
		t.Fatalf("an inspector imports findings: %+v", r)
	}
	if r := run(t, env, "import", "findings", good, "--as", hod); r.code != 0 || !strings.Contains(r.stdout, "1 findings added") {
		t.Fatalf("good import: %+v", r)
	}
	if r := run(t, env, "export", "findings", "--as", hod); !strings.Contains(r.stdout, "Recommendation 8,3.20,A new one,B1.1; B1.2,Open,,,Partially accepted,The CPS accept in part,2019-03-01") {
		t.Fatalf("the imported finding is not exported: %+v", r)
	}
}
