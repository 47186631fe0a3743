package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/measure"
)

// The outcome rollups (migration 0020) count finalised defendants by
// finalisation month, unit, location, court, outcome and the case's
// sensitivity. Every write that changes a finalised outcome, or a case's
// unit, location or sensitivity, changes them in the same transaction, so
// they never disagree with the records; VerifyRollups proves it.

// rollupKey is one row of outcome_rollups.
type rollupKey struct {
	Month              int // YYYYMM; 0 for an outcome without a finalisation date
	UnitID, LocationID int64
	Court, Outcome     string
	Sensitivity        string
}

// rollupDelta is what a write adds to (or takes from) each rollup row.
type rollupDelta map[rollupKey]int64

// monthOf is a date's rollup month, YYYYMM.
func monthOf(t time.Time) int {
	return t.Year()*100 + int(t.Month())
}

// monthOfColumn is the SQL for a DATE column's rollup month: YYYYMM, or 0
// where the date is missing.
func (d Dialect) monthOfColumn(column string) string {
	if d == Postgres {
		return "COALESCE(CAST(to_char(" + column + ", 'YYYYMM') AS INTEGER), 0)"
	}
	// SQLite keeps dates as text beginning YYYY-MM-DD.
	return "COALESCE(CAST(substr(" + column + ", 1, 4) || substr(" + column + ", 6, 2) AS INTEGER), 0)"
}

const rollupUpsert = ` ON CONFLICT (month, unit_id, location_id, court, outcome, sensitivity)
	DO UPDATE SET defendants = outcome_rollups.defendants + excluded.defendants`

// applyRollup adds the delta to the rollups.
func (tx *Tx) applyRollup(ctx context.Context, delta rollupDelta) error {
	return upsertDeltas(ctx, tx, delta, func(a, b rollupKey) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.LocationID, b.LocationID),
			strings.Compare(a.Court, b.Court), strings.Compare(a.Outcome, b.Outcome), strings.Compare(a.Sensitivity, b.Sensitivity))
	}, keptTable{what: "outcome rollups", width: 7, upsert: rollupUpsert,
		insert: "INSERT INTO outcome_rollups (month, unit_id, location_id, court, outcome, sensitivity, defendants)"},
		func(args []any, k rollupKey, n int64) []any {
			return append(args, k.Month, k.UnitID, k.LocationID, k.Court, k.Outcome, k.Sensitivity, n)
		})
}

// keptTable is a table of figures kept in step with the records: the
// INSERT that names its columns, how many a row has, the ON CONFLICT clause
// that adds a change to a row already there, and what it is called in an
// error.
type keptTable struct {
	insert, upsert, what string
	width                int
}

// upsertDeltas adds each change of delta that is not zero to a kept table,
// several hundred rows a statement. The rows are written in one order for
// every writer, so that two PostgreSQL transactions that lock the same
// rows lock them in the same order and never deadlock.
func upsertDeltas[K comparable, V comparable](ctx context.Context, tx *Tx, delta map[K]V, order func(a, b K) int,
	table keptTable, appendRow func(args []any, k K, v V) []any) error {
	var none V
	keys := make([]K, 0, len(delta))
	for k, v := range delta {
		if v != none {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, order)
	const perStatement = 500
	for len(keys) > 0 {
		batch := keys[:min(perStatement, len(keys))]
		keys = keys[len(batch):]
		args := make([]any, 0, table.width*len(batch))
		for _, k := range batch {
			args = appendRow(args, k, delta[k])
		}
		if _, err := tx.exec(ctx, table.insert+" VALUES "+valueRows(len(batch), table.width)+table.upsert, args...); err != nil {
			return fmt.Errorf("keep %s in step: %w", table.what, err)
		}
	}
	return nil
}

// valueRows is n rows of width placeholders, for a multi-row VALUES list.
func valueRows(n, width int) string {
	row := "(" + placeholders(width) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// rollCase adds (sign 1) or takes away (sign -1) the finalised defendants
// of a case as the records now stand. A write that may change them calls it
// with -1 before and 1 after, so the rollups follow whatever it changed:
// outcomes, dates, courts, or the case's unit, location or sensitivity.
func (tx *Tx) rollCase(ctx context.Context, caseID int64, sign int) error {
	_, err := tx.exec(ctx, `INSERT INTO outcome_rollups (month, unit_id, location_id, court, outcome, sensitivity, defendants)
		SELECT `+tx.dialect.monthOfColumn("d.finalised_on")+`, c.unit_id, c.location_id, d.court, d.outcome, c.sensitivity, ? * COUNT(*)
		FROM defendants d JOIN cases c ON c.id = d.case_id
		WHERE c.id = ? AND d.outcome <> ''
		GROUP BY 1, 2, 3, 4, 5, 6`+rollupUpsert, sign, caseID)
	if err != nil {
		return fmt.Errorf("keep outcome rollups in step for case %d: %w", caseID, err)
	}
	return nil
}

// rerollCase runs a write that may change a case's finalised defendants,
// or the unit, location or sensitivity they are counted under, and moves
// the case's counts in the rollups from what they were to what they are.
func (tx *Tx) rerollCase(ctx context.Context, caseID int64, write func() error) error {
	if err := tx.rollCase(ctx, caseID, -1); err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	return tx.rollCase(ctx, caseID, 1)
}

// movesOutcomes reports whether a change to a case moves its outcomes to
// other rollup rows.
func movesOutcomes(before, after casework.Case) bool {
	return before.UnitID != after.UnitID || before.LocationID != after.LocationID || before.Sensitivity != after.Sensitivity
}

// RollupDifference is a rollup row that does not match the records.
type RollupDifference struct {
	Month       int    `json:"month"`
	Unit        string `json:"unit"`
	Location    string `json:"location"`
	Court       string `json:"court"`
	Outcome     string `json:"outcome"`
	Sensitivity string `json:"sensitivity"`
	Rollup      int64  `json:"rollup"`
	Records     int64  `json:"records"`
}

func (d RollupDifference) String() string {
	return fmt.Sprintf("%d %s %s court %q %s %s: rollup %d, records %d", d.Month, d.Unit, d.Location, d.Court, d.Outcome, d.Sensitivity, d.Rollup, d.Records)
}

// VerifyRollups recomputes every outcome rollup from the records and
// returns each row that differs, in order; none means they agree. A rollup
// row of zero and a missing row are the same.
func (db *DB) VerifyRollups(ctx context.Context) ([]RollupDifference, error) {
	records, err := db.rollupRows(ctx, `SELECT `+db.dialect.monthOfColumn("d.finalised_on")+`, c.unit_id, c.location_id, d.court, d.outcome, c.sensitivity, COUNT(*)
		FROM defendants d JOIN cases c ON c.id = d.case_id WHERE d.outcome <> '' GROUP BY 1, 2, 3, 4, 5, 6`)
	if err != nil {
		return nil, fmt.Errorf("count outcomes from the records: %w", err)
	}
	rollups, err := db.rollupRows(ctx, `SELECT month, unit_id, location_id, court, outcome, sensitivity, defendants FROM outcome_rollups`)
	if err != nil {
		return nil, fmt.Errorf("read outcome rollups: %w", err)
	}
	units, err := db.codesByID(ctx, "units")
	if err != nil {
		return nil, err
	}
	locations, err := db.codesByID(ctx, "locations")
	if err != nil {
		return nil, err
	}
	var out []RollupDifference
	add := func(k rollupKey) {
		if rollups[k] != records[k] {
			out = append(out, RollupDifference{Month: k.Month, Unit: units[k.UnitID], Location: locations[k.LocationID], Court: k.Court,
				Outcome: k.Outcome, Sensitivity: k.Sensitivity, Rollup: rollups[k], Records: records[k]})
		}
	}
	for k := range records {
		add(k)
	}
	for k := range rollups {
		if _, seen := records[k]; !seen {
			add(k)
		}
	}
	slices.SortFunc(out, func(a, b RollupDifference) int {
		return strings.Compare(a.String(), b.String())
	})
	return out, nil
}

func (db *DB) rollupRows(ctx context.Context, query string) (map[rollupKey]int64, error) {
	rows, err := db.query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[rollupKey]int64{}
	for rows.Next() {
		var k rollupKey
		var n int64
		if err := rows.Scan(&k.Month, &k.UnitID, &k.LocationID, &k.Court, &k.Outcome, &k.Sensitivity, &n); err != nil {
			return nil, err
		}
		out[k] += n
	}
	return out, rows.Err()
}

func (db *DB) codesByID(ctx context.Context, table string) (map[int64]string, error) {
	rows, err := db.query(ctx, `SELECT id, code FROM `+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		out[id] = code
	}
	return out, rows.Err()
}

// monthSplit divides a filter's dates into the whole months the rollups
// answer (fromMonth to toMonth, YYYYMM, inclusive) and the days before and
// after them that only the records can (edges, inclusive date ranges).
// months is false when no whole month lies between the dates.
type monthSplit struct {
	months             bool
	fromMonth, toMonth int
	edges              [][2]time.Time
}

func splitMonths(from, to time.Time) monthSplit {
	var s monthSplit
	s.fromMonth, s.toMonth = 0, 999999
	if from.IsZero() && !to.IsZero() {
		s.fromMonth = 1 // an outcome without a date falls outside any date range
	}
	if !from.IsZero() {
		from = dateOnly(from)
		first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC) // of the first whole month
		if !first.Equal(from) {
			first = first.AddDate(0, 1, 0)
			s.edges = append(s.edges, [2]time.Time{from, first.AddDate(0, 0, -1)})
		}
		s.fromMonth = monthOf(first)
	}
	if !to.IsZero() {
		to = dateOnly(to)
		start := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
		last := start.AddDate(0, 1, -1) // of the last whole month
		if !last.Equal(to) {
			s.edges = append(s.edges, [2]time.Time{start, to})
			last = start.AddDate(0, 0, -1)
		}
		s.toMonth = monthOf(last)
	}
	s.months = s.fromMonth <= s.toMonth
	if !s.months {
		// from and to lie within one month, or in two neighbouring
		// months with no whole one between: the records answer it all.
		s.edges = [][2]time.Time{{from, to}}
	}
	return s
}

// rollupVisible is the part of what a principal may see that the rollups
// can count: whole sensitivities, or whole units of one, with no reference
// to who the reader is. ok is false when none of it can (a partner sees
// only what is shared with it).
func rollupVisible(f access.Filter) (where string, args []any, ok bool) {
	if f.Nothing {
		return "1 = 0", nil, true
	}
	if f.PartnerID != nil {
		return "", nil, false
	}
	var or []string
	for _, s := range f.Sensitivities {
		switch s {
		case access.Official:
			or = append(or, "r.sensitivity = 'official'")
		case access.OfficialSensitive:
			if f.AllOfficialSensitive {
				or = append(or, "r.sensitivity = 'official_sensitive'")
			} else if len(f.Units) > 0 {
				or = append(or, "(r.sensitivity = 'official_sensitive' AND r.unit_id IN ("+placeholders(len(f.Units))+"))")
				args = append(args, idArgs(f.Units)...)
			}
		}
	}
	if len(or) == 0 {
		return "1 = 0", nil, true
	}
	where = "(" + strings.Join(or, " OR ") + ")"
	if f.OnlyUnit != nil {
		where += " AND r.unit_id = ?"
		args = append(args, *f.OnlyUnit)
	}
	return where, args, true
}

// rollupCounted is rollupVisible on the cases table: the records the
// rollups have counted for the reader, which the records' own count must
// leave out.
func rollupCounted(where string) string {
	return strings.ReplaceAll(where, "r.", "c.")
}

// countOutcomesFromRollups answers CountOutcomes from the rollups for the
// whole months between the filter's dates, and from the records for the
// days at either end and for what the reader sees by a share or on a
// restricted case's team. Each defendant is counted once.
func (db *DB) countOutcomesFromRollups(ctx context.Context, p *access.Principal, f OutcomeFilter) ([]measure.OutcomeCount, error) {
	filter := db.Clearances.ReadFilter(p)
	counted, countedArgs, ok := rollupVisible(filter)
	if !ok {
		return db.countOutcomesFromRecords(ctx, p, f, "", nil)
	}
	split := splitMonths(f.From, f.To)
	totals := map[measure.OutcomeCount]int{}
	add := func(counts []measure.OutcomeCount) {
		for _, c := range counts {
			n := c.Count
			c.Count = 0
			totals[c] += n
		}
	}
	if split.months {
		counts, err := db.countRollups(ctx, f, split, counted, countedArgs)
		if err != nil {
			return nil, err
		}
		add(counts)
		// What the reader sees beyond the rollups' part: shared cases and
		// restricted cases on their team, from the records.
		beyond, err := db.countOutcomesFromRecords(ctx, p, OutcomeFilter{Unit: f.Unit, Court: f.Court,
			From: monthStart(split.fromMonth), To: monthEnd(split.toMonth)}, counted, countedArgs)
		if err != nil {
			return nil, err
		}
		add(beyond)
	}
	for _, edge := range split.edges {
		counts, err := db.countOutcomesFromRecords(ctx, p, OutcomeFilter{Unit: f.Unit, Court: f.Court, From: edge[0], To: edge[1]}, "", nil)
		if err != nil {
			return nil, err
		}
		add(counts)
	}
	out := make([]measure.OutcomeCount, 0, len(totals))
	for c, n := range totals {
		if n != 0 {
			c.Count = n
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b measure.OutcomeCount) int {
		return strings.Compare(a.Unit+"\x00"+string(a.Court)+"\x00"+string(a.Outcome), b.Unit+"\x00"+string(b.Court)+"\x00"+string(b.Outcome))
	})
	return out, nil
}

// monthStart and monthEnd are the first and last days of a rollup month;
// the zero time for the open ends (month 0 and 999999 and 1).
func monthStart(month int) time.Time {
	if month <= 1 {
		return time.Time{}
	}
	return time.Date(month/100, time.Month(month%100), 1, 0, 0, 0, 0, time.UTC)
}

func monthEnd(month int) time.Time {
	if month >= 999999 {
		return time.Time{}
	}
	return time.Date(month/100, time.Month(month%100), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
}

// countRollups sums the rollups of the whole months for the reader's
// rollup-visible part.
func (db *DB) countRollups(ctx context.Context, f OutcomeFilter, split monthSplit, counted string, countedArgs []any) ([]measure.OutcomeCount, error) {
	where := counted + " AND r.month BETWEEN ? AND ?"
	args := append(slices.Clone(countedArgs), split.fromMonth, split.toMonth)
	if f.Unit != "" {
		where += " AND u.code = ?"
		args = append(args, f.Unit)
	}
	if f.Court != "" {
		where += " AND r.court = ?"
		args = append(args, string(f.Court))
	}
	rows, err := db.query(ctx, `SELECT u.code, r.court, r.outcome, SUM(r.defendants) FROM outcome_rollups r
		JOIN units u ON u.id = r.unit_id
		WHERE `+where+` GROUP BY u.code, r.court, r.outcome`, args...)
	if err != nil {
		return nil, err
	}
	return scanOutcomeCounts(rows)
}
