package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
)

// Breakdowns of the casework measures by the location of the case, by
// court or by the team of the case's lawyer: the same counts as
// MeasureCounts, grouped. They read the records
// directly (a page of one measure asks for them, never the dashboard).

// BreakdownGroup is one location's, court's or team's counts.
type BreakdownGroup struct {
	Key, Label string
	Counts     measure.Counts
}

// Breakdown dimensions.
const (
	ByLocation = "location"
	ByCourt    = "court"
	// ByTeam groups by the team of the case's lawyer (a case with no
	// lawyer, or a lawyer in no team, is "No team recorded").
	ByTeam = "team"
)

// Dimensions are the breakdowns there are.
var Dimensions = []string{ByLocation, ByCourt, ByTeam}

// NoTeam is the key of the cases with no team.
const NoTeam = ""

// caseworkSources are the sources a breakdown counts.
var caseworkSources = []measure.Source{measure.FinalisedDefendants, measure.LiveCases, measure.PreChargeDecisions, measure.DueDirections, measure.ExpiredCTLs}

// IsCasework reports whether a source's records are casework, which
// carries a location and a court.
func IsCasework(s measure.Source) bool {
	for _, c := range caseworkSources {
		if c == s {
			return true
		}
	}
	return false
}

// MeasureBreakdown counts the casework measures' records of a period (and
// unit) by location or by court, over the records the principal may see:
// a group per location or court that has any. Errors: Invalid (an unknown
// dimension).
func (db *DB) MeasureBreakdown(ctx context.Context, p *access.Principal, period measure.Period, unit, by string) ([]BreakdownGroup, error) {
	if !slices.Contains(Dimensions, by) {
		return nil, fault.Errorf(fault.Invalid, "Break figures down by location, court or team, not %q", by)
	}
	groups := map[string]*measure.Counts{}
	group := func(key string) *measure.Counts {
		if groups[key] == nil {
			groups[key] = &measure.Counts{}
		}
		return groups[key]
	}
	for _, source := range caseworkSources {
		q := db.caseworkQuery(p, measure.RecordFilter{Source: source}, period, unit)
		key := breakdownKey(source, by)
		q.from += breakdownJoin(by)
		var selectList, groupBy string
		args := q.args
		switch source {
		case measure.FinalisedDefendants:
			selectList, groupBy = key+", u.code, d.court, d.outcome, COUNT(*)", key+", u.code, d.court, d.outcome"
		case measure.DueDirections:
			// The query's first argument is today, for its own select list.
			selectList = key + `, di.court, CASE WHEN di.completed_on IS NOT NULL AND di.completed_on <= di.due_on THEN 'on_time'
				WHEN di.completed_on IS NOT NULL THEN 'late' WHEN di.due_on < ? THEN 'outstanding' ELSE 'pending' END, COUNT(*)`
			groupBy = "1, 2, 3"
		default:
			selectList, groupBy = key+", COUNT(*)", key
		}
		rows, err := db.query(ctx, "SELECT "+selectList+" FROM "+q.from+" WHERE "+q.where+" GROUP BY "+groupBy, args...)
		if err != nil {
			return nil, fmt.Errorf("break down %s: %w", source, err)
		}
		for rows.Next() {
			var k string
			var n int
			switch source {
			case measure.FinalisedDefendants:
				var o measure.OutcomeCount
				var court, outcome string
				err = rows.Scan(&k, &o.Unit, &court, &outcome, &n)
				o.Court, o.Outcome, o.Count = casework.Court(court), casework.Outcome(outcome), n
				group(k).Outcomes = append(group(k).Outcomes, o)
			case measure.DueDirections:
				var court, state string
				err = rows.Scan(&k, &court, &state, &n)
				group(k).Directions = append(group(k).Directions, measure.DirectionCount{Court: casework.Court(court), State: measure.DirectionState(state), Count: n})
			default:
				err = rows.Scan(&k, &n)
				c := group(k)
				switch source {
				case measure.LiveCases:
					c.LiveCases = n
				case measure.PreChargeDecisions:
					c.PreCharge = n
				case measure.ExpiredCTLs:
					c.CTLFailures = n
				}
			}
			if err != nil {
				rows.Close()
				return nil, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if err := db.chargeDaysBy(ctx, p, period, unit, by, group); err != nil {
		return nil, err
	}
	return db.labelGroups(ctx, groups, by)
}

// breakdownJoin is what a breakdown's key needs joined to the records.
func breakdownJoin(by string) string {
	switch by {
	case ByLocation:
		return " JOIN locations l ON l.id = c.location_id"
	case ByTeam:
		return " LEFT JOIN people bl ON bl.id = c.lawyer_id"
	}
	return ""
}

// breakdownKey is the column a source's records are grouped by.
func breakdownKey(source measure.Source, by string) string {
	switch by {
	case ByLocation:
		return "l.code"
	case ByTeam:
		return "COALESCE(CAST(bl.team_id AS TEXT), '')"
	}
	switch source {
	case measure.FinalisedDefendants, measure.ExpiredCTLs:
		return "d.court"
	case measure.DueDirections:
		return "di.court"
	}
	return "c.court"
}

// chargeDaysBy adds the days from charge to finalisation to each group.
func (db *DB) chargeDaysBy(ctx context.Context, p *access.Principal, period measure.Period, unit, by string, group func(string) *measure.Counts) error {
	q := db.caseworkQuery(p, measure.RecordFilter{Source: measure.FinalisedDefendants, Kind: casework.Prosecution, Charged: true}, period, unit)
	q.from += breakdownJoin(by)
	rows, err := db.query(ctx, "SELECT "+breakdownKey(measure.FinalisedDefendants, by)+", d.court, d.finalised_on, c.pre_charge_decided_on FROM "+q.from+" WHERE "+q.where, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, court string
		var finalised, charged time.Time
		if err := rows.Scan(&key, &court, &finalised, &charged); err != nil {
			return err
		}
		days := int(dateOnly(finalised).Sub(dateOnly(charged)).Hours() / 24)
		c := group(key)
		c.ChargeDays = append(c.ChargeDays, measure.CourtDays{Court: casework.Court(court), Days: days})
	}
	return rows.Err()
}

// labelGroups names each group (a location or team by its name, a court
// in full) and orders them by name.
func (db *DB) labelGroups(ctx context.Context, groups map[string]*measure.Counts, by string) ([]BreakdownGroup, error) {
	names, err := db.GroupNames(ctx, by)
	if err != nil {
		return nil, err
	}
	out := make([]BreakdownGroup, 0, len(groups))
	for key, c := range groups {
		label := names[key]
		if label == "" {
			label = key
		}
		out = append(out, BreakdownGroup{Key: key, Label: label, Counts: *c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out, nil
}

// GroupNames names every group of a dimension by its key: each location
// by code, each court, each team by id (with its unit, since teams of
// different units share names), and the records with none.
func (db *DB) GroupNames(ctx context.Context, by string) (map[string]string, error) {
	switch by {
	case ByLocation:
		locations, err := db.Locations(ctx)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, l := range locations {
			names[l.Code] = l.Name
		}
		return names, nil
	case ByTeam:
		teams, err := db.Teams(ctx)
		if err != nil {
			return nil, err
		}
		units, err := db.Units(ctx)
		if err != nil {
			return nil, err
		}
		unitName := map[int64]string{}
		for _, u := range units {
			unitName[u.ID] = u.Name
		}
		names := map[string]string{NoTeam: "No team recorded"}
		for _, t := range teams {
			names[strconv.FormatInt(t.ID, 10)] = t.Name + " (" + unitName[t.UnitID] + ")"
		}
		return names, nil
	}
	return map[string]string{"MC": "Magistrates' courts", "CC": "Crown Court", "": "No court recorded"}, nil
}

// MeasureGroupRecords are the records behind a casework measure's figure
// for one location, court or team of a breakdown (by, and the group's key
// as MeasureBreakdown gives it: "" for no court or team), so a group's
// figure opens to the records it counts. Errors: NotFound, Invalid (a
// measure that is not counted from casework).
func (db *DB) MeasureGroupRecords(ctx context.Context, p *access.Principal, code string, period measure.Period, unit, by, group string) ([]measure.Record, error) {
	m, err := db.MeasureFor(ctx, p, code)
	if err != nil {
		return nil, err
	}
	if !IsCasework(m.Records.Source) || !slices.Contains(Dimensions, by) {
		return nil, fault.Errorf(fault.Invalid, "%s is not broken down by %s", m.Name, by)
	}
	q := db.caseworkQuery(p, m.Records, period, unit)
	q.from += breakdownJoin(by)
	q.where += " AND " + breakdownKey(m.Records.Source, by) + " = ?"
	q.args = append(q.args, group)
	return db.listRecords(ctx, m.Records.Source, q)
}
