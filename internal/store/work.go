package store

import (
	"context"
	"strconv"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
)

// Deadline is one running time limit in a work list.
type Deadline struct {
	CaseID     int64     `json:"case_id"`
	Reference  string    `json:"reference"`
	Title      string    `json:"title"`
	LawyerID   int64     `json:"lawyer_id"`
	LawyerName string    `json:"lawyer_name"`
	Defendant  string    `json:"defendant"`
	Charge     string    `json:"charge"`
	Due        time.Time `json:"due"`
	Kind       string    `json:"kind"` // "custody_time_limit"
}

// Deadlines lists the running custody time limits of the cases whose
// lawyer is one of people, soonest first, among the cases the principal
// may see.
func (db *DB) Deadlines(ctx context.Context, p *access.Principal, people []int64, limit int) ([]Deadline, error) {
	if len(people) == 0 {
		return nil, nil
	}
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	for _, id := range people {
		args = append(args, id)
	}
	rows, err := db.query(ctx, `SELECT c.id, c.reference, c.title, c.lawyer_id, COALESCE(pe.name, ''), d.ref, ch.description, ch.ctl_expiry
		FROM charges ch JOIN defendants d ON d.id = ch.defendant_id JOIN cases c ON c.id = d.case_id
		LEFT JOIN people pe ON pe.id = c.lawyer_id
		WHERE ch.ctl_running AND `+visible+` AND c.lawyer_id IN (`+placeholders(len(people))+`)
		ORDER BY ch.ctl_expiry, c.reference LIMIT `+strconv.Itoa(clampLimit(limit)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Deadline
	for rows.Next() {
		var d Deadline
		if err := rows.Scan(&d.CaseID, &d.Reference, &d.Title, &d.LawyerID, &d.LawyerName, &d.Defendant, &d.Charge, &d.Due); err != nil {
			return nil, err
		}
		d.Due, d.Kind = d.Due.UTC(), "custody_time_limit"
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecentSensitive lists the cases on the sensitive case log of the given
// units entered since a moment, newest first: the high-profile cases a
// unit head must hear of the day they arrive.
func (db *DB) RecentSensitive(ctx context.Context, p *access.Principal, units []int64, since time.Time) ([]casework.Case, error) {
	if len(units) == 0 {
		return nil, nil
	}
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "case", "c")
	args = append(args, since)
	for _, u := range units {
		args = append(args, u)
	}
	rows, err := db.query(ctx, `SELECT `+caseColumns+caseFrom+` WHERE `+visible+` AND c.sensitive_reason <> '' AND c.created_at >= ?
		AND c.unit_id IN (`+placeholders(len(units))+`) ORDER BY c.created_at DESC LIMIT 100`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
