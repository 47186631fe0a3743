package cli_test

import (
	"database/sql"
	"strings"
	"testing"

	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// TestReportVerify checks the demo's outcome rollups and kept risk figures
// against its records (they agree: exit 0), then changes a rollup and a
// risk's above-appetite date behind caseboard's back, which verify must
// find (exit 1, the row named).
func TestReportVerify(t *testing.T) {
	path := storetest.DSN(t, store.SQLite)
	env := map[string]string{"CASEBOARD_DB": path}
	run(t, env, "demo")
	if r := run(t, env, "report", "verify"); r.code != 0 || !strings.Contains(r.stdout, "agree with the records") {
		t.Fatalf("clean database: %+v", r)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE outcome_rollups SET defendants = defendants + 5
		WHERE (month, unit_id, location_id, court, outcome, sensitivity) = (SELECT r.month, r.unit_id, r.location_id, r.court, r.outcome, r.sensitivity
			FROM outcome_rollups r JOIN units u ON u.id = r.unit_id WHERE u.code = 'extradition' AND r.month = 201705 LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := run(t, env, "report", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, "month 201705, unit extradition") || !strings.Contains(r.stderr, "1 outcome rollup rows and 0 risk trend figures differ") {
		t.Fatalf("after a rollup was changed: %+v", r)
	}
	// A risk's above-appetite date changed behind caseboard's back is
	// found too.
	raw, err = sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var ref string
	if err := raw.QueryRow(`SELECT reference FROM risks WHERE above_appetite_since IS NOT NULL ORDER BY id LIMIT 1`).Scan(&ref); err != nil {
		t.Fatal("the demo has no risk above appetite: ", err)
	}
	if _, err := raw.Exec(`UPDATE risks SET above_appetite_since = NULL WHERE reference = ?`, ref); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r = run(t, env, "report", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, ref+" above appetite since") || !strings.Contains(r.stderr, "1 risk trend figures differ") {
		t.Fatalf("after an above-appetite date was changed: %+v", r)
	}
}
