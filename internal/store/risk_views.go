package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// HeatMap counts risks per cell of the 5x5 matrix: Cells[l-1][i-1] is the
// number of risks with likelihood l and impact i.
type HeatMap struct {
	Rating string     `json:"rating"` // current, inherent or target
	Cells  [5][5]int  `json:"cells"`
	Total  int        `json:"total"`
	Scale  risk.Scale `json:"scale"`
}

// RiskHeatMap counts the risks the filter selects by their current (or
// inherent, or target) rating. The whole register, or a unit, location,
// category or status of it, is summed from the counts kept by cell; other
// filters count the risks.
func (db *DB) RiskHeatMap(ctx context.Context, p *access.Principal, f RiskFilter, rating string) (HeatMap, error) {
	if rating == "" {
		rating = "current"
	}
	if rating != "current" && rating != "inherent" && rating != "target" {
		return HeatMap{}, &fault.Error{Code: fault.Invalid, Message: "A heat map shows the current, inherent or target rating",
			Fields: []fault.FieldError{{Field: "rating", Message: "Choose current, inherent or target"}}}
	}
	return db.riskHeatMap(ctx, p, f, rating, true)
}

// riskHeatMap counts the risks, from the heat map's counts (migration
// 0026) when they answer the filter and useCounts is set.
func (db *DB) riskHeatMap(ctx context.Context, p *access.Principal, f RiskFilter, rating string, useCounts bool) (HeatMap, error) {
	f.Likelihood, f.Impact = 0, 0
	src, join, where, args, err := db.riskWhere(ctx, p, f)
	if err != nil {
		return HeatMap{}, err
	}
	hm := HeatMap{Rating: rating}
	if hm.Scale, err = db.RiskScale(ctx); err != nil {
		return hm, err
	}
	if !access.Allows(p, access.ReadRisks) {
		return hm, nil
	}
	if useCounts && countsServe(f) {
		var unit *int64
		if p.Token != nil && p.Token.UnitID != nil {
			unit = p.Token.UnitID
		}
		return hm, db.heatMapFromCounts(ctx, unit, f, rating, &hm)
	}
	l, i := src+"."+rating+"_likelihood", src+"."+rating+"_impact"
	// The filters name risks r (and s) alone: the count reads no other table.
	rows, err := db.query(ctx, `SELECT `+l+`, `+i+`, COUNT(*) FROM risks r`+join+` WHERE `+strings.Join(where, " AND ")+` GROUP BY `+l+`, `+i, args...)
	if err != nil {
		return hm, err
	}
	defer rows.Close()
	for rows.Next() {
		var li, ii, n int
		if err := rows.Scan(&li, &ii, &n); err != nil {
			return hm, err
		}
		if li >= 1 && li <= 5 && ii >= 1 && ii <= 5 {
			hm.Cells[li-1][ii-1] += n
			hm.Total += n
		}
	}
	return hm, rows.Err()
}

// TreeRisk is a risk as the roll-up tree shows it.
type TreeRisk struct {
	ID        int64         `json:"id"`
	Reference string        `json:"reference"`
	Title     string        `json:"title"`
	Category  risk.Category `json:"category"`
	UnitCode  string        `json:"unit_code"`
	Location  string        `json:"location_code"`
	Score     int           `json:"score"`
	Status    risk.Status   `json:"status"`
	ParentID  *int64        `json:"parent_id"`
	Escalated bool          `json:"escalated"`
}

// RiskTree lists the live risks with their parents, divisional first, for
// the roll-up tree; a unit code narrows it to that unit's risks and the
// risks they roll up to.
func (db *DB) RiskTree(ctx context.Context, p *access.Principal, unit string) ([]TreeRisk, error) {
	_, _, where, args, err := db.riskWhere(ctx, p, RiskFilter{})
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT r.id, r.reference, r.title, r.category, u.code, COALESCE(l.code, ''), r.current_score, r.status, r.parent_id, r.escalated`+
		riskFrom+` WHERE `+strings.Join(where, " AND ")+` ORDER BY r.current_score DESC, r.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TreeRisk{}
	for rows.Next() {
		var t TreeRisk
		var parent sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Reference, &t.Title, &t.Category, &t.UnitCode, &t.Location, &t.Score, &t.Status, &parent, &t.Escalated); err != nil {
			return nil, err
		}
		t.ParentID = nullableID(parent)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil || unit == "" {
		return out, err
	}
	// Keep the unit's risks and every risk above them in the tree.
	byID := map[int64]TreeRisk{}
	for _, t := range out {
		byID[t.ID] = t
	}
	keep := map[int64]bool{}
	for _, t := range out {
		if t.UnitCode != unit {
			continue
		}
		for at, ok := t, true; ok && !keep[at.ID]; at, ok = parentIn(byID, at) {
			keep[at.ID] = true
		}
	}
	kept := out[:0]
	for _, t := range out {
		if keep[t.ID] {
			kept = append(kept, t)
		}
	}
	return kept, nil
}

func parentIn(byID map[int64]TreeRisk, t TreeRisk) (TreeRisk, bool) {
	if t.ParentID == nil {
		return TreeRisk{}, false
	}
	p, ok := byID[*t.ParentID]
	return p, ok
}

// Quarter is a financial quarter: Q1 is April to June.
type Quarter struct {
	Label string    `json:"label"` // "2018-19 Q1"
	Start time.Time `json:"start"`
	End   time.Time `json:"end"` // the first day after the quarter
}

// QuarterOf returns the financial quarter a date falls in.
func QuarterOf(t time.Time) Quarter {
	y, m := t.Year(), int(t.Month())
	fyStart := y
	if m < 4 {
		fyStart--
	}
	q := ((m-4+12)%12)/3 + 1
	start := time.Date(fyStart, time.Month(4+3*(q-1)), 1, 0, 0, 0, 0, time.UTC)
	return Quarter{Label: fmt.Sprintf("%d-%02d Q%d", fyStart, (fyStart+1)%100, q), Start: start, End: start.AddDate(0, 3, 0)}
}

// ThemeTrend is one theme's count and average current score of live risks
// at the end of a quarter.
type ThemeTrend struct {
	Theme   string  `json:"theme"`
	Risks   int     `json:"risks"`
	Average float64 `json:"average_score"`
}

// QuarterTrend is one quarter of the themes-and-trends view.
type QuarterTrend struct {
	Quarter Quarter      `json:"quarter"`
	Themes  []ThemeTrend `json:"themes"`
	Raised  int          `json:"raised"`
	Closed  int          `json:"closed"`
	Live    int          `json:"live"`
}

// AboveAppetite is a live risk above its category's appetite and since
// when it has been continuously.
type AboveAppetite struct {
	ID        int64         `json:"id"`
	Reference string        `json:"reference"`
	Title     string        `json:"title"`
	Category  risk.Category `json:"category"`
	Score     int           `json:"score"`
	MaxScore  int           `json:"max_score"`
	Since     time.Time     `json:"since"`
	Days      int           `json:"days"`
}

// Trends is the themes-and-trends view.
type Trends struct {
	Quarters      []QuarterTrend  `json:"quarters"`
	AboveAppetite []AboveAppetite `json:"above_appetite"`
}

// RiskTrends gives, for the quarters from the one containing from to the
// one containing to, the count and average score by theme of the live
// risks at each quarter's end, risks raised and closed in it, and the live
// risks that have stayed above appetite longest. The figures are read from
// those kept (risk_trends.go); a quarter asked for the first time is
// computed and kept first.
func (db *DB) RiskTrends(ctx context.Context, p *access.Principal, from, to time.Time) (Trends, error) {
	out := Trends{Quarters: []QuarterTrend{}, AboveAppetite: []AboveAppetite{}}
	if !access.Allows(p, access.ReadRisks) {
		return out, nil
	}
	var unit *int64
	if p.Token != nil && p.Token.UnitID != nil {
		unit = p.Token.UnitID
	}
	quarters := quartersBetween(from, to)
	if len(quarters) > 0 {
		if err := db.ensureRiskQuarters(ctx, quarters); err != nil {
			return out, err
		}
		figures, err := db.keptTrendRows(ctx, quarters[0], quarters[len(quarters)-1], unit)
		if err != nil {
			return out, err
		}
		out.Quarters = quarterTrends(quarters, figures)
	}
	above, err := db.longestAboveAppetite(ctx, unit)
	out.AboveAppetite = above
	return out, err
}

// longestAboveAppetite lists the twenty live risks above appetite the
// longest, oldest first, from the date each keeps (risks_above_appetite).
func (db *DB) longestAboveAppetite(ctx context.Context, unit *int64) ([]AboveAppetite, error) {
	apps, err := db.RiskAppetites(ctx)
	if err != nil {
		return nil, err
	}
	maxFor := map[risk.Category]int{}
	for _, a := range apps {
		maxFor[a.Category] = a.MaxScore
	}
	var scope string
	var args []any
	if unit != nil {
		scope, args = " AND r.unit_id = ?", []any{*unit}
	}
	rows, err := db.query(ctx, `SELECT r.id, r.reference, r.title, r.category, r.current_score, r.above_appetite_since
		FROM risks r WHERE r.above_appetite_since IS NOT NULL`+scope+` ORDER BY r.above_appetite_since, r.id LIMIT 20`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := db.Now()
	out := []AboveAppetite{}
	for rows.Next() {
		var a AboveAppetite
		if err := rows.Scan(&a.ID, &a.Reference, &a.Title, &a.Category, &a.Score, &a.Since); err != nil {
			return nil, err
		}
		a.MaxScore, a.Since = maxFor[a.Category], a.Since.UTC()
		a.Days = int(now.Sub(a.Since).Hours() / 24)
		out = append(out, a)
	}
	return out, rows.Err()
}

// RiskThemes lists every theme in use, alphabetically, for filters.
func (db *DB) RiskThemes(ctx context.Context) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT theme FROM risk_themes ORDER BY theme`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RiskIDByReference finds a risk by its reference (or its id written as
// a number). Errors: NotFound.
func (db *DB) RiskIDByReference(ctx context.Context, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	var id int64
	err := db.queryRow(ctx, `SELECT id FROM risks WHERE reference IN (?, ?) OR CAST(id AS TEXT) = ? ORDER BY id LIMIT 1`, ref, strings.ToUpper(ref), ref).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, fault.Errorf(fault.NotFound, "There is no risk %s", ref)
	}
	return id, err
}

// CaseIDByReference finds a case the principal may see by its reference.
// Errors: NotFound.
func (db *DB) CaseIDByReference(ctx context.Context, p *access.Principal, ref string) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT id FROM cases WHERE reference = ?`, strings.TrimSpace(ref)).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, fault.Errorf(fault.NotFound, "There is no case %s", ref)
	} else if err != nil {
		return 0, err
	}
	if _, err := db.Case(ctx, p, id); err != nil {
		return 0, err
	}
	return id, nil
}
