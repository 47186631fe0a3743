package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/knowledge"
	"caseboard/internal/measure"
)

// chargeDays is, for each visible defendant finalised in the period whose
// case has a charging decision date, the days from that decision to the
// finalisation.
func (db *DB) chargeDays(ctx context.Context, p *access.Principal, period measure.Period, unit string) ([]measure.CourtDays, error) {
	q := db.caseworkQuery(p, measure.RecordFilter{Source: measure.FinalisedDefendants, Kind: casework.Prosecution, Charged: true}, period, unit)
	rows, err := db.query(ctx, "SELECT d.court, d.finalised_on, c.pre_charge_decided_on FROM "+q.from+" WHERE "+q.where, q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []measure.CourtDays
	for rows.Next() {
		var court string
		var finalised, charged time.Time
		if err := rows.Scan(&court, &finalised, &charged); err != nil {
			return nil, err
		}
		days := int(math.Round(dateOnly(finalised).Sub(dateOnly(charged)).Hours() / 24))
		out = append(out, measure.CourtDays{Court: casework.Court(court), Days: days})
	}
	return out, rows.Err()
}

// helpInPeriod is the help requests the principal may see that were asked
// in the period, by someone of the unit if one is given, with each
// asker's unit code.
func (db *DB) helpInPeriod(ctx context.Context, p *access.Principal, period measure.Period, unit string) ([]knowledge.HelpRequest, map[int64]string, error) {
	all, err := db.HelpRequests(ctx, p, HelpFilter{})
	if err != nil {
		return nil, nil, err
	}
	units := map[int64]string{}
	rows, err := db.query(ctx, `SELECT p.id, u.code FROM people p JOIN units u ON u.id = p.unit_id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, nil, err
		}
		units[id] = code
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	end := period.End.AddDate(0, 0, 1)
	var in []knowledge.HelpRequest
	for _, r := range all {
		asked := r.CreatedAt.UTC()
		if asked.Before(period.Start) || !asked.Before(end) || (unit != "" && units[r.AskerID] != unit) {
			continue
		}
		in = append(in, r)
	}
	return in, units, nil
}

// countHelp counts the help requests asked in the period with the help
// queues' own summary (knowledge.ResponseTimes), taken over all the
// queues at once.
func (db *DB) countHelp(ctx context.Context, p *access.Principal, period measure.Period, unit string, c *measure.Counts) error {
	requests, _, err := db.helpInPeriod(ctx, p, period, unit)
	if err != nil {
		return err
	}
	for i := range requests {
		requests[i].Specialism = "" // one queue: the division's
	}
	for _, rt := range knowledge.ResponseTimes(requests) {
		c.HelpAnswered, c.HelpMedianHours = rt.Answered, rt.MedianHours
		if rt.Within1Day != nil {
			c.HelpWithinDay = int(math.Round(*rt.Within1Day * float64(rt.Answered)))
		}
	}
	return nil
}

// helpRecords lists the help requests behind the figures.
func (db *DB) helpRecords(ctx context.Context, p *access.Principal, period measure.Period, unit string) ([]measure.Record, error) {
	requests, units, err := db.helpInPeriod(ctx, p, period, unit)
	if err != nil {
		return nil, err
	}
	out := make([]measure.Record, 0, len(requests))
	for i := len(requests) - 1; i >= 0; i-- { // oldest first
		r := requests[i]
		asked := r.CreatedAt.UTC()
		detail := "not yet answered"
		if r.AnsweredAt != nil {
			detail = fmt.Sprintf("answered in %.1f hours", r.AnsweredAt.Sub(r.CreatedAt).Hours())
		}
		out = append(out, measure.Record{Source: measure.HelpRequests, ID: r.ID, Reference: r.Topic, Unit: units[r.AskerID], Date: &asked,
			Detail: r.Specialism + ": " + detail})
	}
	return out, nil
}
