package store

import "testing"

func TestDialectBlocks(t *testing.T) {
	sql := "A;\n{{if sqlite}}S1;{{end}}\nB;\n{{if postgres}}P1;\nP2;{{end}}\nC;"
	if got := dialectBlocks(SQLite, sql); got != "A;\nS1;\nB;\n\nC;" {
		t.Errorf("sqlite: %q", got)
	}
	if got := dialectBlocks(Postgres, sql); got != "A;\n\nB;\nP1;\nP2;\nC;" {
		t.Errorf("postgres: %q", got)
	}
	if got := dialectBlocks(SQLite, "no blocks"); got != "no blocks" {
		t.Errorf("plain: %q", got)
	}
}
