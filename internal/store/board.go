package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"caseboard/internal/plan"
)

// Board is the Board's view across every inspection: the open
// recommendations and aspects for improvement, the late actions, the
// target dates that slipped, closed actions whose evidence no longer
// holds, and the trend of closure by quarter.
type Board struct {
	Today   time.Time      `json:"today"`
	Totals  BoardTotals    `json:"totals"`
	Open    []BoardFinding `json:"open"`
	Late    []BoardAction  `json:"late_actions"`
	Slipped []BoardAction  `json:"slipped_actions"`
	Flagged []BoardAction  `json:"flagged_actions"`
	Trend   []TrendPoint   `json:"trend"`
}

// BoardTotals counts across every inspection.
type BoardTotals struct {
	Open                 int `json:"open"`
	ClosedImplemented    int `json:"closed_implemented"`
	ClosedNotImplemented int `json:"closed_not_implemented"`
	Actions              int `json:"actions"`
	ActionsDone          int `json:"actions_done"`
	LateActions          int `json:"late_actions"`
	SlippedActions       int `json:"slipped_actions"` // open actions whose target date moved later
}

// BoardFinding is an open finding with its plan's state.
type BoardFinding struct {
	plan.Finding
	Actions int      `json:"actions"`
	Done    int      `json:"actions_done"`
	Late    int      `json:"actions_late"`
	AtRisk  int      `json:"actions_at_risk"`
	Rating  plan.RAG `json:"rag"`
}

// BoardAction is an action with what it answers.
type BoardAction struct {
	plan.Action
	FindingKind     plan.Kind     `json:"finding_kind"`
	FindingNumber   int           `json:"finding_number"`
	InspectionID    int64         `json:"inspection_id"`
	InspectionTitle string        `json:"inspection_title"`
	LastReason      string        `json:"last_reason,omitempty"` // of the latest target-date change
	SlipDays        int           `json:"slip_days"`
	Flags           []plan.Result `json:"flags,omitempty"`
}

// FindingName is how the report names what the action answers.
func (b BoardAction) FindingName() string {
	return plan.Finding{Kind: b.FindingKind, Number: b.FindingNumber}.Name()
}

// TrendPoint is one financial quarter of the closure trend.
type TrendPoint struct {
	Quarter   string `json:"quarter"` // e.g. 2019-20 Q1
	Opened    int    `json:"opened"`  // published in the quarter
	Closed    int    `json:"closed"`  // closed in the quarter
	OpenAtEnd int    `json:"open_at_end"`
}

// boardListLimit bounds each list of actions on the Board view.
const boardListLimit = 200

// Board computes the Board view as of today.
func (db *DB) Board(ctx context.Context, today time.Time) (Board, error) {
	today = dateOnly(today)
	b := Board{Today: today, Open: []BoardFinding{}, Late: []BoardAction{}, Slipped: []BoardAction{}, Flagged: []BoardAction{}}
	err := db.queryRow(ctx, `SELECT
			COUNT(CASE WHEN status = 'open' THEN 1 END),
			COUNT(CASE WHEN status = 'closed_implemented' THEN 1 END),
			COUNT(CASE WHEN status = 'closed_not_implemented' THEN 1 END)
		FROM findings`).Scan(&b.Totals.Open, &b.Totals.ClosedImplemented, &b.Totals.ClosedNotImplemented)
	if err != nil {
		return b, db.unavailable("board totals", err)
	}
	open, err := db.openActions(ctx, today)
	if err != nil {
		return b, err
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM plan_actions`).Scan(&b.Totals.Actions); err != nil {
		return b, db.unavailable("board totals", err)
	}
	b.Totals.ActionsDone, b.Totals.LateActions, b.Totals.SlippedActions = b.Totals.Actions-open.open, len(open.late), len(open.slipped)
	open.late, open.slipped = firstIDs(open.late), firstIDs(open.slipped)

	// Each open finding's actions are counted from the index on finding;
	// how many are open, late or at risk comes from the open actions read
	// above.
	err = db.each(ctx, `SELECT `+findingColumns+`, COALESCE(s.n, 0)`+findingFrom+`
		LEFT JOIN (SELECT finding_id, COUNT(*) AS n FROM plan_actions
			WHERE finding_id IN (SELECT id FROM findings WHERE status = 'open') GROUP BY finding_id) s ON s.finding_id = f.id
		WHERE f.status = 'open' ORDER BY i.published_on, i.id, CASE f.kind WHEN 'recommendation' THEN 1 ELSE 2 END, f.number`,
		nil, func(r *sql.Rows) error {
			var bf BoardFinding
			var f plan.Finding
			var kind, status, decision, responseText string
			var owner, closedBy sql.NullInt64
			var responseOn *time.Time
			if err := r.Scan(&f.ID, &f.InspectionID, &kind, &f.Number, &f.Text, &f.Paragraph, &status, &owner, &decision, &responseText, &responseOn,
				&f.ClosedOn, &closedBy, &f.ClosureNote, &f.CreatedAt, &f.UpdatedAt, &f.OwnerName, &f.ClosedByName, &f.InspectionTitle, &f.InspectionBody, &f.PublishedOn,
				&bf.Actions); err != nil {
				return err
			}
			tally := open.byFinding[f.ID]
			bf.Done, bf.Late, bf.AtRisk = bf.Actions-tally.open, tally.late, tally.atRisk
			f.Kind, f.Status, f.OwnerID, f.PublishedOn = plan.Kind(kind), plan.Status(status), nullableID(owner), f.PublishedOn.UTC()
			if decision != "" {
				f.Response = &plan.Response{Decision: plan.Decision(decision), Text: responseText}
				if responseOn != nil {
					f.Response.On = responseOn.UTC()
				}
			}
			bf.Finding = f
			switch {
			case bf.Late > 0:
				bf.Rating = plan.Red
			case bf.AtRisk > 0 || bf.Actions == bf.Done:
				// At risk, or no action left to close it: amber.
				bf.Rating = plan.Amber
			default:
				bf.Rating = plan.Green
			}
			b.Open = append(b.Open, bf)
			return nil
		})
	if err != nil {
		return b, err
	}

	boardActions := func(where string, args ...any) ([]BoardAction, error) {
		out := []BoardAction{}
		err := db.each(ctx, `SELECT `+actionColumns+`, f.kind, f.number, i.id, i.title,
				COALESCE((SELECT tc.reason FROM plan_target_changes tc WHERE tc.action_id = a.id ORDER BY tc.id DESC LIMIT 1), '')`+actionFrom+`
			JOIN findings f ON f.id = a.finding_id JOIN inspections i ON i.id = f.inspection_id WHERE `+where+
			fmt.Sprintf(" LIMIT %d", boardListLimit), args, func(r *sql.Rows) error {
			var ba BoardAction
			var a plan.Action
			var status, kind string
			var closedBy sql.NullInt64
			if err := r.Scan(&a.ID, &a.FindingID, &a.Title, &a.Detail, &a.OwnerID, &a.DueOn, &a.OriginalDueOn, &status, &a.ClosedOn, &closedBy,
				&a.ClosureNote, &a.CreatedAt, &a.UpdatedAt, &a.OwnerName, &a.OwnerEmail, &a.ClosedByName, &a.TargetChanges,
				&kind, &ba.FindingNumber, &ba.InspectionID, &ba.InspectionTitle, &ba.LastReason); err != nil {
				return err
			}
			a.Status, a.ClosedByID = plan.ActionStatus(status), nullableID(closedBy)
			a.DueOn, a.OriginalDueOn, a.ClosedOn = a.DueOn.UTC(), a.OriginalDueOn.UTC(), utcPtr(a.ClosedOn)
			a.Compute(today)
			ba.Action, ba.FindingKind, ba.SlipDays = a, plan.Kind(kind), a.SlipDays()
			out = append(out, ba)
			return nil
		})
		return out, err
	}
	byID := func(ids []int64) ([]BoardAction, error) {
		if len(ids) == 0 {
			return []BoardAction{}, nil
		}
		return boardActions(`a.id IN (`+placeholders(len(ids))+`) ORDER BY a.due_on, a.id`, idArgs(ids)...)
	}
	if b.Late, err = byID(open.late); err != nil {
		return b, err
	}
	if b.Slipped, err = byID(open.slipped); err != nil {
		return b, err
	}
	latest, err := db.latestResults(ctx)
	if err != nil {
		return b, err
	}
	var failing []any
	for code, r := range latest {
		if r.Outcome != plan.Pass {
			failing = append(failing, code)
		}
	}
	if len(failing) > 0 {
		flagged, err := boardActions(`a.id IN (SELECT pa.id FROM plan_actions pa WHERE pa.status = 'done' AND pa.id IN
			(SELECT action_id FROM plan_evidence WHERE kind = 'check' AND ref IN (`+placeholders(len(failing))+`))
			ORDER BY pa.closed_on DESC, pa.id LIMIT `+fmt.Sprint(boardListLimit)+`) ORDER BY a.closed_on DESC, a.id`, failing...)
		if err != nil {
			return b, err
		}
		if err := db.attachFlags(ctx, flagged, latest); err != nil {
			return b, err
		}
		b.Flagged = flagged
	}
	b.Trend, err = db.closureTrend(ctx, today)
	return b, err
}

// attachFlags adds to each action the failing results of the checks it
// cites, in one query for them all.
func (db *DB) attachFlags(ctx context.Context, actions []BoardAction, latest map[string]plan.Result) error {
	if len(actions) == 0 {
		return nil
	}
	index := map[int64]int{}
	ids := make([]int64, len(actions))
	for i, a := range actions {
		index[a.ID], ids[i] = i, a.ID
	}
	return db.each(ctx, `SELECT action_id, ref FROM plan_evidence WHERE kind = 'check' AND action_id IN (`+placeholders(len(ids))+`) ORDER BY action_id, id`,
		idArgs(ids), func(r *sql.Rows) error {
			var id int64
			var code string
			if err := r.Scan(&id, &code); err != nil {
				return err
			}
			if res, ok := latest[code]; ok && res.Outcome != plan.Pass {
				actions[index[id]].Flags = append(actions[index[id]].Flags, res)
			}
			return nil
		})
}

// openTally counts the open actions of one finding.
type openTally struct{ open, late, atRisk int }

// boardOpenActions is what the Board view needs of the actions not yet
// done: how many, the ids of the late and of the re-dated in order of
// target date, and the tally by finding.
type boardOpenActions struct {
	open          int
	late, slipped []int64
	byFinding     map[int64]openTally
}

// openActions reads every action not yet done once, from the partial
// index of them (migration 0022), in order of target date, and tallies them: most actions of a
// division with years of inspections behind it are done, and those are
// only counted. The database compares the dates, so that none is parsed
// here.
func (db *DB) openActions(ctx context.Context, today time.Time) (boardOpenActions, error) {
	out := boardOpenActions{byFinding: map[int64]openTally{}}
	err := db.each(ctx, `SELECT id, finding_id, status,
			CASE WHEN due_on < ? THEN 1 ELSE 0 END, CASE WHEN due_on > original_due_on THEN 1 ELSE 0 END
		FROM plan_actions WHERE status <> 'done' ORDER BY due_on, id`, []any{today},
		func(r *sql.Rows) error {
			var id, finding int64
			var status string
			var late, slipped int
			if err := r.Scan(&id, &finding, &status, &late, &slipped); err != nil {
				return err
			}
			out.open++
			t := out.byFinding[finding]
			t.open++
			switch {
			case late == 1:
				t.late++
				out.late = append(out.late, id)
			case status == string(plan.AtRisk):
				t.atRisk++
			}
			if slipped == 1 {
				out.slipped = append(out.slipped, id)
			}
			out.byFinding[finding] = t
			return nil
		})
	return out, err
}

// firstIDs is at most the first boardListLimit of ids.
func firstIDs(ids []int64) []int64 { return ids[:min(len(ids), boardListLimit)] }

// FinancialQuarter names the financial quarter of a day: 1 April to 30
// June 2019 is "2019-20 Q1".
func FinancialQuarter(t time.Time) string {
	y, q := fiscal(t)
	return fmt.Sprintf("%d-%02d Q%d", y, (y+1)%100, q)
}

func fiscal(t time.Time) (year, quarter int) {
	y, m := t.Year(), int(t.Month())
	if m < 4 {
		return y - 1, 4 // January to March
	}
	return y, (m-4)/3 + 1
}

// quarterStart is the first day of the financial quarter n quarters after
// the one t falls in.
func quarterStart(t time.Time, n int) time.Time {
	y, q := fiscal(t)
	first := time.Date(y, time.April, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 3*(q-1+n), 0)
}

// Bounds of the closure trend, in quarters.
const (
	minTrendQuarters = 4
	maxTrendQuarters = 40
)

// closureTrend counts, for each financial quarter from the first report's
// (at least the last four, at most the last forty) up to today's, the
// findings published, closed, and open at its end. The database counts
// them by day; a finding cannot close before its report is published, so
// those open at a quarter's end are those published before it less those
// closed before it.
func (db *DB) closureTrend(ctx context.Context, today time.Time) ([]TrendPoint, error) {
	type day struct {
		on time.Time
		n  int
	}
	byDay := func(query string) ([]day, error) {
		var out []day
		err := db.each(ctx, query, nil, func(r *sql.Rows) error {
			var d day
			if err := r.Scan(&d.on, &d.n); err != nil {
				return err
			}
			d.on = d.on.UTC()
			out = append(out, d)
			return nil
		})
		return out, err
	}
	published, err := byDay(`SELECT i.published_on, COUNT(*) FROM findings f JOIN inspections i ON i.id = f.inspection_id
		WHERE f.kind IN ('recommendation', 'aspect_for_improvement') GROUP BY i.published_on ORDER BY i.published_on`)
	if err != nil {
		return nil, err
	}
	closed, err := byDay(`SELECT closed_on, COUNT(*) FROM findings
		WHERE kind IN ('recommendation', 'aspect_for_improvement') AND closed_on IS NOT NULL GROUP BY closed_on ORDER BY closed_on`)
	if err != nil {
		return nil, err
	}
	quarters := minTrendQuarters
	if len(published) > 0 {
		for quarters < maxTrendQuarters && quarterStart(today, -(quarters-1)).After(published[0].on) {
			quarters++
		}
	}
	// count sums the days in [start, end) and before end.
	count := func(days []day, start, end time.Time) (in, before int) {
		for _, d := range days {
			if d.on.Before(end) {
				before += d.n
				if !d.on.Before(start) {
					in += d.n
				}
			}
		}
		return in, before
	}
	out := make([]TrendPoint, 0, quarters)
	for n := -(quarters - 1); n <= 0; n++ {
		start, end := quarterStart(today, n), quarterStart(today, n+1)
		p := TrendPoint{Quarter: FinancialQuarter(start)}
		opened, publishedBefore := count(published, start, end)
		closedIn, closedBefore := count(closed, start, end)
		p.Opened, p.Closed, p.OpenAtEnd = opened, closedIn, publishedBefore-closedBefore
		out = append(out, p)
	}
	return out, nil
}
