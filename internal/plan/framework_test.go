package plan_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"caseboard/docs/frameworks"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

func TestParseFramework(t *testing.T) {
	t.Run("OK/JSONPathsImplyParents", func(t *testing.T) {
		f, err := plan.ParseFramework([]byte(`{"code":"t","title":"T","criteria":[
			{"id":"A","text":"Part A"},{"id":"A1","text":"Criterion"},{"id":"A1.1","text":"Sub"},{"id":"B","text":"Part B"}]}`), plan.JSON, plan.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"A": "", "A1": "A", "A1.1": "A1", "B": ""}
		for _, c := range f.Criteria {
			if c.Parent != want[c.ID] {
				t.Errorf("%s: parent %q, want %q", c.ID, c.Parent, want[c.ID])
			}
		}
		if f.Level("A1.1") != 2 || f.Level("A") != 0 {
			t.Errorf("levels: A1.1 %d, A %d", f.Level("A1.1"), f.Level("A"))
		}
		tree := f.Tree()
		if len(tree) != 2 || tree[0].Children[0].Children[0].ID != "A1.1" {
			t.Errorf("tree: %+v", tree)
		}
	})
	t.Run("OK/CSVWithOptions", func(t *testing.T) {
		f, err := plan.ParseFramework([]byte("\ufeffid,parent,text\nA,,Part A\nA1,,\"Criterion, with a comma\"\n\nA1.1,A1,Sub\n"), plan.CSV,
			plan.ParseOptions{Code: "csv-test", Title: "From CSV"})
		if err != nil {
			t.Fatal(err)
		}
		if f.Code != "csv-test" || len(f.Criteria) != 3 || f.Criteria[1].Text != "Criterion, with a comma" || f.Criteria[1].Parent != "A" {
			t.Errorf("got %+v", f)
		}
	})
	t.Run("OK/ExplicitParentsForOtherIds", func(t *testing.T) {
		_, err := plan.ParseFramework([]byte("id,parent,text\nroot,,Root\nchild-1,root,Child\n"), plan.CSV, plan.ParseOptions{Code: "x", Title: "X"})
		if err != nil {
			t.Fatal(err)
		}
	})

	bad := []struct {
		name, format, file string
		want               []string // each must appear in the error
	}{
		{"ErrDuplicateID", "json", `{"code":"t","title":"T","criteria":[{"id":"A","text":"a"},{"id":"A1","text":"b"},{"id":"A1","text":"c"}]}`,
			[]string{"criteria[2]", "The id A1 is used twice: first at criteria[1]"}},
		{"ErrDuplicateIDInCSV", "csv", "id,text\nA,a\nA1,b\nA1,c\n", []string{"line 4", "used twice: first at line 3"}},
		{"ErrCycle", "csv", "id,parent,text\nx,y,X\ny,z,Y\nz,x,Z\n", []string{"form a cycle", "x → y → z → x"}},
		{"ErrSelfParent", "csv", "id,parent,text\nx,x,X\n", []string{"names itself as its parent"}},
		{"ErrOrphan", "json", `{"code":"t","title":"T","criteria":[{"id":"A1.1","text":"lost"}]}`, []string{"criteria[0] (A1.1)", "parent A1 is not in the framework"}},
		{"ErrParentContradictsPath", "csv", "id,parent,text\nA,,a\nB,,b\nA1,B,c\n", []string{"names B as its parent, but its id makes it a child of A"}},
		{"ErrNoText", "csv", "id,text\nA,\n", []string{"line 2 (A)", "no text"}},
		{"ErrBadID", "csv", "id,text\nA 1,x\n", []string{`The id "A 1"`}},
		{"ErrNoCode", "csv", "id,text\nA,x\n", []string{"Give the framework a code"}},
		{"ErrNoCriteria", "json", `{"code":"t","title":"T","criteria":[]}`, []string{"no criteria"}},
		{"ErrNoIDColumn", "csv", "name,text\nA,x\n", []string{`no "id" column`}},
		{"ErrNotJSON", "json", `{"code":"t",`, []string{"not valid JSON"}},
		{"ErrUnknownField", "json", `{"code":"t","title":"T","criteria":[],"extra":1}`, []string{"extra"}},
		{"ErrTrailing", "json", `{"code":"t","title":"T","criteria":[{"id":"A","text":"a"}]} {}`, []string{"nothing after it"}},
		{"ErrEmptyCSV", "csv", "", []string{"empty"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			opts := plan.ParseOptions{}
			if tc.format == "csv" && tc.name != "ErrNoCode" {
				opts = plan.ParseOptions{Code: "t", Title: "T"}
			}
			_, err := plan.ParseFramework([]byte(tc.file), plan.Format(tc.format), opts)
			if err == nil {
				t.Fatal("accepted")
			}
			if fault.CodeOf(err) != fault.Invalid {
				t.Errorf("code %s, want invalid", fault.CodeOf(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestAnnexB checks the shipped transcription of the 2019 report's Annex B:
// four parts, eight criteria, and the numbers of sub-criteria the report
// prints under each.
func TestAnnexB(t *testing.T) {
	data, err := frameworks.FS.ReadFile(frameworks.Annex2019)
	if err != nil {
		t.Fatal(err)
	}
	f, err := plan.ParseFramework(data, plan.JSON, plan.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	subs := map[string]int{}
	for _, c := range f.Criteria {
		if f.Level(c.ID) == 2 {
			subs[c.Parent]++
		}
	}
	want := map[string]int{"A1": 7, "A2": 6, "B1": 6, "B2": 7, "C1": 7, "C2": 8, "D1": 10, "D2": 7}
	for id, n := range want {
		if subs[id] != n {
			t.Errorf("%s has %d sub-criteria, the report %d", id, subs[id], n)
		}
	}
	if len(f.Criteria) != 4+8+58 {
		t.Errorf("%d criteria", len(f.Criteria))
	}
	for _, c := range f.Criteria {
		if c.ID == "B2.6" && !strings.HasPrefix(c.Text, "There is a list of national leads") {
			t.Errorf("B2.6 is %q", c.Text)
		}
	}
	// The file in docs/ is the one embedded.
	onDisk, err := os.ReadFile("../../docs/frameworks/" + frameworks.Annex2019)
	if err != nil || !bytes.Equal(onDisk, data) {
		t.Errorf("docs/frameworks/%s differs from the embedded copy (%v)", frameworks.Annex2019, err)
	}
}

// FuzzParseFramework feeds the parser arbitrary files: it must never panic,
// and whatever it accepts must be a well-formed tree that survives being
// written out and read back.
func FuzzParseFramework(f *testing.F) {
	annex, _ := frameworks.FS.ReadFile(frameworks.Annex2019)
	f.Add(annex, false)
	f.Add([]byte("id,parent,text\nA,,a\nA1,,b\nA1.1,A1,c\n"), true)
	f.Add([]byte("id,parent,text\nx,y,X\ny,x,Y\n"), true)
	f.Add([]byte(`{"code":"t","title":"T","criteria":[{"id":"A1","parent":"A","text":"x"}]}`), false)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		format := plan.JSON
		opts := plan.ParseOptions{}
		if csv {
			format, opts = plan.CSV, plan.ParseOptions{Code: "fuzz", Title: "Fuzz"}
		}
		fw, err := plan.ParseFramework(data, format, opts)
		if err != nil {
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("error of code %s: %v", fault.CodeOf(err), err)
			}
			return
		}
		ids := map[string]bool{}
		for _, c := range fw.Criteria {
			if ids[c.ID] {
				t.Fatalf("accepted duplicate id %q", c.ID)
			}
			ids[c.ID] = true
		}
		parents := map[string]string{}
		for _, c := range fw.Criteria {
			if c.Parent != "" && !ids[c.Parent] {
				t.Fatalf("accepted orphan %q of %q", c.ID, c.Parent)
			}
			parents[c.ID] = c.Parent
		}
		for id := range ids {
			steps := 0
			for p := parents[id]; p != ""; p = parents[p] {
				if steps++; steps > len(ids) {
					t.Fatalf("accepted a cycle through %q", id)
				}
			}
		}
		// Written out as JSON and as CSV, it reads back the same.
		js, err := json.Marshal(fw)
		if err != nil {
			t.Fatal(err)
		}
		again, err := plan.ParseFramework(js, plan.JSON, plan.ParseOptions{})
		if err != nil {
			t.Fatalf("its own JSON is refused: %v", err)
		}
		var buf bytes.Buffer
		if err := fw.MarshalCSV(&buf); err != nil {
			t.Fatal(err)
		}
		fromCSV, err := plan.ParseFramework(buf.Bytes(), plan.CSV, plan.ParseOptions{Code: fw.Code, Title: fw.Title})
		if err != nil {
			t.Fatalf("its own CSV is refused: %v\n%s", err, buf.Bytes())
		}
		if len(again.Criteria) != len(fw.Criteria) || len(fromCSV.Criteria) != len(fw.Criteria) {
			t.Fatalf("round trip changed the criteria: %d, %d, %d", len(fw.Criteria), len(again.Criteria), len(fromCSV.Criteria))
		}
		for i := range fw.Criteria {
			if again.Criteria[i] != fw.Criteria[i] || fromCSV.Criteria[i] != fw.Criteria[i] {
				t.Fatalf("criterion %d changed: %+v, %+v, %+v", i, fw.Criteria[i], again.Criteria[i], fromCSV.Criteria[i])
			}
		}
	})
}
