package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/risk"
)

// RiskTrendsAfresh is the trends computed from the records alone, every
// quarter afresh, as they were before any were kept: the tests compare
// the kept figures with it.
// It computes, for the quarters from the one containing from to
// the one containing to, the count and average score by theme at each
// quarter's end, risks raised and closed in it, and the live risks that
// have stayed above appetite longest.
func (db *DB) RiskTrendsAfresh(ctx context.Context, p *access.Principal, from, to time.Time) (Trends, error) {
	out := Trends{Quarters: []QuarterTrend{}, AboveAppetite: []AboveAppetite{}}
	if !access.Allows(p, access.ReadRisks) {
		return out, nil
	}
	var scope string
	var scopeArgs []any
	if p.Token != nil && p.Token.UnitID != nil {
		scope, scopeArgs = " AND r.unit_id = ?", []any{*p.Token.UnitID}
	}
	for q := QuarterOf(from); !q.Start.After(to) && len(out.Quarters) < 40; q = QuarterOf(q.End) {
		qt := QuarterTrend{Quarter: q, Themes: []ThemeTrend{}}
		args := append([]any{q.End, q.End}, scopeArgs...)
		rows, err := db.query(ctx, `SELECT t.theme, COUNT(*), AVG(s.current_score) FROM risks r
			JOIN risk_scores s ON s.id = (SELECT s2.id FROM risk_scores s2 WHERE s2.risk_id = r.id AND s2.at < ? ORDER BY s2.at DESC, s2.id DESC LIMIT 1)
			JOIN risk_themes t ON t.risk_id = r.id
			WHERE r.created_at < ? AND s.status <> 'closed'`+scope+` GROUP BY t.theme ORDER BY COUNT(*) DESC, t.theme`, args...)
		if err != nil {
			return out, err
		}
		for rows.Next() {
			var tt ThemeTrend
			if err := rows.Scan(&tt.Theme, &tt.Risks, &tt.Average); err != nil {
				rows.Close()
				return out, err
			}
			qt.Themes = append(qt.Themes, tt)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
		}
		args = append([]any{q.Start, q.End, q.Start, q.End, q.End, q.End}, append(append(scopeArgs, scopeArgs...), scopeArgs...)...)
		// Three counts, one query: raised in the quarter, closed in it,
		// live at its end.
		err = db.queryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM risks r WHERE r.created_at >= ? AND r.created_at < ?`+scope+`),
			(SELECT COUNT(*) FROM risks r WHERE r.closed_on >= ? AND r.closed_on < ?`+scope+`),
			(SELECT COUNT(*) FROM risks r JOIN risk_scores s ON s.id = (SELECT s2.id FROM risk_scores s2 WHERE s2.risk_id = r.id AND s2.at < ? ORDER BY s2.at DESC, s2.id DESC LIMIT 1)
				WHERE r.created_at < ? AND s.status <> 'closed'`+scope+`)`, reorder(args, len(scopeArgs))...).Scan(&qt.Raised, &qt.Closed, &qt.Live)
		if err != nil {
			return out, err
		}
		out.Quarters = append(out.Quarters, qt)
	}
	above, err := db.longestAboveAppetiteAfresh(ctx, scope, scopeArgs)
	out.AboveAppetite = above
	return out, err
}

// reorder places each subquery's scope arguments after its own: the
// arguments come as the six dates then the three scopes.
func reorder(args []any, n int) []any {
	if n == 0 {
		return args
	}
	dates, scopes := args[:6], args[6:]
	var out []any
	for i := 0; i < 3; i++ {
		out = append(out, dates[2*i], dates[2*i+1])
		out = append(out, scopes[i*n:(i+1)*n]...)
	}
	return out
}

func (db *DB) longestAboveAppetiteAfresh(ctx context.Context, scope string, scopeArgs []any) ([]AboveAppetite, error) {
	apps, err := db.RiskAppetites(ctx)
	if err != nil {
		return nil, err
	}
	maxFor := map[risk.Category]int{}
	for _, a := range apps {
		maxFor[a.Category] = a.MaxScore
	}
	var conds []string
	var args []any
	for c, m := range maxFor {
		conds = append(conds, "(r.category = ? AND r.current_score > ?)")
		args = append(args, string(c), m)
	}
	sort.Strings(conds) // stable SQL text
	args = append(args, scopeArgs...)
	rows, err := db.query(ctx, `SELECT r.id, r.reference, r.title, r.category, r.current_score, s.at, s.current_score
		FROM risks r JOIN risk_scores s ON s.risk_id = r.id
		WHERE r.status <> 'closed' AND (`+strings.Join(conds, " OR ")+`)`+scope+` ORDER BY r.id, s.at DESC, s.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := db.Now()
	var out []AboveAppetite
	var cur *AboveAppetite
	broken := false
	for rows.Next() {
		var a AboveAppetite
		var at time.Time
		var score int
		if err := rows.Scan(&a.ID, &a.Reference, &a.Title, &a.Category, &a.Score, &at, &score); err != nil {
			return nil, err
		}
		if cur == nil || cur.ID != a.ID {
			a.MaxScore = maxFor[a.Category]
			out = append(out, a)
			cur, broken = &out[len(out)-1], false
		}
		// Walking back in time: the run above appetite ends at the first
		// point at or below it.
		if broken {
			continue
		}
		if score > cur.MaxScore {
			cur.Since = at.UTC()
		} else {
			broken = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Days = int(now.Sub(out[i].Since).Hours() / 24)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	if len(out) > 20 {
		out = out[:20]
	}
	return out, nil
}

// QueryRowForTest runs a one-row query written with ? placeholders.
func QueryRowForTest(ctx context.Context, db *DB, q string, args ...any) *sql.Row {
	return db.queryRow(ctx, q, args...)
}

// QuartersForTest lists the financial quarters from the one containing
// from to the one containing to.
func QuartersForTest(from, to time.Time) []Quarter { return quartersBetween(from, to) }

// RiskHeatMapAfresh counts the risks themselves, never the kept counts.
func (db *DB) RiskHeatMapAfresh(ctx context.Context, p *access.Principal, f RiskFilter, rating string) (HeatMap, error) {
	if rating == "" {
		rating = "current"
	}
	return db.riskHeatMap(ctx, p, f, rating, false)
}
