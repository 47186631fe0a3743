package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/risk"
)

// Themes and trends are read from figures kept once computed (migration
// 0026): for each kept quarter and unit, the live risks at the quarter's
// end and the sum of their scores by theme, and the risks raised and
// closed in it. A quarter is computed from the score history the first
// time it is asked for and kept from then on. Every write that changes
// what a risk adds to a quarter (its score history, themes, unit, raising
// or closing date) takes the risk's old part out of every kept quarter and
// puts its new part in, in the same transaction, just before it commits:
// the figures never disagree with the records, and VerifyRiskTrends proves
// it. Access to the register is by unit, so a reader's figures are the sum
// over the units they may see.

// trendKey is one row of risk_trend_figures. Theme "" is every live risk.
type trendKey struct {
	Quarter int // YYYYMM of the quarter's first month
	UnitID  int64
	Theme   string
}

// trendFigures are the counts of one row.
type trendFigures struct {
	Live, ScoreSum, Raised, Closed int64
}

func (f trendFigures) plus(g trendFigures, sign int64) trendFigures {
	return trendFigures{f.Live + sign*g.Live, f.ScoreSum + sign*g.ScoreSum, f.Raised + sign*g.Raised, f.Closed + sign*g.Closed}
}

// trendDelta is what a write adds to (or takes from) each row.
type trendDelta map[trendKey]trendFigures

func (d trendDelta) add(k trendKey, f trendFigures, sign int64) {
	d[k] = d[k].plus(f, sign)
}

// quarterKey is a quarter's key in the kept figures.
func quarterKey(q Quarter) int { return monthOf(q.Start) }

// trendScore is one score-history row as the trends read it.
type trendScore struct {
	At     time.Time
	ID     int64
	Status string
	Score  int64
}

// trendRisk is everything a risk's part of the trends and of the heat
// map's counts depends on.
type trendRisk struct {
	ID, UnitID int64
	LocationID int64 // 0 for none
	Category   string
	Status     string
	Ratings    [3]risk.Rating // as cellRatings names them
	CreatedAt  time.Time
	ClosedOn   *time.Time
	Themes     []string
	Scores     []trendScore // oldest first, by time then id
}

// cellRatings are the ratings a heat map shows, in trendRisk.Ratings'
// order.
var cellRatings = [3]string{"current", "inherent", "target"}

// cellKey is one row of risk_cell_counts.
type cellKey struct {
	Rating             string
	UnitID, LocationID int64
	Category, Status   string
	Likelihood, Impact int
}

// cellDelta is what a write adds to (or takes from) each count.
type cellDelta map[cellKey]int64

// addCells adds (sign 1) or takes away (sign -1) the risk from the heat
// map's counts.
func (r *trendRisk) addCells(d cellDelta, sign int64) {
	for i, rating := range cellRatings {
		d[cellKey{rating, r.UnitID, r.LocationID, r.Category, r.Status, r.Ratings[i].Likelihood, r.Ratings[i].Impact}] += sign
	}
}

// inForceBefore is the risk's last score row written before end.
func (r *trendRisk) inForceBefore(end time.Time) (trendScore, bool) {
	i, _ := slices.BinarySearchFunc(r.Scores, end, func(s trendScore, t time.Time) int {
		if s.At.Before(t) {
			return -1
		}
		return 1
	})
	if i == 0 {
		return trendScore{}, false
	}
	return r.Scores[i-1], true
}

// addTo adds (sign 1) or takes away (sign -1) the risk's part of each
// quarter's figures: as the register stood at the quarter's end, and
// whether it was raised or closed in it.
func (r *trendRisk) addTo(d trendDelta, quarters []Quarter, sign int64) {
	for _, q := range quarters {
		var f trendFigures
		if !r.CreatedAt.Before(q.Start) && r.CreatedAt.Before(q.End) {
			f.Raised = 1
		}
		if r.ClosedOn != nil && !r.ClosedOn.Before(q.Start) && r.ClosedOn.Before(q.End) {
			f.Closed = 1
		}
		if r.CreatedAt.Before(q.End) {
			if s, ok := r.inForceBefore(q.End); ok && s.Status != string(risk.Closed) {
				f.Live, f.ScoreSum = 1, s.Score
				for _, t := range r.Themes {
					d.add(trendKey{quarterKey(q), r.UnitID, t}, trendFigures{Live: 1, ScoreSum: s.Score}, sign)
				}
			}
		}
		if f != (trendFigures{}) {
			d.add(trendKey{quarterKey(q), r.UnitID, ""}, f, sign)
		}
	}
}

// loadTrendRisks reads the risks given (every risk when ids is nil) with
// their themes and score history.
func loadTrendRisks(ctx context.Context, q rowsQuery, ids []int64) (map[int64]*trendRisk, error) {
	out := map[int64]*trendRisk{}
	if ids != nil && len(ids) == 0 {
		return out, nil
	}
	const perStatement = 500
	for start := 0; ids == nil || start < len(ids); start += perStatement {
		where, riskWhere := "", ""
		var args []any
		if ids != nil {
			chunk := ids[start:min(start+perStatement, len(ids))]
			where, riskWhere = ` WHERE risk_id IN (`+placeholders(len(chunk))+`)`, ` WHERE id IN (`+placeholders(len(chunk))+`)`
			args = idArgs(chunk)
		}
		if err := loadTrendRiskRows(ctx, q, out, riskWhere, where, args); err != nil {
			return nil, err
		}
		if ids == nil {
			break
		}
	}
	for _, r := range out {
		slices.SortFunc(r.Scores, func(a, b trendScore) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	}
	return out, nil
}

func loadTrendRiskRows(ctx context.Context, q rowsQuery, out map[int64]*trendRisk, riskWhere, where string, args []any) error {
	rows, err := q(ctx, `SELECT id, unit_id, COALESCE(location_id, 0), category, status, current_likelihood, current_impact,
		inherent_likelihood, inherent_impact, target_likelihood, target_impact, created_at, closed_on FROM risks`+riskWhere, args...)
	if err != nil {
		return fmt.Errorf("read risks for the trends: %w", err)
	}
	for rows.Next() {
		r := &trendRisk{}
		if err := rows.Scan(&r.ID, &r.UnitID, &r.LocationID, &r.Category, &r.Status, &r.Ratings[0].Likelihood, &r.Ratings[0].Impact,
			&r.Ratings[1].Likelihood, &r.Ratings[1].Impact, &r.Ratings[2].Likelihood, &r.Ratings[2].Impact, &r.CreatedAt, &r.ClosedOn); err != nil {
			rows.Close()
			return err
		}
		out[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q(ctx, `SELECT risk_id, theme FROM risk_themes`+where, args...)
	if err != nil {
		return fmt.Errorf("read risk themes for the trends: %w", err)
	}
	for rows.Next() {
		var id int64
		var theme string
		if err := rows.Scan(&id, &theme); err != nil {
			rows.Close()
			return err
		}
		if r := out[id]; r != nil {
			r.Themes = append(r.Themes, theme)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q(ctx, `SELECT risk_id, at, id, status, current_score FROM risk_scores`+where, args...)
	if err != nil {
		return fmt.Errorf("read score history for the trends: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var s trendScore
		if err := rows.Scan(&id, &s.At, &s.ID, &s.Status, &s.Score); err != nil {
			return err
		}
		if r := out[id]; r != nil {
			r.Scores = append(r.Scores, s)
		}
	}
	return rows.Err()
}

// riskChanges are the risks a transaction changes, as they were before
// it changed them, so that their parts of the kept trends can be moved
// when it commits.
type riskChanges struct {
	kept   []Quarter // the quarters kept when the transaction began changing risks
	before map[int64]*trendRisk
	order  []int64
}

// trackRiskChanges readies the transaction to change risks: on PostgreSQL
// it takes the lock that keeps a quarter from being computed while a
// change is under way (keepRiskQuarters takes the conflicting one), then
// reads which quarters are kept. SQLite's write transactions already
// run one at a time.
func (tx *Tx) trackRiskChanges(ctx context.Context) (*riskChanges, error) {
	if tx.risks != nil {
		return tx.risks, nil
	}
	if tx.dialect == Postgres {
		if _, err := tx.exec(ctx, `LOCK TABLE risk_trend_quarters IN ROW EXCLUSIVE MODE`); err != nil {
			return nil, fmt.Errorf("lock the kept trends: %w", err)
		}
	}
	kept, err := keptQuarters(ctx, tx.query)
	if err != nil {
		return nil, err
	}
	tx.risks = &riskChanges{kept: kept, before: map[int64]*trendRisk{}}
	return tx.risks, nil
}

// touchRisk notes a risk about to be changed, reading it as it is first.
func (tx *Tx) touchRisk(ctx context.Context, id int64) error {
	c, err := tx.trackRiskChanges(ctx)
	if err != nil {
		return err
	}
	if _, seen := c.before[id]; seen {
		return nil
	}
	c.order = append(c.order, id)
	found, err := loadTrendRisks(ctx, tx.query, []int64{id})
	if err != nil {
		return err
	}
	c.before[id] = found[id]
	return nil
}

// touchNewRisk notes a risk the transaction has just added: before it,
// the risk added nothing.
func (tx *Tx) touchNewRisk(ctx context.Context, id int64) error {
	c, err := tx.trackRiskChanges(ctx)
	if err != nil {
		return err
	}
	if _, seen := c.before[id]; !seen {
		c.before[id] = nil
		c.order = append(c.order, id)
	}
	return nil
}

// keepRiskChanges moves the changed risks' parts of the kept trends from
// what they were to what they are, and sets since when each has been
// above appetite. The commit calls it.
func (tx *Tx) keepRiskChanges(ctx context.Context) error {
	c := tx.risks
	if c == nil || len(c.order) == 0 {
		return nil
	}
	after, err := loadTrendRisks(ctx, tx.query, c.order)
	if err != nil {
		return err
	}
	d, cells := trendDelta{}, cellDelta{}
	for _, id := range c.order {
		if r := c.before[id]; r != nil {
			r.addTo(d, c.kept, -1)
			r.addCells(cells, -1)
		}
		if r := after[id]; r != nil {
			r.addTo(d, c.kept, 1)
			r.addCells(cells, 1)
		}
	}
	if err := tx.applyTrendDelta(ctx, d); err != nil {
		return err
	}
	if err := tx.applyCellDelta(ctx, cells); err != nil {
		return err
	}
	return tx.setAboveAppetiteSince(ctx, c.order)
}

const trendUpsert = ` ON CONFLICT (quarter, unit_id, theme) DO UPDATE SET live = risk_trend_figures.live + excluded.live,
	score_sum = risk_trend_figures.score_sum + excluded.score_sum, raised = risk_trend_figures.raised + excluded.raised,
	closed = risk_trend_figures.closed + excluded.closed`

// applyTrendDelta adds the delta to the kept figures.
func (tx *Tx) applyTrendDelta(ctx context.Context, d trendDelta) error {
	return upsertDeltas(ctx, tx, d, func(a, b trendKey) int {
		return cmp.Or(cmp.Compare(a.Quarter, b.Quarter), cmp.Compare(a.UnitID, b.UnitID), strings.Compare(a.Theme, b.Theme))
	}, keptTable{what: "risk trends", width: 7, upsert: trendUpsert,
		insert: "INSERT INTO risk_trend_figures (quarter, unit_id, theme, live, score_sum, raised, closed)"},
		func(args []any, k trendKey, f trendFigures) []any {
			return append(args, k.Quarter, k.UnitID, k.Theme, f.Live, f.ScoreSum, f.Raised, f.Closed)
		})
}

const cellUpsert = ` ON CONFLICT (rating, unit_id, location_id, category, status, likelihood, impact)
	DO UPDATE SET risks = risk_cell_counts.risks + excluded.risks`

// applyCellDelta adds the delta to the heat map's counts.
func (tx *Tx) applyCellDelta(ctx context.Context, d cellDelta) error {
	return upsertDeltas(ctx, tx, d, func(a, b cellKey) int {
		return cmp.Or(strings.Compare(a.Rating, b.Rating), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.LocationID, b.LocationID),
			strings.Compare(a.Category, b.Category), strings.Compare(a.Status, b.Status), cmp.Compare(a.Likelihood, b.Likelihood), cmp.Compare(a.Impact, b.Impact))
	}, keptTable{what: "the heat map's counts", width: 8, upsert: cellUpsert,
		insert: "INSERT INTO risk_cell_counts (rating, unit_id, location_id, category, status, likelihood, impact, risks)"},
		func(args []any, k cellKey, n int64) []any {
			return append(args, k.Rating, k.UnitID, k.LocationID, k.Category, k.Status, k.Likelihood, k.Impact, n)
		})
}

// countsServe reports whether the heat map's counts answer a filter: one
// that names at most a unit, a location, a category and a status.
func countsServe(f RiskFilter) bool {
	return f.Theme == "" && f.OwnerID == nil && f.Owners == nil && f.ParentID == nil && f.Band == "" && !f.OverdueReview &&
		!f.Escalated && strings.TrimSpace(f.Query) == "" && f.AsAt == nil
}

// heatMapFromCounts sums the heat map's counts for a filter countsServe
// accepts, as riskWhere would select the risks (the status already
// checked by it).
func (db *DB) heatMapFromCounts(ctx context.Context, unit *int64, f RiskFilter, rating string, hm *HeatMap) error {
	where, args := []string{"rating = ?"}, []any{rating}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if unit != nil {
		add("unit_id = ?", *unit)
	}
	if f.Unit != "" {
		add("unit_id = (SELECT id FROM units WHERE code = ?)", f.Unit)
	}
	if f.Location != "" {
		add("location_id = (SELECT id FROM locations WHERE code = ?)", f.Location)
	}
	if f.Category != "" {
		add("category = ?", string(f.Category))
	}
	switch f.Status {
	case "":
		add("status <> 'closed'")
	case "all":
	default:
		add("status = ?", f.Status)
	}
	rows, err := db.query(ctx, `SELECT likelihood, impact, SUM(risks) FROM risk_cell_counts WHERE `+strings.Join(where, " AND ")+` GROUP BY likelihood, impact`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l, i, n int
		if err := rows.Scan(&l, &i, &n); err != nil {
			return err
		}
		if l >= 1 && l <= 5 && i >= 1 && i <= 5 {
			hm.Cells[l-1][i-1] += n
			hm.Total += n
		}
	}
	return rows.Err()
}

// verifyCellCounts lists each heat map count that differs from a count of
// the risks.
func (db *DB) verifyCellCounts(ctx context.Context, units map[int64]string) ([]TrendDifference, error) {
	read := func(query string) (map[cellKey]int64, error) {
		rows, err := db.query(ctx, query)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[cellKey]int64{}
		for rows.Next() {
			var k cellKey
			var n int64
			if err := rows.Scan(&k.Rating, &k.UnitID, &k.LocationID, &k.Category, &k.Status, &k.Likelihood, &k.Impact, &n); err != nil {
				return nil, err
			}
			out[k] += n
		}
		return out, rows.Err()
	}
	kept, err := read(`SELECT rating, unit_id, location_id, category, status, likelihood, impact, risks FROM risk_cell_counts`)
	if err != nil {
		return nil, fmt.Errorf("read the heat map's counts: %w", err)
	}
	var parts []string
	for _, r := range cellRatings {
		parts = append(parts, `SELECT '`+r+`', unit_id, COALESCE(location_id, 0), category, status, `+r+`_likelihood, `+r+`_impact, COUNT(*) FROM risks
			GROUP BY unit_id, COALESCE(location_id, 0), category, status, `+r+`_likelihood, `+r+`_impact`)
	}
	records, err := read(strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, fmt.Errorf("count the risks by cell: %w", err)
	}
	var out []TrendDifference
	add := func(k cellKey) {
		out = append(out, TrendDifference{Quarter: "heat map", Unit: units[k.UnitID],
			Theme:  fmt.Sprintf("%s %d×%d, location %d, %s, %s", k.Rating, k.Likelihood, k.Impact, k.LocationID, k.Category, k.Status),
			Figure: "risks", Kept: kept[k], Records: records[k]})
	}
	for k, n := range records {
		if kept[k] != n {
			add(k)
		}
	}
	for k, n := range kept {
		if _, seen := records[k]; !seen && n != 0 {
			add(k)
		}
	}
	return out, nil
}

// appetiteMaxSQL is the SQL for the highest tolerable score of risks r's
// category: the Head of Division's setting, or the default.
func appetiteMaxSQL(r string) string {
	var b strings.Builder
	b.WriteString(`COALESCE((SELECT a.max_score FROM risk_appetite a WHERE a.category = ` + r + `.category), CASE ` + r + `.category`)
	for _, a := range risk.DefaultAppetites() {
		fmt.Fprintf(&b, ` WHEN '%s' THEN %d`, a.Category, a.MaxScore)
	}
	b.WriteString(` END)`)
	return b.String()
}

// aboveAppetiteSinceSQL is since when live risk r has been above its
// category's appetite without a break: the first score row after its last
// row at or below the appetite (its first row if it has none), or NULL
// when it is not above appetite now. The first row is found by ORDER BY
// and LIMIT rather than MIN, which PostgreSQL would answer by walking the
// index of every score row's time from the start, for each risk.
func aboveAppetiteSinceSQL(r string) string {
	max := appetiteMaxSQL(r)
	return `CASE WHEN ` + r + `.status <> 'closed' AND ` + r + `.current_score > ` + max + ` THEN
		(SELECT s.at FROM risk_scores s WHERE s.risk_id = ` + r + `.id AND NOT EXISTS (
			SELECT 1 FROM risk_scores b WHERE b.risk_id = ` + r + `.id AND b.current_score <= ` + max + `
			AND (b.at > s.at OR (b.at = s.at AND b.id > s.id))) ORDER BY s.at, s.id LIMIT 1) END`
}

// setAboveAppetiteSince sets since when each risk given (every risk when
// ids is nil) has been above appetite.
func (tx *Tx) setAboveAppetiteSince(ctx context.Context, ids []int64) error {
	if ids == nil {
		_, err := tx.exec(ctx, `UPDATE risks SET above_appetite_since = `+aboveAppetiteSinceSQL("risks"))
		return err
	}
	const perStatement = 500
	for start := 0; start < len(ids); start += perStatement {
		chunk := ids[start:min(start+perStatement, len(ids))]
		if _, err := tx.exec(ctx, `UPDATE risks SET above_appetite_since = `+aboveAppetiteSinceSQL("risks")+
			` WHERE id IN (`+placeholders(len(chunk))+`)`, idArgs(chunk)...); err != nil {
			return fmt.Errorf("keep above-appetite dates: %w", err)
		}
	}
	return nil
}

// keptQuarters lists the quarters whose figures are kept.
func keptQuarters(ctx context.Context, q rowsQuery) ([]Quarter, error) {
	rows, err := q(ctx, `SELECT starts_at FROM risk_trend_quarters ORDER BY quarter`)
	if err != nil {
		return nil, fmt.Errorf("read the kept quarters: %w", err)
	}
	defer rows.Close()
	var out []Quarter
	for rows.Next() {
		var start time.Time
		if err := rows.Scan(&start); err != nil {
			return nil, err
		}
		out = append(out, QuarterOf(start.UTC()))
	}
	return out, rows.Err()
}

// keepRiskQuarters computes from the records and keeps the figures of the
// quarters given that are not kept yet, in one pass over the score
// history. On PostgreSQL no risk may change meanwhile: it waits for the
// transactions changing risks to commit, and they wait for it.
func (db *DB) keepRiskQuarters(ctx context.Context, quarters []Quarter) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if tx.dialect == Postgres {
			if _, err := tx.exec(ctx, `LOCK TABLE risk_trend_quarters IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("lock the kept trends: %w", err)
			}
		}
		kept, err := keptQuarters(ctx, tx.query)
		if err != nil {
			return err
		}
		var missing []Quarter
		for _, q := range quarters {
			if !slices.ContainsFunc(kept, func(k Quarter) bool { return k.Start.Equal(q.Start) }) {
				missing = append(missing, q)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		risks, err := loadTrendRisks(ctx, tx.query, nil)
		if err != nil {
			return err
		}
		d := trendDelta{}
		for _, r := range risks {
			r.addTo(d, missing, 1)
		}
		for _, q := range missing {
			if _, err := tx.exec(ctx, `INSERT INTO risk_trend_quarters (quarter, starts_at, ends_at, kept_at) VALUES (?, ?, ?, ?)`,
				quarterKey(q), q.Start, q.End, tx.now); err != nil {
				return fmt.Errorf("keep quarter %s: %w", q.Label, err)
			}
		}
		return tx.applyTrendDelta(ctx, d)
	})
}

// quartersBetween lists the financial quarters from the one containing
// from to the one containing to, at most 40.
func quartersBetween(from, to time.Time) []Quarter {
	var out []Quarter
	for q := QuarterOf(from); !q.Start.After(to) && len(out) < 40; q = QuarterOf(q.End) {
		out = append(out, q)
	}
	return out
}

// ensureRiskQuarters keeps the quarters given that are not kept yet.
func (db *DB) ensureRiskQuarters(ctx context.Context, quarters []Quarter) error {
	if len(quarters) == 0 {
		return nil
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM risk_trend_quarters WHERE quarter >= ? AND quarter <= ?`,
		quarterKey(quarters[0]), quarterKey(quarters[len(quarters)-1])).Scan(&n); err != nil {
		return db.unavailable("kept quarters", err)
	}
	if n == len(quarters) {
		return nil
	}
	return db.keepRiskQuarters(ctx, quarters)
}

// KeepRiskTrends computes and keeps the figures of every quarter from the
// one containing from to the current one that is not kept yet; a daily
// job calls it, so that the first reader of a new quarter does not wait.
func (db *DB) KeepRiskTrends(ctx context.Context, from time.Time) error {
	return db.ensureRiskQuarters(ctx, quartersBetween(from, db.Now()))
}

// keptTrendRows reads the kept figures of the quarters given, summed over
// the units the reader sees (one unit when unit is set).
func (db *DB) keptTrendRows(ctx context.Context, first, last Quarter, unit *int64) (map[trendKey]trendFigures, error) {
	args := []any{quarterKey(first), quarterKey(last)}
	scope := ""
	if unit != nil {
		scope, args = " AND unit_id = ?", append(args, *unit)
	}
	rows, err := db.query(ctx, `SELECT quarter, theme, SUM(live), SUM(score_sum), SUM(raised), SUM(closed) FROM risk_trend_figures
		WHERE quarter >= ? AND quarter <= ?`+scope+` GROUP BY quarter, theme`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[trendKey]trendFigures{}
	for rows.Next() {
		var k trendKey
		var f trendFigures
		if err := rows.Scan(&k.Quarter, &k.Theme, &f.Live, &f.ScoreSum, &f.Raised, &f.Closed); err != nil {
			return nil, err
		}
		out[k] = f
	}
	return out, rows.Err()
}

// quarterTrends turns summed figures into the view's quarters: themes by
// number of live risks, most first.
func quarterTrends(quarters []Quarter, figures map[trendKey]trendFigures) []QuarterTrend {
	out := make([]QuarterTrend, 0, len(quarters))
	for _, q := range quarters {
		qt := QuarterTrend{Quarter: q, Themes: []ThemeTrend{}}
		for k, f := range figures {
			if k.Quarter != quarterKey(q) {
				continue
			}
			if k.Theme == "" {
				qt.Raised, qt.Closed, qt.Live = int(f.Raised), int(f.Closed), int(f.Live)
			} else if f.Live > 0 {
				qt.Themes = append(qt.Themes, ThemeTrend{Theme: k.Theme, Risks: int(f.Live), Average: float64(f.ScoreSum) / float64(f.Live)})
			}
		}
		slices.SortFunc(qt.Themes, func(a, b ThemeTrend) int {
			return cmp.Or(cmp.Compare(b.Risks, a.Risks), strings.Compare(a.Theme, b.Theme))
		})
		out = append(out, qt)
	}
	return out
}

// TrendDifference is a kept figure that does not match the records.
type TrendDifference struct {
	Quarter string `json:"quarter"` // "" for a risk's above-appetite date
	Unit    string `json:"unit"`    // the risk's reference for its above-appetite date
	Theme   string `json:"theme"`   // "" for every live risk
	Figure  string `json:"figure"`
	Kept    int64  `json:"kept"`
	Records int64  `json:"records"`
}

func (d TrendDifference) String() string {
	if d.Quarter == "" {
		return fmt.Sprintf("risk %s above appetite since: kept date differs from its score history", d.Unit)
	}
	theme := d.Theme
	if theme == "" {
		theme = "(every risk)"
	}
	return fmt.Sprintf("risk trends %s %s %s %s: kept %d, records %d", d.Quarter, d.Unit, theme, d.Figure, d.Kept, d.Records)
}

// VerifyRiskTrends recomputes the figures of every kept quarter from the
// records, with queries of their own, and lists each figure that differs;
// it also lists each heat map count that differs from a count of the
// risks, and each risk whose above-appetite date is not what its history
// gives. None means they agree.
func (db *DB) VerifyRiskTrends(ctx context.Context) ([]TrendDifference, error) {
	kept, err := keptQuarters(ctx, db.query)
	if err != nil {
		return nil, err
	}
	units, err := db.codesByID(ctx, "units")
	if err != nil {
		return nil, err
	}
	var out []TrendDifference
	for _, q := range kept {
		records, err := db.trendRowsFromRecords(ctx, q)
		if err != nil {
			return nil, err
		}
		stored, err := db.keptRowsOf(ctx, q)
		if err != nil {
			return nil, err
		}
		compare := func(k trendKey) {
			a, b := stored[k], records[k]
			for _, f := range []struct {
				name       string
				kept, recs int64
			}{{"live", a.Live, b.Live}, {"score sum", a.ScoreSum, b.ScoreSum}, {"raised", a.Raised, b.Raised}, {"closed", a.Closed, b.Closed}} {
				if f.kept != f.recs {
					out = append(out, TrendDifference{Quarter: q.Label, Unit: units[k.UnitID], Theme: k.Theme, Figure: f.name, Kept: f.kept, Records: f.recs})
				}
			}
		}
		for k := range records {
			compare(k)
		}
		for k := range stored {
			if _, seen := records[k]; !seen {
				compare(k)
			}
		}
	}
	cells, err := db.verifyCellCounts(ctx, units)
	if err != nil {
		return nil, err
	}
	out = append(out, cells...)
	wrong, err := db.query(ctx, `SELECT r.reference FROM risks r WHERE r.above_appetite_since IS DISTINCT FROM (`+aboveAppetiteSinceSQL("r")+`) ORDER BY r.id`)
	if err != nil {
		return nil, fmt.Errorf("check above-appetite dates: %w", err)
	}
	defer wrong.Close()
	for wrong.Next() {
		var ref string
		if err := wrong.Scan(&ref); err != nil {
			return nil, err
		}
		out = append(out, TrendDifference{Unit: ref, Figure: "above appetite since"})
	}
	if err := wrong.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b TrendDifference) int { return strings.Compare(a.String(), b.String()) })
	return out, nil
}

func (db *DB) keptRowsOf(ctx context.Context, q Quarter) (map[trendKey]trendFigures, error) {
	rows, err := db.query(ctx, `SELECT unit_id, theme, live, score_sum, raised, closed FROM risk_trend_figures WHERE quarter = ?`, quarterKey(q))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[trendKey]trendFigures{}
	for rows.Next() {
		k := trendKey{Quarter: quarterKey(q)}
		var f trendFigures
		if err := rows.Scan(&k.UnitID, &k.Theme, &f.Live, &f.ScoreSum, &f.Raised, &f.Closed); err != nil {
			return nil, err
		}
		out[k] = f
	}
	return out, rows.Err()
}

// trendRowsFromRecords computes one quarter's figures from the records in
// SQL, for each risk finding its last score row before the quarter's end.
func (db *DB) trendRowsFromRecords(ctx context.Context, q Quarter) (map[trendKey]trendFigures, error) {
	out := map[trendKey]trendFigures{}
	const inForce = ` JOIN risk_scores s ON s.id = (SELECT s2.id FROM risk_scores s2 WHERE s2.risk_id = r.id AND s2.at < ? ORDER BY s2.at DESC, s2.id DESC LIMIT 1)`
	read := func(query string, args []any, set func(k trendKey, f *trendFigures, n, sum int64)) error {
		rows, err := db.query(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("recompute risk trends for %s: %w", q.Label, err)
		}
		defer rows.Close()
		for rows.Next() {
			k := trendKey{Quarter: quarterKey(q)}
			var n, sum int64
			if err := rows.Scan(&k.UnitID, &k.Theme, &n, &sum); err != nil {
				return err
			}
			f := out[k]
			set(k, &f, n, sum)
			out[k] = f
		}
		return rows.Err()
	}
	live := func(k trendKey, f *trendFigures, n, sum int64) { f.Live, f.ScoreSum = n, sum }
	if err := read(`SELECT r.unit_id, t.theme, COUNT(*), SUM(s.current_score) FROM risks r`+inForce+` JOIN risk_themes t ON t.risk_id = r.id
		WHERE r.created_at < ? AND s.status <> 'closed' GROUP BY r.unit_id, t.theme`, []any{q.End, q.End}, live); err != nil {
		return nil, err
	}
	if err := read(`SELECT r.unit_id, '', COUNT(*), SUM(s.current_score) FROM risks r`+inForce+`
		WHERE r.created_at < ? AND s.status <> 'closed' GROUP BY r.unit_id`, []any{q.End, q.End}, live); err != nil {
		return nil, err
	}
	if err := read(`SELECT r.unit_id, '', COUNT(*), 0 FROM risks r WHERE r.created_at >= ? AND r.created_at < ? GROUP BY r.unit_id`,
		[]any{q.Start, q.End}, func(_ trendKey, f *trendFigures, n, _ int64) { f.Raised = n }); err != nil {
		return nil, err
	}
	if err := read(`SELECT r.unit_id, '', COUNT(*), 0 FROM risks r WHERE r.closed_on >= ? AND r.closed_on < ? GROUP BY r.unit_id`,
		[]any{q.Start, q.End}, func(_ trendKey, f *trendFigures, n, _ int64) { f.Closed = n }); err != nil {
		return nil, err
	}
	return out, nil
}
