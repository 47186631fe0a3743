package cli_test

import (
	"database/sql"
	"strings"
	"testing"

	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// TestReportVerify checks the demo's outcome rollups against its records
// (they agree: exit 0), then changes a rollup behind caseboard's back,
// which verify must find (exit 1, the row named).
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
	if r.code != 1 || !strings.Contains(r.stdout, "month 201705, unit extradition") || !strings.Contains(r.stderr, "1 outcome rollup rows differ") {
		t.Fatalf("after a rollup was changed: %+v", r)
	}
}
