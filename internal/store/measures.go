package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/quality"
)

// closedStatuses are the case statuses that end a case (see
// casework.Closed).
const closedStatuses = "'finalised', 'completed', 'closed'"

// MeasureCounts counts, for a period and optionally one unit (by code),
// what every measure of the catalogue is computed from, over the records
// the principal may see. Sources the principal may not read at all are
// withheld rather than counted as zero.
func (db *DB) MeasureCounts(ctx context.Context, p *access.Principal, period measure.Period, unit string) (measure.Counts, error) {
	var c measure.Counts
	var err error
	if c.Outcomes, err = db.CountOutcomes(ctx, p, OutcomeFilter{Unit: unit, From: period.Start, To: period.End}); err != nil {
		return c, err
	}
	if c.Directions, err = db.CountDirections(ctx, p, DirectionFilter{Unit: unit, From: period.Start, To: period.End}); err != nil {
		return c, err
	}
	if c.LiveCases, err = db.countRecords(ctx, p, measure.LiveCases, period, unit); err != nil {
		return c, err
	}
	if c.PreCharge, err = db.countRecords(ctx, p, measure.PreChargeDecisions, period, unit); err != nil {
		return c, err
	}
	if c.CTLFailures, err = db.countRecords(ctx, p, measure.ExpiredCTLs, period, unit); err != nil {
		return c, err
	}
	if c.ChargeDays, err = db.chargeDays(ctx, p, period, unit); err != nil {
		return c, err
	}
	if !access.Allows(p, access.ReadOrganisation) {
		c.Withheld = append(c.Withheld, measure.People, measure.PostReturns, measure.UnitReturns, measure.HelpRequests)
	} else {
		if err := db.countHelp(ctx, p, period, unit, &c); err != nil {
			return c, err
		}
		if c.UnitReturns, err = db.unitReturnsIn(ctx, period, unit); err != nil {
			return c, err
		}
		if c.Staff, err = db.countStaff(ctx, unit); err != nil {
			return c, err
		}
		if c.Interactions, err = db.countRecords(ctx, p, measure.PostReturns, period, unit); err != nil {
			return c, err
		}
	}
	if !access.Allows(p, access.ReadQualityFigures) {
		c.Withheld = append(c.Withheld, measure.IQAObligations, measure.ComplianceCases)
	} else {
		if err := db.countCompliance(ctx, p, period, unit, &c); err != nil {
			return c, err
		}
		obligations, err := db.unitObligations(ctx, period, unit)
		if err != nil {
			return c, err
		}
		for _, done := range quality.Summarise(obligations, db.today(), func(quality.Obligation) (string, string) { return "", "" }) {
			c.IQADue, c.IQAMet = done.Due, done.Met
		}
	}
	return c, nil
}

func (db *DB) today() time.Time { return deadline.Today(db.Now()).Time(time.UTC) }

// includesToday reports whether the period is the one today falls in:
// figures of the register as it stands belong to that period only.
func (db *DB) includesToday(period measure.Period) bool {
	t := db.today()
	return !t.Before(dateOnly(period.Start)) && !t.After(dateOnly(period.End))
}

// countCompliance counts the cases meeting the case progression rules
// today, for the period that includes today.
func (db *DB) countCompliance(ctx context.Context, p *access.Principal, period measure.Period, unit string, c *measure.Counts) error {
	if !db.includesToday(period) {
		return nil
	}
	unitID, err := db.optionalUnitID(ctx, unit)
	if err != nil {
		return err
	}
	c.ComplianceChecked, c.ComplianceMet, err = db.ComplianceStanding(ctx, p, unitID, nil)
	return err
}

// complianceRecords lists the cases failing a case progression rule
// today, with the rules they fail.
func (db *DB) complianceRecords(ctx context.Context, p *access.Principal, period measure.Period, unit string) ([]measure.Record, error) {
	if !db.includesToday(period) {
		return nil, nil
	}
	unitID, err := db.optionalUnitID(ctx, unit)
	if err != nil {
		return nil, err
	}
	codes, err := db.unitCodes(ctx)
	if err != nil {
		return nil, err
	}
	var out []measure.Record
	_, _, err = db.ComplianceStanding(ctx, p, unitID, func(f *quality.CaseFacts, breaches []quality.Breach) {
		rules := make([]string, len(breaches))
		for i, b := range breaches {
			rules[i] = b.Rule
		}
		id := f.CaseID
		out = append(out, measure.Record{Source: measure.ComplianceCases, ID: id, CaseID: &id, Reference: f.Reference,
			Unit: codes[f.UnitID], Detail: strings.Join(rules, ", ")})
	})
	return out, err
}

// optionalUnitID is the id of the unit with the code, or nil for none.
func (db *DB) optionalUnitID(ctx context.Context, code string) (*int64, error) {
	if code == "" {
		return nil, nil
	}
	u, err := db.unitByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return &u.ID, nil
}

// recordQuery is the FROM and WHERE of a casework source's records for a
// period, with what each row selects.
type recordQuery struct {
	selectList, from, where string
	args                    []any
}

// caseworkQuery states a casework source in SQL: the records of visible
// cases that the measure's filter and the period keep.
func (db *DB) caseworkQuery(p *access.Principal, f measure.RecordFilter, period measure.Period, unit string) recordQuery {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	q := recordQuery{where: visible, args: args}
	start, end := dateOnly(period.Start), dateOnly(period.End)
	switch f.Source {
	case measure.LiveCases:
		q.selectList = "c.id, c.id, c.reference, u.code, c.opened_on, c.status"
		q.from = "cases c"
		q.where += ` AND c.opened_on <= ? AND (c.status NOT IN (` + closedStatuses + `) OR EXISTS (SELECT 1 FROM defendants d
			WHERE d.case_id = c.id AND (d.finalised_on IS NULL OR d.finalised_on > ?)))`
		q.args = append(q.args, end, end)
	case measure.PreChargeDecisions:
		q.selectList = "c.id, c.id, c.reference, u.code, c.pre_charge_decided_on, c.pre_charge_decision"
		q.from = "cases c"
		q.where += " AND c.pre_charge_decision <> '' AND c.pre_charge_decided_on >= ? AND c.pre_charge_decided_on <= ?"
		q.args = append(q.args, start, end)
	case measure.FinalisedDefendants:
		q.selectList = "d.id, c.id, c.reference, u.code, d.finalised_on, d.ref || ' ' || d.court || ' ' || d.outcome"
		q.from = "defendants d JOIN cases c ON c.id = d.case_id"
		q.where += " AND d.outcome <> '' AND d.finalised_on >= ? AND d.finalised_on <= ?"
		q.args = append(q.args, start, end)
		if f.Court != "" {
			q.where += " AND d.court = ?"
			q.args = append(q.args, string(f.Court))
		}
		if f.Charged {
			q.where += " AND c.pre_charge_decision = 'charge' AND c.pre_charge_decided_on IS NOT NULL"
		}
		if len(f.Outcomes) > 0 {
			q.where += " AND d.outcome IN (" + placeholders(len(f.Outcomes)) + ")"
			for _, o := range f.Outcomes {
				q.args = append(q.args, string(o))
			}
		}
	case measure.DueDirections:
		today := db.today()
		q.selectList = `di.id, c.id, c.reference, u.code, di.due_on, di.court || ' ' || CASE
			WHEN di.completed_on IS NOT NULL AND di.completed_on <= di.due_on THEN 'on_time'
			WHEN di.completed_on IS NOT NULL THEN 'late'
			WHEN di.due_on < ? THEN 'outstanding' ELSE 'pending' END`
		q.from = "directions di JOIN cases c ON c.id = di.case_id"
		q.args = append([]any{today}, q.args...)
		q.where += " AND di.due_on >= ? AND di.due_on <= ? AND (di.completed_on IS NOT NULL OR di.due_on < ?)"
		q.args = append(q.args, start, end, today)
		if f.Court != "" {
			q.where += " AND di.court = ?"
			q.args = append(q.args, string(f.Court))
		}
	case measure.ExpiredCTLs:
		q.selectList = "ch.id, c.id, c.reference, u.code, ch.ctl_expiry, d.ref || ' ' || ch.description"
		q.from = "charges ch JOIN defendants d ON d.id = ch.defendant_id JOIN cases c ON c.id = d.case_id"
		q.where += " AND ch.ctl_running AND d.outcome = '' AND ch.ctl_expiry >= ? AND ch.ctl_expiry <= ? AND ch.ctl_expiry < ?"
		q.args = append(q.args, start, end, db.today())
	}
	q.from += " JOIN units u ON u.id = c.unit_id"
	if f.Kind != "" {
		q.where += " AND c.kind = ?"
		q.args = append(q.args, string(kindOfCases(f.Kind)))
	}
	if unit != "" {
		q.where += " AND u.code = ?"
		q.args = append(q.args, unit)
	}
	return q
}

// kindOfCases is the cases.kind value of a casework kind.
func kindOfCases(k casework.Kind) string {
	if k == casework.Prosecution {
		return "organised_crime"
	}
	return string(k)
}

// postReturnsQuery is the validated returns of months in the period; posts
// belong to the international unit.
func postReturnsQuery(period measure.Period, unit string) recordQuery {
	q := recordQuery{
		selectList: "r.id, NULL, l.name || ' ' || r.month, 'international', NULL, r.casework_interactions",
		from:       "post_returns r JOIN locations l ON l.id = r.location_id",
		where:      "r.status = 'validated' AND r.month >= ? AND r.month <= ?",
		args:       []any{period.Start.Format("2006-01"), period.End.Format("2006-01")},
	}
	if unit != "" && unit != "international" {
		q.where += " AND 1 = 0"
	}
	return q
}

// countRecords counts a source's records (for post returns, sums their
// interactions).
func (db *DB) countRecords(ctx context.Context, p *access.Principal, source measure.Source, period measure.Period, unit string) (int, error) {
	what, q := "COUNT(*)", db.caseworkQuery(p, measure.RecordFilter{Source: source}, period, unit)
	if source == measure.PostReturns {
		what, q = "COALESCE(SUM(r.casework_interactions), 0)", postReturnsQuery(period, unit)
	}
	var n int
	err := db.queryRow(ctx, "SELECT "+what+" FROM "+q.from+" WHERE "+q.where, q.args...).Scan(&n)
	return n, err
}

// countStaff counts active staff by unit and grade.
func (db *DB) countStaff(ctx context.Context, unit string) ([]measure.StaffCount, error) {
	where, args := "p.active AND p.partner_id IS NULL", []any{}
	if unit != "" {
		where += " AND u.code = ?"
		args = append(args, unit)
	}
	rows, err := db.query(ctx, `SELECT u.code, p.grade, COUNT(*) FROM people p JOIN units u ON u.id = p.unit_id
		WHERE `+where+` GROUP BY u.code, p.grade ORDER BY u.code, p.grade`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []measure.StaffCount
	for rows.Next() {
		var s measure.StaffCount
		if err := rows.Scan(&s.Unit, &s.Grade, &s.Count); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// unitObligations is the IQA obligations that fall due in the period,
// of one unit if one is given.
func (db *DB) unitObligations(ctx context.Context, period measure.Period, unit string) ([]quality.Obligation, error) {
	all, err := db.QualityObligations(ctx, period.Start, period.End)
	if err != nil || unit == "" {
		return all, err
	}
	var unitID int64
	if err := db.queryRow(ctx, "SELECT id FROM units WHERE code = ?", unit).Scan(&unitID); err != nil {
		if err == sql.ErrNoRows {
			return nil, nil
		}
		return nil, err
	}
	return slices.DeleteFunc(all, func(o quality.Obligation) bool { return o.UnitID != unitID }), nil
}

// MeasureRecords lists the records behind a measure's figure for a period
// (and unit): what the figure counts, so every figure opens to them. A
// reader sees only the records they may see, which are exactly the ones
// their figure counted.
func (db *DB) MeasureRecords(ctx context.Context, p *access.Principal, code string, period measure.Period, unit string) ([]measure.Record, error) {
	m, err := db.MeasureFor(ctx, p, code)
	if err != nil {
		return nil, err
	}
	switch m.Records.Source {
	case measure.People:
		if !access.Allows(p, access.ReadOrganisation) {
			return nil, fault.Errorf(fault.Forbidden, "You may not see the division's people")
		}
		return db.staffRecords(ctx, unit)
	case measure.IQAObligations:
		if !access.Allows(p, access.ReadQualityFigures) {
			return nil, fault.Errorf(fault.Forbidden, "You may not see IQA figures")
		}
		return db.iqaRecords(ctx, period, unit)
	case measure.ComplianceCases:
		if !access.Allows(p, access.ReadQualityFigures) {
			return nil, fault.Errorf(fault.Forbidden, "You may not see compliance figures")
		}
		return db.complianceRecords(ctx, p, period, unit)
	case measure.PostReturns:
		if !access.Allows(p, access.ReadOrganisation) {
			return nil, fault.Errorf(fault.Forbidden, "You may not see the posts' returns")
		}
		return db.listRecords(ctx, m.Records.Source, postReturnsQuery(period, unit))
	case measure.UnitReturns:
		if !access.Allows(p, access.ReadOrganisation) {
			return nil, fault.Errorf(fault.Forbidden, "You may not see the units' returns")
		}
		return db.unitReturnRecords(ctx, period, unit)
	case measure.HelpRequests:
		if !access.Allows(p, access.ReadOrganisation) {
			return nil, fault.Errorf(fault.Forbidden, "You may not see the help requests' figures")
		}
		return db.helpRecords(ctx, p, period, unit)
	}
	q := db.caseworkQuery(p, m.Records, period, unit)
	return db.listRecords(ctx, m.Records.Source, q)
}

// listRecords runs a record query; its select list is id, case id,
// reference, unit code, date and detail.
func (db *DB) listRecords(ctx context.Context, source measure.Source, q recordQuery) ([]measure.Record, error) {
	rows, err := db.query(ctx, "SELECT "+q.selectList+" FROM "+q.from+" WHERE "+q.where+" ORDER BY 5, 3, 1", q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []measure.Record
	for rows.Next() {
		r := measure.Record{Source: source}
		var caseID sql.NullInt64
		var date sql.NullTime
		var detail any
		if err := rows.Scan(&r.ID, &caseID, &r.Reference, &r.Unit, &date, &detail); err != nil {
			return nil, err
		}
		r.CaseID = nullableID(caseID)
		if date.Valid {
			d := date.Time.UTC()
			r.Date = &d
		}
		r.Detail = fmt.Sprint(textOf(detail))
		out = append(out, r)
	}
	return out, rows.Err()
}

// textOf turns a scanned column into text: drivers return TEXT as []byte
// or string and integers as int64.
func textOf(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

func (db *DB) staffRecords(ctx context.Context, unit string) ([]measure.Record, error) {
	where, args := "p.active AND p.partner_id IS NULL", []any{}
	if unit != "" {
		where += " AND u.code = ?"
		args = append(args, unit)
	}
	rows, err := db.query(ctx, `SELECT p.id, p.name, u.code, p.grade FROM people p JOIN units u ON u.id = p.unit_id
		WHERE `+where+` ORDER BY u.code, p.grade, p.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []measure.Record
	for rows.Next() {
		r := measure.Record{Source: measure.People}
		if err := rows.Scan(&r.ID, &r.Reference, &r.Unit, &r.Detail); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// unitCodes is each unit's code by its id, for records that name their unit.
func (db *DB) unitCodes(ctx context.Context) (map[int64]string, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	codes := make(map[int64]string, len(units))
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	return codes, nil
}

// iqaRecords lists the obligations that fell due in the period, by
// activity and unit but without names: the figure, not who fell short.
func (db *DB) iqaRecords(ctx context.Context, period measure.Period, unit string) ([]measure.Record, error) {
	obligations, err := db.unitObligations(ctx, period, unit)
	if err != nil {
		return nil, err
	}
	codes, err := db.unitCodes(ctx)
	if err != nil {
		return nil, err
	}
	today := db.today()
	var out []measure.Record
	for i, o := range obligations {
		if !today.After(o.Due) {
			continue // not yet fallen due: not in the figure
		}
		due := o.Due
		out = append(out, measure.Record{Source: measure.IQAObligations, ID: int64(i + 1), Reference: string(o.Activity),
			Unit: codes[o.UnitID], Date: &due, Detail: fmt.Sprintf("%d of %d done", o.Done, o.Required)})
	}
	return out, nil
}
